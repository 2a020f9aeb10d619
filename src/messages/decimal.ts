import { DecimalError, PrecisionError } from './errors.js';
import { TypeCheckError } from '../errors.js';
import { checkBigint, checkOneOf } from '../checks.js';

/**
 * Exact decimal arithmetic for human amounts (signing-risk.md A3.4–A3.5): no floating point
 * anywhere. A value is coefficient / 10^scale with bigint coefficient, so "1.50" and "1.5" give
 * the same quantums.
 */
export type Decimal = { readonly coefficient: bigint; readonly scale: number };
export type Rounding = 'exact' | 'up' | 'down';

// Plain decimal notation only: no sign, no exponent, no spaces, no "NaN"/"Infinity", no bare "."
const DECIMAL_RE = /^([0-9]+)(?:\.([0-9]+))?$/;
const MAX_LENGTH = 100;
const FORMAT =
  'a non-negative decimal string such as "1.5" (digits, optional "." and digits; no sign, exponent, spaces or NaN)';

/** Parses a human decimal string; throws DecimalError naming `field` on anything else. */
export function parseHumanDecimal(value: unknown, field = 'value'): Decimal {
  if (typeof value !== 'string') {
    // A JS number has already been through binary floating point: refuse rather than guess.
    throw new TypeCheckError(
      field,
      value,
      `a decimal string${typeof value === 'number' ? ' (pass numbers as strings to keep them exact)' : ''}`,
    );
  }
  const m = value.length <= MAX_LENGTH ? DECIMAL_RE.exec(value) : null;
  if (!m) throw new DecimalError(field, value, FORMAT);
  const frac = m[2] ?? '';
  return { coefficient: BigInt(m[1]! + frac), scale: frac.length };
}

export function isZero(d: Decimal): boolean {
  return d.coefficient === 0n;
}

/**
 * A resolution's number of decimals: an integer 0..MAX_DECIMALS. Checked because 10^decimals is
 * computed from it: a stray 1e9 would be a multi-second bigint, a negative or fractional one nonsense.
 * dYdX's largest is 18 (oracle prices); 77 is the most a uint256 can hold.
 */
export const MAX_DECIMALS = 77;
function checkDecimals(decimals: unknown): asserts decimals is number {
  if (!Number.isSafeInteger(decimals) || (decimals as number) < 0 || (decimals as number) > MAX_DECIMALS) {
    throw new PrecisionError('decimals', decimals, `an integer 0 <= decimals <= ${MAX_DECIMALS}`);
  }
}

/** Exact product (A3.4: quote = size × price). */
export function multiplyDecimals(a: Decimal, b: Decimal): Decimal {
  return { coefficient: a.coefficient * b.coefficient, scale: a.scale + b.scale };
}

/**
 * Integer number of quantums of 10^-decimals in `d`. 'exact' throws PrecisionError if `d` has
 * more decimals than the resolution (non-zero beyond it); 'up' / 'down' round toward ±infinity.
 */
export function decimalToQuantums(
  field: string,
  original: unknown,
  d: Decimal,
  decimals: number,
  rounding: Rounding,
): bigint {
  checkDecimals(decimals);
  checkOneOf('rounding', rounding, ['exact', 'up', 'down']);
  if (d.scale <= decimals) return d.coefficient * 10n ** BigInt(decimals - d.scale);
  const divisor = 10n ** BigInt(d.scale - decimals);
  const q = d.coefficient / divisor;
  const remainder = d.coefficient % divisor;
  if (remainder === 0n) return q;
  if (rounding === 'exact') {
    throw new PrecisionError(field, original, `a multiple of 1e-${decimals} (at most ${decimals} decimal places)`);
  }
  return rounding === 'up' ? q + 1n : q;
}

/** Parse + convert: human string → quantums with the given rounding. */
export function humanToQuantums(
  value: unknown,
  decimals: number,
  rounding: Rounding = 'exact',
  field = 'amount',
): bigint {
  return decimalToQuantums(field, value, parseHumanDecimal(value, field), decimals, rounding);
}

/** Quantums → canonical human string (no trailing zeros, no exponent), e.g. 1000 @ 9 → "0.000001". */
export function quantumsToHuman(quantums: bigint, decimals: number): string {
  checkBigint('quantums', quantums, 0n);
  checkDecimals(decimals);
  const digits = quantums.toString().padStart(decimals + 1, '0');
  const int = digits.slice(0, digits.length - decimals);
  const frac = digits.slice(digits.length - decimals).replace(/0+$/, '');
  return frac ? `${int}.${frac}` : int;
}
