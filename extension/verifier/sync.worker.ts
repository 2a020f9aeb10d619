/**
 * The verifier's worker (issue 9): hosted by the offscreen document, it runs the sync engine and
 * snapshot imports over the IndexedDB store, one job at a time. Killing it (or its document)
 * mid-run loses at most the batch in flight: the next run resumes from the checkpoint.
 */
import { importSnapshotText, runSyncOnce, snapshotStreamStep } from './sync-runner.js';
import type { SyncWorkerMessage, SyncWorkerRequest } from './sync-messages.js';
import { createSerialQueue, toTaggedJson } from '../../src/index.js';
import { WorkerPool, type JobWorker } from '../../workers/pool.js';
import { poolBatchHasher } from '../../workers/pool-hasher.js';

const scope = self as unknown as {
  onmessage: ((e: { data: SyncWorkerRequest }) => void) | null;
  postMessage(m: SyncWorkerMessage): void;
};
const jobs = createSerialQueue();
let runQueued = false;

const createHashWorker = (): JobWorker =>
  new Worker(new URL('../../workers/hash.worker.ts', import.meta.url), { type: 'module' }) as unknown as JobWorker;

const poolSize = () =>
  Math.max(
    1,
    Math.min(
      4,
      (self as unknown as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1,
    ),
  );

/** A snapshot rebuilds the whole tree: its levels are hashed across a pool of hash workers. */
async function importWithPool(text: string): Promise<string> {
  const pool = new WorkerPool(createHashWorker, poolSize());
  try {
    return toTaggedJson(await importSnapshotText(text, poolBatchHasher(pool)));
  } finally {
    pool.terminate();
  }
}

/**
 * Sync runs hash on a pool kept for the worker's life (issue 15): catch-up checkpoints hash tens
 * of thousands of leaves at once; a follow-mode batch's few paths go to one worker as one job.
 */
let runPool: WorkerPool | undefined;

function job(req: SyncWorkerRequest): Promise<string | undefined> {
  if (req.type === 'import') return importWithPool(req.text);
  runPool ??= new WorkerPool(createHashWorker, poolSize());
  if (req.type === 'stream') return snapshotStreamStep(req, poolBatchHasher(runPool)).then(toTaggedJson);
  return runSyncOnce({
    host: 'worker',
    walletStarkKeys: req.walletStarkKeys ?? [],
    hashMany: poolBatchHasher(runPool),
    onAlarms: (alarms) => scope.postMessage({ alarms: toTaggedJson(alarms) }),
  }).then(() => undefined);
}

scope.onmessage = ({ data: req }) => {
  // Several alarms while one run is going need only one more run.
  if (req.type === 'run' && runQueued) return;
  if (req.type === 'run') runQueued = true;
  void jobs.run(() => {
    if (req.type === 'run') runQueued = false;
    return job(req).then(
      (result) => scope.postMessage({ id: req.id, reply: result === undefined ? { ok: true } : { ok: true, result } }),
      (err: unknown) =>
        scope.postMessage({
          id: req.id,
          reply: {
            ok: false,
            error: { name: (err as Error).name ?? 'Error', message: (err as Error).message ?? String(err) },
          },
        }),
    );
  });
};
