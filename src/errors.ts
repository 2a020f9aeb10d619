/**
 * Base error for everything Vigil's core throws on purpose.
 *
 * Modelled on viem's `BaseError` (wallet-practice.md §6.3): a short message a user can act on,
 * optional details for developers, and a `cause` chain that `walk()` follows. Each concern defines
 * small subclasses with a fixed `name`, so callers can branch on the class, never on message text.
 */
export type VigilErrorOptions = {
  /** The underlying error, kept on `cause` so the whole chain can be inspected. */
  cause?: unknown;
  /** Extra developer-facing lines appended to the message. */
  details?: string;
};

export class VigilError extends Error {
  override name = 'VigilError';
  /** The message without details: what a UI shows. */
  readonly shortMessage: string;
  readonly details: string | undefined;

  constructor(shortMessage: string, options: VigilErrorOptions = {}) {
    super(
      options.details ? `${shortMessage}\n\nDetails: ${options.details}` : shortMessage,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.shortMessage = shortMessage;
    this.details = options.details;
  }

  /** Follows the `cause` chain; returns the deepest error, or the first one `fn` accepts. */
  walk(fn?: (err: unknown) => boolean): unknown {
    let err: unknown = this;
    for (let depth = 0; depth < 64; depth++) {
      if (fn?.(err)) return err;
      const next = (err as { cause?: unknown } | null)?.cause;
      if (next === undefined || next === null) return fn ? null : err;
      err = next;
    }
    return fn ? null : err;
  }
}

/**
 * A value a check refused: the one error class every labelled check in `checks.ts` throws (and the
 * base of the per-concern input errors). It carries the field, the value and what was allowed, both
 * as properties (`field`, `value`, `range`) and in the message, e.g.
 * `amount: 18446744073709551616 is out of range; expected 0 <= amount < 2^64`. Callers that need the
 * field read `err.field`, never the message text; `detail` is the message without the `field: ` prefix.
 */
export class RangeCheckError extends VigilError {
  override name = 'RangeCheckError';
  readonly field: string;
  readonly value: unknown;
  readonly range: string;
  /** The message without the leading `field: `, for callers that prefix the field themselves. */
  readonly detail: string;
  constructor(field: string, value: unknown, range: string, options: VigilErrorOptions & { detail?: string } = {}) {
    const detail = options.detail ?? `${formatValue(value)} is out of range; expected ${range}`;
    super(`${field}: ${detail}`, options);
    this.field = field;
    this.value = value;
    this.range = range;
    this.detail = detail;
  }
}

/**
 * A value of the wrong type or shape (a string where a bigint belongs, null where an object does).
 * A RangeCheckError too — the value is outside the allowed set — so one `instanceof RangeCheckError`
 * and one `err.field` cover every check; `range` holds the expected type, e.g.
 * `amount: expected bigint, got string "12"`.
 */
export class TypeCheckError extends RangeCheckError {
  override name = 'TypeCheckError';
  /**
   * `secret: true` for a key, seed, signature or phrase: neither `value` nor the message holds it,
   * only its kind (`got array (value hidden)`).
   */
  constructor(field: string, value: unknown, expected: string, options: VigilErrorOptions & { secret?: boolean } = {}) {
    const { secret, ...rest } = options;
    const got = secret ? `${kindOf(value)} (value hidden)` : describeValue(value);
    super(field, secret ? '(hidden)' : value, expected, { ...rest, detail: `expected ${expected}, got ${got}` });
  }
}

/** The kind of a value as a message names it: `null`, `array`, `bigint`, `object`, … */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Kind plus a rendering for primitives (`string "12"`, `number 1.5`); kind only for objects. */
export function describeValue(value: unknown): string {
  const k = kindOf(value);
  if (k === 'string' || k === 'number' || k === 'bigint' || k === 'boolean') return `${k} ${formatValue(value)}`;
  return k;
}

/** Longest rendering of a value in a message; longer values are cut with `...`. */
const MAX_RENDER = 120;

/**
 * Control, bidi-override, zero-width and line/paragraph-separator characters: escaped so a hostile
 * value cannot reorder, hide or break the line of the message it is quoted in.
 */
const UNSAFE_CHARS =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters it escapes.
  /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/g;

function escapeUnsafe(s: string): string {
  return s.replace(UNSAFE_CHARS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function cut(s: string): string {
  if (s.length <= MAX_RENDER) return s;
  // Do not split a surrogate pair: the cut would leave half a character.
  let end = MAX_RENDER - 3;
  const c = s.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return `${s.slice(0, end)}...`;
}

/**
 * Renders a value for an error message without ever throwing (bigint, strings, objects, getters
 * that throw, cycles): at most ~120 characters, with control and bidi characters escaped.
 */
export function formatValue(value: unknown): string {
  if (typeof value === 'bigint') return cut(value.toString());
  if (typeof value === 'string') return escapeUnsafe(JSON.stringify(cut(value)));
  if (value === undefined) return 'undefined';
  if (typeof value === 'symbol' || typeof value === 'function') return typeof value;
  try {
    const s = JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
    return escapeUnsafe(cut(s === undefined ? String(value) : s));
  } catch {
    try {
      return escapeUnsafe(cut(String(value)));
    } catch {
      return kindOf(value);
    }
  }
}
