/**
 * What the dashboard reads of the verifier (issue 14), served by the service worker one page at a
 * time: the page never opens IndexedDB nor builds a tree. Implemented over today's sync store
 * (extension/shared/sync-db.ts); the one module to switch to the read model (src/sync/read-model.ts:
 * positions indexed by stark key, a real leaf → path → root check) when it lands. The return types
 * are plain data and stay as they are across that switch.
 */
import type { Position } from '../../src/state/position.js';
import type { AlarmKind, BatchVerdict, SyncAlarm } from '../../src/sync/types.js';
import { PositionTree } from '../../src/tree/position-tree.js';
import { getSyncSettings, getSyncStatus, idKey, IdbSyncStore, syncDb, type SyncSettings, type SyncStatus } from '../shared/sync-db.js';

/** The last verified state, without the bulk (pending forced requests, every shared-state word). */
export type VerifierCheckpointView = {
  sequenceNumber: bigint;
  batchId: bigint;
  blockNumber: bigint;
  scannedTo: bigint;
  /** Word 0 of the last verified shared state: the committed position-tree root; absent before any batch. */
  committedRoot?: bigint;
  halted?: { sequenceNumber: bigint; failure: AlarmKind };
};

export type VerifierCounts = {
  batches: number;
  verified: number;
  failed: number;
  pendingRoot: number;
  /** Raised alarms (critical or warning), and recorded-only history (info). */
  alarms: number;
  history: number;
};

export type VerifierOverview = { status: SyncStatus; settings: SyncSettings | null; checkpoint: VerifierCheckpointView | null; counts: VerifierCounts };

export type BatchPage = {
  /** Newest first. */
  batches: BatchVerdict[];
  /** Pass as `before` for the next (older) page; null when this page reached the first batch. */
  older: bigint | null;
};

export type AlarmPage = {
  /** Raised: critical first, then newest first; history: newest first. */
  alarms: SyncAlarm[];
  total: number;
  /** Pass as `after` for the next page; null when there is none. */
  next: string | null;
};

/**
 * How an own position was checked. Today's store keeps the tree's nodes; the check reads the stored
 * root node and compares it with the committed root — it does NOT hash the leaf up its path
 * (the read model will: then 'stored-path-hashes-to-committed-root').
 */
export type PositionCheck = 'stored-tree-root-equals-committed-root';

export type OwnPosition = { positionId: bigint; position: Position; check: PositionCheck; matches: boolean };
export type MyPositions = { starkKeys: bigint[]; committedRoot: bigint | null; positions: OwnPosition[] };

export const MAX_PAGE = 200;

/** Page sizes from a page: an integer 1 … MAX_PAGE; the error names the field, value and range. */
export function pageLimit(limit: unknown): number {
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) throw new RangeError(`limit: ${JSON.stringify(limit)} is out of range; expected an integer 1 <= limit <= ${MAX_PAGE}`);
  return limit;
}

export async function verifierOverview(): Promise<VerifierOverview> {
  const store = new IdbSyncStore();
  const [status, settings, cp, counts] = await Promise.all([getSyncStatus(), getSyncSettings(), store.checkpoint(), countAll()]);
  const root = cp?.sharedState?.[0];
  const checkpoint: VerifierCheckpointView | null = cp
    ? { sequenceNumber: cp.sequenceNumber, batchId: cp.batchId, blockNumber: cp.blockNumber, scannedTo: cp.scannedTo, ...(root !== undefined ? { committedRoot: root } : {}), ...(cp.halted ? { halted: cp.halted } : {}) }
    : null;
  return { status, settings: settings ?? null, checkpoint, counts };
}

/**
 * Counts by status walk every verdict (a cursor, values only in passing): the store has no index
 * by status. Fine at today's sizes, polled every 2 s by the dashboard; the read model keeps counts.
 */
async function countAll(): Promise<VerifierCounts> {
  const db = await syncDb();
  const counts: VerifierCounts = { batches: 0, verified: 0, failed: 0, pendingRoot: 0, alarms: 0, history: 0 };
  let cursor = await db.transaction('verdicts').store.openCursor();
  while (cursor) {
    counts.batches++;
    if (cursor.value.status === 'verified') counts.verified++;
    else if (cursor.value.status === 'failed') counts.failed++;
    else counts.pendingRoot++;
    cursor = await cursor.continue();
  }
  for (const a of await db.getAll('alarms')) a.severity === 'info' ? counts.history++ : counts.alarms++;
  return counts;
}

/** Verdicts newest first, `limit` of them, all below sequence number `before` when given. */
export async function verifierBatches(before: bigint | undefined, limit: number): Promise<BatchPage> {
  const db = await syncDb();
  // Keys are fixed-width hex of the sequence number: key order is sequence order.
  const range = before === undefined ? undefined : IDBKeyRange.upperBound(idKey(before), true);
  const batches: BatchVerdict[] = [];
  let cursor = await db.transaction('verdicts').store.openCursor(range, 'prev');
  while (cursor && batches.length < limit) {
    batches.push(cursor.value);
    cursor = await cursor.continue();
  }
  return { batches, older: cursor && batches.length ? batches[batches.length - 1]!.sequenceNumber : null };
}

const SEVERITY_RANK = { critical: 0, warning: 1, info: 2 } as const;

/**
 * Alarms of one kind, paged. Alarms are keyed by id, not time, so this sorts them all in the
 * worker (few: one per cause); the page gets `limit` at a time.
 */
export async function verifierAlarms(kind: 'raised' | 'history', after: string | undefined, limit: number): Promise<AlarmPage> {
  return pageOfAlarms(await new IdbSyncStore().alarms(), kind, after, limit);
}

/** One page of `kind` alarms out of all of them, in display order, after alarm id `after`. */
export function pageOfAlarms(stored: readonly SyncAlarm[], kind: 'raised' | 'history', after: string | undefined, limit: number): AlarmPage {
  const all = stored
    .filter((a) => (kind === 'history') === (a.severity === 'info'))
    .sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || b.raisedAt - a.raisedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const start = after === undefined ? 0 : all.findIndex((a) => a.id === after) + 1;
  const alarms = all.slice(start, start + limit);
  const end = start + alarms.length;
  return { alarms, total: all.length, next: end < all.length && alarms.length ? alarms[alarms.length - 1]!.id : null };
}

/**
 * The positions of the given stark keys in the verified state, each compared with the committed
 * root (word 0 of the last verified shared state). Walks every stored position: the store has no
 * index by stark key (the read model has).
 */
export async function positionsOfKeys(starkKeys: bigint[]): Promise<MyPositions> {
  const store = new IdbSyncStore();
  const cp = await store.checkpoint();
  const root = cp?.sharedState?.[0];
  if (!starkKeys.length || root === undefined) return { starkKeys, committedRoot: root ?? null, positions: [] };
  const tree = await PositionTree.create(store);
  const wanted = new Set(starkKeys);
  const mine = (await store.allPositions()).filter(([, p]) => wanted.has(p.starkKey));
  const positions = await Promise.all(
    mine.map(async ([positionId, position]) => ({ positionId, position, check: 'stored-tree-root-equals-committed-root' as const, matches: (await tree.merklePath(positionId)).root === root })),
  );
  return { starkKeys, committedRoot: root, positions };
}
