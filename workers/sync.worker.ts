/**
 * The verifier's worker (issue 9): hosted by the offscreen document, it runs the sync engine and
 * snapshot imports over the IndexedDB store, one job at a time. Killing it (or its document)
 * mid-run loses at most the batch in flight: the next run resumes from the checkpoint.
 */
import { importSnapshotText, runSyncOnce } from '../extension/shared/sync-runner.js';
import type { SyncWorkerMessage, SyncWorkerRequest } from '../extension/shared/sync-messages.js';
import { toTaggedJson } from '../extension/shared/tagged-json.js';

const scope = self as unknown as { onmessage: ((e: { data: SyncWorkerRequest }) => void) | null; postMessage(m: SyncWorkerMessage): void };
let queue: Promise<unknown> = Promise.resolve();
let runQueued = false;

function job(req: SyncWorkerRequest): Promise<string | undefined> {
  if (req.type === 'import') return importSnapshotText(req.text).then((r) => toTaggedJson(r));
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
