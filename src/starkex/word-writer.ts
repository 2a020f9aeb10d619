import { FIELD_PRIME } from '../crypto/field.js';
import { RangeCheckError } from '../errors.js';
import { boundText } from './word-reader.js';

/**
 * `value + bias`, checked to lie in [0, bound): the serialised form of a (possibly signed) value.
 * Throws RangeCheckError naming the field and its allowed range.
 */
export function checkedWord(field: string, value: bigint, bound: bigint = FIELD_PRIME, bias = 0n): bigint {
  if (typeof value !== 'bigint') throw new TypeError(`${field}: expected bigint, got ${typeof value}`);
  const word = value + bias;
  if (word < 0n || word >= bound) {
    const range = bias === 0n ? `0 <= ${field} < ${boundText(bound)}` : `-${boundText(bias)} <= ${field} < ${boundText(bound)} - ${boundText(bias)}`;
    throw new RangeCheckError(field, value, range);
  }
  return word;
}

/**
 * Builds L1 words, checking every value against the range its decoder accepts, so an encoder never
 * emits words that the chain (or our own decoder) would reject.
 */
export class WordWriter {
  readonly out: bigint[] = [];

  /** Appends `value`, which must satisfy 0 <= value < bound. */
  put(field: string, value: bigint, bound: bigint = FIELD_PRIME): this {
    this.out.push(checkedWord(field, value, bound));
    return this;
  }

  /** Appends `value + bias` for a signed value in [-bias, bound - bias). */
  putBiased(field: string, value: bigint, bias: bigint, bound: bigint): this {
    this.out.push(checkedWord(field, value, bound, bias));
    return this;
  }

  /** Appends a count word for a list. */
  putCount(field: string, n: number): this {
    return this.put(field, BigInt(n));
  }

  /** Appends words already checked (e.g. an encoded sub-structure). */
  putAll(words: readonly bigint[]): this {
    for (const w of words) this.out.push(w);
    return this;
  }

  /** Requires ids to be strictly ascending, as the decoders do. */
  ascending(field: string, ids: readonly bigint[]): this {
    for (let i = 1; i < ids.length; i++) {
      if (ids[i]! <= ids[i - 1]!) throw new RangeCheckError(`${field}[${i}]`, ids[i], `above ${field}[${i - 1}] = ${ids[i - 1]} (sorted, no duplicates)`);
    }
    return this;
  }
}
