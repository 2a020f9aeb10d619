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
 * A value outside its allowed range. The message always names the field, the value and the range,
 * e.g. `amount: 18446744073709551616 is out of range; expected 0 <= amount < 2^64`.
 */
export class RangeCheckError extends VigilError {
  override name = 'RangeCheckError';
  readonly field: string;
  readonly value: unknown;
  readonly range: string;
  constructor(field: string, value: unknown, range: string, options: VigilErrorOptions = {}) {
    super(`${field}: ${formatValue(value)} is out of range; expected ${range}`, options);
    this.field = field;
    this.value = value;
    this.range = range;
  }
}

/** Renders a value for an error message without ever throwing (bigint, strings, objects). */
export function formatValue(value: unknown): string {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return JSON.stringify(value.length > 120 ? `${value.slice(0, 117)}...` : value);
  if (value === undefined) return 'undefined';
  try {
    const s = JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
    return s === undefined ? String(value) : s.length > 120 ? `${s.slice(0, 117)}...` : s;
  } catch {
    return String(value);
  }
}
