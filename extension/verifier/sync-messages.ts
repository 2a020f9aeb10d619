/**
 * Messages of the verifier's worker host (issue 9): service worker → offscreen document → sync
 * worker, and back. The target differs from the hashing messages' 'offscreen', so the two hosts
 * in the offscreen document never answer each other's messages. Bigints cross chrome.runtime
 * messaging as tagged JSON (tagged-json.ts).
 */
import { isTagged } from '../shared/messages.js';
export type SyncHostMessage =
  | { target: 'offscreen-sync'; type: 'run' }
  | { target: 'offscreen-sync'; type: 'import'; text: string };
export type SyncHostReply = { ok: true; result?: string } | { ok: false; error: { name: string; message: string } };

/** Offscreen document → service worker: alarms the sync worker raised (tagged JSON), to notify. */
export type SyncAlarmsMessage = { type: 'vigil/sync-alarms'; alarms: string };

/** Offscreen document ↔ sync worker. */
export type SyncWorkerRequest = { id: number; type: 'run' } | { id: number; type: 'import'; text: string };
export type SyncWorkerMessage = { id: number; reply: SyncHostReply } | { alarms: string };

export function isSyncHostMessage(m: unknown): m is SyncHostMessage {
  return isTagged(m, 'target', 'offscreen-sync');
}
export function isSyncAlarmsMessage(m: unknown): m is SyncAlarmsMessage {
  return isTagged(m, 'type', 'vigil/sync-alarms', { alarms: 'string' });
}
