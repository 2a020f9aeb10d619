import { VigilError, type VigilErrorOptions } from '../errors.js';

/**
 * `verifyEscapeProof` refused a proof. `reason` is the revert string the on-chain
 * PerpetualEscapeVerifier / PedersenMerkleVerifier would give (l1-data-tree.md §4.6), e.g.
 * `"assetId not found."`. `onChain` is false for the few refusals that are Vigil's own (the
 * `canonical` option): the contract would have accepted those proofs.
 */
export class EscapeVerificationError extends VigilError {
  override name = 'EscapeVerificationError';
  readonly reason: string;
  readonly onChain: boolean;
  constructor(reason: string, options: VigilErrorOptions & { onChain?: boolean } = {}) {
    super(`escape proof rejected: ${reason}`, options);
    this.reason = reason;
    this.onChain = options.onChain ?? true;
  }
}

/**
 * The position tree found its own data inconsistent: a stored position that does not hash to its
 * stored leaf, a path that does not hold the position's leaf, or a batch hasher that returned the
 * wrong number of hashes. Never caused by user input; it means a corrupted store or a broken hasher.
 */
export class PositionTreeError extends VigilError {
  override name = 'PositionTreeError';
}
