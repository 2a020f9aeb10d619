import { RangeCheckError, VigilError } from '../errors.js';

/*
 * Risk-model input errors. Each one is a case where the Cairo program could not be proven at all
 * (signing-risk.md B1.1–B1.3: a held asset without a price or funding index, a price or risk factor
 * out of its range, a value that does not fit), as opposed to a transition the program rejects with a
 * return code (those are plain values, see `PerpetualReturnCode`). Messages name the field, the value
 * and the allowed range (errors.ts).
 */

/**
 * A risk-model input the Cairo program could not prove (B1.1–B1.3): an oracle price outside
 * `1 <= price < 2^64`, a risk factor outside `1 <= risk < 2^32`, a funding index outside
 * `-2^63 <= index < 2^63`, a position field outside what the program stores, a forced-withdrawal
 * amount outside `0 <= amount < 2^64`, an adverse-scenario or price-conversion input out of its
 * bounds, a dYdX market parameter that is not a decimal in its range, a held asset with no price /
 * funding index / risk factor, or an asset id twice in one list. One class: `field`, `value` and
 * `range` say which rule failed.
 */
export class RiskInputError extends RangeCheckError {
  override name = 'RiskInputError';
}

const MISSING = {
  oraclePrices: 'an oracle price for every asset the position holds',
  fundingIndices: 'a global funding index for every asset the position holds',
  'riskParams.assets': 'a risk factor for every asset the position holds',
} as const;

/** A held asset with no oracle price, global funding index or risk configuration (B1.1–B1.3). */
export function missingAssetData(list: keyof typeof MISSING, assetId: bigint): RiskInputError {
  return new RiskInputError(list, `0x${assetId.toString(16)}`, MISSING[list]);
}

/** The same asset id twice in a price, funding-index or risk list (each list is a set). */
export function duplicateAssetId(field: string, assetId: bigint): RiskInputError {
  return new RiskInputError(field, `0x${assetId.toString(16)}`, 'each asset id at most once');
}

/**
 * v3.2 risk-factor segments that are empty or not strictly ascending, or an amount above the last
 * segment's upper bound (the batch cannot be proven, B1.1).
 */
export class RiskFactorSegmentError extends RangeCheckError {
  override name = 'RiskFactorSegmentError';
}

/**
 * Not even a zero forced withdrawal would succeed (key mismatch or total value out of range), so
 * there is no largest valid amount to report.
 */
export class NoValidForcedWithdrawalError extends VigilError {
  override name = 'NoValidForcedWithdrawalError';
  readonly returnCode: string;
  constructor(returnCode: string) {
    super(`forced withdrawal: no amount is valid; the program would return ${returnCode}`);
    this.returnCode = returnCode;
  }
}
