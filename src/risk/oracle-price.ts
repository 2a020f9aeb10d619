import { checkOneOf } from '../checks.js';
import { ORACLE_PRICE_DECIMALS, ORACLE_PRICE_UPPER_BOUND, oraclePriceFromHuman } from '../messages/dydx-oracle.js';
import { RiskInputError } from './errors.js';
import { FXP_32_ONE, PRICE_UPPER_BOUND, RISK_FACTOR_UPPER_BOUND, checkPrice } from './fixed-point.js';
import { checkRatio, parseRatio, ratio, ratioCeil, ratioFloor, ratioMul, type Ratio } from './ratio.js';

/*
 * Conversions between the program's fixed-point values and human units (signing-risk.md B1.1).
 * Resolutions are 10^decimals (the dYdX API's `assetResolution`; USDC 10^6).
 */

const EXTERNAL_PRICE_UPPER_BOUND = ORACLE_PRICE_UPPER_BOUND;
const EXTERNAL_PRICE_ONE = 10n ** BigInt(ORACLE_PRICE_DECIMALS);

function checkResolution(field: string, r: bigint): void {
  if (typeof r !== 'bigint' || r < 1n || r >= 1n << 64n) throw new RiskInputError(field, r, `1 <= ${field} < 2^64`);
}

function checkRounding(rounding: unknown): void {
  checkOneOf('rounding', rounding, ['floor', 'ceil']);
}

/**
 * Internal 32.32 price (collateral quanta per synthetic quantum) from an oracle's external price
 * (USD per whole synthetic × 10^18): `floor((external·collateralResolution·2^32 + d/2) / d)` with
 * `d = syntheticResolution·10^18` — round half up, as the program's price conversion does.
 */
export function internalOraclePrice(
  externalPrice: bigint,
  syntheticResolution: bigint,
  collateralResolution: bigint,
): bigint {
  if (typeof externalPrice !== 'bigint' || externalPrice < 0n || externalPrice >= EXTERNAL_PRICE_UPPER_BOUND) {
    throw new RiskInputError('externalPrice', externalPrice, '0 <= externalPrice < 2^120');
  }
  checkResolution('syntheticResolution', syntheticResolution);
  checkResolution('collateralResolution', collateralResolution);
  const d = syntheticResolution * EXTERNAL_PRICE_ONE;
  const price = (externalPrice * collateralResolution * FXP_32_ONE + d / 2n) / d;
  checkPrice('internal oracle price', price);
  return price;
}

/**
 * The external price (10^18 fixed point) of a human decimal price such as `"42922.855"`, exactly:
 * the oracle's own scaling (messages `oraclePriceFromHuman`, A2.5). Plain non-negative decimals
 * only (`DecimalError`), at most 18 places (`PrecisionError`), below 2^120 (`OraclePriceError`).
 */
export function externalPriceFromDecimal(text: string): bigint {
  return oraclePriceFromHuman(text, 'price');
}

/** USD per whole synthetic of an internal price, exactly: `price·syntheticResolution / (2^32·collateralResolution)`. */
export function oraclePriceToUsd(price: bigint, syntheticResolution: bigint, collateralResolution: bigint): Ratio {
  checkPrice('price', price);
  checkResolution('syntheticResolution', syntheticResolution);
  checkResolution('collateralResolution', collateralResolution);
  return ratio(price * syntheticResolution, FXP_32_ONE * collateralResolution);
}

/** The internal price nearest below (`floor`) or above (`ceil`) a USD price; clamped to `[1, 2^64)`. */
export function usdToOraclePrice(
  usd: Ratio,
  syntheticResolution: bigint,
  collateralResolution: bigint,
  rounding: 'floor' | 'ceil',
): bigint {
  checkRatio('usd', usd);
  checkRounding(rounding);
  checkResolution('syntheticResolution', syntheticResolution);
  checkResolution('collateralResolution', collateralResolution);
  const exact = ratioMul(usd, ratio(FXP_32_ONE * collateralResolution, syntheticResolution));
  const p = rounding === 'floor' ? ratioFloor(exact) : ratioCeil(exact);
  return p < 1n ? 1n : p >= PRICE_UPPER_BOUND ? PRICE_UPPER_BOUND - 1n : p;
}

/**
 * A 0.32 risk factor from a fraction such as dYdX's maintenance margin fraction `"0.03"`. Whether an
 * operator floored or rounded is its config choice (B1.1); the derived vectors use `floor`.
 */
export function riskFactorFromFraction(fraction: string | Ratio, rounding: 'floor' | 'ceil' = 'floor'): bigint {
  checkRounding(rounding);
  const r = typeof fraction === 'string' ? parseRatio('fraction', fraction) : checkRatio('fraction', fraction);
  const scaled = ratioMul(r, ratio(FXP_32_ONE));
  const risk = rounding === 'floor' ? ratioFloor(scaled) : ratioCeil(scaled);
  if (risk < 1n || risk >= RISK_FACTOR_UPPER_BOUND)
    throw new RiskInputError('riskFactor', risk, '1 <= riskFactor < 2^32');
  return risk;
}
