import type { SharedState } from '../starkex/shared-state.js';
import { RiskInputError } from './errors.js';
import { checkPrice, hexId } from './fixed-point.js';

/*
 * The stress view (issue 17 "Stress view"): the verified shared state with some oracle prices
 * moved by the trader. Everything else — funding indices, system time, the position itself — stays
 * as verified, so the margin figures computed on the result answer "what if this market were at
 * that price now", by the same risk code that judges the unmoved state.
 */

/** One market moved: its synthetic asset at `price`, 32.32 collateral quanta per synthetic quantum. */
export type PriceMove = { assetId: bigint; price: bigint };

/**
 * `sharedState` with each moved asset's oracle price replaced. A move for an asset the state has
 * no price for, a price outside `1 <= price < 2^64` (the program's range), or the same asset moved
 * twice is refused naming the field, the value and the range.
 */
export function stressedSharedState(sharedState: SharedState, moves: readonly PriceMove[]): SharedState {
  const byAsset = new Map<bigint, bigint>();
  moves.forEach((m, i) => {
    checkPrice(`moves[${i}].price`, m.price);
    if (!sharedState.oraclePrices.some((p) => p.assetId === m.assetId))
      throw new RiskInputError(`moves[${i}].assetId`, hexId(m.assetId), 'an asset with an oracle price in the state');
    if (byAsset.has(m.assetId))
      throw new RiskInputError(`moves[${i}].assetId`, hexId(m.assetId), 'each asset moved at most once');
    byAsset.set(m.assetId, m.price);
  });
  return {
    ...sharedState,
    oraclePrices: sharedState.oraclePrices.map((p) => ({
      assetId: p.assetId,
      price: byAsset.get(p.assetId) ?? p.price,
    })),
  };
}
