import type { Position } from '../state/position.js';
import {
  FXP_32_ONE,
  checkBalance,
  checkPosition,
  floorDiv,
  fundingIndexOf,
  fundingTable,
  type FundingIndices,
} from './fixed-point.js';

/**
 * The funding a position owes at the given global indices, in signed 32.32 collateral quanta:
 * `Σ_a (global_a − cached_a) · balance_a` (signing-risk.md B1.3). Positive = the position pays.
 * Longs pay when the index rises.
 */
export function fundingOwedRep(position: Position, globalFundingIndices: FundingIndices): bigint {
  checkPosition(position);
  return fundingOwedWith(position, fundingTable(globalFundingIndices));
}

/** `fundingOwedRep` on a checked position and an asset id → global index table. */
export function fundingOwedWith(position: Position, table: ReadonlyMap<bigint, bigint>): bigint {
  let owed = 0n;
  for (const a of position.assets) owed += (fundingIndexOf(table, a.assetId) - a.cachedFundingIndex) * a.balance;
  return owed;
}

/**
 * `position_apply_funding` (B1.3): collateral becomes `floor((collateral·2^32 − owed) / 2^32)` —
 * rounded toward −∞ on purpose, so funding never creates collateral — and every cached index is
 * set to the global one. Returns a new position; the input is not modified.
 *
 * Throws `RiskInputError` (`missingAssetData`) for a held asset without a global index and
 * `RiskInputError` if the funded collateral leaves `[-2^63, 2^63)` (the program's
 * `signed_div_rem` bound: such a batch cannot be proven).
 */
export function applyFunding(position: Position, globalFundingIndices: FundingIndices): Position {
  const owed = fundingOwedRep(position, globalFundingIndices);
  const table = fundingTable(globalFundingIndices);
  const collateral = floorDiv(position.collateral * FXP_32_ONE - owed, FXP_32_ONE);
  checkBalance('collateral after funding', collateral);
  return {
    starkKey: position.starkKey,
    collateral,
    assets: position.assets.map((a) => ({
      assetId: a.assetId,
      balance: a.balance,
      cachedFundingIndex: fundingIndexOf(table, a.assetId),
    })),
  };
}
