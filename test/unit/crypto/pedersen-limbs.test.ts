import { Point, pedersen as scurePedersen } from '@scure/starknet';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { xorshift128plus } from '../../../devnet/lib/rng.js';
import { FIELD_PRIME as P } from '../../../src/crypto/field.js';
import { PEDERSEN_POINTS } from '../../../src/crypto/pedersen-curve.js';
import { pedersenFastMany } from '../../../src/crypto/pedersen-fast.js';
import {
  type AffineBatchLimbs,
  addAffineBatchLimbs,
  fromMont,
  invMont,
  LIMBS,
  montMul,
  montMul2,
  montSqr,
  negMod,
  negSubLazy,
  readPlainLimbs,
  subLazy,
  subMod,
  subMod2,
  subModQ,
  toMont,
  writePlainLimbs,
} from '../../../src/crypto/pedersen-limbs.js';

// The limb field arithmetic of the batch Pedersen (src/crypto/pedersen-limbs.ts) against BigInt,
// and the limb batch addition against noble's points; whole hashes against @scure/starknet.

const R = 2n ** 253n;
const B = 2n ** 23n;
const RINV = (() => {
  // R⁻¹ mod P by Fermat (P prime).
  let result = 1n;
  let base = R % P;
  let e = P - 2n;
  while (e > 0n) {
    if (e & 1n) result = (result * base) % P;
    base = (base * base) % P;
    e >>= 1n;
  }
  return result;
})();
const mod = (x: bigint) => ((x % P) + P) % P;

function seeded(seed: bigint, count: number): bigint[] {
  const next = xorshift128plus(seed, seed * 0x9e3779b97f4a7c15n);
  return Array.from({ length: count }, () => ((next() << 192n) | (next() << 128n) | (next() << 64n) | next()) % P);
}

/** Field elements whose limbs or Montgomery limbs sit at their bounds. */
const allOnesLimbs = (from: number, to: number) => {
  let v = 0n;
  for (let i = from; i < to; i++) v |= (B - 1n) << BigInt(23 * i);
  return v;
};
const EDGE: bigint[] = [
  0n,
  1n,
  2n,
  P - 1n,
  P - 2n,
  2n ** 251n,
  2n ** 251n - 1n,
  2n ** 251n + 17n * 2n ** 192n, // P − 1
  17n * 2n ** 192n,
  allOnesLimbs(0, 10), // limbs 0..9 all ones, top limb 0
  allOnesLimbs(0, 8),
  allOnesLimbs(1, 10),
  allOnesLimbs(0, 10) + 2n ** 250n, // top limb 2^20, the rest all ones
  2n ** 230n * 2n ** 21n - 1n, // top limb 2^21 − 1, the rest all ones: just below 2^251
  B - 1n,
  B,
  R % P, // Montgomery form of 1
  (R * R) % P,
  RINV,
  P - RINV,
  (P - 1n) / 2n,
  (P + 1n) / 2n,
];

/** Montgomery limbs of v in a fresh array. */
const mont = (v: bigint) => {
  const a = new Float64Array(LIMBS);
  toMont(v, a, 0);
  return a;
};
const limbsOk = (a: Float64Array) => a.every((l) => Number.isInteger(l) && l >= 0 && l < 2 ** 23);

describe('limb field ops against BigInt', () => {
  const rnd = seeded(0x11b5n, 400);
  const values = [...EDGE, ...rnd];

  it('toMont / fromMont round-trip, canonical limbs, values ≥ P and negative reduced', () => {
    for (const v of values) {
      const a = mont(v);
      expect(limbsOk(a), `${v}`).toBe(true);
      expect(readPlainLimbs(a, 0)).toBe((v * R) % P);
      expect(fromMont(a, 0)).toBe(v);
    }
    for (const v of [P, P + 1n, 2n * P - 1n, 2n ** 252n, 2n ** 256n - 1n, -1n, -P - 5n]) {
      expect(fromMont(mont(v), 0), `${v}`).toBe(mod(v));
    }
    const plain = new Float64Array(LIMBS);
    for (const v of [...values, R - 1n, allOnesLimbs(0, 11)]) {
      writePlainLimbs(v, plain, 0);
      expect(readPlainLimbs(plain, 0)).toBe(v);
    }
  });

  it('montMul = a·b·R⁻¹ mod P on every pair of edge values and on random pairs (in place too)', () => {
    const check = (x: bigint, y: bigint) => {
      const r = new Float64Array(LIMBS);
      montMul(r, 0, mont(x), 0, mont(y), 0);
      expect(limbsOk(r), `${x} · ${y}`).toBe(true);
      expect(fromMont(r, 0), `${x} · ${y}`).toBe((x * y) % P);
    };
    for (const x of EDGE) for (const y of EDGE) check(x, y);
    for (let i = 0; i + 1 < rnd.length; i++) check(rnd[i]!, rnd[i + 1]!);
    // Raw limbs, not only Montgomery images: all-ones limbs as both operands.
    const a = new Float64Array(LIMBS);
    const b = new Float64Array(LIMBS);
    for (const x of EDGE)
      for (const y of EDGE) {
        writePlainLimbs(x, a, 0);
        writePlainLimbs(y, b, 0);
        montMul(a, 0, a, 0, b, 0); // aliasing r = a
        expect(readPlainLimbs(a, 0)).toBe((x * y * RINV) % P);
      }
  });

  it('subMod, negMod canonical; subLazy, negSubLazy right modulo P and accepted by montMul', () => {
    const r = new Float64Array(LIMBS);
    const pairs: [bigint, bigint][] = [];
    for (const x of EDGE) for (const y of EDGE) pairs.push([x, y]);
    for (let i = 0; i + 1 < rnd.length; i++) pairs.push([rnd[i]!, rnd[i + 1]!]);
    for (const [x, y] of pairs) {
      const a = mont(x);
      const b = mont(y);
      subMod(r, 0, a, 0, b, 0);
      expect(limbsOk(r)).toBe(true);
      expect(fromMont(r, 0), `${x} − ${y}`).toBe(mod(x - y));
      negMod(r, 0, a, 0);
      expect(limbsOk(r)).toBe(true);
      expect(fromMont(r, 0)).toBe(mod(-x));
      // Lazy results: limbs below 3·2^23, value below 3P and ≡ the difference; montMul by a
      // canonical operand (here y, and the largest element P − 1) gives the canonical product.
      subLazy(r, 0, a, 0, b, 0);
      let v = readPlainLimbs(r, 0);
      expect(r.every((l) => Number.isInteger(l) && l >= 0 && l < 3 * 2 ** 23)).toBe(true);
      expect(v < 3n * P && mod(v) === mod(((x - y) * R) % P)).toBe(true);
      for (const other of [b, mont(P - 1n)]) {
        const out = new Float64Array(LIMBS);
        montMul(out, 0, r, 0, other, 0);
        expect(limbsOk(out)).toBe(true);
        expect(fromMont(out, 0)).toBe(mod((x - y) * fromMont(other, 0)));
      }
      negSubLazy(r, 0, a, 0, b, 0);
      v = readPlainLimbs(r, 0);
      expect(r.every((l) => Number.isInteger(l) && l >= 0 && l < 3 * 2 ** 23)).toBe(true);
      expect(v <= 3n * P && mod(v) === mod((-x - y) * R)).toBe(true);
      const out = new Float64Array(LIMBS);
      montMul(out, 0, r, 0, mont(P - 1n), 0);
      expect(fromMont(out, 0)).toBe(mod((-x - y) * (P - 1n)));
    }
  });

  it('montMul2 = two montMul, on edge pairs (raw limbs too), random pairs and aliased outputs', () => {
    const r = new Float64Array(2 * LIMBS);
    const a = new Float64Array(LIMBS);
    const b = new Float64Array(LIMBS);
    const pairs: [bigint, bigint][] = [];
    for (const x of EDGE) for (const y of EDGE) pairs.push([x, y]);
    for (let i = 0; i + 1 < rnd.length; i++) pairs.push([rnd[i]!, rnd[i + 1]!]);
    for (let i = 0; i + 1 < pairs.length; i++) {
      const [x, y] = pairs[i]!;
      const [z, w] = pairs[i + 1]!;
      montMul2(r, 0, mont(x), 0, mont(y), 0, r, LIMBS, mont(z), 0, mont(w), 0);
      expect(limbsOk(r), `${x}·${y}, ${z}·${w}`).toBe(true);
      expect(fromMont(r, 0), `${x} · ${y}`).toBe((x * y) % P);
      expect(fromMont(r, LIMBS), `${z} · ${w}`).toBe((z * w) % P);
      // Raw limbs (all-ones limbs, top limb at its bound), outputs aliasing both inputs.
      writePlainLimbs(x, a, 0);
      writePlainLimbs(y, b, 0);
      montMul2(a, 0, a, 0, b, 0, b, 0, b, 0, a, 0);
      expect(readPlainLimbs(a, 0)).toBe((x * y * RINV) % P);
      expect(readPlainLimbs(b, 0)).toBe((x * y * RINV) % P);
    }
  });

  it('montSqr = montMul(a, a) on edge values (raw limbs too, in place) and random values', () => {
    const r = new Float64Array(LIMBS);
    const a = new Float64Array(LIMBS);
    for (const x of [...EDGE, ...rnd]) {
      montSqr(r, 0, mont(x), 0);
      expect(limbsOk(r), `${x}²`).toBe(true);
      expect(fromMont(r, 0), `${x}²`).toBe((x * x) % P);
      writePlainLimbs(x, a, 0);
      montSqr(a, 0, a, 0);
      expect(readPlainLimbs(a, 0), `${x}² raw`).toBe((x * x * RINV) % P);
    }
    // All limbs 2^23 − 1 but the top one at its bound 2^21 − 1 (just below 2^251 < P).
    const top = 2n ** 251n - 1n;
    writePlainLimbs(top, a, 0);
    montSqr(r, 0, a, 0);
    expect(readPlainLimbs(r, 0)).toBe((top * top * RINV) % P);
  });

  it('subMod2 (a − b − c) and subModQ (a − b) canonical on every edge triple, raw limbs and Montgomery images', () => {
    // Raw limbs put the differences at the multiples of 2^251 where the quotient estimate from
    // the top limbs is off by one (the slow path) and at the limb borrows.
    const r = new Float64Array(LIMBS);
    const [a, b, c] = [new Float64Array(LIMBS), new Float64Array(LIMBS), new Float32Array(LIMBS)];
    const plain32 = (v: bigint) => {
      const t = new Float64Array(LIMBS);
      writePlainLimbs(v, t, 0);
      c.set(t);
    };
    for (const x of EDGE)
      for (const y of EDGE) {
        writePlainLimbs(x, a, 0);
        writePlainLimbs(y, b, 0);
        subModQ(r, 0, a, 0, b, 0);
        expect(limbsOk(r), `${x} − ${y}`).toBe(true);
        expect(readPlainLimbs(r, 0), `${x} − ${y}`).toBe(mod(x - y));
        for (const z of EDGE) {
          plain32(z);
          subMod2(r, 0, a, 0, b, 0, c, 0);
          expect(limbsOk(r), `${x} − ${y} − ${z}`).toBe(true);
          expect(readPlainLimbs(r, 0), `${x} − ${y} − ${z}`).toBe(mod(x - y - z));
        }
        subMod2(a, 0, a, 0, a, 0, b, 0); // aliasing r = a = b
        expect(readPlainLimbs(a, 0)).toBe(mod(-y));
      }
    for (let i = 0; i + 2 < rnd.length; i++) {
      const [x, y, z] = [rnd[i]!, rnd[i + 1]!, rnd[i + 2]!];
      c.set(mont(z));
      subMod2(r, 0, mont(x), 0, mont(y), 0, c, 0);
      expect(limbsOk(r)).toBe(true);
      expect(fromMont(r, 0)).toBe(mod(x - y - z));
      const bb = mont(y);
      subModQ(bb, 0, mont(x), 0, bb, 0);
      expect(fromMont(bb, 0)).toBe(mod(x - y));
    }
  });

  it('montMul2, montSqr, subMod2, subModQ agree with BigInt on fast-check field elements (raw limbs)', () => {
    const felt = fc.bigInt({ min: 0n, max: P - 1n });
    fc.assert(
      fc.property(felt, felt, felt, felt, (x, y, z, w) => {
        const [a, b, d, e] = [x, y, z, w].map((v) => {
          const t = new Float64Array(LIMBS);
          writePlainLimbs(v, t, 0);
          return t;
        }) as [Float64Array, Float64Array, Float64Array, Float64Array];
        const r = new Float64Array(2 * LIMBS);
        montMul2(r, 0, a, 0, b, 0, r, LIMBS, d, 0, e, 0);
        if (readPlainLimbs(r, 0) !== (x * y * RINV) % P) return false;
        if (readPlainLimbs(r, LIMBS) !== (z * w * RINV) % P) return false;
        subMod2(r, 0, a, 0, b, 0, d, 0);
        if (!limbsOk(r.subarray(0, LIMBS)) || readPlainLimbs(r, 0) !== mod(x - y - z)) return false;
        montSqr(r, LIMBS, e, 0);
        if (readPlainLimbs(r, LIMBS) !== (w * w * RINV) % P) return false;
        subModQ(r, 0, a, 0, b, 0);
        return limbsOk(r.subarray(0, LIMBS)) && readPlainLimbs(r, 0) === mod(x - y);
      }),
      { numRuns: 2000 },
    );
  });

  it('invMont inverts', () => {
    const r = new Float64Array(LIMBS);
    for (const v of [...EDGE.filter((x) => x !== 0n), ...rnd.slice(0, 50)]) {
      invMont(r, 0, mont(v), 0);
      expect(limbsOk(r)).toBe(true);
      expect((fromMont(r, 0) * v) % P).toBe(1n);
    }
  });

  it('montMul agrees with BigInt on random fast-check field elements', () => {
    const felt = fc.bigInt({ min: 0n, max: P - 1n });
    fc.assert(
      fc.property(felt, felt, (x, y) => {
        const r = new Float64Array(LIMBS);
        montMul(r, 0, mont(x), 0, mont(y), 0);
        expect(fromMont(r, 0)).toBe((x * y) % P);
        subMod(r, 0, mont(x), 0, mont(y), 0);
        expect(fromMont(r, 0)).toBe(mod(x - y));
      }),
      { numRuns: 2000, seed: 0x2323 },
    );
  });
});

type NoblePoint = InstanceType<typeof Point>;
const toNoble = (x: bigint, y: bigint): NoblePoint => Point.fromAffine({ x, y });
const G = PEDERSEN_POINTS.map(([x, y]) => toNoble(x, y));
const pointFrom = (k: number): NoblePoint => G[1]!.multiply(BigInt(k) + 1n).add(G[2]!.multiply(BigInt(k) * 7n + 3n));
type Kind = 'add' | 'double' | 'opposite' | 'from-infinity' | 'add-negated' | 'double-negated' | 'opposite-negated';
const KINDS: Kind[] = [
  'add',
  'double',
  'opposite',
  'from-infinity',
  'add-negated',
  'double-negated',
  'opposite-negated',
];

/** The crafted cases of pedersen-exceptional.test.ts (plus acc = q with a negated offset: ∞). */
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
      return { acc: q.negate(), q, negate: true };
    case 'opposite-negated':
      return { acc: q, q, negate: true };
  }
}

describe('addAffineBatchLimbs: the complete addition law on limbs', () => {
  const packPoints = (pts: (NoblePoint | null)[]) => {
    const x = new Float64Array(pts.length * LIMBS);
    const y = new Float64Array(pts.length * LIMBS);
    pts.forEach((p, k) => {
      if (p === null) return;
      const a = p.toAffine();
      toMont(a.x, x, k * LIMBS);
      toMont(a.y, y, k * LIMBS);
    });
    return { x, y };
  };

  it('matches noble for random mixes of add / double / opposite / ∞ / negated entries', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...KINDS), { minLength: 1, maxLength: 14 }), (kinds) => {
        const cases = kinds.map((kind, k) => craft(kind, k));
        const accPts = packPoints(cases.map((c) => c.acc));
        const acc: AffineBatchLimbs = { ...accPts, inf: Uint8Array.from(cases, (c) => (c.acc ? 0 : 1)) };
        const q = packPoints(cases.map((c) => c.q));
        const idx = Int32Array.from(cases.map((_, k) => k).reverse());
        const off = Int32Array.from(idx, (k) => (cases[k]!.negate ? -(k + 1) : k + 1));
        addAffineBatchLimbs(acc, idx, off, idx.length, q.x, q.y);
        cases.forEach((c, k) => {
          const qq = c.negate ? c.q.negate() : c.q;
          const want = c.acc ? c.acc.add(qq) : qq;
          if (want.is0()) {
            expect(acc.inf[k], `${kinds[k]} #${k}`).toBe(1);
          } else {
            expect(acc.inf[k], `${kinds[k]} #${k}`).toBe(0);
            const got = [fromMont(acc.x, k * LIMBS), fromMont(acc.y, k * LIMBS)];
            expect(got, `${kinds[k]} #${k}`).toEqual([want.toAffine().x, want.toAffine().y]);
            expect(limbsOk(acc.x.subarray(k * LIMBS, (k + 1) * LIMBS))).toBe(true);
          }
        });
      }),
      { numRuns: 30, seed: 434343 },
    );
  });

  it('leaves accumulators outside idx untouched and handles count 0', () => {
    const p = pointFrom(1);
    const acc: AffineBatchLimbs = { ...packPoints([p, p]), inf: new Uint8Array(2) };
    const q = packPoints([p]);
    addAffineBatchLimbs(acc, [1], [1], 1, q.x, q.y);
    expect([fromMont(acc.x, 0), fromMont(acc.y, 0)]).toEqual([p.toAffine().x, p.toAffine().y]);
    const twice = p.double().toAffine();
    expect([fromMont(acc.x, LIMBS), fromMont(acc.y, LIMBS)]).toEqual([twice.x, twice.y]);
    addAffineBatchLimbs(acc, [], [], 0, q.x, q.y);
    expect([fromMont(acc.x, LIMBS), fromMont(acc.y, LIMBS)]).toEqual([twice.x, twice.y]);
  });
});

describe('batch Pedersen on limbs against @scure/starknet', () => {
  it('agrees on 600 seeded random pairs with inputs anywhere in [0, P) (2,000 more in pedersen-fast.test.ts)', () => {
    const a = seeded(0xa11cen, 600);
    const b = seeded(0xb0bn, 600);
    expect(pedersenFastMany(a, b)).toEqual(a.map((x, i) => BigInt(scurePedersen(x, b[i]!))));
  });

  it('agrees on every pair of limb-edge values', () => {
    const a = EDGE.flatMap((x) => EDGE.map(() => x));
    const b = EDGE.flatMap(() => EDGE);
    expect(pedersenFastMany(a, b)).toEqual(a.map((x, i) => BigInt(scurePedersen(x, b[i]!))));
  });
});
