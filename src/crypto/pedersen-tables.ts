import { RangeCheckError } from '../errors.js';
import { type AffineBatch, type AffinePoint, addAffineBatch, PEDERSEN_POINTS } from './pedersen-curve.js';
import { doubleJacobian, type JacobianPoint, toAffine } from './pedersen-jacobian.js';
import { LIMBS, toMont } from './pedersen-limbs.js';

/**
 * Fixed-base window tables for the Pedersen hash (verification-and-performance.md §2.5 item 1).
 *
 * H(a, b) = x(SHIFT + a_low·P1 + a_high·P2 + b_low·P3 + b_high·P4), low = the 248 least-significant
 * bits, high = the top 4 bits (l1-data-tree.md §4.2). With W-bit windows, a_low = Σ d_s·2^(W·s),
 * so a_low·P1 = Σ d_s·(2^(W·s)·P1): each term is a table lookup, and a hash costs about 2·248/W
 * point additions instead of ~252. Two refinements over the plain §2.5 scheme:
 *  - signed digits d_s ∈ [−(2^(W−1) − 1), 2^(W−1)], so a window table holds only 2^(W−1) multiples
 *    (−Q is (x, −y), negated on the fly): half the memory for the same W;
 *  - the top low window (248 − W·nSigned bits, plus the recoding carry) and the 4 high bits share
 *    one "combined" table of dt·2^(W·nSigned)·P_low + dh·P_high, and SHIFT is folded into a's
 *    combined table, so the first term is a lookup and a second addition per input disappears.
 * W = 11 (the default): 22 signed windows per input, 2 × (22·1024 + 65·16) = 47 136 points,
 * ≈ 5.5 MB of heap (measured by the bench) as bigints, plus their Float32Array limb copy for the
 * batch path (tableLimbs below: 47 136 × 2 × 11 × 4 bytes = 4.1 MB); 45 additions per hash; built
 * lazily, once, on first use (≈ 0.12 s on an idle core of the test VM before the limb copy, which
 * adds two limb conversions per point; not measured idle).
 */
export const DEFAULT_WINDOW_BITS = 11;

export type PedersenTables = {
  readonly windowBits: number;
  /** Signed windows per input; the rest of the 248 low bits goes to the combined table. */
  readonly signedWindows: number;
  /** Low bits in the combined table (1..W). */
  readonly topBits: number;
  /** Table points; index layout below. Entry b-combined(0, 0) is ∞ and never referenced. */
  readonly x: readonly bigint[];
  readonly y: readonly bigint[];
  /** First index of the signed tables of a / b: d·2^(W·s)·P_low at start + s·2^(W−1) + d − 1. */
  readonly signedStart: readonly [number, number];
  /** First index of the combined table of a / b: entry (dt, dh) at start + 16·dt + dh. */
  readonly comboStart: readonly [number, number];
  /** Terms per hash: a-combined, a's signed windows, b-combined, b's signed windows. */
  readonly termCount: number;
  /** Wall-clock milliseconds the build took (reported by the benchmark). */
  readonly buildMs: number;
};

let defaultTables: PedersenTables | undefined;

/** The default tables, built on first call (never at import time). */
export function pedersenTables(): PedersenTables {
  defaultTables ??= buildPedersenTables(DEFAULT_WINDOW_BITS);
  return defaultTables;
}

/** Whether the default tables exist yet (for the benchmark's build-time report). */
export function pedersenTablesBuilt(): boolean {
  return defaultTables !== undefined;
}

/**
 * Builds tables for a window width of 2..12 bits (tests use small widths to cover the layout).
 * Wider windows are refused: the table doubles per bit, and some widths (13: 14 top bits) would
 * make the combined table alone 2^18 points.
 */
export function buildPedersenTables(windowBits: number): PedersenTables {
  if (!Number.isInteger(windowBits) || windowBits < 2 || windowBits > 12) {
    throw new RangeCheckError('windowBits', windowBits, 'an integer 2..12');
  }
  const started = Date.now();
  const signedWindows = Math.ceil(248 / windowBits) - 1;
  const topBits = 248 - windowBits * signedWindows;
  const half = 2 ** (windowBits - 1);
  const comboRows = 2 ** topBits + 1; // dt = 0..2^topBits (the carry can reach 2^topBits)
  const signedSize = signedWindows * half;
  const comboSize = comboRows * 16;
  const signedStart: [number, number] = [0, signedSize + comboSize];
  const comboStart: [number, number] = [signedSize, 2 * signedSize + comboSize];
  const size = 2 * (signedSize + comboSize);
  const x = new Array<bigint>(size).fill(0n);
  const y = new Array<bigint>(size).fill(0n);

  // Window bases 2^(W·s)·P_low for s = 0..signedWindows (the last one is the combined table's).
  const bases: AffinePoint[][] = [PEDERSEN_POINTS[1], PEDERSEN_POINTS[3]].map((low) => {
    const p: JacobianPoint = { x: low[0], y: low[1], z: 1n };
    const out: AffinePoint[] = [];
    for (let s = 0; s <= signedWindows; s++) {
      out.push(toAffine(p));
      for (let i = 0; i < windowBits; i++) doubleJacobian(p);
    }
    return out;
  });

  // Signed tables, all 2·signedWindows in lock-step: entry d = (d − 1)-th entry + base.
  const signed: Sequence[] = [];
  for (let h = 0; h < 2; h++) {
    for (let s = 0; s < signedWindows; s++) {
      const first = signedStart[h]! + s * half;
      signed.push({ start: null, step: bases[h]![s]!, at: (r) => first + r });
    }
  }
  fillSequences(x, y, signed, half);

  // Combined tables: column dh = 0 holds dt·top (dt = 0 is ∞, not stored), then each row dt adds
  // P_high 15 times. For a, SHIFT is then added to every entry, entry (0, 0) becoming SHIFT.
  const combo = (h: number, dt: number, dh: number) => comboStart[h]! + 16 * dt + dh;
  fillSequences(
    x,
    y,
    [0, 1].map((h) => ({ start: null, step: bases[h]![signedWindows]!, at: (r) => combo(h, r + 1, 0) })),
    comboRows - 1,
  );
  const rowsSeq: Sequence[] = [];
  for (let h = 0; h < 2; h++) {
    for (let dt = 0; dt < comboRows; dt++) {
      const start: AffinePoint | null = dt === 0 ? null : [x[combo(h, dt, 0)]!, y[combo(h, dt, 0)]!];
      rowsSeq.push({ start, step: PEDERSEN_POINTS[h === 0 ? 2 : 4], at: (r) => combo(h, dt, r + 1) });
    }
  }
  fillSequences(x, y, rowsSeq, 15);
  const shifted: Sequence[] = [];
  for (let i = 0; i < comboSize; i++) {
    const at = comboStart[0] + i;
    shifted.push({ start: i === 0 ? null : [x[at]!, y[at]!], step: PEDERSEN_POINTS[0], at: () => at });
  }
  fillSequences(x, y, shifted, 1);

  const termCount = 2 * signedWindows + 2;
  tableLimbs(x, y);
  return {
    windowBits,
    signedWindows,
    topBits,
    x,
    y,
    signedStart,
    comboStart,
    termCount,
    buildMs: Date.now() - started,
  };
}

/** start + (r + 1)·step is written at index at(r), for r < rows; start null means ∞. */
type Sequence = { start: AffinePoint | null; step: AffinePoint; at: (r: number) => number };

/** Runs all sequences in lock-step, one shared inversion per row. No entry may be ∞. */
function fillSequences(x: bigint[], y: bigint[], seqs: readonly Sequence[], rows: number): void {
  const n = seqs.length;
  const acc: AffineBatch = {
    x: seqs.map((q) => q.start?.[0] ?? 0n),
    y: seqs.map((q) => q.start?.[1] ?? 0n),
    inf: Uint8Array.from(seqs, (q) => (q.start === null ? 1 : 0)),
  };
  const sx = seqs.map((q) => q.step[0]);
  const sy = seqs.map((q) => q.step[1]);
  const idx = Int32Array.from(seqs, (_, k) => k);
  const off = Int32Array.from(seqs, (_, k) => k + 1);
  for (let r = 0; r < rows; r++) {
    addAffineBatch(acc, idx, off, n, sx, sy);
    for (let k = 0; k < n; k++) {
      if (acc.inf[k] === 1) throw new Error(`pedersen tables: entry ${r} of sequence ${k} is the point at infinity`);
      const at = seqs[k]!.at(r);
      x[at] = acc.x[k]!;
      y[at] = acc.y[k]!;
    }
  }
}

/**
 * The table points as Montgomery limbs (pedersen-limbs.ts) for the batch path: 11 float32 per
 * coordinate (canonical limbs are exact in float32), 88 bytes a point.
 */
export type TableLimbs = { readonly x: Float32Array; readonly y: Float32Array };

// Keyed by the bigint x array: tables built here convert once, at build time; tables assembled
// elsewhere (tests tamper with x and y) convert on their first batch.
const limbCache = new WeakMap<readonly bigint[], TableLimbs>();

export function tableLimbs(x: readonly bigint[], y: readonly bigint[]): TableLimbs {
  let l = limbCache.get(x);
  if (l === undefined) {
    const n = x.length;
    l = { x: new Float32Array(n * LIMBS), y: new Float32Array(n * LIMBS) };
    for (let i = 0; i < n; i++) {
      toMont(x[i]!, l.x, i * LIMBS);
      toMont(y[i]!, l.y, i * LIMBS);
    }
    limbCache.set(x, l);
  }
  return l;
}
