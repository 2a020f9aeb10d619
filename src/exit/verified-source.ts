import { ReadModelError } from '../sync/errors.js';
import { readModel, type VerifiedPosition } from '../sync/read-model.js';
import type { SyncStore } from '../sync/sync-store.js';
import { EscapeNotPossibleError } from './errors.js';
import type { EscapeSource } from './runner.js';

/*
 * The exit reads only what the verifier accepted (DESIGN.md §4, l1-data-tree.md §4.7): the last
 * verified checkpoint's shared state, the position's leaf in the verified tree, and its Merkle path
 * from the same tree. A snapshot import lands in the same store, so this covers both modes. All of
 * it goes through the verified-state read model (src/sync/read-model.ts, issue 14); here its
 * refusals become the exit's own errors.
 */

export type { VerifiedPosition } from '../sync/read-model.js';

/** The read model's refusal as the exit's error (the reason the exit branches on), anything else as is. */
function asExitError(err: unknown, reason: EscapeNotPossibleError['reason']): unknown {
  return err instanceof ReadModelError ? new EscapeNotPossibleError(reason, err.shortMessage, { cause: err }) : err;
}

/** The verified state of one position; throws if nothing has been verified yet. */
export async function verifiedPosition(store: SyncStore, positionId: bigint): Promise<VerifiedPosition> {
  try {
    return await readModel(store).position(positionId);
  } catch (err) {
    throw asExitError(err, 'shared-state-mismatch');
  }
}

/**
 * The position id of a stark key from the verifier's stark-key index (l1-data-tree.md §5.1: one
 * position per user; the lowest id if several), or undefined if no stored position holds it.
 */
export function verifiedPositionIdOf(store: SyncStore, starkKey: bigint): Promise<bigint | undefined> {
  return readModel(store).positionIdOfStarkKey(starkKey);
}

/**
 * An escape source over the verified store: the proof comes from the same tree the root was
 * checked on, and the position's own record must hash up its path to the committed root.
 */
export function escapeSourceFromStore(store: SyncStore, positionId: bigint): EscapeSource {
  return async () => {
    try {
      const { merkleProof, nAssets, sharedState, basis } = await readModel(store).escapeSource({ positionId });
      return { merkleProof, nAssets, sharedState, basis };
    } catch (err) {
      throw asExitError(
        err,
        err instanceof ReadModelError && err.reason === 'tree-mismatch' ? 'proof-invalid' : 'shared-state-mismatch',
      );
    }
  };
}
