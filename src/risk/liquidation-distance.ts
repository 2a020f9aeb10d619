import { RiskInputError } from './errors.js';
import { formatRatio, ratioAbs, ratioDiv, ratioMul, ratioSign, ratioSub, ratio, type Ratio } from './ratio.js';

/**
 * How far a liquidation price lies from the oracle price, for the approval's line "Liquidation at
 * $1,234.56, 38.2 % below the oracle price $2,000.00" (issue 17). A long is liquidated when the price
 * falls (its liquidation price is below the oracle price), a short when it rises (above).
 *
 * `percent` is |liquidation − oracle| / oracle × 100, rounded half away from zero to `digits`
 * decimals; `side` says which way the price must move, `at` when it is already there (the
 * position is liquidatable at the oracle price).
 */
export type LiquidationDistance = { percent: string; side: 'below' | 'above' | 'at' };

/** Both prices in the same unit (USD per whole synthetic); the oracle price must be > 0. */
export function liquidationDistance(liquidation: Ratio, oracle: Ratio, digits = 1): LiquidationDistance {
  if (ratioSign(oracle) <= 0) throw new RiskInputError('oracle price', formatRatio(oracle, 6), 'a price > 0');
  if (ratioSign(liquidation) < 0)
    throw new RiskInputError('liquidation price', formatRatio(liquidation, 6), 'a price >= 0');
  const diff = ratioSub(liquidation, oracle);
  const percent = ratioMul(ratioDiv(ratioAbs(diff), oracle), ratio(100n));
  const s = ratioSign(diff);
  return { percent: formatRatio(percent, digits), side: s < 0 ? 'below' : s > 0 ? 'above' : 'at' };
}
