import type { FundingEntry } from './onchain-data.js';
import type { SharedState } from './shared-state.js';

/** timestamp (s) → asset id → global funding index (unbiased 32.32). */
export type FundingTable = Map<bigint, Map<bigint, bigint>>;

/**
 * The funding indices a position record of this batch can be settled at: the old shared state's
 * (timestamp, indices) plus every funding tick of the batch (l1-data-tree.md §3.5 step 1). A later
 * tick with the same timestamp replaces an earlier one, as l2beat's replay (which reproduces the
 * mainnet roots) does.
 */
export function batchFundingTable(prevSharedState: SharedState, fundingEntries: readonly FundingEntry[]): FundingTable {
  const table: FundingTable = new Map();
  table.set(
    prevSharedState.fundingTimestamp,
    new Map(prevSharedState.fundingIndices.map((f) => [f.assetId, f.fundingIndex])),
  );
  for (const e of fundingEntries) table.set(e.timestamp, new Map(e.indices.map((f) => [f.assetId, f.fundingIndex])));
  return table;
}

/**
 * The timestamp a record is settled at. dYdX's program emitted 0 for some positions whose
 * collateral became exactly 0; it means the old state's funding timestamp (l1-data-tree.md §3.4).
 */
export function settledFundingTimestamp(recordTimestamp: bigint, prevSharedState: SharedState): bigint {
  return recordTimestamp === 0n ? prevSharedState.fundingTimestamp : recordTimestamp;
}
