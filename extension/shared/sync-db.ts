/**
 * The verifier's IndexedDB (issue 9): the positions tree (NodeStore), checkpoint, verdicts and
 * alarms of the followed deployment, plus its settings and the live sync status. One database per
 * extension; changing the deployment resets the data stores. Opened from the service worker (the
 * sync coordinator), from workers and from the dashboard, which reads verdicts and status directly.
 * Bigints are stored as they are (structured clone).
 */
import { deleteDB, openDB, unwrap, type DBSchema, type IDBPDatabase, type IDBPObjectStore, type StoreNames } from 'idb';
import { acknowledgeAlarm, ALARM_SEVERITY_ORDER, countsOnBadge } from '../../src/index.js';
import type {
  AlarmCursor,
  AlarmPageQuery,
  BatchDiff,
  BatchVerdict,
  DirtyPage,
  MemoryPagesHashesLog,
  NodeKey,
  NodeStoreBatch,
  Page,
  PageRegistrationLog,
  Position,
  SyncAlarm,
  SyncCheckpoint,
  SyncCommit,
  SyncPhase,
  SyncSettings,
  SyncStore,
  VerdictPageQuery,
} from '../../src/index.js';

/** Checked at the edge by src/sync/settings.ts (parseSyncSettings); stored as they are. */
export type { SyncSettings } from '../../src/index.js';

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
  /**
   * Listed by `byOrder` (issue 14): [severity, raisedAt, id], see `alarmsPage`. Every alarm has
   * these (raisedAt is `now`, a finite number); one without them would be left out of the index.
   */
  alarms: { key: string; value: SyncAlarm; indexes: { byOrder: [string, number, string] } };
  /** Kept batch diffs (issue 15: rollback and bisect), by sequence number. */
  diffs: { key: string; value: BatchDiff };
  /** Position ids whose leaves the stored tree does not reflect yet (catch-up), by id. */
  dirty: { key: string; value: bigint };
  /** The forward pass's page index: `r:<memoryHash>` registrations, `f:<factHash>` page hashes. */
  pages: { key: string; value: PageIndexRecord; indexes: { byBlock: number } };
  /**
   * The stark-key index of the positions (issue 14), by position id like `positions`: written in
   * the same transaction as each position (put with its key, deleted with it), so a key change or
   * an emptied position leaves the old key's entry with no read of the old record.
   */
  positionKeys: { key: string; value: PositionKeyRecord; indexes: { byStarkKey: string } };
}

/** A position's stark key as an IndexedDB key (bigints are not keys): 64 hex digits. */
type PositionKeyRecord = { starkKey: string };
const starkKeyHex = (k: bigint) => k.toString(16).padStart(64, '0');

/** `block` duplicates the log's block number as an IndexedDB key (bigints are not keys). */
type PageIndexRecord = { block: number; registration?: PageRegistrationLog; pagesHashes?: MemoryPagesHashesLog };

export const SYNC_DB_NAME = 'vigil-sync';
const DATA_STORES = [
  'checkpoint',
  'nodes',
  'positions',
  'verdicts',
  'alarms',
  'diffs',
  'dirty',
  'pages',
  'positionKeys',
] as const;
/** What `SyncCommit.reset` (a snapshot import) drops: all but the verdicts and alarms, the user's history. */
const STATE_STORES = DATA_STORES.filter((s) => s !== 'verdicts' && s !== 'alarms');
/** The key path of the alarms' `byOrder` index: severity is ranked by walking one severity at a time. */
const ALARM_ORDER_KEY_PATH = ['severity', 'raisedAt', 'id'];
const dbPromises = new Map<string, Promise<IDBPDatabase<SyncDB>>>();

/**
 * The verifier's database (`SYNC_DB_NAME`), or another with the same schema: a streamed snapshot
 * is imported into one of its own (`SNAPSHOT_DB_NAMES`), never into the sync's.
 */
export function syncDb(name = SYNC_DB_NAME): Promise<IDBPDatabase<SyncDB>> {
  const open = dbPromises.get(name);
  if (open) return open;
  // Version 2 adds the diffs and dirty stores, 3 the page index (issue 15), 4 the stark-key index
  // of the positions and the alarms' listing index (issue 14); older stores are kept.
  const dbPromise = openDB<SyncDB>(name, 4, {
    upgrade(db, _oldVersion, _newVersion, tx) {
      for (const s of ['settings', 'status', ...DATA_STORES] as const) {
        if (s === 'pages' || s === 'positionKeys' || db.objectStoreNames.contains(s)) continue;
        db.createObjectStore(s);
      }
      if (!db.objectStoreNames.contains('pages')) db.createObjectStore('pages').createIndex('byBlock', 'block');
      const alarms = tx.objectStore('alarms');
      // An index on a store that has data is built from that data by IndexedDB itself.
      if (!alarms.indexNames.contains('byOrder')) alarms.createIndex('byOrder', ALARM_ORDER_KEY_PATH);
      if (!db.objectStoreNames.contains('positionKeys')) {
        db.createObjectStore('positionKeys').createIndex('byStarkKey', 'starkKey');
        // Positions stored before version 4 get their entries here, in the upgrade transaction.
        void indexStoredPositions(tx.objectStore('positions'), tx.objectStore('positionKeys'));
      }
    },
  });
  dbPromises.set(name, dbPromise);
  return dbPromise;
}

/**
 * The two databases a streamed snapshot alternates between (issue 16): an import writes into the
 * one not in use, and only a verified import becomes the one in use, so a failed or interrupted
 * import never costs the snapshot already verified.
 */
export const SNAPSHOT_DB_NAMES = ['vigil-snapshot-a', 'vigil-snapshot-b'] as const;
export type SnapshotDbName = (typeof SNAPSHOT_DB_NAMES)[number];

/** Closes and deletes a database (a snapshot import starts from an empty one). */
export async function deleteSyncDb(name: SnapshotDbName): Promise<void> {
  const open = dbPromises.get(name);
  dbPromises.delete(name);
  if (open) (await open).close();
  await deleteDB(name);
}

/** Writes the stark-key entry of every stored position (the version 4 upgrade). */
async function indexStoredPositions(
  positions: { openCursor(): Promise<{ key: string; value: Position; continue(): Promise<unknown> } | null> },
  keys: { put(v: PositionKeyRecord, k: string): Promise<unknown> },
): Promise<void> {
  let cursor = await positions.openCursor();
  while (cursor) {
    await keys.put({ starkKey: starkKeyHex(cursor.value.starkKey) }, cursor.key);
    cursor = (await cursor.continue()) as typeof cursor;
  }
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
    await tx
      .objectStore('status')
      .put({ phase: 'idle', firstBlock: settings.deployment.firstBlock, updatedAt: Date.now() }, 'sync');
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
  /** The database: the verifier's by default, a snapshot database for a streamed import. */
  constructor(readonly dbName: string = SYNC_DB_NAME) {}

  async getNodes(keys: readonly NodeKey[]): Promise<Array<bigint | undefined>> {
    const tx = (await syncDb(this.dbName)).transaction('nodes');
    return getMany<bigint>(unwrap(tx.store), keys.map(nodeKey));
  }
  async getPositions(ids: readonly bigint[]): Promise<Array<Position | undefined>> {
    const tx = (await syncDb(this.dbName)).transaction('positions');
    return getMany<Position>(unwrap(tx.store), ids.map(idKey));
  }
  async write(batch: NodeStoreBatch): Promise<void> {
    const tx = (await syncDb(this.dbName)).transaction(['nodes', 'positions', 'positionKeys'], 'readwrite');
    try {
      writeBatch(tx.objectStore('nodes'), tx.objectStore('positions'), tx.objectStore('positionKeys'), batch);
    } catch (err) {
      // A value that cannot be cloned throws as its request is made: abort, so nothing lands.
      tx.abort();
      tx.done.catch(() => undefined);
      throw err;
    }
    await tx.done;
  }
  async checkpoint(): Promise<SyncCheckpoint | undefined> {
    return (await syncDb(this.dbName)).get('checkpoint', 'cp');
  }
  async commit(c: SyncCommit): Promise<void> {
    const tx = (await syncDb(this.dbName)).transaction([...DATA_STORES], 'readwrite');
    const ops: Promise<unknown>[] = [];
    try {
      // Requests in one transaction run in the order they are made: drops and clears come first.
      if (c.reset) for (const s of STATE_STORES) ops.push(tx.objectStore(s).clear());
      if (c.dropFrom !== undefined) {
        const range = IDBKeyRange.lowerBound(idKey(c.dropFrom));
        ops.push(tx.objectStore('verdicts').delete(range), tx.objectStore('diffs').delete(range));
      }
      if (c.dirty?.clear) ops.push(tx.objectStore('dirty').clear());
      if (c.nodes)
        writeBatch(tx.objectStore('nodes'), tx.objectStore('positions'), tx.objectStore('positionKeys'), c.nodes);
      ops.push(tx.objectStore('checkpoint').put(c.checkpoint, 'cp'));
      for (const v of [...(c.verdicts ?? []), ...(c.verdict ? [c.verdict] : [])])
        ops.push(tx.objectStore('verdicts').put(v, idKey(v.sequenceNumber)));
      const alarms = tx.objectStore('alarms');
      for (const a of c.alarms ?? []) ops.push(alarms.get(a.id).then((old) => (old ? undefined : alarms.put(a, a.id))));
      if (c.diff) ops.push(tx.objectStore('diffs').put(c.diff, idKey(c.diff.sequenceNumber)));
      const dirty = unwrap(tx.objectStore('dirty'));
      for (const id of c.dirty?.add ?? []) dirty.put(id, idKey(id)); // raw: see writeBatch
      if (c.pruneDiffs) ops.push(pruneDiffs(tx.objectStore('diffs'), c.pruneDiffs));
      const pages = tx.objectStore('pages');
      for (const r of c.pageIndex?.registrations ?? [])
        ops.push(pages.put({ block: Number(r.blockNumber), registration: r }, `r:${r.memoryHash.toLowerCase()}`));
      for (const h of c.pageIndex?.pagesHashes ?? [])
        ops.push(pages.put({ block: Number(h.blockNumber), pagesHashes: h }, `f:${h.factHash.toLowerCase()}`));
      if (c.prunePageIndexBelow !== undefined)
        ops.push(deleteByBlock(pages.index('byBlock'), IDBKeyRange.upperBound(Number(c.prunePageIndexBelow), true)));
      if (c.dropPageIndexAbove !== undefined)
        ops.push(deleteByBlock(pages.index('byBlock'), IDBKeyRange.lowerBound(Number(c.dropPageIndexAbove), true)));
    } catch (err) {
      // A value that cannot be cloned throws as its request is made: abort, so nothing of the
      // commit lands, and leave no rejected request unheard.
      tx.abort();
      for (const p of [...ops, tx.done]) p.catch(() => undefined);
      throw err;
    }
    await Promise.all([...ops, tx.done]);
  }
  async pageRegistration(memoryHash: string): Promise<PageRegistrationLog | undefined> {
    return (await (await syncDb(this.dbName)).get('pages', `r:${memoryHash.toLowerCase()}`))?.registration;
  }
  async pagesHashesOf(factHash: string): Promise<MemoryPagesHashesLog | undefined> {
    return (await (await syncDb(this.dbName)).get('pages', `f:${factHash.toLowerCase()}`))?.pagesHashes;
  }
  async diffs(): Promise<BatchDiff[]> {
    return (await syncDb(this.dbName)).getAll('diffs');
  }
  async dirtyPositionIds(page?: DirtyPage): Promise<bigint[]> {
    // Keys are idKey's fixed-width hex, so key order is id order.
    const range = page?.after === undefined ? undefined : IDBKeyRange.lowerBound(idKey(page.after), true);
    return (await syncDb(this.dbName)).getAll('dirty', range, page?.limit);
  }
  async verdictsFrom(from: bigint): Promise<BatchVerdict[]> {
    return (await syncDb(this.dbName)).getAll('verdicts', IDBKeyRange.lowerBound(idKey(from)));
  }
  async verdicts(): Promise<BatchVerdict[]> {
    return (await syncDb(this.dbName)).getAll('verdicts');
  }
  async alarms(): Promise<SyncAlarm[]> {
    return (await syncDb(this.dbName)).getAll('alarms');
  }
  async allPositions(): Promise<Array<[bigint, Position]>> {
    const tx = (await syncDb(this.dbName)).transaction('positions');
    const [keys, values] = await Promise.all([tx.store.getAllKeys(), tx.store.getAll()]);
    return keys.map((k, i) => [BigInt(`0x${k}`), values[i]!]);
  }
  async positionIdsOfStarkKey(starkKey: bigint): Promise<bigint[]> {
    const keys = await (await syncDb(this.dbName)).getAllKeysFromIndex(
      'positionKeys',
      'byStarkKey',
      starkKeyHex(starkKey),
    );
    // Primary keys within one index key come in key order: fixed-width hex, i.e. ascending id.
    return keys.map((k) => BigInt(`0x${k}`));
  }
  async verdictsPage(q: VerdictPageQuery): Promise<Page<BatchVerdict, bigint>> {
    const tx = (await syncDb(this.dbName)).transaction('verdicts');
    const range = q.before === undefined ? null : IDBKeyRange.upperBound(idKey(q.before), true);
    const [total, { items, more }] = await Promise.all([
      tx.store.count(),
      take(await tx.store.openCursor(range, 'prev'), q.limit),
    ]);
    return { items, total, ...(more ? { next: items.at(-1)!.sequenceNumber } : {}) };
  }
  async alarmsPage(q: AlarmPageQuery): Promise<Page<SyncAlarm, AlarmCursor>> {
    const index = (await syncDb(this.dbName)).transaction('alarms').store.index('byOrder');
    const severities = ALARM_SEVERITY_ORDER.filter((s) => !q.severities || q.severities.includes(s));
    const all = (s: string) => IDBKeyRange.bound([s], [s, []]); // [s] < [s, raisedAt, id] < [s, []]: numbers and strings sort before arrays
    const counts = Promise.all(severities.map((s) => index.count(all(s))));
    const items: SyncAlarm[] = [];
    let more = false;
    const afterRank = q.after ? ALARM_SEVERITY_ORDER.indexOf(q.after.severity) : -1;
    for (const s of severities) {
      const rank = ALARM_SEVERITY_ORDER.indexOf(s);
      if (rank < afterRank) continue;
      // Within a severity the index runs oldest first: walk it backwards, from below the cursor.
      const range =
        rank === afterRank ? IDBKeyRange.bound([s], [s, q.after!.raisedAt, q.after!.id], false, true) : all(s);
      const got = await take(await index.openCursor(range, 'prev'), q.limit - items.length);
      items.push(...got.items);
      if (got.more) {
        more = true;
        break;
      }
    }
    const total = (await counts).reduce((a, b) => a + b, 0);
    const last = items.at(-1);
    return {
      items,
      total,
      ...(more && last ? { next: { severity: last.severity, raisedAt: last.raisedAt, id: last.id } } : {}),
    };
  }
  /**
   * Marks alarm `id` acknowledged (kept listed; off the badge's count). Re-raising the same cause
   * later finds it stored and leaves it as it is (commit), acknowledgement included.
   */
  async acknowledgeAlarm(id: string, at: number): Promise<SyncAlarm> {
    const tx = (await syncDb(this.dbName)).transaction('alarms', 'readwrite');
    const stored = await tx.store.get(id);
    if (!stored) {
      tx.abort();
      tx.done.catch(() => undefined);
      throw new RangeError(`id: ${JSON.stringify(id)} is not a stored alarm of the followed deployment`);
    }
    const acknowledged = acknowledgeAlarm(stored, at);
    await Promise.all([tx.store.put(acknowledged, id), tx.done]);
    return acknowledged;
  }
  /** Critical alarms not acknowledged (the toolbar badge): a walk over the critical ones only. */
  async unacknowledgedCritical(): Promise<number> {
    const index = (await syncDb(this.dbName)).transaction('alarms').store.index('byOrder');
    let n = 0;
    let cursor = await index.openCursor(IDBKeyRange.bound(['critical'], ['critical', []]));
    while (cursor) {
      if (countsOnBadge(cursor.value)) n++;
      cursor = await cursor.continue();
    }
    return n;
  }
  async clear(): Promise<void> {
    const tx = (await syncDb(this.dbName)).transaction([...DATA_STORES], 'readwrite');
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

/**
 * Up to `limit` values from `cursor` on, and whether one more follows (then there is a next page).
 * Stops without reading further: a page costs `limit` + 1 steps, whatever the store holds.
 */
async function take<T>(
  cursor: { value: T; continue(): Promise<unknown> } | null,
  limit: number,
): Promise<{ items: T[]; more: boolean }> {
  const items: T[] = [];
  while (cursor) {
    if (items.length >= limit) return { items, more: true };
    items.push(cursor.value);
    cursor = (await cursor.continue()) as typeof cursor;
  }
  return { items, more: false };
}

type Writable<N extends 'nodes' | 'positions' | 'positionKeys'> = IDBPObjectStore<
  SyncDB,
  ArrayLike<StoreNames<SyncDB>>,
  N,
  'readwrite'
>;
/**
 * Issues the batch's writes on the raw stores, with no promise or listener per request: a failed
 * request aborts the transaction, which its `done` reports. A checkpoint writes hundreds of
 * thousands of nodes; idb's promise, listeners and WeakMap entry per request were garbage the
 * sync worker's heaps (V8 and Blink's) grew by in proportion to the positions (issue 15 memory).
 */
function writeBatch(
  nodesStore: Writable<'nodes'>,
  positionsStore: Writable<'positions'>,
  positionKeysStore: Writable<'positionKeys'>,
  batch: NodeStoreBatch,
): void {
  const nodes = unwrap(nodesStore);
  const positions = unwrap(positionsStore);
  const positionKeys = unwrap(positionKeysStore);
  for (const [k, v] of batch.nodes) v === undefined ? nodes.delete(nodeKey(k)) : nodes.put(v, nodeKey(k));
  for (const [id, p] of batch.positions) {
    const key = idKey(id);
    p === undefined ? positions.delete(key) : positions.put(p, key);
    // The stark-key index entry follows the position: overwritten on a key change, deleted when empty.
    p === undefined ? positionKeys.delete(key) : positionKeys.put({ starkKey: starkKeyHex(p.starkKey) }, key);
  }
}

/**
 * The values of `keys` in one read transaction's store, in order (undefined when absent). Keys
 * that ascend densely (a checkpoint chunk's position ids) are read as one key range, two
 * requests instead of one per key; otherwise one raw request each (see writeBatch).
 */
function getMany<T>(store: IDBObjectStore, keys: readonly string[]): Promise<Array<T | undefined>> {
  const out = new Array<T | undefined>(keys.length);
  if (keys.length === 0) return Promise.resolve(out);
  return new Promise((resolve, reject) => {
    const dense = keys.length >= 64 && ascendsWithin(keys, 2);
    if (dense) {
      const range = IDBKeyRange.bound(keys[0], keys.at(-1));
      const rk = store.getAllKeys(range);
      const rv = store.getAll(range);
      rv.onsuccess = () => {
        const at = new Map<IDBValidKey, number>();
        (rk.result as IDBValidKey[]).forEach((k, i) => at.set(k, i));
        const values = rv.result as T[];
        for (let i = 0; i < keys.length; i++) {
          const j = at.get(keys[i]!);
          out[i] = j === undefined ? undefined : values[j];
        }
        resolve(out);
      };
      rk.onerror = rv.onerror = () => reject(rk.error ?? rv.error);
      return;
    }
    let left = keys.length;
    const onError = (e: Event) => reject((e.target as IDBRequest).error);
    for (let i = 0; i < keys.length; i++) {
      const r = store.get(keys[i]!);
      r.onsuccess = () => {
        out[i] = r.result as T | undefined;
        if (--left === 0) resolve(out);
      };
      r.onerror = onError;
    }
  });
}

/** Strictly ascending fixed-width hex keys whose span holds at most `factor` × as many ids. */
function ascendsWithin(keys: readonly string[], factor: number): boolean {
  for (let i = 1; i < keys.length; i++) if (keys[i]! <= keys[i - 1]!) return false;
  const first = keys[0]!;
  const last = keys.at(-1)!;
  if (first.length !== last.length || !/^[0-9a-f]+$/.test(first) || !/^[0-9a-f]+$/.test(last)) return false;
  return BigInt(`0x${last}`) - BigInt(`0x${first}`) < BigInt(keys.length * factor);
}
