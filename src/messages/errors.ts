import { RangeCheckError } from '../errors.js';

/**
 * One error class per kind of bad message input (signing-risk.md A2, A3). Each carries field,
 * value and allowed range (RangeCheckError); callers branch on the class, never on the text.
 * Key, hash and signature errors live in crypto/ecdsa-errors.ts.
 */

/** An amount in quantums outside 0 <= amount < 2^64, or a human amount that is zero where it must not be. */
export class AmountError extends RangeCheckError {
  override name = 'AmountError';
}

/** A nonce outside 0 <= nonce < 2^32. */
export class NonceError extends RangeCheckError {
  override name = 'NonceError';
}

/** A position id outside 0 <= id < 2^64 (or a transfer to its own position). */
export class PositionIdError extends RangeCheckError {
  override name = 'PositionIdError';
}

/** An expiration outside 0 <= hours < 2^32, malformed, or already past at `now`. */
export class ExpirationError extends RangeCheckError {
  override name = 'ExpirationError';
}

/** An asset id outside its width (synthetic < 2^120, collateral/fee < 2^250). */
export class AssetIdError extends RangeCheckError {
  override name = 'AssetIdError';
}

/** A conditional-transfer condition or fact outside its range. */
export class ConditionError extends RangeCheckError {
  override name = 'ConditionError';
}

/** A market not in the dYdX market table. */
export class MarketError extends RangeCheckError {
  override name = 'MarketError';
}

/** A network id that dYdX v3 never ran on (1, 3, 5, 11155111). */
export class NetworkIdError extends RangeCheckError {
  override name = 'NetworkIdError';
}

/** A human decimal string that is not plain non-negative decimal notation (empty, sign, exponent, NaN...). */
export class DecimalError extends RangeCheckError {
  override name = 'DecimalError';
}

/** A human amount with more decimals than the asset's resolution allows (not a whole number of quantums). */
export class PrecisionError extends RangeCheckError {
  override name = 'PrecisionError';
}

/** A limit fee fraction outside 0 <= limitFee <= 1. */
export class FeeError extends RangeCheckError {
  override name = 'FeeError';
}

/** An order side other than "BUY" / "SELL". */
export class OrderSideError extends RangeCheckError {
  override name = 'OrderSideError';
}

/** A malformed Ethereum address (20 bytes hex). */
export class EthAddressError extends RangeCheckError {
  override name = 'EthAddressError';
}

/** An oracle price message field out of range (asset name, oracle name, price, timestamp). */
export class OraclePriceError extends RangeCheckError {
  override name = 'OraclePriceError';
}

/** Constructor shape shared by the classes above. */
export type RangeErrorClass = new (field: string, value: unknown, range: string) => RangeCheckError;
