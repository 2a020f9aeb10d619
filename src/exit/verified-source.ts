import { decodeSharedState, type SharedState } from '../starkex/shared-state.js';
import { EMPTY_POSITION, type Position } from '../state/position.js';
import type { SyncStore } from '../sync/sync-store.js';
import { PositionTree } from '../tree/position-tree.js';
import { EscapeNotPossibleError } from './errors.js';
import type { MarginBasis } from './margin-view.js';
import type { EscapeSource } from './runner.js';

/*
 * The exit reads only what the verifier accepted (DESIGN.md §4, l1-data-tree.md §4.7): the last
 * verified checkpoint's shared state, the position's leaf in the verified tree, and its Merkle path
 * from the same tree. A snapshot import lands in the same store, so this covers both modes.
 */

export type VerifiedPosition = {
  positionId: bigint;
  position: Position;
  sharedState: SharedState;
  sharedStateWords: bigint[];
  basis: MarginBasis;
  /** The verifier stopped at a bad batch after this state (the exchange's state may be newer and unverified). */
  halted: boolean;
};

/** The verified state of one position; throws if nothing has been verified yet. */
export async function verifiedPosition(store: SyncStore, positionId: bigint): Promise<VerifiedPosition> {
  const cp = await store.checkpoint();
  if (!cp?.sharedState) throw new EscapeNotPossibleError('shared-state-mismatch', 'no verified batch yet: sync (or import a snapshot) first');
  // In catch-up the stored positions run ahead of the last root our tree reproduced (issue 15):
  // nothing is shown as verified until the next checkpoint compares it.
  if (cp.hashedSequenceNumber !== undefined && cp.hashedSequenceNumber !== cp.sequenceNumber) {
    throw new EscapeNotPossibleError(
      'shared-state-mismatch',
      `the verifier is catching up: batches after sequence ${cp.hashedSequenceNumber} are checked but their root is compared at the next checkpoint; try again when it is caught up`,
    );
  }
  const [stored] = await store.getPositions([positionId]);
  const basis: MarginBasis = { sequenceNumber: cp.sequenceNumber, batchId: cp.batchId, blockNumber: cp.blockNumber };
  if (cp.sharedStateHash) basis.sharedStateHash = cp.sharedStateHash;
  return {
    positionId,
    position: stored ?? EMPTY_POSITION,
    sharedState: decodeSharedState(cp.sharedState),
    sharedStateWords: [...cp.sharedState],
    basis,
    halted: cp.halted !== undefined,
  };
}

/** An escape source over the verified store: the proof comes from the same tree the root was checked on. */
export function escapeSourceFromStore(store: SyncStore, positionId: bigint): EscapeSource {
  return async () => {
    const v = await verifiedPosition(store, positionId);
    const tree = await PositionTree.create(store, { height: Number(v.sharedState.positionsTreeHeight) });
    if ((await tree.root()) !== v.sharedState.positionsRoot) {
      throw new EscapeNotPossibleError('proof-invalid', 'the stored tree does not match the verified root; re-sync before escaping');
    }
    return { merkleProof: await tree.escapeProof(positionId), nAssets: v.position.assets.length, sharedState: v.sharedStateWords, basis: v.basis };
  };
}
