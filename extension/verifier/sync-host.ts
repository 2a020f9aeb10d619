/**
 * Hosts the verifier's worker in the offscreen document (a service worker cannot create Workers):
 * starts it on demand, forwards the service worker's requests and sends its alarms back. Only the
 * extension's own background (no tab) is answered. This is the one place sync runs and snapshot
 * imports happen (issue 14): the service worker has no fallback of its own.
 */
import { putSyncStatus } from '../shared/sync-db.js';
import {
  isSyncHostMessage,
  type SyncAlarmsMessage,
  type SyncHostReply,
  type SyncJob,
  type SyncWorkerMessage,
  type SyncWorkerRequest,
} from './sync-messages.js';

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, (reply: SyncHostReply) => void>();

function syncWorker(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL('./sync.worker.ts', import.meta.url), { type: 'module' });
  w.onmessage = ({ data }: MessageEvent<SyncWorkerMessage>) => {
    if ('alarms' in data) {
      const m: SyncAlarmsMessage = { type: 'vigil/sync-alarms', alarms: data.alarms };
      void chrome.runtime.sendMessage(m).catch(() => undefined);
      return;
    }
    pending.get(data.id)?.(data.reply);
    pending.delete(data.id);
  };
  w.onerror = (e) => {
    for (const done of pending.values())
      done({ ok: false, error: { name: 'WorkerError', message: e.message || 'the sync worker failed' } });
    pending.clear();
    worker = null;
  };
  worker = w;
  return w;
}

function post(req: SyncJob): Promise<SyncHostReply> {
  const id = nextId++;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    syncWorker().postMessage({ ...req, id } as SyncWorkerRequest);
  });
}

export function installSyncHost(): void {
  chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
    if (!isSyncHostMessage(message)) return false;
    if (sender.id !== chrome.runtime.id || sender.tab) return false;
    if (message.type === 'run') {
      // Fire and forget: the run outlives this message; progress and verdicts go to IndexedDB.
      // A run that fails outside the engine (the worker did not load, IndexedDB threw) has no one
      // to answer, so its error goes to the status the dashboard shows.
      void post({ type: 'run', walletStarkKeys: message.walletStarkKeys ?? [] }).then((reply) =>
        reply.ok
          ? undefined
          : putSyncStatus({ phase: 'error', message: `${reply.error.name}: ${reply.error.message}`, host: 'worker' }),
      );
      sendResponse({ ok: true } satisfies SyncHostReply);
      return false;
    }
    const { target: _target, ...job } = message;
    void post(job).then(sendResponse);
    return true;
  });
}
