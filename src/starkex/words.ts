import { TypeCheckError, RangeCheckError } from '../errors.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { keccakHex } from '../crypto/keccak.js';
import { DecodeError } from './decode-error.js';

/** A 0x-prefixed hex string (structurally the same as viem's `Hex`). */
export type Hex = `0x${string}`;

/** 2^256: every L1 word is a uint256. */
export const WORD_BOUND = 1n << 256n;

/**
 * Serialises uint256 words as 32-byte big-endian values, i.e. `abi.encodePacked(uint256[])`, which is
 * what every keccak in l1-data-tree.md §2.4–§2.5 hashes. A word outside [0, 2^256) is not an L1 word.
 */
export function wordsToBytes(words: readonly bigint[], what = 'word list'): Uint8Array {
  checkWordArray(what, words);
  // Every word is checked before the buffer is allocated: a sparse array with a huge length fails
  // at its first hole instead of asking for length·32 bytes.
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (typeof w !== 'bigint') throw new TypeCheckError(`${what}[${i}]`, w, 'bigint');
    if (w < 0n || w >= WORD_BOUND) throw new DecodeError(what, i, 'a uint256 word (0 <= w < 2^256)', w);
  }
  const out = new Uint8Array(words.length * 32);
  for (let i = 0; i < words.length; i++) {
    let v = words[i]!;
    for (let b = i * 32 + 31; b >= i * 32 && v > 0n; b--) {
      out[b] = Number(v & 0xffn);
      v >>= 8n;
    }
  }
  return out;
}

/** keccak256 of the packed uint256 words, as 0x-prefixed 64 hex digits. */
export function keccakWords(words: readonly bigint[], what?: string): Hex {
  return keccakHex(wordsToBytes(words, what));
}

/** A word list argument must be an array (a string or null would otherwise fail deep inside). */
export function checkWordArray(what: string, words: unknown): asserts words is readonly unknown[] {
  if (!Array.isArray(words)) throw new TypeCheckError(what, words, 'an array of bigint words');
}

/**
 * A list of pages: an array of arrays of bigints. Checked word by word because `flat()` silently
 * drops holes inside pages, which would shift every later word.
 */
export function checkPages(what: string, pages: unknown): asserts pages is readonly (readonly bigint[])[] {
  checkWordArray(what, pages);
  for (let i = 0; i < pages.length; i++) {
    const page = pages[i];
    checkWordArray(`${what}[${i}]`, page);
    for (let j = 0; j < page.length; j++) {
      if (typeof page[j] !== 'bigint') throw new TypeCheckError(`${what}[${i}][${j}]`, page[j], 'bigint');
    }
  }
}

/** A uint256 as 0x-prefixed 64 hex digits. */
export function wordToHex(w: bigint): Hex {
  return `0x${w.toString(16).padStart(64, '0')}`;
}

/** Parses a hex word (with or without 0x, at most 64 digits) into a bigint. */
export function hexToWord(hex: string): bigint {
  const field = 'hex word';
  if (typeof hex !== 'string') throw new TypeCheckError(field, hex, 'a hex string');
  const h = hex.startsWith('0x') || hex.startsWith('0X') ? hex.slice(2) : hex;
  if (h.length === 0 || h.length > 64 || !/^[0-9a-fA-F]+$/.test(h))
    throw new RangeCheckError(field, hex, '1 to 64 hex digits (0x optional)');
  return BigInt(`0x${h}`);
}

/**
 * Splits a packed hex string (calldata-style, 64 hex digits per word, optional 0x) into words.
 */
export function hexToWords(hex: string): bigint[] {
  const field = 'packed words';
  const digits = hex.startsWith('0x') || hex.startsWith('0X') ? hex.slice(2) : hex;
  if (!/^[0-9a-fA-F]*$/.test(digits) || digits.length % 64 !== 0)
    throw new RangeCheckError(field, hex, 'hex digits, 64 per word (0x optional)');
  const bytes = hexToBytes(digits);
  const out: bigint[] = [];
  for (let i = 0; i < bytes.length; i += 32) out.push(BigInt(`0x${bytesToHex(bytes.subarray(i, i + 32))}`));
  return out;
}
