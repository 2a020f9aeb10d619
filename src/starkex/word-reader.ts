import { TypeCheckError } from '../errors.js';
import { FIELD_PRIME } from '../crypto/field.js';
import { ASSET_ID_BOUND } from './asset-id.js';
import { DecodeError } from './decode-error.js';
import { checkWordArray } from './words.js';

/**
 * A cursor over L1 words that never trusts the data: every read checks the word exists and lies in
 * its range, every count is checked against the words actually left before anything loops or
 * allocates on it (l1-data-tree.md §3.7: l2beat's decoder skips such checks). Error offsets are
 * absolute (`base` + position) so they point at the word of the page the user holds.
 */
export class WordReader {
  pos: number;
  readonly end: number;
  constructor(
    readonly words: readonly bigint[],
    readonly what: string,
    readonly base = 0,
    start = 0,
    end?: number,
  ) {
    // Checked before `words.length` is read: null or a string must not fail deep inside.
    checkWordArray(what, words);
    this.pos = start;
    this.end = end ?? words.length;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  /** Absolute offset of the next word. */
  get offset(): number {
    return this.base + this.pos;
  }

  fail(expected: string, found: unknown, at = this.pos): never {
    throw new DecodeError(this.what, this.base + at, expected, found);
  }

  /** The next word, which must be below `bound` (a field element unless told otherwise). */
  read(expected: string, bound: bigint = FIELD_PRIME): bigint {
    if (this.pos >= this.end) this.fail(expected, 'end of data');
    const w = this.words[this.pos];
    if (typeof w !== 'bigint') throw new TypeCheckError(`${this.what}[${this.offset}]`, w, 'bigint');
    if (w < 0n || w >= bound) this.fail(`${expected} (0 <= w < ${boundText(bound)})`, w);
    this.pos++;
    return w;
  }

  /**
   * A number of entries of `wordsPerEntry` words each, which must fit in the words left after
   * `reserve` further words. Only a count that passed this check is turned into a JS number.
   */
  count(expected: string, wordsPerEntry: number, reserve = 0): number {
    const at = this.pos;
    const n = this.read(expected);
    const room = Math.max(0, Math.floor((this.remaining - reserve) / wordsPerEntry));
    if (n > BigInt(room)) this.fail(`${expected} <= ${room} (fits in the ${this.remaining} words left)`, n, at);
    return Number(n);
  }

  /** A size word: a number of words that must all be present (after `reserve` further words). */
  size(expected: string, reserve = 0): number {
    return this.count(expected, 1, reserve);
  }

  /** A reader over the next `n` words (already checked to exist); this reader skips past them. */
  take(n: number, what = this.what): WordReader {
    const sub = new WordReader(this.words, what, this.base, this.pos, this.pos + n);
    this.pos += n;
    return sub;
  }

  /** Requires every word of this reader to have been consumed. */
  expectEnd(expected: string): void {
    if (this.pos !== this.end) this.fail(expected, `${this.end - this.pos} more word(s)`);
  }
}

/** Renders a bound as a power of two or the field prime, for messages. */
export function boundText(bound: bigint): string {
  if (bound === FIELD_PRIME) return 'P';
  if (bound > 0n && (bound & (bound - 1n)) === 0n) return `2^${bound.toString(2).length - 1}`;
  return bound.toString();
}

/** Requires strictly ascending ids (Cairo's sorted, duplicate-free lists). */
export function checkAscending(r: WordReader, prev: bigint | undefined, id: bigint, at: number, name: string): void {
  if (prev !== undefined && id <= prev)
    r.fail(`${name} above the previous one (${prev}): sorted, no duplicates`, id, at);
}

/**
 * `n` entries keyed by asset id, ids strictly ascending (Cairo's sorted dicts): each entry is its
 * asset id word, then what `rest` reads after it.
 */
export function readAssetEntries<T>(r: WordReader, n: number, rest: (assetId: bigint) => T): T[] {
  const out: T[] = [];
  let prev: bigint | undefined;
  for (let k = 0; k < n; k++) {
    const at = r.pos;
    const assetId = r.read('asset id', ASSET_ID_BOUND);
    checkAscending(r, prev, assetId, at, 'asset id');
    prev = assetId;
    out.push(rest(assetId));
  }
  return out;
}
