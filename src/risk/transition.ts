import type { Position } from '../state/position.js';
import { abs, checkPosition, priceTable, type OraclePrices } from './fixed-point.js';
import type { PerpetualReturnCode } from './return-code.js';
import { riskTable, type RiskParams, type RiskTable } from './risk-config.js';
import { positionStatusWith, wellLeveraged } from './status.js';

/*
 * The transition rule (signing-risk.md B1.4; stark-perpetual `position/validate_state_transition.cairo`
 * and `position/check_smaller_holdings.cairo`). `before` is the position after funding, `after` the
 * updated position; both at the same prices.
 */

/**
 * `check_smaller_in_synthetic_holdings`: no new synthetic asset, and every asset still held keeps
 * its sign with `|after| <= |before|` (an asset that disappeared went to 0, which is smaller).
 */
export function checkSmallerHoldings(
  before: Position,
  after: Position,
): Extract<PerpetualReturnCode, 'SUCCESS' | 'ILLEGAL_POSITION_TRANSITION_ENLARGING_SYNTHETIC_HOLDINGS'> {
  const old = new Map(before.assets.map((a) => [a.assetId, a.balance]));
  for (const a of after.assets) {
    const b = old.get(a.assetId);
    if (b === undefined || a.balance * b < 0n || abs(a.balance) > abs(b)) {
      return 'ILLEGAL_POSITION_TRANSITION_ENLARGING_SYNTHETIC_HOLDINGS';
    }
  }
  return 'SUCCESS';
}

/** `check_valid_transition` on pre-built price and risk tables (the order of checks is the program's). */
export function checkValidTransitionWith(
  before: Position,
  after: Position,
  prices: ReadonlyMap<bigint, bigint>,
  risk: RiskTable,
): PerpetualReturnCode {
  // 1. The updated position is well-leveraged: always valid.
  const updated = positionStatusWith(after, prices, risk);
  if (updated.returnCode !== 'SUCCESS') return updated.returnCode;
  if (wellLeveraged(updated.totalValue, updated.totalRisk)) return 'SUCCESS';
  // 2. Otherwise it must be smaller, with TV/TR not worse.
  const initial = positionStatusWith(before, prices, risk);
  if (initial.returnCode !== 'SUCCESS') return initial.returnCode;
  const smaller = checkSmallerHoldings(before, after);
  if (smaller !== 'SUCCESS') return smaller;
  // TV0/TR0 <= TV1/TR1, cross-multiplied (TR >= 0, TV signed).
  if (initial.totalValue * updated.totalRisk > updated.totalValue * initial.totalRisk) {
    return 'ILLEGAL_POSITION_TRANSITION_REDUCING_TOTAL_VALUE_RISK_RATIO';
  }
  // With TR0 = 0 the ratio is undefined (and TR1 = 0 too, holdings being smaller): TV may not drop.
  if (initial.totalRisk === 0n && initial.totalValue > updated.totalValue) {
    return 'ILLEGAL_POSITION_TRANSITION_NO_RISK_REDUCED_VALUE';
  }
  return 'SUCCESS';
}

/** The program's verdict on `before → after` (`check_valid_transition`), as a return code. */
export function checkValidTransition(
  before: Position,
  after: Position,
  prices: OraclePrices,
  riskParams: RiskParams,
): PerpetualReturnCode {
  checkPosition(before, 'before');
  checkPosition(after, 'after');
  return checkValidTransitionWith(before, after, priceTable(prices), riskTable(riskParams));
}

/** `checkValidTransition(...) === 'SUCCESS'`. */
export function isValidTransition(
  before: Position,
  after: Position,
  prices: OraclePrices,
  riskParams: RiskParams,
): boolean {
  return checkValidTransition(before, after, prices, riskParams) === 'SUCCESS';
}
