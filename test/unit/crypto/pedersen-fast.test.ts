import { pedersen as scurePedersen } from '@scure/starknet';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RangeCheckError } from '../../../src/errors.js';
import { FIELD_PRIME as P } from '../../../src/crypto/field.js';
import { PEDERSEN_POINTS, isOnCurve } from '../../../src/crypto/pedersen-curve.js';
import { BATCH_CHUNK, BATCH_THRESHOLD, pedersenFastMany, pedersenFastOne } from '../../../src/crypto/pedersen-fast.js';
import {
  buildPedersenTables,
  DEFAULT_WINDOW_BITS,
  pedersenTables,
  pedersenTablesBuilt,
} from '../../../src/crypto/pedersen-tables.js';
import { xorshift128plus } from '../../../devnet/lib/rng.js';
import { readVector } from '../../helpers/vectors.js';

// Differential tests of the fast Pedersen (src/crypto/pedersen-fast.ts) against @scure/starknet.
// verification-and-performance.md §2.1 lists the edge cases; l1-data-tree.md §4.2 the definition.

const ref = (a: bigint, b: bigint): bigint => BigInt(scurePedersen(a, b));

/** Seeded xorshift128+ (the generator §2.1 uses), returning field elements below 2^251 or P. */
function seededFelts(seed: bigint, count: number): bigint[] {
  const next = xorshift128plus(seed, seed * 0x9e3779b97f4a7c15n);
  const out: bigint[] = [];
  for (let i = 0; i < count; i++) {
    const v = (next() << 192n) | (next() << 128n) | (next() << 64n) | next();
    // Mostly < 2^251 like §2.1, every 8th one anywhere in [0, P) so a_high = 8 is covered too.
    out.push(i % 8 === 7 ? v % P : v >> 5n);
  }
  return out;
}

const EDGES: bigint[] = [
  0n,
  1n,
  2n,
  P - 1n, // top bit set, a_high = 8
  P - 2n,
  2n ** 248n - 1n, // every low window all ones: the signed recoding carries through all of them
  2n ** 248n,
  2n ** 248n + 1n,
  2n ** 251n, // a_high = 8, low part 0
  2n ** 251n - 1n, // a_high = 7, low part all ones
  2n ** 251n + 17n * 2n ** 192n, // = P − 1 written as in the spec
  7n * 2n ** 248n + 0x1234n, // a_high = 7, small low part
  2n ** 250n + 2n ** 249n + 2n ** 248n + (2n ** 247n - 1n),
  0x03d937c035c878245caf64531a5756109c53068da139362728feb561405371cbn, // StarkWare KAT inputs
  0x0208a0a10250e382e1e4bbe2880906c2791bf6275695e02fbbc6aeff9cd8b31an,
];

describe('fast Pedersen: constants and tables', () => {
  it('uses the spec constant points (l1-data-tree.md §4.2), all on the curve', () => {
    const specX = [
      0x49ee3eba8c1600700ee1b87eb599f16716b0b1022947733551fde4050ca6804n,
      0x234287dcbaffe7f969c748655fca9e58fa8120b6d56eb0c1080d17957ebe47bn,
      0x4fa56f376c83db33f9dab2656558f3399099ec1de5e3018b7a6932dba8aa378n,
      0x4ba4cc166be8dec764910f75b45f74b40c690c74709e90f3aa372f0bd2d6997n,
      0x54302dcb0e6cc1c6e44cca8f61a63bb2ca65048d53fb325d36ff12c49a58202n,
    ];
    expect(PEDERSEN_POINTS.map((p) => p[0])).toEqual(specX);
    for (const [x, y] of PEDERSEN_POINTS) expect(isOnCurve(x, y)).toBe(true);
    expect(isOnCurve(PEDERSEN_POINTS[0][0], PEDERSEN_POINTS[0][1] + 1n)).toBe(false);
  });

  it('builds the default tables lazily, once, with every used entry on the curve', () => {
    // Nothing in this file has hashed yet (vitest isolates module state per test file).
    expect(pedersenTablesBuilt()).toBe(false);
    const t = pedersenTables();
    expect(pedersenTablesBuilt()).toBe(true);
    expect(pedersenTables()).toBe(t);
    expect(t.windowBits).toBe(DEFAULT_WINDOW_BITS);
    expect(t.termCount).toBe(2 * t.signedWindows + 2);
    expect(t.signedWindows * t.windowBits + t.topBits).toBe(248);
    const bComboZero = t.comboStart[1];
    for (let i = 0; i < t.x.length; i += 97) {
      if (i !== bComboZero) expect(isOnCurve(t.x[i]!, t.y[i]!), `entry ${i}`).toBe(true);
    }
  });

  it('rejects window widths outside 2..12 with a RangeCheckError naming windowBits', () => {
    for (const w of [1, 13, 8.5]) {
      expect(() => buildPedersenTables(w)).toThrow(RangeCheckError);
      expect(() => buildPedersenTables(w)).toThrow(
        expect.objectContaining({ field: 'windowBits', value: w, range: 'an integer 2..12' }),
      );
    }
  });
});

describe('fast Pedersen against @scure/starknet', () => {
  it(`reproduces vectors/l1tree-pedersen-expected.json`, () => {
    const { cases } = readVector<{ cases: { a: string; b: string; expected: string }[] }>(
      'l1tree-pedersen-expected.json',
    );
    expect(cases.length).toBeGreaterThanOrEqual(4);
    const a = cases.map((c) => BigInt(c.a));
    const b = cases.map((c) => BigInt(c.b));
    const want = cases.map((c) => BigInt(c.expected));
    expect(a.map((x, i) => pedersenFastOne(x, b[i]!))).toEqual(want);
    // Repeated past the batch threshold so the batch path runs on the published vectors too.
    const reps = Math.ceil(BATCH_THRESHOLD / cases.length) + 1;
    expect(pedersenFastMany(Array(reps).fill(a).flat(), Array(reps).fill(b).flat())).toEqual(
      Array(reps).fill(want).flat(),
    );
  });

  it('agrees on 2000 seeded random pairs, single and batch paths', () => {
    const a = seededFelts(0x5eed1n, 2000);
    const b = seededFelts(0x5eed2n, 2000);
    const want = a.map((x, i) => ref(x, b[i]!));
    expect(pedersenFastMany(a, b)).toEqual(want);
    const sample = a.slice(0, 300);
    expect(sample.map((x, i) => pedersenFastOne(x, b[i]!))).toEqual(want.slice(0, 300));
  });

  it('agrees on every pair of edge values (0, 1, P−1, 2^248 ± 1, top bits set, …)', () => {
    for (const e of EDGES) expect(e >= 0n && e < P, `edge ${e}`).toBe(true);
    const a = EDGES.flatMap((x) => EDGES.map(() => x));
    const b = EDGES.flatMap(() => EDGES);
    const want = a.map((x, i) => ref(x, b[i]!));
    expect(pedersenFastMany(a, b)).toEqual(want);
    expect(a.map((x, i) => pedersenFastOne(x, b[i]!))).toEqual(want);
  });

  it('agrees on values built from boundary window digits (signed recoding and carries)', () => {
    // Each 11-bit window is one of 0, 1, half − 1, half, half + 1, 2^W − 1 so the recoding meets
    // every boundary: no carry, carry, and carries that ripple into the combined table.
    const w = DEFAULT_WINDOW_BITS;
    const digits = [
      0n,
      1n,
      2n ** BigInt(w - 1) - 1n,
      2n ** BigInt(w - 1),
      2n ** BigInt(w - 1) + 1n,
      2n ** BigInt(w) - 1n,
    ];
    const felt = fc
      .tuple(fc.array(fc.constantFrom(...digits), { minLength: 23, maxLength: 23 }), fc.integer({ min: 0, max: 8 }))
      .map(([ds, high]) => {
        let v = 0n;
        ds.forEach((d, i) => (v |= d << BigInt(w * i)));
        return ((v & (2n ** 248n - 1n)) | (BigInt(high) << 248n)) % P;
      });
    fc.assert(
      fc.property(fc.array(fc.tuple(felt, felt), { minLength: 20, maxLength: 20 }), (pairs) => {
        const a = pairs.map((p) => p[0]);
        const b = pairs.map((p) => p[1]);
        const want = a.map((x, i) => ref(x, b[i]!));
        expect(pedersenFastMany(a, b)).toEqual(want);
        expect(pedersenFastOne(a[0]!, b[0]!)).toBe(want[0]);
      }),
      { numRuns: 15, seed: 20260511 },
    );
  });

  it('agrees on small, tree-like inputs (many zero windows)', () => {
    const small = seededFelts(0x5eed3n, 200).map((v, i) => v >> BigInt(64 + (i % 180)));
    const a = small.slice(0, 100);
    const b = small.slice(100);
    expect(pedersenFastMany(a, b)).toEqual(a.map((x, i) => ref(x, b[i]!)));
  });
});

describe('fast Pedersen batch path', () => {
  const a = seededFelts(0xba7c4n, 2 * BATCH_CHUNK + 37);
  const b = seededFelts(0xba7c5n, 2 * BATCH_CHUNK + 37);
  const single = (n: number) => a.slice(0, n).map((x, i) => pedersenFastOne(x, b[i]!));

  it('handles batch sizes 0, 1, 2, odd, around the threshold and across chunks', () => {
    const sizes = [
      0,
      1,
      2,
      7,
      BATCH_THRESHOLD - 1,
      BATCH_THRESHOLD,
      BATCH_THRESHOLD + 1,
      101,
      BATCH_CHUNK + 1,
      a.length,
    ];
    const all = single(a.length);
    for (const n of sizes) {
      expect(pedersenFastMany(a.slice(0, n), b.slice(0, n)), `n = ${n}`).toEqual(all.slice(0, n));
    }
    // Spot-check the large batch against the reference too (the rest is covered above).
    for (const i of [0, BATCH_CHUNK - 1, BATCH_CHUNK, a.length - 1]) expect(all[i]).toBe(ref(a[i]!, b[i]!));
  });

  it('handles repeated pairs and identical accumulators within one batch', () => {
    const n = 3 * BATCH_THRESHOLD;
    const aa = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 0n : a[i % 5]!));
    const bb = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 0n : b[i % 5]!));
    expect(pedersenFastMany(aa, bb)).toEqual(aa.map((x, i) => pedersenFastOne(x, bb[i]!)));
    expect(pedersenFastOne(0n, 0n)).toBe(ref(0n, 0n));
  });

  it('gives the same hashes with other window widths (layout is generic)', () => {
    const n = BATCH_THRESHOLD + 9;
    const aa = [...EDGES, ...a.slice(0, n)];
    const bb = [...EDGES.slice().reverse(), ...b.slice(0, n)];
    const want = aa.map((x, i) => pedersenFastOne(x, bb[i]!));
    for (const w of [2, 3, 5, 8, 9]) {
      const t = buildPedersenTables(w);
      expect(pedersenFastMany(aa, bb, t), `W = ${w}`).toEqual(want);
      expect(pedersenFastOne(aa[0]!, bb[0]!, t)).toBe(want[0]);
    }
  });
});
