import { RangeCheckError, VigilError } from '../errors.js';

/*
 * Risk-model input errors. Each one is a case where the Cairo program could not be proven at all
 * (signing-risk.md B1.1–B1.3: a held asset without a price or funding index, a price or risk factor
 * out of its range, a value that does not fit), as opposed to a transition the program rejects with a
 * return code (those are plain values, see `PerpetualReturnCode`). Messages name the field, the value
 * and the allowed range (errors.ts).
 */

/** An internal oracle price outside `1 <= price < 2^64` (32.32 fixed point, B1.1). */
export class OraclePriceRangeError extends RangeCheckError {
  override name = 'OraclePriceRangeError';
}

/** A risk factor outside `1 <= risk < 2^32` (0.32 fixed point, B1.1). */
export class RiskFactorRangeError extends RangeCheckError {
  override name = 'RiskFactorRangeError';
}

/**
 * v3.2 risk-factor segments that are empty or not strictly ascending, or an amount above the last
 * segment's upper bound (the batch cannot be proven, B1.1).
 */
export class RiskFactorSegmentError extends RangeCheckError {
  override name = 'RiskFactorSegmentError';
}

/** A signed 32.32 funding index outside `-2^63 <= index < 2^63` (B1.1). */
export class FundingIndexRangeError extends RangeCheckError {
  override name = 'FundingIndexRangeError';
}

/** A position field outside what the program stores (B1.1): balances, ids, order, count. */
export class PositionRangeError extends RangeCheckError {
  override name = 'PositionRangeError';
}

/** A held asset has no oracle price (the program cannot compute TV/TR, B1.2). */
export class MissingOraclePriceError extends RangeCheckError {
  override name = 'MissingOraclePriceError';
  constructor(assetId: bigint) {
    super('oraclePrices', `0x${assetId.toString(16)}`, 'an oracle price for every asset the position holds');
  }
}

/** A held asset has no global funding index (the program cannot apply funding, B1.3). */
export class MissingFundingIndexError extends RangeCheckError {
  override name = 'MissingFundingIndexError';
  constructor(assetId: bigint) {
    super('fundingIndices', `0x${assetId.toString(16)}`, 'a global funding index for every asset the position holds');
  }
}

/** A held asset has no risk configuration (`SyntheticAssetInfo`, B1.1). */
export class MissingRiskFactorError extends RangeCheckError {
  override name = 'MissingRiskFactorError';
  constructor(assetId: bigint) {
    super('riskParams.assets', `0x${assetId.toString(16)}`, 'a risk factor for every asset the position holds');
  }
}

/** The same asset id twice in a price, funding-index or risk list (each list is a set). */
export class DuplicateAssetIdError extends RangeCheckError {
  override name = 'DuplicateAssetIdError';
  constructor(field: string, assetId: bigint) {
    super(field, `0x${assetId.toString(16)}`, 'each asset id at most once');
  }
}

/** A forced-withdrawal amount outside `0 <= amount < 2^64` (B2.1: the program asserts it). */
export class WithdrawalAmountRangeError extends RangeCheckError {
  override name = 'WithdrawalAmountRangeError';
}

/** An adverse-price margin outside `0 <= bps <= 10000`, or a funding projection out of range. */
export class AdverseScenarioRangeError extends RangeCheckError {
  override name = 'AdverseScenarioRangeError';
}

/** Price-conversion inputs (external price, resolutions) outside the program's bounds (B1.1). */
export class PriceConversionRangeError extends RangeCheckError {
  override name = 'PriceConversionRangeError';
}

/** A dYdX market parameter or amount that is not a decimal/fraction in its allowed range (B3). */
export class DydxMarginInputError extends RangeCheckError {
  override name = 'DydxMarginInputError';
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
