import type { RangeErrorClass } from './errors.js';
import { EthAddressError } from './errors.js';
import { TypeCheckError } from '../errors.js';
import { checkBoolean } from '../checks.js';

/**
 * Field parsing with range checks, applied to every message field before hashing
 * (signing-risk.md A2 bounds). Inputs follow @dydxprotocol/starkex-lib's conventions so its
 * Starkware objects can be passed as they are: integers as bigint, safe-integer number or base-10
 * string; asset ids, keys and conditions as bigint or hex string (0x optional).
 */
export type UintLike = bigint | number | string;

const DEC_RE = /^[0-9]{1,80}$/;
const HEX_RE = /^(0x)?[0-9a-fA-F]{1,80}$/;

type Bounds = { bits: number; min?: bigint; rangeText?: string };

function rangeText(field: string, b: Bounds): string {
  return b.rangeText ?? `${b.min ?? 0n} <= ${field} < 2^${b.bits}`;
}

function check(field: string, raw: unknown, value: bigint, Err: RangeErrorClass, b: Bounds): bigint {
  if (value < (b.min ?? 0n) || value >= 1n << BigInt(b.bits)) throw new Err(field, raw, rangeText(field, b));
  return value;
}

function fromNumber(field: string, value: number, Err: RangeErrorClass, b: Bounds): bigint {
  // A float here would be a unit mistake (human amount in a quantum field): refuse, don't round.
  if (!Number.isSafeInteger(value))
    throw new Err(field, value, `an integer (safe integer when passed as a number); ${rangeText(field, b)}`);
  return BigInt(value);
}

function notUint(field: string, value: unknown): TypeCheckError {
  return new TypeCheckError(field, value, 'bigint, integer number or string');
}

/** An unsigned integer field given in base 10 (amounts, nonce, position id, expiration). */
export function decUint(field: string, value: unknown, Err: RangeErrorClass, b: Bounds): bigint {
  if (typeof value === 'bigint') return check(field, value, value, Err, b);
  if (typeof value === 'number') return check(field, value, fromNumber(field, value, Err, b), Err, b);
  if (typeof value === 'string') {
    if (!DEC_RE.test(value)) throw new Err(field, value, `a base-10 integer string; ${rangeText(field, b)}`);
    return check(field, value, BigInt(value), Err, b);
  }
  throw notUint(field, value);
}

/** An unsigned integer field given in hex (asset ids, stark keys, conditions). */
export function hexUint(field: string, value: unknown, Err: RangeErrorClass, b: Bounds): bigint {
  if (typeof value === 'bigint') return check(field, value, value, Err, b);
  if (typeof value === 'number') return check(field, value, fromNumber(field, value, Err, b), Err, b);
  if (typeof value === 'string') {
    if (!HEX_RE.test(value)) throw new Err(field, value, `a hex string (0x optional); ${rangeText(field, b)}`);
    return check(field, value, BigInt(value.startsWith('0x') ? value : `0x${value}`), Err, b);
  }
  throw notUint(field, value);
}

export function boolField(field: string, value: unknown): boolean {
  return checkBoolean(field, value);
}

/** A 20-byte Ethereum address as 0x + 40 hex digits (any case; checksums are not enforced). */
export function ethAddressField(field: string, value: unknown): bigint {
  if (typeof value === 'bigint') return check(field, value, value, EthAddressError, { bits: 160 });
  if (typeof value !== 'string') throw new TypeCheckError(field, value, '0x-prefixed hex string');
  if (!/^0x[0-9a-fA-F]{40}$/.test(value)) throw new EthAddressError(field, value, '0x followed by 40 hex digits');
  return BigInt(value);
}

/** Packs fields most-significant first: pack([[a, wa], [b, wb]]) = a·2^wb + b (§0.3). Inputs already range-checked. */
export function pack(fields: ReadonlyArray<readonly [bigint, number]>): bigint {
  let word = 0n;
  for (const [value, width] of fields) word = (word << BigInt(width)) + value;
  return word;
}

export const AMOUNT_BITS = 64;
export const NONCE_BITS = 32;
export const POSITION_ID_BITS = 64;
export const EXPIRATION_BITS = 32;
