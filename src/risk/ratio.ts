import { RiskInputError } from './errors.js';

/**
 * An exact rational number `num / den` (den > 0, reduced). The dYdX user-facing numbers (B3) are
 * defined on decimals; computing them on ratios keeps every intermediate exact, and rounding happens
 * once, when formatting.
 */
export type Ratio = { readonly num: bigint; readonly den: bigint };

function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

export function ratio(num: bigint, den = 1n): Ratio {
  if (den === 0n) throw new RangeError('ratio: zero denominator');
  if (den < 0n) [num, den] = [-num, -den];
  const g = gcd(num, den) || 1n;
  return { num: num / g, den: den / g };
}

export const ratioAdd = (a: Ratio, b: Ratio): Ratio => ratio(a.num * b.den + b.num * a.den, a.den * b.den);
export const ratioSub = (a: Ratio, b: Ratio): Ratio => ratio(a.num * b.den - b.num * a.den, a.den * b.den);
export const ratioMul = (a: Ratio, b: Ratio): Ratio => ratio(a.num * b.num, a.den * b.den);
export const ratioDiv = (a: Ratio, b: Ratio): Ratio => ratio(a.num * b.den, a.den * b.num);
export const ratioAbs = (a: Ratio): Ratio => (a.num < 0n ? { num: -a.num, den: a.den } : a);
export const ratioSign = (a: Ratio): -1 | 0 | 1 => (a.num < 0n ? -1 : a.num > 0n ? 1 : 0);
export const ratioCmp = (a: Ratio, b: Ratio): -1 | 0 | 1 => ratioSign(ratioSub(a, b));
export const ratioFloor = (a: Ratio): bigint => (a.num >= 0n ? a.num / a.den : -((-a.num + a.den - 1n) / a.den));
export const ratioCeil = (a: Ratio): bigint => -ratioFloor({ num: -a.num, den: a.den });

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/;
/** Longer texts are refused before parsing: the gcd of huge operands would be quadratic work. */
const MAX_TEXT_LENGTH = 100;
const FRACTION = /^([+-]?\d+)\/(\d+)$/;

/** Parses `"-18000"`, `"0.05"`, `"42922.8550"` or `"1/20"` exactly; `field` names it in errors. */
export function parseRatio(field: string, text: string): Ratio {
  if (typeof text !== 'string')
    throw new RiskInputError(field, text, 'a decimal string such as "0.05" or a fraction "1/20"');
  if (text.length > MAX_TEXT_LENGTH) throw new RiskInputError(field, text, `at most ${MAX_TEXT_LENGTH} characters`);
  const t = text.trim();
  const f = FRACTION.exec(t);
  if (f && BigInt(f[2]!) !== 0n) return ratio(BigInt(f[1]!), BigInt(f[2]!));
  const d = DECIMAL.exec(t);
  if (!d) throw new RiskInputError(field, text, 'a decimal string such as "0.05" or a fraction "1/20"');
  const frac = d[3] ?? '';
  const num = BigInt(d[2]! + frac) * (d[1] === '-' ? -1n : 1n);
  return ratio(num, 10n ** BigInt(frac.length));
}

/** A caller-supplied ratio: bigint numerator, bigint denominator > 0 (as `ratio()` returns them). */
export function checkRatio(field: string, r: unknown): Ratio {
  const x = r as Ratio | null;
  if (x === null || typeof x !== 'object' || typeof x.num !== 'bigint' || typeof x.den !== 'bigint' || x.den <= 0n) {
    throw new RiskInputError(field, r, 'a decimal string or a ratio { num: bigint, den: bigint > 0 }');
  }
  return x;
}

/** Decimal text with `digits` fractional digits (an integer 0..100), rounded half away from zero. */
export function formatRatio(a: Ratio, digits = 6): string {
  checkRatio('ratio', a);
  if (!Number.isSafeInteger(digits) || digits < 0 || digits > 100)
    throw new RiskInputError('digits', digits, 'an integer 0 <= digits <= 100');
  const scale = 10n ** BigInt(digits);
  const neg = a.num < 0n;
  const n = (neg ? -a.num : a.num) * scale;
  const q = (2n * n + a.den) / (2n * a.den); // round half up on the magnitude
  const s = q.toString().padStart(digits + 1, '0');
  const body = digits === 0 ? s : `${s.slice(0, -digits)}.${s.slice(-digits)}`;
  return neg && q !== 0n ? `-${body}` : body;
}
