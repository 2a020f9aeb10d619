/**
 * The verifier's worker (issue 9): hosted by the offscreen document, it runs the sync engine and
 * snapshot imports over the IndexedDB store, one job at a time. Killing it (or its document)
 * mid-run loses at most the batch in flight: the next run resumes from the checkpoint.
 */
import { importSnapshotText, runSyncOnce } from '../extension/shared/sync-runner.js';
import type { SyncWorkerMessage, SyncWorkerRequest } from '../extension/shared/sync-messages.js';
import { toTaggedJson } from '../extension/shared/tagged-json.js';
import { WorkerPool, type JobWorker } from './pool.js';
import { poolBatchHasher } from './pool-hasher.js';

const scope = self as unknown as { onmessage: ((e: { data: SyncWorkerRequest }) => void) | null; postMessage(m: SyncWorkerMessage): void };
let queue: Promise<unknown> = Promise.resolve();
let runQueued = false;

const createHashWorker = (): JobWorker => new Worker(new URL('./hash.worker.ts', import.meta.url), { type: 'module' }) as unknown as JobWorker;

/** A snapshot rebuilds the whole tree: its levels are hashed across a pool of hash workers. */
async function importWithPool(text: string): Promise<string> {
  const size = Math.max(1, Math.min(4, (self as unknown as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1));
  const pool = new WorkerPool(createHashWorker, size);
  try {
    return toTaggedJson(await importSnapshotText(text, poolBatchHasher(pool)));
  } finally {
    pool.terminate();
  }
}

function job(req: SyncWorkerRequest): Promise<string | undefined> {
  // Follow mode hashes a batch's few paths here; a snapshot's whole tree goes to the pool.
  if (req.type === 'import') return importWithPool(req.text);
  return runSyncOnce({ host: 'worker', onAlarms: (alarms) => scope.postMessage({ alarms: toTaggedJson(alarms) }) }).then(() => undefined);
}

scope.onmessage = ({ data: req }) => {
  // Several alarms while one run is going need only one more run.
  if (req.type === 'run' && runQueued) return;
  if (req.type === 'run') runQueued = true;
  queue = queue.then(() => {
    if (req.type === 'run') runQueued = false;
    return job(req).then(
      (result) => scope.postMessage({ id: req.id, reply: result === undefined ? { ok: true } : { ok: true, result } }),
      (err: unknown) => scope.postMessage({ id: req.id, reply: { ok: false, error: { name: (err as Error).name ?? 'Error', message: (err as Error).message ?? String(err) } } }),
    );
  });
};
