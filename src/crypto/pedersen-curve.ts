import { FIELD_PRIME as P, invertP, modP } from './field.js';
export { type AffineBatchLimbs, addAffineBatchLimbs } from './pedersen-limbs.js';

/**
 * STARK-curve arithmetic for the fast Pedersen hash (verification-and-performance.md §2.5).
 *
 * PUBLIC DATA ONLY: the code branches on values and is not constant-time. Private keys are never
 * handled here; signing stays with @scure/starknet.
 *
 * Curve y² = x³ + α·x + β over P (l1-data-tree.md §4.2), α = 1. Points are plain bigint
 * coordinates kept canonical (0 <= c < P) so equality of coordinates is `===`. The addition
 * laws below are complete for this curve: equal x-coordinates (doubling, or P + (−P) = ∞) and the
 * point at infinity are handled, never assumed away.
 *
 * Two versions of the batch addition: addAffineBatch below, on bigints (builds the window tables,
 * ~0.1 s once), and addAffineBatchLimbs (pedersen-limbs.ts, re-exported here), the same algorithm
 * with the field arithmetic on 11 float64 limbs of 23 bits in Montgomery form: the hashing hot
 * loop. BigInt `(a*b) % P` measured ≈ 170–190 ns per product on the test VM (more under load)
 * and allocates; the limb Montgomery product ≈ 85 ns and allocates nothing. Hashing with limbs
 * measured ≈ 1.35–1.5× the BigInt batch (bench/README.md, pedersen and tree).
 */
export const CURVE_BETA = 0x6f21413efbe40de150e596d72f7a8c5609ad26c15c915c1f4cdfcb99cee9e89n;

export type AffinePoint = readonly [x: bigint, y: bigint];

/**
 * CONSTANT_POINTS[0..4] of StarkWare's pedersen_params.json (l1-data-tree.md §4.2): SHIFT and the
 * bases for a_low, a_high, b_low, b_high. The same five points as @scure/starknet's
 * PEDERSEN_POINTS; tests check the x-coordinates against the spec and the points against the curve.
 */
export const PEDERSEN_POINTS: readonly [AffinePoint, AffinePoint, AffinePoint, AffinePoint, AffinePoint] = [
  [
    0x49ee3eba8c1600700ee1b87eb599f16716b0b1022947733551fde4050ca6804n,
    0x3ca0cfe4b3bc6ddf346d49d06ea0ed34e621062c0e056c1d0405d266e10268an,
  ],
  [
    0x234287dcbaffe7f969c748655fca9e58fa8120b6d56eb0c1080d17957ebe47bn,
    0x3b056f100f96fb21e889527d41f4e39940135dd7a6c94cc6ed0268ee89e5615n,
  ],
  [
    0x4fa56f376c83db33f9dab2656558f3399099ec1de5e3018b7a6932dba8aa378n,
    0x3fa0984c931c9e38113e0c0e47e4401562761f92a7a23b45168f4e80ff5b54dn,
  ],
  [
    0x4ba4cc166be8dec764910f75b45f74b40c690c74709e90f3aa372f0bd2d6997n,
    0x40301cf5c1751f4b971e46c4ede85fcac5c59a5ce5ae7c48151f27b24b219cn,
  ],
  [
    0x54302dcb0e6cc1c6e44cca8f61a63bb2ca65048d53fb325d36ff12c49a58202n,
    0x1b77b3e37d13504b348046268d8ae25ce98ad783c25561a879dcc77e99c2426n,
  ],
];

export { invertP, modP };

export function isOnCurve(x: bigint, y: bigint): boolean {
  return modP(y * y) === modP(x * x * x + x + CURVE_BETA);
}

/**
 * A batch of affine accumulators: acc[k] = (x[k], y[k]), or the point at infinity when inf[k] = 1.
 * Arrays are owned by the caller and updated in place.
 */
export type AffineBatch = { x: bigint[]; y: bigint[]; inf: Uint8Array };

// Scratch space reused between calls (grown on demand) so the hot loop allocates only bigints.
let num: bigint[] = [];
let den: bigint[] = [];
let pre: bigint[] = [];
let kind = new Uint8Array(0);
const ADD = 0;
const SET = 1; // acc was ∞: acc := q
const TO_INF = 2; // acc = −q: acc := ∞

/** The y-coordinate a signed offset names (see addAffineBatch). */
function qyAt(qy: readonly bigint[], o: number): bigint {
  if (o > 0) return qy[o - 1]!;
  const y = qy[-o - 1]!;
  return y === 0n ? 0n : P - y;
}

function ensureScratch(n: number): void {
  if (kind.length >= n) return;
  const size = Math.max(n, 2 * kind.length, 64);
  num = new Array<bigint>(size).fill(0n);
  den = new Array<bigint>(size).fill(0n);
  pre = new Array<bigint>(size).fill(0n);
  kind = new Uint8Array(size);
}

/**
 * For j < count: acc[idx[j]] += q_j, all with ONE field inversion (Montgomery's trick,
 * verification-and-performance.md §2.5 item 3): about 6 multiplications per addition.
 * q_j is named by a signed offset: off[j] = i + 1 for (qx[i], qy[i]) and −(i + 1) for its negation
 * (qx[i], −qy[i]), which lets window tables hold only positive multiples (signed digits).
 * The indices idx[0..count) must be distinct. Exceptional cases take the general law: equal points
 * double (λ = (3x² + α) / 2y, sharing the same inversion), opposite points give ∞, ∞ + q = q.
 */
export function addAffineBatch(
  acc: AffineBatch,
  idx: ArrayLike<number>,
  off: ArrayLike<number>,
  count: number,
  qx: readonly bigint[],
  qy: readonly bigint[],
): void {
  ensureScratch(count);
  const ax = acc.x;
  const ay = acc.y;
  const inf = acc.inf;
  let prod = 1n;
  let firstAdd = -1;
  for (let j = 0; j < count; j++) {
    const k = idx[j]!;
    if (inf[k] === 1) {
      kind[j] = SET;
    } else {
      const o = off[j]!;
      const x1 = ax[k]!;
      const x2 = qx[o > 0 ? o - 1 : -o - 1]!;
      const y2 = qyAt(qy, o);
      const y1 = ay[k]!;
      let d: bigint;
      if (x1 !== x2) {
        num[j] = y2 - y1;
        d = x2 - x1;
      } else if (y1 === y2 && y1 !== 0n) {
        num[j] = 3n * x1 * x1 + 1n; // doubling; α = 1
        d = 2n * y1;
      } else {
        kind[j] = TO_INF;
        pre[j] = prod;
        continue;
      }
      kind[j] = ADD;
      den[j] = d;
      if (firstAdd < 0) {
        prod = d;
        firstAdd = j;
      } else {
        prod = (prod * d) % P;
      }
    }
    pre[j] = prod; // product of the denominators of entries 0..j
  }
  let inv = firstAdd >= 0 ? invertP(prod) : 0n;
  for (let j = count - 1; j >= 0; j--) {
    const k = idx[j]!;
    const t = kind[j];
    const o = off[j]!;
    if (t === SET) {
      ax[k] = qx[o > 0 ? o - 1 : -o - 1]!;
      ay[k] = qyAt(qy, o);
      inf[k] = 0;
      continue;
    }
    if (t === TO_INF) {
      inf[k] = 1;
      continue;
    }
    // inv = 1 / (product of the denominators of the additions 0..j), so 1/den[j] = inv·pre[j−1];
    // λ = num·inv·pre[j−1] takes one reduction, not two (≈ 8% faster); then peel den[j] off.
    let lambda: bigint;
    if (j > firstAdd) {
      lambda = (num[j]! * inv * pre[j - 1]!) % P;
      inv = (inv * den[j]!) % P;
    } else {
      lambda = (num[j]! * inv) % P;
    }
    const x1 = ax[k]!;
    let x3 = (lambda * lambda - x1 - qx[o > 0 ? o - 1 : -o - 1]!) % P;
    if (x3 < 0n) x3 += P;
    let y3 = (lambda * (x1 - x3) - ay[k]!) % P;
    if (y3 < 0n) y3 += P;
    ax[k] = x3;
    ay[k] = y3;
  }
}
