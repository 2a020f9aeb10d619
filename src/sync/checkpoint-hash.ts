import { EMPTY_POSITION, type Position } from '../state/position.js';
import type { NodeStore } from '../tree/node-store.js';
import type { BatchHasher } from '../tree/position-leaf.js';
import { PositionTree } from '../tree/position-tree.js';
import { OverlayNodeStore, type SyncStore } from './sync-store.js';
import { RangeCheckError } from '../errors.js';
import type { BatchDiff } from './types.js';

/**
 * Catch-up hashing (issue 15): the stored tree lags the stored positions by the dirty set; one
 * tree update over those leaves brings it level with them, hashing each touched node once for
 * however many batches changed it. Bisect and rollback work from the kept diffs.
 */
export type TreeOptions = {
  hashMany?: BatchHasher;
  treeHeight?: number;
  /** Leaves hashed and written per store write at a checkpoint (`CHECKPOINT_CHUNK` by default). */
  checkpointChunk?: number;
};

/**
 * Leaves per chunk of a checkpoint: what one chunk holds in memory (positions, the overlay of its
 * nodes) and writes in one store transaction. A dYdX-size first checkpoint (500 k positions) is
 * then ~123 chunks instead of one update holding every position and node at once (issue 15:
 * bounded memory and transactions). Each chunk re-hashes the ≤ 64 ancestors it shares with the
 * next, a few hundred hashes per 4 k leaves (< 0.5% more). Measured in Chromium (bench/README.md,
 * sync): 60,000 positions peaked at 415 MiB with chunks of 16,384 and at 356 MiB with 4,096.
 */
export const CHECKPOINT_CHUNK = 4_096;

async function treeOver(store: NodeStore, opts: TreeOptions): Promise<PositionTree> {
  return PositionTree.create(store, {
    height: opts.treeHeight ?? 64,
    ...(opts.hashMany ? { hashMany: opts.hashMany } : {}),
  });
}

const ascending = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Puts `ids` in the dirty set (a commit of its own) and returns the whole set, ascending, with them:
 * from then on the stored tree is no longer promised on their paths (rollback.ts invariant).
 */
export async function markDirty(store: SyncStore, ids: Iterable<bigint>): Promise<bigint[]> {
  const dirty = new Set(await store.dirtyPositionIds());
  const add = [...new Set(ids)].filter((id) => !dirty.has(id));
  if (add.length) {
    const cp = await store.checkpoint();
    if (!cp) throw new Error('markDirty: no checkpoint is stored to commit the dirty positions with');
    await store.commit({ checkpoint: cp, dirty: { add } });
  }
  for (const id of add) dirty.add(id);
  return [...dirty].sort(ascending);
}

/**
 * Sets the leaves of `ids` (all dirty: see `markDirty`) on the stored tree chunk by chunk,
 * ascending: the leaf of an id is `overrides.get(id)` when `overrides` has it, else its stored
 * position. Each chunk's nodes are written in their own store write; positions are not written
 * (the caller's commit writes any). Returns the root.
 *
 * Safe to stop between any two chunks because every id is dirty: the stored tree is only promised
 * off the paths of dirty positions (rollback.ts invariant), and the next checkpoint re-hashes every
 * dirty id from the stored positions.
 */
export async function hashLeavesInChunks(
  store: SyncStore,
  ids: readonly bigint[],
  overrides: ReadonlyMap<bigint, Position | undefined>,
  opts: TreeOptions = {},
): Promise<bigint> {
  const sorted = [...new Set(ids)].sort(ascending);
  const size = chunkSize(opts);
  for (let i = 0; i < sorted.length; i += size) await hashChunk(store, sorted.slice(i, i + size), overrides, opts);
  return (await treeOver(store, opts)).root();
}

/**
 * `hashLeavesInChunks` over the whole dirty set, each leaf its stored position, reading the set a
 * chunk at a time in id order: a dYdX-size first checkpoint (500 k dirty ids) never holds every
 * id at once. The ids, their copies and a Set of them were the sync worker's largest live objects
 * during a checkpoint, and V8 sizes a worker's heap in proportion to what is live (bench/README.md,
 * sync: memory).
 */
export async function hashDirtyInChunks(store: SyncStore, opts: TreeOptions = {}): Promise<bigint> {
  const size = chunkSize(opts);
  for (let after: bigint | undefined; ; ) {
    const chunk = await store.dirtyPositionIds(after === undefined ? { limit: size } : { after, limit: size });
    if (chunk.length === 0) break;
    await hashChunk(store, chunk, new Map(), opts);
    after = chunk.at(-1);
  }
  return (await treeOver(store, opts)).root();
}

function chunkSize(opts: TreeOptions): number {
  const size = opts.checkpointChunk ?? CHECKPOINT_CHUNK;
  if (!Number.isInteger(size) || size < 1) throw new RangeCheckError('checkpointChunk', size, 'an integer >= 1');
  return size;
}

/** Sets the leaves of `chunk` (ascending) on the stored tree in one store write. */
async function hashChunk(
  store: SyncStore,
  chunk: readonly bigint[],
  overrides: ReadonlyMap<bigint, Position | undefined>,
  opts: TreeOptions,
): Promise<void> {
  const unset = chunk.filter((id) => !overrides.has(id));
  const stored = unset.length ? await store.getPositions(unset) : [];
  const fromStore = new Map(unset.map((id, k) => [id, stored[k]]));
  const overlay = new OverlayNodeStore(store);
  await (await treeOver(overlay, opts)).update(
    chunk.map((id) => [id, (overrides.has(id) ? overrides.get(id) : fromStore.get(id)) ?? EMPTY_POSITION] as const),
  );
  await store.write({ nodes: overlay.pending().nodes, positions: [] });
}

/** The leaves after `diffs` (ascending), applied in order: the last write of each id wins. */
export function leavesAfter(diffs: readonly BatchDiff[]): Map<bigint, Position | undefined> {
  const out = new Map<bigint, Position | undefined>();
  for (const d of diffs) for (const [id, , after] of d.changes) out.set(id, after);
  return out;
}

/** The leaves before `diffs` (ascending) were applied: the first `before` of each id wins. */
export function leavesBefore(diffs: readonly BatchDiff[]): Map<bigint, Position | undefined> {
  const out = new Map<bigint, Position | undefined>();
  for (const d of [...diffs].reverse()) for (const [id, before] of d.changes) out.set(id, before);
  return out;
}

/**
 * The first batch among `diffs` (those applied since the tree was last hashed, ascending) whose
 * committed root our tree does not reproduce, by bisection: each probe sets every dirty leaf, those
 * a batch 1..m changed to their value after it and the rest to their value before the diffs (or
 * their stored position), and hashes them into the stored tree in chunks. The tree at dirty ids is
 * left as the last probe set it; they stay dirty until a checkpoint or a restore commits. Returns
 * undefined when every batch reproduces its root. Assumes what a correct history gives: once a
 * state is wrong, later roots do not match either.
 */
export async function firstBadBatch(
  store: SyncStore,
  diffs: readonly BatchDiff[],
  opts: TreeOptions = {},
): Promise<{ index: number; computedRoot: bigint } | undefined> {
  const before = leavesBefore(diffs);
  const ids = await markDirty(store, before.keys());
  const probe = async (m: number) => {
    const leaves = new Map(before);
    for (const [id, p] of leavesAfter(diffs.slice(0, m + 1))) leaves.set(id, p);
    return hashLeavesInChunks(store, ids, leaves, opts);
  };
  const lastRoot = diffs.length ? await probe(diffs.length - 1) : undefined;
  if (lastRoot === undefined || lastRoot === diffs.at(-1)!.committedRoot) return undefined;
  let lo = 0;
  let hi = diffs.length - 1; // known bad
  let badRoot = lastRoot;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const r = await probe(mid);
    if (r === diffs[mid]!.committedRoot) lo = mid + 1;
    else {
      hi = mid;
      badRoot = r;
    }
  }
  return { index: hi, computedRoot: hi === diffs.length - 1 ? lastRoot : badRoot };
}
