import { EMPTY_POSITION, type Position } from '../state/position.js';
import type { NodeStore, NodeStoreBatch } from '../tree/node-store.js';
import type { BatchHasher } from '../tree/position-leaf.js';
import { PositionTree } from '../tree/position-tree.js';
import { OverlayNodeStore } from './sync-store.js';
import type { BatchDiff } from './types.js';

/**
 * Catch-up hashing (issue 15): the stored tree lags the stored positions by the dirty set; one
 * tree update over those leaves brings it level with them, hashing each touched node once for
 * however many batches changed it. Bisect and rollback work from the kept diffs.
 */
export type TreeOptions = { hashMany?: BatchHasher; treeHeight?: number };

async function treeOver(store: NodeStore, opts: TreeOptions): Promise<PositionTree> {
  return PositionTree.create(store, {
    height: opts.treeHeight ?? 64,
    ...(opts.hashMany ? { hashMany: opts.hashMany } : {}),
  });
}

/**
 * The root after setting `leaves` on the stored tree, and the writes that make it so (not yet
 * committed). `leaves` are the positions as they should be (undefined: empty).
 */
export async function rootWith(
  store: NodeStore,
  leaves: ReadonlyMap<bigint, Position | undefined>,
  opts: TreeOptions = {},
): Promise<{ root: bigint; nodes: NodeStoreBatch }> {
  const overlay = new OverlayNodeStore(store);
  const tree = await treeOver(overlay, opts);
  await tree.update([...leaves].map(([id, p]) => [id, p ?? EMPTY_POSITION] as const));
  return { root: await tree.root(), nodes: overlay.pending() };
}

/** The stored positions of the dirty ids: hashing them brings the tree level with the positions. */
export async function dirtyLeaves(
  store: NodeStore,
  ids: readonly bigint[],
): Promise<Map<bigint, Position | undefined>> {
  const got = await store.getPositions(ids);
  return new Map(ids.map((id, i) => [id, got[i]]));
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
 * committed root our tree does not reproduce, by bisection: each probe hashes the leaves after
 * batches 1..m on the stored tree. Returns undefined when every batch reproduces its root. Assumes
 * what a correct history gives: once a state is wrong, later roots do not match either.
 */
export async function firstBadBatch(
  store: NodeStore,
  diffs: readonly BatchDiff[],
  opts: TreeOptions = {},
): Promise<{ index: number; computedRoot: bigint } | undefined> {
  const probe = async (m: number) => (await rootWith(store, leavesAfter(diffs.slice(0, m + 1)), opts)).root;
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
