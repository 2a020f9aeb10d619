import { KeyError } from '../crypto/ecdsa-errors.js';
import { AMOUNT_BITS, EXPIRATION_BITS, NONCE_BITS, POSITION_ID_BITS, decUint, hexUint } from './fields.js';
import { AmountError, AssetIdError, ConditionError, ExpirationError, NonceError, PositionIdError } from './errors.js';
import { TypeCheckError } from '../errors.js';

/**
 * The perpetual message fields and their bounds (signing-risk.md A2): amounts < 2^64,
 * nonce < 2^32, position id < 2^64, expiration hours < 2^32, synthetic asset id < 2^120,
 * collateral / fee asset id < 2^250, public key 1..2^251-1, condition < 2^251.
 */

/** Options of every hash / conversion: `now` enables the "not already expired" check (A2.7). */
export type MessageOptions = {
  /** Current time (Date or Unix ms). When given, requests that expire at or before it are refused. */
  now?: Date | number;
};

export const HOUR_MS = 3_600_000;

export const amountField = (field: string, v: unknown): bigint => decUint(field, v, AmountError, { bits: AMOUNT_BITS });
export const nonceField = (field: string, v: unknown): bigint => decUint(field, v, NonceError, { bits: NONCE_BITS });
export const positionIdField = (field: string, v: unknown): bigint =>
  decUint(field, v, PositionIdError, { bits: POSITION_ID_BITS });
export const syntheticAssetIdField = (field: string, v: unknown): bigint =>
  hexUint(field, v, AssetIdError, { bits: 120 });
export const collateralAssetIdField = (field: string, v: unknown): bigint =>
  hexUint(field, v, AssetIdError, { bits: 250 });
export const conditionField = (field: string, v: unknown): bigint => hexUint(field, v, ConditionError, { bits: 251 });
/** A stark key inside a message: non-zero and < 2^251 (A2 bounds). */
export const messageStarkKeyField = (field: string, v: unknown): bigint =>
  hexUint(field, v, KeyError, { bits: 251, min: 1n });

/** `now` as Unix milliseconds, or undefined. */
export function nowMs(opts: MessageOptions | undefined): number | undefined {
  const now = opts?.now;
  if (now === undefined) return undefined;
  const ms = now instanceof Date ? now.getTime() : now;
  if (typeof ms !== 'number' || !Number.isFinite(ms))
    throw new TypeCheckError('now', now, 'a valid Date or Unix milliseconds');
  return ms;
}

/**
 * Expiration in hours since the epoch, < 2^32. With `now`, it must be after the current hour:
 * the batch's minimum expiration must exceed block.timestamp / 3600 on L1 (A2.7), so a request
 * with hours <= floor(now / 1 h) can never be included.
 */
export function expirationHoursField(field: string, v: unknown, opts?: MessageOptions): bigint {
  const hours = decUint(field, v, ExpirationError, { bits: EXPIRATION_BITS });
  const ms = nowMs(opts);
  if (ms !== undefined) {
    const currentHour = BigInt(Math.floor(ms / HOUR_MS));
    if (hours <= currentHour)
      throw new ExpirationError(
        field,
        v,
        `${currentHour} < ${field} < 2^32 (after the current hour; expired requests cannot be included)`,
      );
  }
  return hours;
}
