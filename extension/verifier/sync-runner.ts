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
} from '../../src/index.js';
import type { BatchHasher, StepResult, SyncAlarm, SyncConfig } from '../../src/index.js';
import { getSyncSettings, IdbSyncStore, putSyncStatus, type SyncSettings } from '../shared/sync-db.js';

export type RunHooks = {
  hashMany?: BatchHasher;
  onAlarms?: (alarms: SyncAlarm[]) => void;
  signal?: { aborted: boolean };
  host?: 'worker' | 'service-worker';
};

/** The user's RPCs as adaptive endpoints (issue 15): provider limits learned, rates honoured. */
function readerFor(s: SyncSettings) {
  return createStarkExReader(
    s.deployment,
    MultiRpc.adaptive(s.rpcUrls, s.rpcRates ? { rates: s.rpcRates } : {}),
    s.maxBlockRange ? { maxBlockRange: s.maxBlockRange } : {},
  );
}

export function engineConfig(s: SyncSettings, hashMany?: BatchHasher): SyncConfig {
  const c: SyncConfig = { deployment: s.deployment };
  if (s.initialSharedState) c.initialSharedState = s.initialSharedState;
  if (s.initialBatchId !== undefined) c.initialBatchId = s.initialBatchId;
  if (s.maxBlockRange !== undefined) c.maxBlockRange = s.maxBlockRange;
  if (s.pageLookbackBlocks !== undefined) c.pageLookbackBlocks = s.pageLookbackBlocks;
  if (s.maxBatchAgeSeconds !== undefined) c.maxBatchAgeSeconds = s.maxBatchAgeSeconds;
  if (s.confirmations !== undefined) c.confirmations = s.confirmations;
  if (s.forcedRequestAlarmShare !== undefined) c.forcedRequestAlarmShare = s.forcedRequestAlarmShare;
  if (s.watchedStarkKeys) c.watchedStarkKeys = s.watchedStarkKeys;
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
  const engine = new SyncEngine(engineConfig(settings, hooks.hashMany), readerFor(settings), new IdbSyncStore());
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
