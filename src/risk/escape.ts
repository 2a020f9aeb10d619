import type { Position } from '../state/position.js';
import { MissingFundingIndexError, MissingOraclePriceError } from './errors.js';
import { FXP_32_ONE, checkPosition, floorDiv } from './fixed-point.js';
import type { MarketState } from './update-position.js';

/**
 * The amount `PerpetualEscapeVerifier.verifyEscape` would register for this position against the
 * frozen shared state (signing-risk.md B2.2, l1-data-tree.md §4.6, `computeFxpBalance`):
 *
 *   fxp     = collateral·2^32 + Σ balance·price
 *   funding = −Σ balance·(global − cached)              (the 2^63 biases cancel)
 *   amount  = (fxp + floor32(funding)) >> 32            floor32 = clear the low 32 bits (toward −∞)
 *
 * which equals floor(TV) after applying funding as the Cairo program does (no risk term: a
 * liquidatable position still escapes with its value). The result is signed; the verifier only
 * registers amounts > 0 (`Withdrawal amount must be positive.`). Values stay far below 2^255, so the
 * contract's mod-2^256 arithmetic never wraps for a valid position.
 *
 * Lookups mirror the contract's `findAssetId`: each asset is searched from where the previous one
 * was found, so the shared-state lists must be in ascending asset order like the position (the
 * program outputs them sorted); an asset not found that way reverts (`assetId not found.`), thrown
 * here as `MissingFundingIndexError` / `MissingOraclePriceError`.
 */
export function escapeAmount(position: Position, sharedState: MarketState): bigint {
  checkPosition(position);
  const indices = sharedState.fundingIndices;
  const prices = sharedState.oraclePrices;
  let fxp = position.collateral * FXP_32_ONE;
  let funding = 0n;
  let fi = 0;
  let pi = 0;
  for (const a of position.assets) {
    while (fi < indices.length && indices[fi]!.assetId !== a.assetId) fi++;
    if (fi >= indices.length) throw new MissingFundingIndexError(a.assetId);
    while (pi < prices.length && prices[pi]!.assetId !== a.assetId) pi++;
    if (pi >= prices.length) throw new MissingOraclePriceError(a.assetId);
    funding -= a.balance * (indices[fi]!.fundingIndex - a.cachedFundingIndex);
    fxp += a.balance * prices[pi]!.price;
  }
  const truncatedFunding = floorDiv(funding, FXP_32_ONE) * FXP_32_ONE;
  return floorDiv(fxp + truncatedFunding, FXP_32_ONE);
}
