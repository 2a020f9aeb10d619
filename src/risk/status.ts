import type { Position } from '../state/position.js';
import {
  FXP_32_ONE,
  TOTAL_RISK_UPPER_BOUND_REP,
  TOTAL_VALUE_UPPER_BOUND_REP,
  abs,
  checkPosition,
  priceOf,
  priceTable,
  type OraclePrices,
} from './fixed-point.js';
import type { PerpetualReturnCode } from './return-code.js';
import { riskFactorFor, riskTable, type RiskParams, type RiskTable } from './risk-config.js';

/*
 * Total value and total risk (signing-risk.md B1.2, stark-perpetual `position/status.cairo`).
 * Scales, exactly as the program keeps them:
 *   TV_rep = collateral·2^32 + Σ price·balance        signed, 32 fractional bits (collateral quanta)
 *   TR_rep = Σ risk·price·|balance|                    unsigned, 64 fractional bits
 * All functions here take a position with funding already applied (see `applyFunding`).
 */

/** `TV_rep`, signed .32 collateral quanta. Throws `RiskInputError` (`missingAssetData`) for an unpriced asset. */
export function totalValue(position: Position, prices: OraclePrices): bigint {
  checkPosition(position);
  return totalValueWith(position, priceTable(prices));
}

/** `TR_rep`, unsigned .64 collateral quanta. */
export function totalRisk(position: Position, prices: OraclePrices, riskParams: RiskParams): bigint {
  checkPosition(position);
  return totalRiskWith(position, priceTable(prices), riskTable(riskParams));
}

export function totalValueWith(position: Position, prices: ReadonlyMap<bigint, bigint>): bigint {
  let tv = position.collateral * FXP_32_ONE;
  for (const a of position.assets) tv += priceOf(prices, a.assetId) * a.balance;
  return tv;
}

export function totalRiskWith(position: Position, prices: ReadonlyMap<bigint, bigint>, risk: RiskTable): bigint {
  let tr = 0n;
  for (const a of position.assets) {
    const price = priceOf(prices, a.assetId);
    const absBalance = abs(a.balance);
    tr += riskFactorFor(risk, a.assetId, absBalance, price) * price * absBalance;
  }
  return tr;
}

export type PositionStatus = {
  /** TV_rep (.32). */
  totalValue: bigint;
  /** TR_rep (.64). */
  totalRisk: bigint;
  /** `SUCCESS`, or the range error `position_get_status` would return. */
  returnCode: Extract<PerpetualReturnCode, 'SUCCESS' | 'OUT_OF_RANGE_TOTAL_VALUE' | 'OUT_OF_RANGE_TOTAL_RISK'>;
};

/**
 * `position_get_status`: TV/TR plus the program's range checks
 * (`-2^63·2^32 <= TV_rep < 2^63·2^32`, `TR_rep < 2^64·2^64`). The values are returned exactly even
 * when out of range (the program would report 0, 0 with the error code).
 */
export function positionStatusWith(
  position: Position,
  prices: ReadonlyMap<bigint, bigint>,
  risk: RiskTable,
): PositionStatus {
  const tv = totalValueWith(position, prices);
  const tr = totalRiskWith(position, prices, risk);
  let returnCode: PositionStatus['returnCode'] = 'SUCCESS';
  if (tv < -TOTAL_VALUE_UPPER_BOUND_REP || tv >= TOTAL_VALUE_UPPER_BOUND_REP) returnCode = 'OUT_OF_RANGE_TOTAL_VALUE';
  else if (tr >= TOTAL_RISK_UPPER_BOUND_REP) returnCode = 'OUT_OF_RANGE_TOTAL_RISK';
  return { totalValue: tv, totalRisk: tr, returnCode };
}

export function positionStatus(position: Position, prices: OraclePrices, riskParams: RiskParams): PositionStatus {
  checkPosition(position);
  return positionStatusWith(position, priceTable(prices), riskTable(riskParams));
}

/** Well-leveraged ⇔ `TR_rep <= TV_rep·2^32` (TV ≥ TR in collateral units), on exact values. */
export function wellLeveraged(tvRep: bigint, trRep: bigint): boolean {
  return trRep <= tvRep * FXP_32_ONE;
}

/** B1.2 well-leveraged test of a funded position at the given prices. */
export function isWellLeveraged(position: Position, prices: OraclePrices, riskParams: RiskParams): boolean {
  const s = positionStatus(position, prices, riskParams);
  return wellLeveraged(s.totalValue, s.totalRisk);
}

/** B1.5: liquidatable ⇔ not well-leveraged (after funding). */
export function isLiquidatable(position: Position, prices: OraclePrices, riskParams: RiskParams): boolean {
  return !isWellLeveraged(position, prices, riskParams);
}

/** B1.6: deleveragable ⇔ TV < 0 (after funding). */
export function isDeleveragable(position: Position, prices: OraclePrices): boolean {
  return totalValue(position, prices) < 0n;
}
