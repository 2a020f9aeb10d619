import {
  freezePosition,
  MemoryNodeStore,
  type NodeKey,
  type NodeStore,
  type NodeStoreBatch,
} from '../tree/node-store.js';
import type { Position } from '../state/position.js';
import type { MemoryPagesHashesLog, PageRegistrationLog } from '../l1/starkex-reader.js';
import type { BatchDiff, BatchVerdict, SyncAlarm, SyncCheckpoint } from './types.js';

/** Page registrations and page-hash events read in the forward pass (issue 15), by hash. */
export type PageIndexEntries = {
  registrations: readonly PageRegistrationLog[];
  pagesHashes: readonly MemoryPagesHashesLog[];
};

/** One page of a newest-first listing (issue 14): `next` is the cursor of the following page, absent on the last. */
export type Page<T, C> = { items: T[]; next?: C; total: number };

/** Verdicts with sequence number < `before` (all when absent), newest first; `limit` ≥ 1. */
export type VerdictPageQuery = { before?: bigint; limit: number };

export type AlarmSeverity = SyncAlarm['severity'];
/** Severity rank of the alarm listing: what needs the user first comes first. */
export const ALARM_SEVERITY_ORDER: readonly AlarmSeverity[] = ['critical', 'warning', 'info'];
/** Where an alarm page ended: the last alarm it returned, as its sort key. */
export type AlarmCursor = { severity: AlarmSeverity; raisedAt: number; id: string };
/**
 * Alarms after `after` (from the start when absent) in the listing order: severity (critical,
 * warning, info), then newest `raisedAt` first, then `id` descending (a fixed order for equal
 * times). `severities` keeps only those (all when absent); `total` counts them. `limit` ≥ 1.
 */
export type AlarmPageQuery = { after?: AlarmCursor; limit: number; severities?: readonly AlarmSeverity[] };

/** The listing order of `AlarmPageQuery`: negative when `a` comes first. */
export function compareAlarms(a: AlarmCursor, b: AlarmCursor): number {
  const rank = ALARM_SEVERITY_ORDER.indexOf(a.severity) - ALARM_SEVERITY_ORDER.indexOf(b.severity);
  if (rank !== 0) return rank;
  if (a.raisedAt !== b.raisedAt) return b.raisedAt - a.raisedAt;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** Everything one batch changes, written in one transaction (issue 9: never a half-applied batch). */
export type SyncCommit = {
  /** Tree nodes and positions; in catch-up mode positions only (`nodes: []`). */
  nodes?: NodeStoreBatch;
  checkpoint: SyncCheckpoint;
  verdict?: BatchVerdict;
  /** Further verdicts rewritten (a checkpoint's root covering pending batches). */
  verdicts?: BatchVerdict[];
  alarms?: SyncAlarm[];
  /**
   * Drop the verified state first, in the same transaction (snapshot import): tree, positions,
   * checkpoint, diffs, dirty set and page index. The verdicts and alarms stay: they are the
   * history the user reads, and adopting a snapshot does not make it untrue (issue 17 defect 6).
   */
  reset?: boolean;
  /** The applied batch's diff, kept for rollback and bisect until it is final and hashed. */
  diff?: BatchDiff;
  /** Positions whose leaves the stored tree no longer reflects: `add` them, or `clear` after hashing. */
  dirty?: { add?: readonly bigint[]; clear?: boolean };
  /**
   * Forget diffs that can never be rolled back or bisected again: sequence number ≤ `upToSequence`
   * (hashed) and block ≤ `upToBlock` (final).
   */
  pruneDiffs?: { upToSequence: bigint; upToBlock: bigint };
  /** Delete verdicts and diffs with sequence number ≥ this (rolled back by a reorg or bisect). */
  dropFrom?: bigint;
  /** Index these (the latest log of a hash wins). */
  pageIndex?: PageIndexEntries;
  /** Forget index entries from blocks below this (older than any batch can still use). */
  prunePageIndexBelow?: bigint;
  /** Forget index entries from blocks above this (a rollback rescans them). */
  dropPageIndexAbove?: bigint;
};

/**
 * Where a deployment's verified state lives: the positions tree (a `NodeStore`), the checkpoint,
 * the verdicts and the alarms. `commit` is atomic; an IndexedDB implementation lives outside src/
 * (it needs DOM types), `MemorySyncStore` below serves tests and Node.
 */
export interface SyncStore extends NodeStore {
  checkpoint(): Promise<SyncCheckpoint | undefined>;
  commit(c: SyncCommit): Promise<void>;
  verdicts(): Promise<BatchVerdict[]>;
  alarms(): Promise<SyncAlarm[]>;
  /** Every stored position, ascending id (snapshot export; not for lookups: see `positionIdsOfStarkKey`). */
  allPositions(): Promise<Array<[bigint, Position]>>;
  /**
   * Ids of the stored positions whose stark key is `starkKey`, ascending (issue 14). An index kept
   * by every write of positions, not a scan: a position whose key changes or that becomes empty
   * leaves its old key's entry in the same write.
   */
  positionIdsOfStarkKey(starkKey: bigint): Promise<bigint[]>;
  /** One page of verdicts, newest first (issue 14: a screen never loads every verdict). */
  verdictsPage(q: VerdictPageQuery): Promise<Page<BatchVerdict, bigint>>;
  /** One page of alarms in the order `AlarmPageQuery` documents. */
  alarmsPage(q: AlarmPageQuery): Promise<Page<SyncAlarm, AlarmCursor>>;
  /** The kept diffs, ascending sequence number. */
  diffs(): Promise<BatchDiff[]>;
  /**
   * Positions changed since the tree was last hashed (ascending id); with `page`, only ids above
   * `page.after` and at most `page.limit` of them, so that a checkpoint over a dYdX-size dirty set
   * never holds every id at once (issue 15: bounded memory).
   */
  dirtyPositionIds(page?: DirtyPage): Promise<bigint[]>;
  /** Verdicts with sequence number ≥ `from`, ascending. */
  verdictsFrom(from: bigint): Promise<BatchVerdict[]>;
  /** The indexed registration of a data page (by its memory hash, 0x + 64 hex). */
  pageRegistration(memoryHash: string): Promise<PageRegistrationLog | undefined>;
  /** The indexed `LogMemoryPagesHashes` of a fact (0x + 64 hex). */
  pagesHashesOf(factHash: string): Promise<MemoryPagesHashesLog | undefined>;
  /** Drops the whole state (a rejected or reset sync starts over). */
  clear(): Promise<void>;
}

// Every runtime we target has structuredClone; src/ is compiled without DOM/Node types.
const clone = <T>(v: T): T => (globalThis as unknown as { structuredClone<U>(x: U): U }).structuredClone(v);

const ascending = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
const byId = <T extends { sequenceNumber: bigint }>(a: T, b: T) =>
  a.sequenceNumber < b.sequenceNumber ? -1 : a.sequenceNumber > b.sequenceNumber ? 1 : 0;

/** In-memory `SyncStore`. `failNextCommit` simulates a crash between two batches (tests). */
/** A page of the dirty set: the ids above `after` (all when undefined), at most `limit` (all when undefined). */
export type DirtyPage = { after?: bigint; limit?: number };

export class MemorySyncStore implements SyncStore {
  #nodes = new MemoryNodeStore();
  #positions = new Map<bigint, Position>();
  /** Stark key → ids of the stored positions with that key (the index `positionIdsOfStarkKey` reads). */
  #byStarkKey = new Map<bigint, Set<bigint>>();
  #checkpoint: SyncCheckpoint | undefined;
  #verdicts = new Map<bigint, BatchVerdict>();
  #alarms = new Map<string, SyncAlarm>();
  #diffs = new Map<bigint, BatchDiff>();
  #dirty = new Set<bigint>();
  #dirtySorted: bigint[] | null = null;
  #registrations = new Map<string, PageRegistrationLog>();
  #pagesHashes = new Map<string, MemoryPagesHashesLog>();
  /** When set, the next commit throws this before writing anything. */
  failNextCommit: Error | undefined;

  getNodes(keys: readonly NodeKey[]) {
    return this.#nodes.getNodes(keys);
  }
  getPositions(ids: readonly bigint[]) {
    return this.#nodes.getPositions(ids);
  }
  /** Nodes only, checkpoint untouched (the engine itself always goes through `commit`). */
  async write(batch: NodeStoreBatch): Promise<void> {
    await this.#nodes.write(batch);
    for (const [id, p] of batch.positions) {
      const old = this.#positions.get(id);
      if (old) {
        const ids = this.#byStarkKey.get(old.starkKey);
        ids?.delete(id);
        if (ids?.size === 0) this.#byStarkKey.delete(old.starkKey);
      }
      if (p === undefined) this.#positions.delete(id);
      else {
        // A frozen copy: a caller mutating its object later cannot move the position out of its index entry.
        this.#positions.set(id, freezePosition(p));
        const ids = this.#byStarkKey.get(p.starkKey) ?? new Set<bigint>();
        this.#byStarkKey.set(p.starkKey, ids.add(id));
      }
    }
  }
  async checkpoint() {
    return this.#checkpoint && clone(this.#checkpoint);
  }
  async commit(c: SyncCommit): Promise<void> {
    if (this.failNextCommit) {
      const err = this.failNextCommit;
      this.failNextCommit = undefined;
      throw err;
    }
    if (c.reset) this.#clearState();
    if (c.dropFrom !== undefined) {
      for (const k of [...this.#verdicts.keys()]) if (k >= c.dropFrom) this.#verdicts.delete(k);
      for (const k of [...this.#diffs.keys()]) if (k >= c.dropFrom) this.#diffs.delete(k);
    }
    if (c.nodes) await this.write(c.nodes);
    this.#checkpoint = clone(c.checkpoint);
    for (const v of [...(c.verdicts ?? []), ...(c.verdict ? [c.verdict] : [])])
      this.#verdicts.set(v.sequenceNumber, clone(v));
    for (const a of c.alarms ?? []) if (!this.#alarms.has(a.id)) this.#alarms.set(a.id, clone(a));
    if (c.diff) this.#diffs.set(c.diff.sequenceNumber, clone(c.diff));
    if (c.pruneDiffs) {
      for (const [k, d] of [...this.#diffs])
        if (k <= c.pruneDiffs.upToSequence && d.blockNumber <= c.pruneDiffs.upToBlock) this.#diffs.delete(k);
    }
    if (c.dirty?.clear) this.#dirty.clear();
    for (const id of c.dirty?.add ?? []) this.#dirty.add(id);
    if (c.dirty) this.#dirtySorted = null;
    for (const r of c.pageIndex?.registrations ?? []) this.#registrations.set(r.memoryHash.toLowerCase(), clone(r));
    for (const h of c.pageIndex?.pagesHashes ?? []) this.#pagesHashes.set(h.factHash.toLowerCase(), clone(h));
    for (const m of [this.#registrations, this.#pagesHashes] as Array<Map<string, { blockNumber: bigint }>>) {
      for (const [k, v] of [...m]) {
        if (
          (c.prunePageIndexBelow !== undefined && v.blockNumber < c.prunePageIndexBelow) ||
          (c.dropPageIndexAbove !== undefined && v.blockNumber > c.dropPageIndexAbove)
        )
          m.delete(k);
      }
    }
  }
  async pageRegistration(memoryHash: string) {
    const r = this.#registrations.get(memoryHash.toLowerCase());
    return r && clone(r);
  }
  async pagesHashesOf(factHash: string) {
    const h = this.#pagesHashes.get(factHash.toLowerCase());
    return h && clone(h);
  }
  async diffs() {
    return [...this.#diffs.values()].sort(byId).map((d) => clone(d));
  }
  async dirtyPositionIds(page?: DirtyPage) {
    // Sorted once per change of the set, not once per page: a checkpoint reads it page by page.
    this.#dirtySorted ??= [...this.#dirty].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const ids = this.#dirtySorted;
    const after = page?.after;
    let from = 0;
    if (after !== undefined) {
      let hi = ids.length; // first index whose id is above `after`
      while (from < hi) {
        const mid = (from + hi) >> 1;
        if (ids[mid]! > after) hi = mid;
        else from = mid + 1;
      }
    }
    return ids.slice(from, page?.limit === undefined ? ids.length : from + page.limit);
  }
  async verdictsFrom(from: bigint) {
    return (await this.verdicts()).filter((v) => v.sequenceNumber >= from);
  }
  async verdicts() {
    return [...this.#verdicts.values()].sort(byId).map((v) => clone(v));
  }
  async alarms() {
    return [...this.#alarms.values()].map((a) => clone(a));
  }
  async allPositions(): Promise<Array<[bigint, Position]>> {
    return [...this.#positions].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
  async positionIdsOfStarkKey(starkKey: bigint): Promise<bigint[]> {
    return [...(this.#byStarkKey.get(starkKey) ?? [])].sort(ascending);
  }
  async verdictsPage(q: VerdictPageQuery): Promise<Page<BatchVerdict, bigint>> {
    const newestFirst = [...this.#verdicts.values()].sort((a, b) => byId(b, a));
    const from = q.before === undefined ? newestFirst : newestFirst.filter((v) => v.sequenceNumber < q.before!);
    const items = from.slice(0, q.limit).map((v) => clone(v));
    return {
      items,
      total: this.#verdicts.size,
      ...(from.length > q.limit ? { next: items.at(-1)!.sequenceNumber } : {}),
    };
  }
  async alarmsPage(q: AlarmPageQuery): Promise<Page<SyncAlarm, AlarmCursor>> {
    const kept = [...this.#alarms.values()]
      .filter((a) => !q.severities || q.severities.includes(a.severity))
      .sort(compareAlarms);
    const from = q.after === undefined ? kept : kept.filter((a) => compareAlarms(a, q.after!) > 0);
    const items = from.slice(0, q.limit).map((a) => clone(a));
    const last = items.at(-1);
    return {
      items,
      total: kept.length,
      ...(from.length > q.limit && last
        ? { next: { severity: last.severity, raisedAt: last.raisedAt, id: last.id } }
        : {}),
    };
  }
  async clear() {
    this.#clearState();
    this.#verdicts.clear();
    this.#alarms.clear();
  }
  /** Everything but the verdicts and alarms (`SyncCommit.reset`). */
  #clearState() {
    this.#nodes = new MemoryNodeStore();
    this.#positions.clear();
    this.#byStarkKey.clear();
    this.#checkpoint = undefined;
    this.#diffs.clear();
    this.#dirty.clear();
    this.#dirtySorted = null;
    this.#registrations.clear();
    this.#pagesHashes.clear();
  }
}

const nodeKey = (k: NodeKey) => `${k.height}:${k.index.toString(16)}`;

/**
 * A copy-on-write layer over a store: the tree writes a batch's nodes here, reads see them, the
 * base store does not. If the batch verifies, `pending()` goes into the same commit as the
 * checkpoint; if not, the layer is dropped and the stored tree is untouched.
 */
export class OverlayNodeStore implements NodeStore {
  readonly #base: NodeStore;
  readonly #nodes = new Map<string, readonly [NodeKey, bigint | undefined]>();
  readonly #positions = new Map<bigint, Position | undefined>();

  constructor(base: NodeStore) {
    this.#base = base;
  }

  async getNodes(keys: readonly NodeKey[]): Promise<Array<bigint | undefined>> {
    const missing = keys.filter((k) => !this.#nodes.has(nodeKey(k)));
    const fetched = missing.length ? await this.#base.getNodes(missing) : [];
    const base = new Map(missing.map((k, i) => [nodeKey(k), fetched[i]]));
    return keys.map((k) => {
      const own = this.#nodes.get(nodeKey(k));
      return own ? own[1] : base.get(nodeKey(k));
    });
  }

  async getPositions(ids: readonly bigint[]): Promise<Array<Position | undefined>> {
    const missing = ids.filter((id) => !this.#positions.has(id));
    const fetched = missing.length ? await this.#base.getPositions(missing) : [];
    const base = new Map(missing.map((id, i) => [id, fetched[i]]));
    return ids.map((id) => (this.#positions.has(id) ? this.#positions.get(id) : base.get(id)));
  }

  async write(batch: NodeStoreBatch): Promise<void> {
    for (const [k, v] of batch.nodes) this.#nodes.set(nodeKey(k), [k, v]);
    for (const [id, p] of batch.positions) this.#positions.set(id, p);
  }

  /** Everything written since creation, as one batch for the base store. */
  pending(): NodeStoreBatch {
    return { nodes: [...this.#nodes.values()], positions: [...this.#positions] };
  }
}
