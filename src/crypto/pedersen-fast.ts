import { FIELD_PRIME as P } from './field.js';
import { type AffineBatchLimbs, addAffineBatchLimbs } from './pedersen-curve.js';
import { writeOffsets } from './pedersen-digits.js';
import { addMixed, affineX, type JacobianPoint } from './pedersen-jacobian.js';
import { fromMont, LIMBS } from './pedersen-limbs.js';
import { type PedersenTables, pedersenTables, tableLimbs } from './pedersen-tables.js';

/**
 * The fast Pedersen hash over the window tables (verification-and-performance.md §2.5).
 * PUBLIC DATA ONLY (not constant-time). Callers validate inputs first (`assertFelt` in
 * pedersen.ts): these functions assume 0 <= a, b < P.
 */

/** Below this many hashes the batch's shared inversions (one per term) cost more than they save. */
export const BATCH_THRESHOLD = 16;
/** Hashes kept in lock-step per chunk: enough to amortise one inversion per step. */
export const BATCH_CHUNK = 1024;

let oneOffsets = new Int32Array(0);

/** Single hash: Jacobian accumulator with mixed additions, one inversion at the end (§2.5 item 2). */
export function pedersenFastOne(a: bigint, b: bigint, tables: PedersenTables = pedersenTables()): bigint {
  const { x, y, termCount } = tables;
  if (oneOffsets.length < termCount) oneOffsets = new Int32Array(termCount);
  writeOffsets(tables, a, b, oneOffsets, 0);
  const o0 = oneOffsets[0]! - 1; // the a-combined term is always present (it carries SHIFT)
  const acc: JacobianPoint = { x: x[o0]!, y: y[o0]!, z: 1n };
  for (let t = 1; t < termCount; t++) {
    const o = oneOffsets[t]!;
    if (o > 0) addMixed(acc, x[o - 1]!, y[o - 1]!);
    else if (o < 0) addMixed(acc, x[-o - 1]!, P - y[-o - 1]!);
  }
  return affineX(acc);
}

/** H(a[i], b[i]) for all i; a.length === b.length is checked by the caller. */
export function pedersenFastMany(
  a: readonly bigint[],
  b: readonly bigint[],
  tables: PedersenTables = pedersenTables(),
): bigint[] {
  const n = a.length;
  const out = new Array<bigint>(n);
  if (n < BATCH_THRESHOLD) {
    for (let i = 0; i < n; i++) out[i] = pedersenFastOne(a[i]!, b[i]!, tables);
    return out;
  }
  for (let start = 0; start < n; start += BATCH_CHUNK) {
    const end = Math.min(n, start + BATCH_CHUNK);
    hashChunk(a, b, start, end, tables, out);
  }
  return out;
}

/**
 * Batch-affine lock-step (§2.5 item 3): all hashes of the chunk add their term t together,
 * sharing one inversion; a hash whose term t is absent (zero digit) sits that step out.
 */
function hashChunk(
  a: readonly bigint[],
  b: readonly bigint[],
  start: number,
  end: number,
  tables: PedersenTables,
  out: bigint[],
): void {
  const { termCount } = tables;
  const { x, y } = tableLimbs(tables.x, tables.y);
  const m = end - start;
  const offsets = new Int32Array(m * termCount);
  for (let i = 0; i < m; i++) writeOffsets(tables, a[start + i]!, b[start + i]!, offsets, i * termCount);
  const acc: AffineBatchLimbs = {
    x: new Float64Array(m * LIMBS),
    y: new Float64Array(m * LIMBS),
    inf: new Uint8Array(m),
  };
  for (let i = 0; i < m; i++) {
    const o0 = (offsets[i * termCount]! - 1) * LIMBS;
    acc.x.set(x.subarray(o0, o0 + LIMBS), i * LIMBS);
    acc.y.set(y.subarray(o0, o0 + LIMBS), i * LIMBS);
  }
  const idx = new Int32Array(m);
  const off = new Int32Array(m);
  for (let t = 1; t < termCount; t++) {
    let count = 0;
    for (let i = 0, o = t; i < m; i++, o += termCount) {
      const v = offsets[o]!;
      if (v === 0) continue;
      idx[count] = i;
      off[count++] = v;
    }
    if (count > 0) addAffineBatchLimbs(acc, idx, off, count, x, y);
  }
  for (let i = 0; i < m; i++) {
    // SHIFT + Σ terms = ∞ would need a discrete-log relation between the constant points.
    if (acc.inf[i] === 1) throw new Error('pedersen: the sum is the point at infinity (no hash defined)');
    out[start + i] = fromMont(acc.x, i * LIMBS);
  }
}
