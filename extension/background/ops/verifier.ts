/**
 * The L1 verifier's operations (issue 9, paged reads issue 14): configure and drive the sync, move
 * snapshots, and read its state one page at a time. No key is involved. The runs themselves stay
 * in sync-coordinator.ts; the reads go through verifier-reads.ts (the read model's future seam).
 */
import * as session from '../session.js';
import { configureSync, hostError, runSync, viaHost } from '../sync-coordinator.js';
import { getSyncSettings } from '../../shared/sync-db.js';
import { exportSnapshotText, resumeSync } from '../../verifier/sync-runner.js';
import { fromTaggedJson } from '../../../src/index.js';
import type { AlarmCursor } from '../../../src/index.js';
import { refreshAlarmBadge, updateAlarmBadge } from '../alarm-badge.js';
import {
  acknowledgeStoredAlarm,
  exchangeHealthView,
  pageLimit,
  positionsOfKeys,
  verifierAlarms,
  verifierBatches,
  verifierOverview,
  type AlarmPage,
  type BatchPage,
  type MyPositions,
  type VerifierOverview,
} from '../verifier-reads.js';

export const verifierOps = {
  /**
   * `settings`: tagged JSON text (the dashboard's form sends what the user typed, the worker
   * names what is wrong: src/sync/settings.ts parseSyncSettings).
   */
  async syncConfigure(args: { settings: string }): Promise<null> {
    return configureSync(args);
  },
  async syncNow(): Promise<null> {
    void runSync();
    return null;
  },
  async syncResume(): Promise<null> {
    await resumeSync();
    void runSync();
    return null;
  },
  /** The verified positions as a snapshot file's text. */
  async syncExportSnapshot(): Promise<string> {
    return exportSnapshotText();
  },
  /** Checks a snapshot file against the on-chain anchor and adopts it: long (the page allows minutes). */
  async syncImportSnapshot(args: { text: string }): Promise<{ sequenceNumber: string; positions: number }> {
    if (typeof args.text !== 'string') throw new TypeError('text: expected the snapshot file as a string');
    // The verifier's host is the one place an import runs (it rebuilds the tree on its worker pool).
    const reply = await viaHost({ target: 'offscreen-sync', type: 'import', text: args.text });
    if (!reply.ok) throw hostError(reply);
    if (reply.result === undefined)
      throw new Error("the verifier's sync worker answered the snapshot import without a result");
    const r = fromTaggedJson<{ sequenceNumber: bigint; positions: number }>(reply.result);
    refreshAlarmBadge();
    return { sequenceNumber: r.sequenceNumber.toString(), positions: r.positions };
  },
  /** Status, settings, the last verified state and counts: cheap enough to poll. */
  async verifierOverview(): Promise<VerifierOverview> {
    return verifierOverview();
  },
  /** Batch verdicts, newest first, `limit` of them below sequence number `before`. */
  async verifierBatches(args: { before?: bigint; limit: number }): Promise<BatchPage> {
    if (args.before !== undefined && (typeof args.before !== 'bigint' || args.before < 0n))
      throw new RangeError(`before: ${String(args.before)} is out of range; expected a sequence number >= 0`);
    return verifierBatches(args.before, pageLimit(args.limit));
  },
  /** Raised alarms (critical first) or the recorded-only history, `limit` after alarm id `after`. */
  async verifierAlarms(args: { kind: 'raised' | 'history'; after?: AlarmCursor; limit: number }): Promise<AlarmPage> {
    if (args.kind !== 'raised' && args.kind !== 'history')
      throw new TypeError(`kind: ${JSON.stringify(args.kind)}; expected "raised" or "history"`);
    if (
      args.after !== undefined &&
      (typeof args.after !== 'object' || args.after === null || typeof args.after.id !== 'string')
    )
      throw new TypeError('after: expected the `next` cursor of the previous page');
    return verifierAlarms(args.kind, args.after, pageLimit(args.limit));
  },
  /** The exchange's health from the verifier's own L1 data (src/sync/health.ts), last batches first computed there. */
  async verifierHealth(): Promise<Awaited<ReturnType<typeof exchangeHealthView>>> {
    return exchangeHealthView(Date.now());
  },
  /** Acknowledges alarm `id`: it stays listed, the toolbar badge no longer counts it. Returns the badge's text. */
  async verifierAcknowledgeAlarm(args: { id: string }): Promise<{ badge: string }> {
    if (typeof args.id !== 'string' || args.id.length === 0 || args.id.length > 1000)
      throw new TypeError(`id: ${JSON.stringify(args.id)}; expected the id of a listed alarm (1 to 1000 characters)`);
    await acknowledgeStoredAlarm(args.id, Date.now());
    return { badge: await updateAlarmBadge() };
  },
  /** The wallet's own positions (its stark key and the watched keys) in the verified state. */
  async verifierMyPositions(): Promise<MyPositions> {
    const [acct, settings] = await Promise.all([session.account(), getSyncSettings()]);
    const keys = [...new Set([...(acct ? [BigInt(acct.starkKey)] : []), ...(settings?.watchedStarkKeys ?? [])])];
    return positionsOfKeys(keys);
  },
};
