/**
 * Messages of the verifier's worker host (issue 9): service worker → offscreen document → sync
 * worker, and back. The target differs from the hashing messages' 'offscreen', so the two hosts
 * in the offscreen document never answer each other's messages. Bigints cross chrome.runtime
 * messaging as tagged JSON (tagged-json.ts).
 */
import { isTagged } from '../shared/messages.js';
/**
 * A streamed snapshot import (issue 16), one message per step: `begin` empties database `db`,
 * each `chunk` carries the file's next text (any size up to the op's limit), `end` checks the root.
 */
export type SnapshotStreamStep =
  | { type: 'stream'; phase: 'begin'; db: string }
  | { type: 'stream'; phase: 'chunk'; text: string }
  | { type: 'stream'; phase: 'end' };
/** `walletStarkKeys`: the wallet's own keys (hex), always watched for forced-request deadlines. */
export type SyncJob =
  | { type: 'run'; walletStarkKeys?: string[] }
  | { type: 'import'; text: string }
  | SnapshotStreamStep;
export type SyncHostMessage = { target: 'offscreen-sync' } & SyncJob;
export type SyncHostReply = { ok: true; result?: string } | { ok: false; error: { name: string; message: string } };

/** Offscreen document → service worker: alarms the sync worker raised (tagged JSON), to notify. */
export type SyncAlarmsMessage = { type: 'vigil/sync-alarms'; alarms: string };

/** Offscreen document ↔ sync worker. */
export type SyncWorkerRequest = { id: number } & SyncJob;
export type SyncWorkerMessage = { id: number; reply: SyncHostReply } | { alarms: string };

export function isSyncHostMessage(m: unknown): m is SyncHostMessage {
  return isTagged(m, 'target', 'offscreen-sync');
}
export function isSyncAlarmsMessage(m: unknown): m is SyncAlarmsMessage {
  return isTagged(m, 'type', 'vigil/sync-alarms', { alarms: 'string' });
}
