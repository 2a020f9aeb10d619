import { Point } from '@scure/starknet';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIELD_PRIME as P } from '../../../src/crypto/field.js';
import {
  type AffineBatch,
  addAffineBatch,
  invertP,
  modP,
  PEDERSEN_POINTS,
} from '../../../src/crypto/pedersen-curve.js';
import { writeOffsets } from '../../../src/crypto/pedersen-digits.js';
import { BATCH_THRESHOLD, pedersenFastMany, pedersenFastOne } from '../../../src/crypto/pedersen-fast.js';
import {
  addMixed,
  affineX,
  doubleJacobian,
  type JacobianPoint,
  toAffine,
} from '../../../src/crypto/pedersen-jacobian.js';
import { buildPedersenTables, type PedersenTables } from '../../../src/crypto/pedersen-tables.js';

// The exceptional cases of the addition law (equal x-coordinates: doubling or P + (−P) = ∞, and
// ∞ itself) cannot be reached from real hash inputs without a discrete-log relation between the
// constant points. They are crafted here instead, at two levels:
//  1. addAffineBatch / addMixed are fed points that collide on purpose;
//  2. tampered tables (a test hook: the hash functions take the tables as a parameter) make a real
//     hash meet a doubling or ∞ in the middle of its sum, in the single and the batch path;
// and every result is compared with @scure/starknet's Point (noble's complete projective formulas).

type NoblePoint = InstanceType<typeof Point>;
const toNoble = (x: bigint, y: bigint): NoblePoint => Point.fromAffine({ x, y });
const G = PEDERSEN_POINTS.map(([x, y]) => toNoble(x, y));
/** Some public curve points: small combinations of the constant points. */
const pointFrom = (k: number): NoblePoint => G[1]!.multiply(BigInt(k) + 1n).add(G[2]!.multiply(BigInt(k) * 7n + 3n));

type Kind = 'add' | 'double' | 'opposite' | 'from-infinity' | 'add-negated' | 'double-negated';
const KINDS: Kind[] = ['add', 'double', 'opposite', 'from-infinity', 'add-negated', 'double-negated'];

/** One crafted addition: accumulator (null = ∞), table point, whether the offset negates it. */
function craft(kind: Kind, k: number): { acc: NoblePoint | null; q: NoblePoint; negate: boolean } {
  const q = pointFrom(k);
  switch (kind) {
    case 'add':
      return { acc: pointFrom(k + 1000), q, negate: false };
    case 'double':
      return { acc: q, q, negate: false };
    case 'opposite':
      return { acc: q.negate(), q, negate: false };
    case 'from-infinity':
      return { acc: null, q, negate: k % 2 === 1 };
    case 'add-negated':
      return { acc: pointFrom(k + 2000), q, negate: true };
    case 'double-negated':
      return { acc: q.negate(), q, negate: true }; // acc + (−q) = 2·acc
  }
}

describe('addAffineBatch: exceptional cases share the batch inversion correctly', () => {
  it('matches noble for random mixes of add / double / opposite / ∞ / negated entries', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...KINDS), { minLength: 1, maxLength: 12 }), (kinds) => {
        const cases = kinds.map((kind, k) => craft(kind, k));
        const acc: AffineBatch = {
          x: cases.map((c) => (c.acc ? c.acc.toAffine().x : 0n)),
          y: cases.map((c) => (c.acc ? c.acc.toAffine().y : 0n)),
          inf: Uint8Array.from(cases, (c) => (c.acc ? 0 : 1)),
        };
        const qx = cases.map((c) => c.q.toAffine().x);
        const qy = cases.map((c) => c.q.toAffine().y);
        // Shuffle the order of the batch relative to the accumulator indices.
        const idx = Int32Array.from(cases.map((_, k) => k).reverse());
        const off = Int32Array.from(idx, (k) => (cases[k]!.negate ? -(k + 1) : k + 1));
        addAffineBatch(acc, idx, off, idx.length, qx, qy);
        cases.forEach((c, k) => {
          const q = c.negate ? c.q.negate() : c.q;
          const want = c.acc ? c.acc.add(q) : q;
          if (want.is0()) {
            expect(acc.inf[k], `${kinds[k]} #${k}`).toBe(1);
          } else {
            expect(acc.inf[k], `${kinds[k]} #${k}`).toBe(0);
            expect([acc.x[k], acc.y[k]], `${kinds[k]} #${k}`).toEqual([want.toAffine().x, want.toAffine().y]);
          }
        });
      }),
      { numRuns: 60, seed: 424242 },
    );
  });

  it('leaves accumulators outside idx untouched and handles count 0', () => {
    const p = pointFrom(1).toAffine();
    const acc: AffineBatch = { x: [p.x, p.x], y: [p.y, p.y], inf: new Uint8Array(2) };
    addAffineBatch(acc, [1], [1], 1, [p.x], [p.y]);
    expect([acc.x[0], acc.y[0]]).toEqual([p.x, p.y]);
    const twice = pointFrom(1).double().toAffine();
    expect([acc.x[1], acc.y[1]]).toEqual([twice.x, twice.y]);
    addAffineBatch(acc, [], [], 0, [], []);
    expect([acc.x[1], acc.y[1]]).toEqual([twice.x, twice.y]);
  });
});

describe('Jacobian single-hash arithmetic: exceptional cases', () => {
  /** A Jacobian representation of p with a non-trivial Z, so doubling must be detected in (X, Y, Z). */
  const scaled = (p: NoblePoint, z: bigint): JacobianPoint => {
    const { x, y } = p.toAffine();
    return { x: modP(x * z * z), y: modP(y * z * z * z), z };
  };

  it('addMixed doubles on p = q, gives ∞ on p = −q, takes q when p = ∞', () => {
    for (const z of [1n, 5n, P - 3n]) {
      const q = pointFrom(3);
      const { x, y } = q.toAffine();
      const dbl = scaled(q, z);
      addMixed(dbl, x, y);
      expect(toAffine(dbl)).toEqual([q.double().toAffine().x, q.double().toAffine().y]);
      const opp = scaled(q.negate(), z);
      addMixed(opp, x, y);
      expect(opp.z).toBe(0n);
      expect(() => affineX(opp)).toThrow(RangeError);
      addMixed(opp, x, y); // ∞ + q = q
      expect(toAffine(opp)).toEqual([x, y]);
      const gen = scaled(pointFrom(4), z);
      addMixed(gen, x, y);
      expect(affineX(gen)).toBe(pointFrom(4).add(q).toAffine().x);
    }
  });

  it('doubleJacobian matches noble and keeps ∞ at ∞', () => {
    const p = scaled(pointFrom(5), 7n);
    doubleJacobian(p);
    expect(toAffine(p)).toEqual([pointFrom(5).double().toAffine().x, pointFrom(5).double().toAffine().y]);
    const inf: JacobianPoint = { x: 1n, y: 1n, z: 0n };
    doubleJacobian(inf);
    expect(inf.z).toBe(0n);
  });

  it('invertP inverts and refuses 0', () => {
    for (const v of [1n, 2n, P - 1n, PEDERSEN_POINTS[1][0], -5n]) expect(modP(invertP(v) * v)).toBe(1n);
    expect(() => invertP(0n)).toThrow(RangeError);
    expect(() => invertP(P)).toThrow(RangeError);
  });
});

describe('whole hashes through tampered tables (forced doubling and ∞ mid-sum)', () => {
  const real = buildPedersenTables(4);
  const half = 2 ** (real.windowBits - 1);
  const shift: [bigint, bigint] = [PEDERSEN_POINTS[0][0], PEDERSEN_POINTS[0][1]];
  const negShift: [bigint, bigint] = [shift[0], P - shift[1]];

  /**
   * Tables where window 0 of a, digit 1 is SHIFT (a = 1 doubles at the first addition) and digit 2
   * is −SHIFT (a = 2 reaches ∞ there); likewise b's window 3 (digits 1, 2), which is reached many
   * steps later, after the accumulator has sat still through zero windows.
   */
  const tampered: PedersenTables = (() => {
    const x = real.x.slice();
    const y = real.y.slice();
    for (const first of [real.signedStart[0], real.signedStart[1] + 3 * half]) {
      [x[first], y[first]] = shift;
      [x[first + 1], y[first + 1]] = negShift;
    }
    return { ...real, x, y };
  })();

  /** What the engine must return: x of the complete-law sum of the table terms the digits select. */
  function modelHash(t: PedersenTables, a: bigint, b: bigint): bigint | 'infinity' {
    const offs = new Int32Array(t.termCount);
    writeOffsets(t, a, b, offs, 0);
    let sum = Point.ZERO;
    for (const o of offs) {
      if (o === 0) continue;
      const i = Math.abs(o) - 1;
      const q = toNoble(t.x[i]!, t.y[i]!);
      sum = sum.add(o > 0 ? q : q.negate());
    }
    return sum.is0() ? 'infinity' : sum.toAffine().x;
  }

  const w3 = 16n ** 3n; // b's window 3 with W = 4
  const crafted: [bigint, bigint][] = [
    [1n, 0n], // SHIFT + SHIFT: doubling at the first addition
    [1n, 12345n * w3 * 16n], // doubling, then more terms
    [2n + 16n * 5n, 0n], // SHIFT − SHIFT = ∞, then ∞ + 5·16·P1 restarts the sum
    [2n + 16n * 5n, 0xabcdefn],
    [0n, w3], // acc = SHIFT meets +SHIFT at b's window 3: doubling mid-sum
    [0n, 2n * w3 + 3n * w3 * 256n], // ∞ at b's window 3, restarted by b's window 5
    [2n, w3 * 4096n], // ∞ at the first addition, then only b's window 6
  ];
  it('the model agrees with @scure/starknet on untampered tables (sanity of the model)', () => {
    for (const [a, b] of [
      [0n, 0n],
      [5n, 2n ** 248n + 3n],
      [P - 1n, 77n],
    ] as [bigint, bigint][]) {
      expect(modelHash(real, a, b)).toBe(pedersenFastOne(a, b));
    }
  });

  it('single path: doubling and ∞ mid-sum give the complete-law result', () => {
    for (const [a, b] of crafted) expect(pedersenFastOne(a, b, tampered), `${a}, ${b}`).toBe(modelHash(tampered, a, b));
    // The crafted pairs really take the exceptional paths: e.g. (1, 0) hashes to x(2·SHIFT).
    expect(pedersenFastOne(1n, 0n, tampered)).toBe(G[0]!.double().toAffine().x);
    expect(pedersenFastOne(0n, w3, tampered)).toBe(G[0]!.double().toAffine().x);
  });

  it('batch path: crafted pairs mixed into a batch of normal pairs', () => {
    const a: bigint[] = [];
    const b: bigint[] = [];
    for (let i = 0; i < 3 * BATCH_THRESHOLD; i++) {
      const c = crafted[i % crafted.length]!;
      const normal = i % 3 === 0;
      a.push(normal ? BigInt(i) * 0x1000193n : c[0]);
      b.push(normal ? BigInt(i) ** 5n : c[1]);
    }
    expect(pedersenFastMany(a, b, tampered)).toEqual(a.map((x, i) => modelHash(tampered, x, b[i]!)));
  });

  it('a sum that ends at ∞ throws instead of returning a hash', () => {
    expect(modelHash(tampered, 2n, 0n)).toBe('infinity');
    expect(() => pedersenFastOne(2n, 0n, tampered)).toThrow(/infinity/);
    expect(() => pedersenFastOne(0n, 2n * w3, tampered)).toThrow(/infinity/);
    const a = Array<bigint>(BATCH_THRESHOLD).fill(7n);
    a[3] = 2n;
    expect(() => pedersenFastMany(a, Array<bigint>(BATCH_THRESHOLD).fill(0n), tampered)).toThrow(/infinity/);
  });
});
