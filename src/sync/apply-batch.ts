import type { ForcedAction } from '../starkex/forced-actions.js';
import { encodeSharedState, sharedStateHash } from '../starkex/shared-state.js';
import { computePositionChanges } from '../state/apply-update.js';
import type { Position } from '../state/position.js';
import type { NodeStore, NodeStoreBatch } from '../tree/node-store.js';
import type { BatchHasher } from '../tree/position-leaf.js';
import { PositionTree } from '../tree/position-tree.js';
import { OverlayNodeStore } from './sync-store.js';
import type { BatchVerdict, SyncCheckpoint } from './types.js';
import { checkBatchEvidence, type BatchEvidence } from './verify-batch.js';

export type ApplyOptions = { daModeWord?: boolean; hashMany?: BatchHasher; treeHeight?: number };

export type BatchOutcome = {
  verdict: BatchVerdict;
  /** For a verified batch: the tree writes and the checkpoint after it, to commit together. */
  nodes?: NodeStoreBatch;
  checkpoint: SyncCheckpoint;
  served: ForcedAction[];
};

/** The root of the tree stored in `store` (the empty root when nothing is stored). */
export async function treeRoot(store: NodeStore, opts: ApplyOptions = {}): Promise<bigint> {
  return (await PositionTree.create(store, { height: opts.treeHeight ?? 64, ...(opts.hashMany ? { hashMany: opts.hashMany } : {}) })).root();
}

/**
 * One batch of follow mode: the evidence checks (verify-batch.ts), then the on-chain data applied
 * to the tree in a copy-on-write layer and the root compared with the committed one (§2.6 step 9).
 * Writes nothing: the caller commits `nodes` with `checkpoint` and `verdict` atomically.
 */
export async function applyBatch(ev: BatchEvidence, cp: SyncCheckpoint, store: NodeStore, opts: ApplyOptions = {}): Promise<BatchOutcome> {
  const t = ev.transition;
  const tip = { sequenceNumber: cp.sequenceNumber, batchId: cp.batchId, positionsRoot: await treeRoot(store, opts), ...(cp.sharedStateHash ? { sharedStateHash: cp.sharedStateHash } : {}) };
  const result = checkBatchEvidence(ev, tip, { daModeWord: opts.daModeWord ?? false });
  const verdict: BatchVerdict = {
    sequenceNumber: t.sequenceNumber,
    batchId: t.batchId,
    blockNumber: t.blockNumber,
    txHash: t.txHash,
    status: 'failed',
    checks: result.checks,
    positionsChanged: 0,
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
  const overlay = new OverlayNodeStore(store);
  const tree = await PositionTree.create(overlay, { height: opts.treeHeight ?? 64, ...(opts.hashMany ? { hashMany: opts.hashMany } : {}) });
  await tree.update(changes);
  const root = await tree.root();
  verdict.computedRoot = root;
  verdict.positionsChanged = changes.length;
  if (root !== next.positionsRoot) {
    verdict.checks.push({ check: 'root', ok: false, detail: `our tree gives root 0x${root.toString(16)}, the batch commits to 0x${next.positionsRoot.toString(16)}` });
    return { verdict: { ...verdict, failure: 'root-mismatch' }, checkpoint: cp, served: [] };
  }
  verdict.checks.push({ check: 'root', ok: true });
  verdict.status = 'verified';
  const words = encodeSharedState(next);
  return {
    verdict,
    nodes: overlay.pending(),
    checkpoint: {
      ...cp,
      sequenceNumber: t.sequenceNumber,
      batchId: t.batchId,
      blockNumber: t.blockNumber,
      sharedState: words,
      sharedStateHash: sharedStateHash(words),
    },
    served: decoded.programOutput.forcedActions,
  };
}
