/**
 * The verifier's IndexedDB (issue 9): the positions tree (NodeStore), checkpoint, verdicts and
 * alarms of the followed deployment, plus its settings and the live sync status. One database per
 * extension; changing the deployment resets the data stores. Opened from the service worker (the
 * sync coordinator), from workers and from the dashboard, which reads verdicts and status directly.
 * Bigints are stored as they are (structured clone).
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { StarkExDeployment } from '../../src/l1/deployment.js';
import type { MemoryPagesHashesLog, PageRegistrationLog } from '../../src/l1/starkex-reader.js';
import type { SharedState } from '../../src/starkex/shared-state.js';
import type { Position } from '../../src/state/position.js';
import type { BatchDiff, BatchVerdict, SyncAlarm, SyncCheckpoint, SyncPhase } from '../../src/sync/types.js';
import type { NodeKey, NodeStoreBatch } from '../../src/tree/node-store.js';
import type { SyncCommit, SyncStore } from '../../src/sync/sync-store.js';

export type SyncSettings = {
  deployment: StarkExDeployment;
  rpcUrls: string[];
  /** Requests per second per RPC, by position in `rpcUrls` (none: the provider's 429s set the pace). */
  rpcRates?: Array<number | undefined>;
  initialSharedState?: SharedState;
  initialBatchId?: bigint;
  maxBlockRange?: bigint;
  pageLookbackBlocks?: bigint;
  /** Follow head − confirmations (reorg safety on mainnet). */
  confirmations?: bigint;
  maxBatchAgeSeconds?: bigint;
  forcedRequestAlarmShare?: number;
  watchedStarkKeys?: bigint[];
  /** Minutes between alarm-driven sync runs (chrome.alarms, ≥ 0.5). */
  periodMinutes?: number;
};

export type SyncStatus = {
  phase: SyncPhase | 'importing' | 'not-configured';
  head?: bigint;
  scannedTo?: bigint;
  sequenceNumber?: bigint;
  firstBlock?: bigint;
  message?: string;
  /** Snapshot import / tree rebuild progress. */
  progress?: { done: number; total: number };
  /** Where the last run ran: the offscreen document's sync worker or the service worker itself. */
  host?: 'worker' | 'service-worker';
  updatedAt: number;
};

interface SyncDB extends DBSchema {
  settings: { key: 'active'; value: SyncSettings };
  status: { key: 'sync'; value: SyncStatus };
  checkpoint: { key: 'cp'; value: SyncCheckpoint };
  nodes: { key: string; value: bigint };
  positions: { key: string; value: Position };
  verdicts: { key: string; value: BatchVerdict };
  alarms: { key: string; value: SyncAlarm };
  /** Kept batch diffs (issue 15: rollback and bisect), by sequence number. */
  diffs: { key: string; value: BatchDiff };
  /** Position ids whose leaves the stored tree does not reflect yet (catch-up), by id. */
  dirty: { key: string; value: bigint };
  /** The forward pass's page index: `r:<memoryHash>` registrations, `f:<factHash>` page hashes. */
  pages: { key: string; value: PageIndexRecord; indexes: { byBlock: number } };
}

/** `block` duplicates the log's block number as an IndexedDB key (bigints are not keys). */
type PageIndexRecord = { block: number; registration?: PageRegistrationLog; pagesHashes?: MemoryPagesHashesLog };

export const SYNC_DB_NAME = 'vigil-sync';
const DATA_STORES = ['checkpoint', 'nodes', 'positions', 'verdicts', 'alarms', 'diffs', 'dirty', 'pages'] as const;
let dbPromise: Promise<IDBPDatabase<SyncDB>> | null = null;

export function syncDb(): Promise<IDBPDatabase<SyncDB>> {
  // Version 2 adds the diffs and dirty stores, 3 the page index (issue 15); older stores are kept.
  dbPromise ??= openDB<SyncDB>(SYNC_DB_NAME, 3, {
    upgrade(db) {
      for (const s of ['settings', 'status', ...DATA_STORES] as const) {
        if (s === 'pages' || db.objectStoreNames.contains(s)) continue;
        db.createObjectStore(s);
      }
      if (!db.objectStoreNames.contains('pages')) db.createObjectStore('pages').createIndex('byBlock', 'block');
    },
  });
  return dbPromise;
}

const nodeKey = (k: NodeKey) => `${k.height.toString().padStart(2, '0')}:${k.index.toString(16).padStart(16, '0')}`;
/** Fixed width, so key order is numeric order (position ids < 2^64, sequence numbers too). */
export const idKey = (id: bigint) => id.toString(16).padStart(16, '0');

export async function getSyncSettings(): Promise<SyncSettings | undefined> {
  return (await syncDb()).get('settings', 'active');
}

/** New settings; a different deployment (or RPC-independent reset) drops all verified data. */
export async function putSyncSettings(settings: SyncSettings, reset: boolean): Promise<void> {
  const db = await syncDb();
  const tx = db.transaction(['settings', 'status', ...DATA_STORES], 'readwrite');
  if (reset) {
    for (const s of DATA_STORES) await tx.objectStore(s).clear();
    await tx.objectStore('status').put({ phase: 'idle', firstBlock: settings.deployment.firstBlock, updatedAt: Date.now() }, 'sync');
  }
  await tx.objectStore('settings').put(settings, 'active');
  await tx.done;
}

export async function getSyncStatus(): Promise<SyncStatus> {
  return (await (await syncDb()).get('status', 'sync')) ?? { phase: 'not-configured', updatedAt: Date.now() };
}
export async function putSyncStatus(s: Omit<SyncStatus, 'updatedAt'>): Promise<void> {
  await (await syncDb()).put('status', { ...s, updatedAt: Date.now() }, 'sync');
}

/** The `SyncStore` of src/sync over IndexedDB: every commit is one transaction. */
export class IdbSyncStore implements SyncStore {
  async getNodes(keys: readonly NodeKey[]): Promise<Array<bigint | undefined>> {
    const tx = (await syncDb()).transaction('nodes');
    return Promise.all(keys.map((k) => tx.store.get(nodeKey(k))));
  }
  async getPositions(ids: readonly bigint[]): Promise<Array<Position | undefined>> {
    const tx = (await syncDb()).transaction('positions');
    return Promise.all(ids.map((id) => tx.store.get(idKey(id))));
  }
  async write(batch: NodeStoreBatch): Promise<void> {
    const tx = (await syncDb()).transaction(['nodes', 'positions'], 'readwrite');
    await writeBatch(tx.objectStore('nodes'), tx.objectStore('positions'), batch);
    await tx.done;
  }
  async checkpoint(): Promise<SyncCheckpoint | undefined> {
    return (await syncDb()).get('checkpoint', 'cp');
  }
  async commit(c: SyncCommit): Promise<void> {
    const tx = (await syncDb()).transaction([...DATA_STORES], 'readwrite');
    const ops: Promise<unknown>[] = [];
    // Requests in one transaction run in the order they are made: drops and clears come first.
    if (c.reset) for (const s of DATA_STORES) ops.push(tx.objectStore(s).clear());
    if (c.dropFrom !== undefined) {
      const range = IDBKeyRange.lowerBound(idKey(c.dropFrom));
      ops.push(tx.objectStore('verdicts').delete(range), tx.objectStore('diffs').delete(range));
    }
    if (c.dirty?.clear) ops.push(tx.objectStore('dirty').clear());
    if (c.nodes) ops.push(writeBatch(tx.objectStore('nodes'), tx.objectStore('positions'), c.nodes));
    ops.push(tx.objectStore('checkpoint').put(c.checkpoint, 'cp'));
    for (const v of [...(c.verdicts ?? []), ...(c.verdict ? [c.verdict] : [])]) ops.push(tx.objectStore('verdicts').put(v, idKey(v.sequenceNumber)));
    const alarms = tx.objectStore('alarms');
    for (const a of c.alarms ?? []) ops.push(alarms.get(a.id).then((old) => (old ? undefined : alarms.put(a, a.id))));
    if (c.diff) ops.push(tx.objectStore('diffs').put(c.diff, idKey(c.diff.sequenceNumber)));
    for (const id of c.dirty?.add ?? []) ops.push(tx.objectStore('dirty').put(id, idKey(id)));
    if (c.pruneDiffs) ops.push(pruneDiffs(tx.objectStore('diffs'), c.pruneDiffs));
    const pages = tx.objectStore('pages');
    for (const r of c.pageIndex?.registrations ?? []) ops.push(pages.put({ block: Number(r.blockNumber), registration: r }, `r:${r.memoryHash.toLowerCase()}`));
    for (const h of c.pageIndex?.pagesHashes ?? []) ops.push(pages.put({ block: Number(h.blockNumber), pagesHashes: h }, `f:${h.factHash.toLowerCase()}`));
    if (c.prunePageIndexBelow !== undefined) ops.push(deleteByBlock(pages.index('byBlock'), IDBKeyRange.upperBound(Number(c.prunePageIndexBelow), true)));
    if (c.dropPageIndexAbove !== undefined) ops.push(deleteByBlock(pages.index('byBlock'), IDBKeyRange.lowerBound(Number(c.dropPageIndexAbove), true)));
    await Promise.all([...ops, tx.done]);
  }
  async pageRegistration(memoryHash: string): Promise<PageRegistrationLog | undefined> {
    return (await (await syncDb()).get('pages', `r:${memoryHash.toLowerCase()}`))?.registration;
  }
  async pagesHashesOf(factHash: string): Promise<MemoryPagesHashesLog | undefined> {
    return (await (await syncDb()).get('pages', `f:${factHash.toLowerCase()}`))?.pagesHashes;
  }
  async diffs(): Promise<BatchDiff[]> {
    return (await syncDb()).getAll('diffs');
  }
  async dirtyPositionIds(): Promise<bigint[]> {
    return (await syncDb()).getAll('dirty');
  }
  async verdictsFrom(from: bigint): Promise<BatchVerdict[]> {
    return (await syncDb()).getAll('verdicts', IDBKeyRange.lowerBound(idKey(from)));
  }
  async verdicts(): Promise<BatchVerdict[]> {
    return (await syncDb()).getAll('verdicts');
  }
  async alarms(): Promise<SyncAlarm[]> {
    return (await syncDb()).getAll('alarms');
  }
  async allPositions(): Promise<Array<[bigint, Position]>> {
    const tx = (await syncDb()).transaction('positions');
    const [keys, values] = await Promise.all([tx.store.getAllKeys(), tx.store.getAll()]);
    return keys.map((k, i) => [BigInt(`0x${k}`), values[i]!]);
  }
  async clear(): Promise<void> {
    const tx = (await syncDb()).transaction([...DATA_STORES], 'readwrite');
    await Promise.all([...DATA_STORES.map((s) => tx.objectStore(s).clear()), tx.done]);
  }
}

/** Deletes the index entries whose block is in `range`, walking the index. */
async function deleteByBlock(
  index: { openCursor(range: IDBKeyRange): Promise<{ delete(): Promise<void>; continue(): Promise<unknown> } | null> },
  range: IDBKeyRange,
): Promise<void> {
  let cursor = await index.openCursor(range);
  while (cursor) {
    await cursor.delete();
    cursor = (await cursor.continue()) as typeof cursor;
  }
}

/** Diffs in sequence order until one is not yet hashed or not final (block numbers grow with sequence numbers). */
async function pruneDiffs(
  diffs: { openCursor(): Promise<{ value: BatchDiff; delete(): Promise<void>; continue(): Promise<unknown> } | null> },
  upTo: { upToSequence: bigint; upToBlock: bigint },
): Promise<void> {
  let cursor = await diffs.openCursor();
  while (cursor && cursor.value.sequenceNumber <= upTo.upToSequence && cursor.value.blockNumber <= upTo.upToBlock) {
    await cursor.delete();
    cursor = (await cursor.continue()) as typeof cursor;
  }
}

type Writable<N extends 'nodes' | 'positions'> = { put(v: SyncDB[N]['value'], k: string): Promise<unknown>; delete(k: string): Promise<unknown> };
function writeBatch(nodes: Writable<'nodes'>, positions: Writable<'positions'>, batch: NodeStoreBatch): Promise<unknown> {
  const ops: Promise<unknown>[] = [];
  for (const [k, v] of batch.nodes) ops.push(v === undefined ? nodes.delete(nodeKey(k)) : nodes.put(v, nodeKey(k)));
  for (const [id, p] of batch.positions) ops.push(p === undefined ? positions.delete(idKey(id)) : positions.put(p, idKey(id)));
  return Promise.all(ops);
}
