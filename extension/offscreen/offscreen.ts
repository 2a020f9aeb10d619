/**
 * Offscreen document: hosts the Web Worker pool and the verifier's sync worker (a service worker
 * cannot create Workers) and answers only the service worker.
 */
import { WorkerPool } from '../../workers/pool.js';
import { isOffscreenMessage, isOffscreenTreeRootMessage, type OffscreenResponse, type OffscreenTreeRootResponse } from '../shared/messages.js';
import { createHashWorker, runTreeRoot } from './tree-root.js';
import { installSyncHost } from '../verifier/sync-host.js';

// The verifier (issue 9): its own message target, so the two listeners never answer each other.
installSyncHost();

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
  if (isOffscreenTreeRootMessage(message)) {
    Promise.resolve()
      .then(() => runTreeRoot(message))
      .then(
        (result): OffscreenTreeRootResponse => ({ ok: true, result }),
        (err: unknown): OffscreenTreeRootResponse => ({ ok: false, error: toError(err) }),
      )
      .then(sendResponse);
    return true;
  }
  Promise.resolve()
    .then(() => getPool().run({ kind: 'pedersen', a: BigInt(message.a), b: BigInt(message.b) }))
    .then(
      (result): OffscreenResponse => ({ ok: true, result: `0x${(result as bigint).toString(16)}` }),
      (err: unknown): OffscreenResponse => ({ ok: false, error: toError(err) }),
    )
    .then(sendResponse);
  return true;
});
