import type { ForcedAction } from '../starkex/forced-actions.js';
import { encodeSharedState, sharedStateHash } from '../starkex/shared-state.js';
import { computePositionChanges } from '../state/apply-update.js';
import { isEmptyPosition, type Position } from '../state/position.js';
import type { NodeStore, NodeStoreBatch } from '../tree/node-store.js';
import type { BatchHasher } from '../tree/position-leaf.js';
import { PositionTree } from '../tree/position-tree.js';
import { OverlayNodeStore } from './sync-store.js';
import type { BatchDiff, BatchVerdict, SyncCheckpoint } from './types.js';
import { checkBatchEvidence, type BatchEvidence } from './verify-batch.js';

export type ApplyOptions = {
  daModeWord?: boolean;
  hashMany?: BatchHasher;
  treeHeight?: number;
  /**
   * Catch-up mode (issue 15): apply the diff to the stored positions without hashing the tree;
   * the root is compared at the next checkpoint (checkpoint-hash.ts). Follow mode hashes every batch.
   */
  deferRoot?: boolean;
};

export type BatchOutcome = {
  verdict: BatchVerdict;
  /** For an applied batch: the tree writes (positions only when the root is deferred) to commit with the checkpoint. */
  nodes?: NodeStoreBatch;
  /** For an applied batch: what it changed, to undo or redo it. */
  diff?: BatchDiff;
  checkpoint: SyncCheckpoint;
  served: ForcedAction[];
};

/** The root of the tree stored in `store` (the empty root when nothing is stored). */
export async function treeRoot(store: NodeStore, opts: ApplyOptions = {}): Promise<bigint> {
  return (
    await PositionTree.create(store, {
      height: opts.treeHeight ?? 64,
      ...(opts.hashMany ? { hashMany: opts.hashMany } : {}),
    })
  ).root();
}

/**
 * One batch: the evidence checks (verify-batch.ts), then the on-chain data applied to the stored
 * positions. In follow mode the tree is updated in a copy-on-write layer and the root compared with
 * the committed one (l1-data-tree.md §2.6 step 9); with `deferRoot` the positions change and the
 * root waits for the next checkpoint. Writes nothing: the caller commits `nodes`, `diff`,
 * `checkpoint` and `verdict` atomically.
 */
export async function applyBatch(
  ev: BatchEvidence,
  cp: SyncCheckpoint,
  store: NodeStore,
  opts: ApplyOptions = {},
): Promise<BatchOutcome> {
  const t = ev.transition;
  // The tip's root is the last applied batch's committed root: in follow mode our tree reproduced
  // it; in catch-up it is checked at the next checkpoint. Before any batch, the stored tree's root.
  const positionsRoot = cp.sharedState ? cp.sharedState[0]! : await treeRoot(store, opts);
  const tip = {
    sequenceNumber: cp.sequenceNumber,
    batchId: cp.batchId,
    positionsRoot,
    ...(cp.sharedStateHash ? { sharedStateHash: cp.sharedStateHash } : {}),
  };
  const result = checkBatchEvidence(ev, tip, { daModeWord: opts.daModeWord ?? false });
  const verdict: BatchVerdict = {
    sequenceNumber: t.sequenceNumber,
    batchId: t.batchId,
    blockNumber: t.blockNumber,
    txHash: t.txHash,
    status: 'failed',
    checks: result.checks,
    positionsChanged: 0,
    ...(t.blockHash ? { blockHash: t.blockHash } : {}),
    ...(result.dataSize ? { dataPages: result.dataSize.pages, dataWords: result.dataSize.words } : {}),
  };
  const decoded = result.decoded;
  if (!decoded) return { verdict: { ...verdict, failure: result.failure! }, checkpoint: cp, served: [] };
  const next = decoded.programOutput.newSharedState;
  verdict.committedRoot = next.positionsRoot;
  verdict.systemTime = next.systemTime;

  const ids = decoded.onChainData.positions.map((p) => p.positionId);
  const previous = await store.getPositions(ids);
  const positions = new Map<bigint, Position>();
  ids.forEach((id, i) => previous[i] && positions.set(id, previous[i]!));
  let changes;
  try {
    changes = computePositionChanges(positions, decoded);
  } catch (err) {
    verdict.checks.push({ check: 'root', ok: false, detail: (err as Error).message.split('\n')[0]! });
    return { verdict: { ...verdict, failure: 'decode-error' }, checkpoint: cp, served: [] };
  }
  verdict.positionsChanged = changes.length;
  const words = encodeSharedState(next);
  const after: SyncCheckpoint = {
    ...cp,
    sequenceNumber: t.sequenceNumber,
    batchId: t.batchId,
    blockNumber: t.blockNumber,
    sharedState: words,
    sharedStateHash: sharedStateHash(words),
  };
  if (t.blockHash) after.blockHash = t.blockHash;
  else delete after.blockHash;
  const diff: BatchDiff = {
    sequenceNumber: t.sequenceNumber,
    blockNumber: t.blockNumber,
    committedRoot: next.positionsRoot,
    before: cp,
    changes: changes.map(([id, p]) => [id, positions.get(id), isEmptyPosition(p) ? undefined : p]),
  };
  if (t.blockHash) diff.blockHash = t.blockHash;

  if (opts.deferRoot) {
    verdict.status = 'pending-root';
    // The tree stays at the last hashed state (a checkpoint without the field is hashed throughout).
    after.hashedSequenceNumber = cp.hashedSequenceNumber ?? cp.sequenceNumber;
    const writes: NodeStoreBatch = { nodes: [], positions: diff.changes.map(([id, , p]) => [id, p] as const) };
    return { verdict, nodes: writes, diff, checkpoint: after, served: decoded.programOutput.forcedActions };
  }

  const overlay = new OverlayNodeStore(store);
  const tree = await PositionTree.create(overlay, {
    height: opts.treeHeight ?? 64,
    ...(opts.hashMany ? { hashMany: opts.hashMany } : {}),
  });
  await tree.update(changes);
  const root = await tree.root();
  verdict.computedRoot = root;
  if (root !== next.positionsRoot) {
    verdict.checks.push({
      check: 'root',
      ok: false,
      detail: `our tree gives root 0x${root.toString(16)}, the batch commits to 0x${next.positionsRoot.toString(16)}`,
    });
    return { verdict: { ...verdict, failure: 'root-mismatch' }, checkpoint: cp, served: [] };
  }
  verdict.checks.push({ check: 'root', ok: true });
  verdict.status = 'verified';
  verdict.rootCheckedAt = t.sequenceNumber;
  after.hashedSequenceNumber = t.sequenceNumber;
  return { verdict, nodes: overlay.pending(), diff, checkpoint: after, served: decoded.programOutput.forcedActions };
}
