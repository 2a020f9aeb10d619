/**
 * One sync run over the IndexedDB store (issue 9): follow the configured deployment until caught
 * up, halted or the RPC fails, writing the live status for the dashboard. Runs and snapshot
 * imports run in the verifier's sync worker (sync.worker.ts), which hashes Pedersen batches on its
 * worker pool (`hashMany`); the service worker uses only the light calls here (`resumeSync`,
 * `exportSnapshotText`), which hash nothing. No chrome.* here: any context with IndexedDB can run it.
 */
import {
  MultiRpc,
  SyncEngine,
  createStarkExReader,
  exportSnapshot,
  importSnapshot,
  parseSnapshot,
  serializeSnapshot,
  LineSplitter,
  SnapshotStreamImport,
  watchedStarkKeysWith,
} from '../../src/index.js';
import type { BatchHasher, StepResult, SyncAlarm, SyncConfig } from '../../src/index.js';
import {
  deleteSyncDb,
  getSyncSettings,
  IdbSyncStore,
  putSyncStatus,
  SNAPSHOT_DB_NAMES,
  type SnapshotDbName,
  type SyncSettings,
} from '../shared/sync-db.js';
import type { SnapshotStreamStep } from './sync-messages.js';

export type RunHooks = {
  hashMany?: BatchHasher;
  onAlarms?: (alarms: SyncAlarm[]) => void;
  signal?: { aborted: boolean };
  host?: 'worker' | 'service-worker';
  /** The wallet's stark keys (hex), watched with the user's (src/sync/settings.ts watchedStarkKeysWith). */
  walletStarkKeys?: string[];
};

/** The user's RPCs as adaptive endpoints (issue 15): provider limits learned, rates honoured. */
function readerFor(s: SyncSettings) {
  return createStarkExReader(
    s.deployment,
    MultiRpc.adaptive(s.rpcUrls, s.rpcRates ? { rates: s.rpcRates } : {}),
    s.maxBlockRange ? { maxBlockRange: s.maxBlockRange } : {},
  );
}

export function engineConfig(s: SyncSettings, hashMany?: BatchHasher, walletStarkKeys: string[] = []): SyncConfig {
  const c: SyncConfig = { deployment: s.deployment };
  if (s.initialSharedState) c.initialSharedState = s.initialSharedState;
  if (s.initialBatchId !== undefined) c.initialBatchId = s.initialBatchId;
  if (s.maxBlockRange !== undefined) c.maxBlockRange = s.maxBlockRange;
  if (s.pageLookbackBlocks !== undefined) c.pageLookbackBlocks = s.pageLookbackBlocks;
  if (s.maxBatchAgeSeconds !== undefined) c.maxBatchAgeSeconds = s.maxBatchAgeSeconds;
  if (s.confirmations !== undefined) c.confirmations = s.confirmations;
  if (s.forcedRequestAlarmShare !== undefined) c.forcedRequestAlarmShare = s.forcedRequestAlarmShare;
  const watched = watchedStarkKeysWith(s, walletStarkKeys);
  if (watched.length) c.watchedStarkKeys = watched;
  if (hashMany) c.hashMany = hashMany;
  return c;
}

/** The dashboard's status line from a step of the engine. */
function statusOf(p: StepResult, firstBlock: bigint, host: NonNullable<RunHooks['host']>) {
  return {
    phase: p.phase,
    scannedTo: p.scannedTo,
    sequenceNumber: p.sequenceNumber,
    firstBlock,
    host,
    ...(p.head !== undefined ? { head: p.head } : {}),
    ...(p.message ? { message: p.message } : {}),
  };
}

export async function runSyncOnce(hooks: RunHooks = {}): Promise<void> {
  const settings = await getSyncSettings();
  if (!settings) return;
  const engine = new SyncEngine(
    engineConfig(settings, hooks.hashMany, hooks.walletStarkKeys),
    readerFor(settings),
    new IdbSyncStore(),
  );
  const firstBlock = settings.deployment.firstBlock;
  const host = hooks.host ?? 'service-worker';
  const cp = await engine.checkpoint();
  await putSyncStatus({
    phase: cp.halted ? 'halted' : 'syncing',
    scannedTo: cp.scannedTo,
    sequenceNumber: cp.sequenceNumber,
    firstBlock,
    host,
  });
  const last = await engine.run({
    ...(hooks.signal ? { signal: hooks.signal } : {}),
    onProgress: (p) => {
      if (p.newAlarms.length) hooks.onAlarms?.(p.newAlarms);
      void putSyncStatus(statusOf(p, firstBlock, host));
    },
  });
  await putSyncStatus(statusOf(last, firstBlock, host));
}

/** Clears a halt (the user decided to retry the failed batch, e.g. after changing RPCs). */
export async function resumeSync(): Promise<void> {
  const settings = await getSyncSettings();
  if (!settings) return;
  await new SyncEngine(engineConfig(settings), readerFor(settings), new IdbSyncStore()).resume();
}

export async function exportSnapshotText(): Promise<string> {
  const settings = await getSyncSettings();
  if (!settings) throw new Error('No deployment is configured.');
  return serializeSnapshot(await exportSnapshot(new IdbSyncStore(), settings.deployment));
}

/** Verifies a snapshot file against the anchor and, only if it verifies, makes it the stored state. */
export async function importSnapshotText(
  text: string,
  hashMany?: BatchHasher,
): Promise<{ sequenceNumber: bigint; positions: number }> {
  const settings = await getSyncSettings();
  if (!settings) throw new Error('No deployment is configured.');
  const snapshot = parseSnapshot(text);
  const firstBlock = settings.deployment.firstBlock;
  try {
    const cp = await importSnapshot(snapshot, {
      deployment: settings.deployment,
      reader: readerFor(settings),
      store: new IdbSyncStore(),
      ...(hashMany ? { hashMany } : {}),
      onProgress: (done, total) => void putSyncStatus({ phase: 'importing', firstBlock, progress: { done, total } }),
    });
    await putSyncStatus({
      phase: 'idle',
      firstBlock,
      scannedTo: cp.scannedTo,
      sequenceNumber: cp.sequenceNumber,
      message: `Snapshot at batch ${cp.batchId} verified against the anchor`,
    });
    return { sequenceNumber: cp.sequenceNumber, positions: snapshot.positions.length };
  } catch (err) {
    await putSyncStatus({ phase: 'idle', firstBlock, message: `Snapshot rejected: ${(err as Error).message}` });
    throw err;
  }
}

/** The streamed import in progress (one at a time): its database, the text not yet a whole line, the import. */
let stream: { db: SnapshotDbName; lines: LineSplitter; job?: SnapshotStreamImport } | undefined;

export type SnapshotStreamProgress = { received: number; total?: number; sequenceNumber?: bigint; db?: string };

/**
 * One step of a streamed snapshot import (issue 16) into snapshot database `db`, never the
 * verifier's: the file arrives as text chunks, is split into lines and imported a chunk of
 * positions at a time (src/sync/snapshot-stream.ts); `end` checks the root against the anchor.
 * A failed step drops the import; the next `begin` empties the database again.
 */
export async function snapshotStreamStep(
  step: SnapshotStreamStep,
  hashMany?: BatchHasher,
): Promise<SnapshotStreamProgress> {
  try {
    if (step.phase === 'begin') {
      if (!(SNAPSHOT_DB_NAMES as readonly string[]).includes(step.db))
        throw new RangeError(`db: ${step.db} is not one of ${SNAPSHOT_DB_NAMES.join(', ')}`);
      stream = undefined;
      await deleteSyncDb(step.db as SnapshotDbName);
      stream = { db: step.db as SnapshotDbName, lines: new LineSplitter() };
      return { received: 0 };
    }
    const s = stream;
    if (!s) throw new Error('No snapshot import is open: begin one first.');
    const lines = step.phase === 'chunk' ? s.lines.push(step.text) : s.lines.end();
    if (!s.job && lines.length) {
      const settings = await getSyncSettings();
      if (!settings) throw new Error('No deployment is configured.');
      s.job = await SnapshotStreamImport.begin(lines.shift()!, {
        deployment: settings.deployment,
        reader: readerFor(settings),
        staging: new IdbSyncStore(s.db),
        ...(hashMany ? { hashMany } : {}),
      });
    }
    if (!s.job) throw new Error('The snapshot file has no header line yet.');
    await s.job.add(lines);
    const progress = { received: s.job.received, total: s.job.header.positions };
    if (step.phase === 'chunk') return progress;
    const cp = await s.job.finish();
    stream = undefined;
    return { ...progress, sequenceNumber: cp.sequenceNumber, db: s.db };
  } catch (err) {
    stream = undefined;
    throw err;
  }
}
