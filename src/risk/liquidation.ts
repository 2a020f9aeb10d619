import type { Position } from '../state/position.js';
import { RiskInputError, RiskFactorSegmentError } from './errors.js';
import {
  FXP_32_ONE,
  PRICE_UPPER_BOUND,
  abs,
  ceilDiv,
  checkPosition,
  floorDiv,
  hexId,
  priceOf,
  priceTable,
  type OraclePrices,
} from './fixed-point.js';
import { assetRiskOf, riskFactorFor, riskTable, type RiskParams } from './risk-config.js';

/*
 * Liquidation price of one asset with the other assets' prices held (signing-risk.md B1.5, B3).
 * Exact integer arithmetic on the program's own test: the position is liquidatable at price p iff
 *   margin(p) = D + p·(balance·2^32 − risk(p)·|balance|) < 0,
 * where D = TV_rep(others)·2^32 − TR_rep(others) (.64). Within a segment of constant risk the margin
 * is linear in p (increasing for a long, decreasing for a short), so each boundary is one division.
 *
 * Rounding: prices are integers (32.32), so the result is the *first liquidatable price* on the
 * adverse side — for a long the highest price at which it is liquidatable (one unit higher it is
 * well-leveraged), for a short the lowest (one unit lower it is well-leveraged). The exact root p*
 * is therefore rounded strictly toward liquidation: floor for a long, ceil for a short, and one
 * unit further when p* is an integer, because TV = TR still counts as well-leveraged. An alert
 * that triggers when the oracle reaches this price triggers exactly when the program would first
 * allow a liquidation — not one unit early, never late. (Range checks on TV/TR are not applied:
 * this is the mathematical boundary of the well-leveraged test.)
 */

type Interval = { lo: bigint; hi: bigint; risk: bigint };

/** Price intervals of constant risk for this holding; prices beyond the last segment are unprovable and left out. */
function intervals(assetRisk: ReturnType<typeof assetRiskOf>, byBalance: boolean, absBalance: bigint): Interval[] {
  const maxPrice = PRICE_UPPER_BOUND - 1n;
  if (assetRisk.kind === 'single') return [{ lo: 1n, hi: maxPrice, risk: assetRisk.risk }];
  if (byBalance) {
    const seg = assetRisk.segments.find((s) => absBalance <= s.upperBound);
    return seg ? [{ lo: 1n, hi: maxPrice, risk: seg.risk }] : [];
  }
  const out: Interval[] = [];
  let lo = 1n;
  for (const s of assetRisk.segments) {
    const hi = s.upperBound / absBalance < maxPrice ? s.upperBound / absBalance : maxPrice;
    if (hi >= lo) out.push({ lo, hi, risk: s.risk });
    if (hi >= maxPrice) break;
    lo = hi + 1n > lo ? hi + 1n : lo;
  }
  return out;
}

/**
 * The first liquidatable internal price (32.32) of `assetId` as that price moves against the
 * position from its current value — or, if the position is already liquidatable, the last
 * liquidatable price before it becomes well-leveraged again in the position's favour. Both are the
 * same boundary when the risk factor does not depend on price. `null` if no price in `[1, 2^64)`
 * (within the risk segments) makes that crossing. Takes a funded position.
 */
export function liquidationPrice(
  position: Position,
  prices: OraclePrices,
  riskParams: RiskParams,
  assetId: bigint,
): bigint | null {
  checkPosition(position);
  const table = priceTable(prices);
  const risk = riskTable(riskParams);
  const held = position.assets.find((a) => a.assetId === assetId);
  if (held === undefined) throw new RiskInputError('assetId', hexId(assetId), 'an asset the position holds');
  let d = position.collateral * FXP_32_ONE * FXP_32_ONE;
  for (const a of position.assets) {
    if (a.assetId === assetId) continue;
    const p = priceOf(table, a.assetId);
    const absB = abs(a.balance);
    d += p * (a.balance * FXP_32_ONE - riskFactorFor(risk, a.assetId, absB, p) * absB);
  }
  const b = held.balance;
  const absB = abs(b);
  const ivs = intervals(assetRiskOf(risk, assetId), risk.isRiskByBalanceOnly, absB);
  const current = priceOf(table, assetId);
  const here = ivs.find((iv) => current >= iv.lo && current <= iv.hi);
  // Outside every interval only if the current risk amount is above the last segment: this throws.
  if (here === undefined) riskFactorFor(risk, assetId, absB, current);
  if (here === undefined)
    throw new RiskFactorSegmentError(`price of ${hexId(assetId)}`, current, 'a price within the risk-factor segments');
  const slope = (r: bigint) => b * FXP_32_ONE - r * absB; // > 0 long, < 0 short
  const liquidatableNow = d + current * slope(here.risk) < 0n;
  const up = ivs.filter((iv) => iv.hi > current);
  const down = ivs.filter((iv) => iv.lo < current).reverse();

  if (b > 0n) {
    if (!liquidatableNow) {
      // Largest p < current with p < −D/s, i.e. p <= ceil(−D/s) − 1.
      for (const iv of down) {
        const hi = iv.hi < current - 1n ? iv.hi : current - 1n;
        const t = ceilDiv(-d, slope(iv.risk)) - 1n;
        if (t >= iv.lo) return t < hi ? t : hi;
      }
      return null;
    }
    // Smallest p > current with p >= ceil(−D/s); the answer is one below it.
    for (const iv of up) {
      const lo = iv.lo > current + 1n ? iv.lo : current + 1n;
      const t = ceilDiv(-d, slope(iv.risk));
      const c = t > lo ? t : lo;
      if (c <= iv.hi) return c - 1n;
    }
    return null;
  }
  if (!liquidatableNow) {
    // Smallest p > current with D − |s|·p < 0, i.e. p >= floor(D/|s|) + 1.
    for (const iv of up) {
      const lo = iv.lo > current + 1n ? iv.lo : current + 1n;
      const t = floorDiv(d, -slope(iv.risk)) + 1n;
      const c = t > lo ? t : lo;
      if (c <= iv.hi) return c;
    }
    return null;
  }
  // Largest p < current with p <= floor(D/|s|); the answer is one above it.
  for (const iv of down) {
    const hi = iv.hi < current - 1n ? iv.hi : current - 1n;
    const t = floorDiv(d, -slope(iv.risk));
    const c = t < hi ? t : hi;
    if (c >= iv.lo) return c + 1n;
  }
  return null;
}

/** `liquidationPrice` for every held asset, in position order. */
export function liquidationPrices(
  position: Position,
  prices: OraclePrices,
  riskParams: RiskParams,
): { assetId: bigint; price: bigint | null }[] {
  return position.assets.map((a) => ({
    assetId: a.assetId,
    price: liquidationPrice(position, prices, riskParams, a.assetId),
  }));
}
