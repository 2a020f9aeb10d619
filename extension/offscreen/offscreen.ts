/**
 * Offscreen document: hosts the Web Worker pool (a service worker cannot create Workers) and
 * answers only the service worker.
 */
import { WorkerPool, type JobWorker } from '../../workers/pool.js';
import { isOffscreenMessage, type OffscreenResponse } from '../shared/messages.js';

let pool: WorkerPool | null = null;
function getPool(): WorkerPool {
  const size = Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1));
  pool ??= new WorkerPool(() => new Worker(new URL('../../workers/hash.worker.ts', import.meta.url), { type: 'module' }) as unknown as JobWorker, size);
  return pool;
}

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (!isOffscreenMessage(message)) return false;
  // Content scripts' messages reach this document too; only the extension's own background,
  // which has no tab, may use the workers.
  if (sender.id !== chrome.runtime.id || sender.tab) return false;
  Promise.resolve()
    .then(() => getPool().run({ kind: 'pedersen', a: BigInt(message.a), b: BigInt(message.b) }))
    .then(
      (result): OffscreenResponse => ({ ok: true, result: `0x${(result as bigint).toString(16)}` }),
      (err: Error): OffscreenResponse => ({ ok: false, error: { name: err.name, message: err.message } }),
    )
    .then(sendResponse);
  return true;
});
