import { FIELD_PRIME as P } from './field.js';
import { invertP } from './pedersen-curve.js';

/**
 * Jacobian coordinates (x, y) = (X/Z², Y/Z³) on the STARK curve, Z = 0 for the point at infinity.
 * Used by the single-hash path (one inversion per hash instead of one per addition,
 * verification-and-performance.md §2.5 item 2) and to build the tables. Public data only.
 */
export type JacobianPoint = { x: bigint; y: bigint; z: bigint };

/** p := 2p (dbl-2007-bl with α = 1). */
export function doubleJacobian(p: JacobianPoint): void {
  if (p.z === 0n || p.y === 0n) {
    p.z = 0n;
    return;
  }
  const xx = (p.x * p.x) % P;
  const yy = (p.y * p.y) % P;
  const yyyy = (yy * yy) % P;
  const zz = (p.z * p.z) % P;
  const s = (4n * p.x * yy) % P;
  const m = (3n * xx + zz * zz) % P;
  let x3 = (m * m - 2n * s) % P;
  if (x3 < 0n) x3 += P;
  let y3 = (m * (s - x3) - 8n * yyyy) % P;
  if (y3 < 0n) y3 += P;
  p.z = (2n * p.y * p.z) % P;
  p.x = x3;
  p.y = y3;
}

/**
 * p := p + (x2, y2) for an affine (x2, y2) (mixed addition, 8M + 3S). Complete: p = ∞ takes the
 * affine point, p = q doubles, p = −q gives ∞.
 */
export function addMixed(p: JacobianPoint, x2: bigint, y2: bigint): void {
  const z1 = p.z;
  if (z1 === 0n) {
    p.x = x2;
    p.y = y2;
    p.z = 1n;
    return;
  }
  const z1z1 = (z1 * z1) % P;
  let h = ((x2 * z1z1) % P) - p.x; // U2 − X1
  if (h < 0n) h += P;
  let r = ((((y2 * z1) % P) * z1z1) % P) - p.y; // S2 − Y1
  if (r < 0n) r += P;
  if (h === 0n) {
    if (r === 0n) doubleJacobian(p);
    else p.z = 0n;
    return;
  }
  const hh = (h * h) % P;
  const hhh = (h * hh) % P;
  const v = (p.x * hh) % P;
  let x3 = (r * r - hhh - 2n * v) % P;
  if (x3 < 0n) x3 += P;
  let y3 = (r * (v - x3) - p.y * hhh) % P;
  if (y3 < 0n) y3 += P;
  p.x = x3;
  p.y = y3;
  p.z = (z1 * h) % P;
}

/** Affine x-coordinate of p; throws for ∞ (which has none). */
export function affineX(p: JacobianPoint): bigint {
  if (p.z === 0n) throw new RangeError('affineX: the point at infinity has no x-coordinate');
  const zInv = invertP(p.z);
  return (p.x * ((zInv * zInv) % P)) % P;
}

/** Affine (x, y) of p; throws for ∞. */
export function toAffine(p: JacobianPoint): [bigint, bigint] {
  if (p.z === 0n) throw new RangeError('toAffine: the point at infinity has no affine coordinates');
  const zInv = invertP(p.z);
  const zInv2 = (zInv * zInv) % P;
  return [(p.x * zInv2) % P, (((p.y * zInv2) % P) * zInv) % P];
}
