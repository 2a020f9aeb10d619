import type { Position } from '../state/position.js';
import { missingAssetData } from './errors.js';
import { FXP_32_ONE, checkMarketState, checkPosition, floorDiv, fundingTable, priceTable } from './fixed-point.js';
import { fundingOwedWith } from './funding.js';
import { totalValueWith } from './status.js';
import type { MarketState } from './update-position.js';

/**
 * The amount `PerpetualEscapeVerifier.verifyEscape` would register for this position against the
 * frozen shared state (signing-risk.md B2.2, l1-data-tree.md §4.6, `computeFxpBalance`):
 *
 *   fxp     = collateral·2^32 + Σ balance·price       (TV_rep before funding)
 *   funding = −Σ balance·(global − cached)             (−owed; the 2^63 biases cancel)
 *   amount  = (fxp + floor32(funding)) >> 32           floor32 = clear the low 32 bits (toward −∞)
 *
 * which equals floor(TV) after applying funding as the Cairo program does (no risk term: a
 * liquidatable position still escapes with its value). The result is signed; the verifier only
 * registers amounts > 0 (`Withdrawal amount must be positive.`).
 *
 * This is the risk model's statement of the rule, on structured values; `escapeWithdrawalAmount`
 * (tree/escape-verifier.ts) is the word-level mirror of the contract. They are kept apart on purpose
 * and compared by a differential test.
 */
export function escapeAmount(position: Position, sharedState: MarketState): bigint {
  checkPosition(position);
  checkMarketState(sharedState, 'sharedState');
  const indices = fundingTable(sharedState.fundingIndices);
  const prices = priceTable(sharedState.oraclePrices);
  checkContractLookup(position, sharedState);
  const owed = fundingOwedWith(position, indices);
  const truncatedFunding = floorDiv(-owed, FXP_32_ONE) * FXP_32_ONE;
  return floorDiv(totalValueWith(position, prices) + truncatedFunding, FXP_32_ONE);
}

/**
 * The contract's `findAssetId` searches each list from where the previous asset was found, so an
 * asset listed out of ascending order is "not found" there (`assetId not found.`) even if present:
 * thrown here as `RiskInputError` (`missingAssetData`). The program always outputs
 * sorted lists, so this only bites hand-made shared states.
 */
function checkContractLookup(position: Position, sharedState: MarketState): void {
  const indices = sharedState.fundingIndices;
  const prices = sharedState.oraclePrices;
  let fi = 0;
  let pi = 0;
  for (const { assetId } of position.assets) {
    while (fi < indices.length && indices[fi]!.assetId !== assetId) fi++;
    if (fi >= indices.length) throw missingAssetData('fundingIndices', assetId);
    while (pi < prices.length && prices[pi]!.assetId !== assetId) pi++;
    if (pi >= prices.length) throw missingAssetData('oraclePrices', assetId);
  }
}
