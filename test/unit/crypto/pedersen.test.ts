import { describe, expect, it } from 'vitest';
import { FIELD_PRIME, pedersen, pedersenMany, RangeCheckError } from '../../../src/index.js';
import { HAVE_VECTORS, NO_VECTORS_MESSAGE, readVector } from '../../helpers/vectors.js';

describe('pedersen', () => {
  it.skipIf(!HAVE_VECTORS)(`reproduces signing/pedersen.json ${HAVE_VECTORS ? '' : NO_VECTORS_MESSAGE}`, () => {
    const { vectors } = readVector<{ vectors: { a: string; b: string; hash?: string; hash_dec?: string }[] }>('signing/pedersen.json');
    expect(vectors.length).toBe(4);
    for (const v of vectors) expect(pedersen(BigInt(v.a), BigInt(v.b))).toBe(BigInt((v.hash ?? v.hash_dec)!));
  });

  it('rejects inputs at or above the field prime, naming the argument', () => {
    expect(() => pedersen(FIELD_PRIME, 1n)).toThrow(RangeCheckError);
    expect(() => pedersen(1n, FIELD_PRIME)).toThrow(/^b: /);
    expect(() => pedersen(-1n, 0n)).toThrow(/^a: /);
  });

  it('pedersenMany matches pedersen element-wise and checks lengths', () => {
    expect(pedersenMany([1n, 3n], [2n, 4n])).toEqual([pedersen(1n, 2n), pedersen(3n, 4n)]);
    expect(() => pedersenMany([1n], [])).toThrow(RangeCheckError);
  });
});
