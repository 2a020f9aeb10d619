/**
 * Tagged JSON: JSON that keeps bigints. A bigint is written as {"$bigint": "<decimal>"}, an object
 * with that one key, so nothing else can be mistaken for one. The one codec for everything that
 * crosses JSON: chrome.runtime messages (which serialise with JSON and throw on a bigint), the
 * approval queue's IndexedDB records, exit flows in files, settings typed in by hand. Pure: no
 * chrome, no DOM.
 *
 * Two shapes of the same encoding: `toTagged`/`fromTagged` give and take a JSON-safe value (what a
 * message carries), `toTaggedJson`/`fromTaggedJson` the text.
 */
import { RangeCheckError } from '../errors.js';

export const BIGINT_TAG = '$bigint';

/**
 * At most 80 decimal digits: a 256-bit word has 78, a Stark field element 76. A longer string is
 * refused rather than handed to BigInt (whose cost grows with the length).
 */
const BIGINT_TEXT = /^-?\d{1,80}$/;

/** A `{"$bigint": …}` whose value is not a decimal integer of at most 80 digits. */
export class TaggedJsonError extends RangeCheckError {
  override name = 'TaggedJsonError';
}

function replacer(_key: string, v: unknown): unknown {
  return typeof v === 'bigint' ? { [BIGINT_TAG]: v.toString() } : v;
}

function reviver(key: string, v: unknown): unknown {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  const keys = Object.keys(v);
  if (keys.length !== 1 || keys[0] !== BIGINT_TAG) return v;
  const s = (v as Record<string, unknown>)[BIGINT_TAG];
  if (typeof s !== 'string' || !BIGINT_TEXT.test(s))
    throw new TaggedJsonError(
      key === '' ? BIGINT_TAG : `${key}.${BIGINT_TAG}`,
      typeof s === 'string' ? s.slice(0, 40) : s,
      'a decimal integer string of 1 to 80 digits',
    );
  return BigInt(s);
}

/** The text of `v`, bigints tagged. */
export function toTaggedJson(v: unknown): string {
  return JSON.stringify(v, replacer);
}

/** Parses tagged JSON text; throws SyntaxError on bad JSON, TaggedJsonError on a bad bigint. */
export function fromTaggedJson<T = unknown>(text: string): T {
  return JSON.parse(text, reviver) as T;
}

/** `v` as a JSON-safe value (what JSON.stringify would keep), bigints tagged. */
export function toTagged(v: unknown): unknown {
  const text = toTaggedJson(v);
  return text === undefined ? undefined : JSON.parse(text);
}

/** The inverse of `toTagged`: tagged bigints become bigints again. */
export function fromTagged<T = unknown>(v: unknown): T {
  const text = JSON.stringify(v);
  return (text === undefined ? undefined : fromTaggedJson(text)) as T;
}
