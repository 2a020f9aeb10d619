import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { WorkerPool, type JobWorker } from './pool.js';
import type { WorkerResponse } from './jobs.js';

/**
 * The worker pool in Node, over `worker_threads` (the browser's pool lives in the offscreen
 * document). `WorkerPool` schedules over the minimal `JobWorker` interface; `nodeJobWorker`
 * adapts a Node `Worker` (EventEmitter style) to it.
 */
export function nodeJobWorker(worker: Worker): JobWorker {
  let terminated = false;
  const adapter: JobWorker = {
    postMessage: (message) => worker.postMessage(message),
    onmessage: null,
    onerror: null,
    terminate: () => {
      terminated = true;
      void worker.terminate();
    },
  };
  worker.on('message', (data: WorkerResponse) => adapter.onmessage?.({ data }));
  worker.on('error', (err) => adapter.onerror?.(err));
  // A worker that exits without throwing (process.exit in a job, out of memory) still fails its job.
  worker.on('exit', (code) => {
    if (!terminated) adapter.onerror?.({ message: `worker exited with code ${code}` });
  });
  return adapter;
}

const ENTRY = new URL('./node-hash-worker.ts', import.meta.url);

/**
 * Node 20 runs a worker's `--import` hooks only on the main thread (tsx registers itself there
 * only), so a TypeScript entry is loaded through this small CommonJS bootstrap that registers tsx
 * (a dev dependency) inside the worker first.
 */
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
(async () => {
  if (workerData.tsx) (await import(workerData.tsx)).register();
  await import(workerData.entry);
})().catch((err) => { setImmediate(() => { throw err; }); });
`;

/** tsx's ESM `register` (its package `exports`, resolved here because the bootstrap has no base URL). */
function tsxApiUrl(): string {
  const pkgPath = createRequire(import.meta.url).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return new URL(pkg.exports['./esm/api']!.import.default, pathToFileURL(pkgPath)).href;
}

/** Starts a worker_threads Worker on `entry` (a .ts entry is loaded through tsx, see BOOTSTRAP). */
export function startNodeWorker(entry: URL): Worker {
  const tsx = entry.pathname.endsWith('.ts') ? tsxApiUrl() : undefined;
  return new Worker(BOOTSTRAP, { eval: true, workerData: { entry: entry.href, tsx } });
}

export type NodeWorkerPoolOptions = {
  /** Workers in the pool; default: available cores (at least 1). */
  size?: number;
  /** The worker entry, default workers/node-hash-worker.ts. */
  entry?: URL;
};

export function createNodeWorkerPool(opts: NodeWorkerPoolOptions = {}): WorkerPool {
  const size = opts.size ?? Math.max(1, availableParallelism());
  const entry = opts.entry ?? ENTRY;
  return new WorkerPool(() => nodeJobWorker(startNodeWorker(entry)), size);
}
