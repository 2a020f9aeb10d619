import { FIELD_PRIME } from './crypto/field.js';
import { RangeCheckError, TypeCheckError } from './errors.js';

/**
 * Labelled checks for values that cross an edge of the core: RPC params, L1 words, parsed storage,
 * message fields (in the style of noble's `abytes(value, length, title)`). Each one either returns
 * the value, narrowed, or throws a `RangeCheckError` (`TypeCheckError` for a wrong type) that names
 * the field, the value and what was allowed. Use them where untrusted data enters; code behind the
 * edge trusts its types and does not check again.
 */

/** A 0x-prefixed hex string (the same type as viem's and starkex/words' `Hex`). */
type Hex = `0x${string}`;

const HEX_RE = /^0x[0-9a-fA-F]*$/;
const ADDRESS_RE = /^0x[0-9a-fA-F]{40}$/;

/** Renders a bigint bound as `2^n` / `2^n - 1` when it is one, else in decimal. */
function boundText(n: bigint): string {
  if (n > 1n << 16n) {
    if ((n & (n - 1n)) === 0n) return `2^${n.toString(2).length - 1}`;
    if (((n + 1n) & n) === 0n) return `2^${n.toString(2).length} - 1`;
  }
  return n.toString();
}

/** A bigint with `min <= value <= maxInclusive` (either bound optional). */
export function checkBigint(field: string, value: unknown, min?: bigint, maxInclusive?: bigint): bigint {
  if (typeof value !== 'bigint') throw new TypeCheckError(field, value, 'bigint');
  if ((min !== undefined && value < min) || (maxInclusive !== undefined && value > maxInclusive)) {
    const lo = min === undefined ? '' : `${boundText(min)} <= `;
    const hi = maxInclusive === undefined ? '' : ` <= ${boundText(maxInclusive)}`;
    throw new RangeCheckError(field, value, `${lo}${field}${hi}`);
  }
  return value;
}

/** An unsigned bigint of at most `bits` bits: `0 <= value < 2^bits`. */
export function checkUint(field: string, value: unknown, bits: number): bigint {
  if (typeof value !== 'bigint') throw new TypeCheckError(field, value, 'bigint');
  if (value < 0n || value >= 1n << BigInt(bits)) throw new RangeCheckError(field, value, `0 <= ${field} < 2^${bits}`);
  return value;
}

/** A STARK field element: `0 <= value < P`. */
export function checkFelt(field: string, value: unknown): bigint {
  if (typeof value !== 'bigint') throw new TypeCheckError(field, value, 'bigint');
  if (value < 0n || value >= FIELD_PRIME)
    throw new RangeCheckError(field, value, `0 <= ${field} < P (2^251 + 17·2^192 + 1)`);
  return value;
}

/** A safe integer number with `min <= value <= maxInclusive`. */
export function checkInteger(
  field: string,
  value: unknown,
  min = Number.MIN_SAFE_INTEGER,
  maxInclusive = Number.MAX_SAFE_INTEGER,
): number {
  if (typeof value !== 'number') throw new TypeCheckError(field, value, 'an integer number');
  if (!Number.isSafeInteger(value) || value < min || value > maxInclusive) {
    const lo = min === Number.MIN_SAFE_INTEGER ? '' : `${min} <= `;
    const hi = maxInclusive === Number.MAX_SAFE_INTEGER ? '' : ` <= ${maxInclusive}`;
    throw new RangeCheckError(field, value, `a safe integer ${lo}${field}${hi}`.trimEnd());
  }
  return value;
}

/** A boolean. */
export function checkBoolean(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new TypeCheckError(field, value, 'boolean');
  return value;
}

/** A string, optionally of bounded length and matching `pattern` (described by `expected`). */
export function checkString(
  field: string,
  value: unknown,
  opts: { maxLength?: number; pattern?: RegExp; expected?: string } = {},
): string {
  if (typeof value !== 'string') throw new TypeCheckError(field, value, opts.expected ?? 'string');
  if (opts.maxLength !== undefined && value.length > opts.maxLength)
    throw new RangeCheckError(field, value, `at most ${opts.maxLength} characters`);
  if (opts.pattern && !opts.pattern.test(value))
    throw new RangeCheckError(field, value, opts.expected ?? `a string matching ${opts.pattern}`);
  return value;
}

/** A 0x-prefixed hex string of whole bytes; of exactly `bytes` bytes when given. */
export function checkHex(field: string, value: unknown, opts: { bytes?: number } = {}): Hex {
  const expected = opts.bytes === undefined ? '0x-prefixed hex bytes' : `0x followed by ${opts.bytes * 2} hex digits`;
  if (typeof value !== 'string') throw new TypeCheckError(field, value, expected);
  const ok =
    HEX_RE.test(value) && value.length % 2 === 0 && (opts.bytes === undefined || value.length === 2 + opts.bytes * 2);
  if (!ok) throw new RangeCheckError(field, value, expected);
  return value as Hex;
}

/** A 20-byte Ethereum address, 0x + 40 hex digits (any case; checksums are not enforced). */
export function checkAddress(field: string, value: unknown): Hex {
  if (typeof value !== 'string') throw new TypeCheckError(field, value, 'an address (0x followed by 40 hex digits)');
  if (!ADDRESS_RE.test(value)) throw new RangeCheckError(field, value, '0x followed by 40 hex digits');
  return value as Hex;
}

/** A plain object (not null, not an array). `expected` describes its shape in the message. */
export function checkObject(field: string, value: unknown, expected = 'an object'): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new TypeCheckError(field, value, expected);
  return value as Record<string, unknown>;
}

/** An array. `expected` describes its elements in the message. */
export function checkArray(field: string, value: unknown, expected = 'an array'): readonly unknown[] {
  if (!Array.isArray(value)) throw new TypeCheckError(field, value, expected);
  return value;
}

/**
 * An array whose every element is a bigint, checked element by element (a hole fails at its index:
 * `flat()` or `map()` would skip it silently). Bounds per element are optional.
 */
export function checkBigintArray(
  field: string,
  value: unknown,
  min?: bigint,
  maxInclusive?: bigint,
): readonly bigint[] {
  const list = checkArray(field, value, 'an array of bigint');
  for (let i = 0; i < list.length; i++) checkBigint(`${field}[${i}]`, list[i], min, maxInclusive);
  return list as readonly bigint[];
}

/** One of a fixed set of primitive values (`'floor' | 'ceil'`, an order side, …). */
export function checkOneOf<const T extends string | number | boolean | bigint>(
  field: string,
  value: unknown,
  allowed: readonly T[],
): T {
  if (!allowed.includes(value as T)) {
    const text = allowed.map((a) => (typeof a === 'string' ? JSON.stringify(a) : String(a))).join(' | ');
    if (allowed.every((a) => typeof a === typeof value)) throw new RangeCheckError(field, value, `one of ${text}`);
    throw new TypeCheckError(field, value, `one of ${text}`);
  }
  return value as T;
}
