import { pedersen as scurePedersen } from '@scure/starknet';
import { TypeCheckError } from '../../../src/errors.js';
import { describe, expect, it } from 'vitest';
import { assertFelt, FIELD_PRIME, pedersen, pedersenMany, RangeCheckError } from '../../helpers/core.js';
import { readVector } from '../../helpers/vectors.js';

describe('pedersen', () => {
  it(`reproduces signing/pedersen.json`, () => {
    const { vectors } = readVector<{ vectors: { a: string; b: string; hash?: string; hash_dec?: string }[] }>(
      'signing/pedersen.json',
    );
    expect(vectors.length).toBe(4);
    for (const v of vectors) expect(pedersen(BigInt(v.a), BigInt(v.b))).toBe(BigInt((v.hash ?? v.hash_dec)!));
    const many = pedersenMany(
      Array(10)
        .fill(vectors.map((v) => BigInt(v.a)))
        .flat(),
      Array(10)
        .fill(vectors.map((v) => BigInt(v.b)))
        .flat(),
    );
    expect(many).toEqual(
      Array(10)
        .fill(vectors.map((v) => BigInt((v.hash ?? v.hash_dec)!)))
        .flat(),
    );
  });

  it('agrees with @scure/starknet at the field boundary', () => {
    for (const [a, b] of [
      [0n, 0n],
      [FIELD_PRIME - 1n, FIELD_PRIME - 1n],
      [2n ** 248n, 2n ** 248n - 1n],
    ] as const) {
      expect(pedersen(a, b)).toBe(BigInt(scurePedersen(a, b)));
    }
  });

  it('rejects inputs at or above the field prime, naming the argument', () => {
    expect(() => pedersen(FIELD_PRIME, 1n)).toThrow(RangeCheckError);
    expect(() => pedersen(1n, FIELD_PRIME)).toThrow(/^b: /);
    expect(() => pedersen(-1n, 0n)).toThrow(/^a: /);
    expect(() => pedersen(2n ** 252n, 0n)).toThrow(RangeCheckError);
    expect(() => pedersen(1 as unknown as bigint, 0n)).toThrow(TypeCheckError);
    expect(() => assertFelt('x', FIELD_PRIME)).toThrow(/^x: \d+ is out of range; expected 0 <= x < P/);
  });

  it('pedersenMany matches pedersen element-wise and checks lengths', () => {
    expect(pedersenMany([1n, 3n], [2n, 4n])).toEqual([pedersen(1n, 2n), pedersen(3n, 4n)]);
    expect(pedersenMany([], [])).toEqual([]);
    const a = Array.from({ length: 40 }, (_, i) => BigInt(i) ** 40n % FIELD_PRIME);
    const b = a.map((x) => (x * 3n + 1n) % FIELD_PRIME);
    expect(pedersenMany(a, b)).toEqual(a.map((x, i) => pedersen(x, b[i]!)));
    expect(() => pedersenMany([1n], [])).toThrow(RangeCheckError);
  });

  it('pedersenMany rejects an out-of-range element, naming its index, in single and batch sizes', () => {
    const a = Array<bigint>(40).fill(5n);
    const b = Array<bigint>(40).fill(6n);
    expect(() => pedersenMany([...a.slice(0, 3), FIELD_PRIME], b.slice(0, 4))).toThrow(/^a\[3\]: /);
    const bad = b.slice();
    bad[37] = -1n;
    expect(() => pedersenMany(a, bad)).toThrow(RangeCheckError);
    expect(() => pedersenMany(a, bad)).toThrow(/^b\[37\]: -1 is out of range/);
    expect(() => pedersenMany([1 as unknown as bigint], [2n])).toThrow(TypeCheckError);
  });
});
