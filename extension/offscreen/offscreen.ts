/**
 * Offscreen document (a service worker cannot create Workers): hosts the hashing pool behind the
 * `pedersen` message (vigil_ping, background/dapp-requests.ts) and the verifier's sync worker
 * (verifier/sync-host.ts), and answers only the service worker.
 */
import { WorkerPool, type JobWorker } from '../../workers/pool.js';
import { isOffscreenMessage, type OffscreenResponse } from '../shared/messages.js';
import { installSyncHost } from '../verifier/sync-host.js';

// The verifier (issue 9): its own message target, so the two listeners never answer each other.
installSyncHost();

const createHashWorker = (): JobWorker =>
  new Worker(new URL('../../workers/hash.worker.ts', import.meta.url), { type: 'module' }) as unknown as JobWorker;

let pool: WorkerPool | null = null;
function getPool(): WorkerPool {
  const size = Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1));
  pool ??= new WorkerPool(createHashWorker, size);
  return pool;
}

const toError = (err: unknown) => {
  const e = err instanceof Error ? err : new Error(String(err));
  return { name: e.name, message: e.message };
};

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (!isOffscreenMessage(message)) return false;
  // Content scripts' messages reach this document too; only the extension's own background,
  // which has no tab, may use the workers.
  if (sender.id !== chrome.runtime.id || sender.tab) return false;
  Promise.resolve()
    .then(() => getPool().run({ kind: 'pedersen', a: BigInt(message.a), b: BigInt(message.b) }))
    .then(
      (result): OffscreenResponse => ({ ok: true, result: `0x${(result as bigint).toString(16)}` }),
      (err: unknown): OffscreenResponse => ({ ok: false, error: toError(err) }),
    )
    .then(sendResponse);
  return true;
});
