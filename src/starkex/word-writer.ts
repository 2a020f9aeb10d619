import { FIELD_PRIME } from '../crypto/field.js';
import { RangeCheckError, TypeCheckError } from '../errors.js';
import { boundText } from './word-reader.js';

/**
 * `value + bias`, checked to lie in [0, bound): the serialised form of a (possibly signed) value.
 * Throws RangeCheckError naming the field and its allowed range.
 */
export function checkedWord(field: string, value: bigint, bound: bigint = FIELD_PRIME, bias = 0n): bigint {
  if (typeof value !== 'bigint') throw new TypeCheckError(field, value, 'bigint');
  const word = value + bias;
  if (word < 0n || word >= bound) {
    const range =
      bias === 0n
        ? `0 <= ${field} < ${boundText(bound)}`
        : `-${boundText(bias)} <= ${field} < ${boundText(bound)} - ${boundText(bias)}`;
    throw new RangeCheckError(field, value, range);
  }
  return word;
}

/** An encoder's input object: anything else is a TypeError naming the field, not a crash inside. */
export function checkedObject(field: string, value: unknown): void {
  if (value === null || typeof value !== 'object') throw new TypeCheckError(field, value, 'an object');
}

/**
 * An encoder's input list: an array whose every entry is an object (or a bigint for `kind` 'bigint').
 * Holes are refused here, since map / for-of would otherwise skip them or hand on undefined.
 */
export function checkedList<T>(field: string, list: readonly T[], kind: 'object' | 'bigint' = 'object'): readonly T[] {
  if (!Array.isArray(list)) throw new TypeCheckError(field, list, 'an array');
  for (let i = 0; i < list.length; i++) {
    const e: unknown = list[i];
    const ok = kind === 'bigint' ? typeof e === 'bigint' : e !== null && typeof e === 'object';
    if (!ok) throw new TypeCheckError(`${field}[${i}]`, e, kind === 'bigint' ? 'bigint' : 'an object');
  }
  return list;
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
      if (ids[i]! <= ids[i - 1]!)
        throw new RangeCheckError(
          `${field}[${i}]`,
          ids[i],
          `above ${field}[${i - 1}] = ${ids[i - 1]} (sorted, no duplicates)`,
        );
    }
    return this;
  }
}
