import type { PedersenTables } from './pedersen-tables.js';

/**
 * Splits (a, b) into the table terms of one hash (layout in pedersen-tables.ts) and writes their
 * signed offsets, in the encoding addAffineBatch takes: index + 1 for a table point, −(index + 1)
 * for its negation, 0 for "no term" (a zero digit: the hash skips that addition).
 *
 * Term order: a-combined (always present: it carries SHIFT), a's windows s = 0.., b-combined,
 * b's windows. a and b must already be field elements (< 2^252); the caller checks.
 */
export function writeOffsets(tables: PedersenTables, a: bigint, b: bigint, out: Int32Array, at: number): void {
  writeInput(tables, 0, a, out, at);
  writeInput(tables, 1, b, out, at + tables.signedWindows + 1);
}

// Nibble i holds bits 4i..4i+3 of the value; zero-padded so window reads never run off the end.
const nibbles = new Uint8Array(72);

/** Loads the value's nibbles from its hex form: one conversion instead of ~60 bigint shifts. */
function loadNibbles(value: bigint): void {
  const hex = value.toString(16);
  const len = hex.length;
  nibbles.fill(0);
  for (let i = 0; i < len; i++) {
    const c = hex.charCodeAt(len - 1 - i);
    nibbles[i] = c <= 57 ? c - 48 : c - 87; // '0'..'9', 'a'..'f' (toString(16) is lower case)
  }
}

/** Bits [pos, pos + width) of the loaded value, width <= 16. */
function bits(pos: number, width: number): number {
  const k = pos >> 2;
  const word =
    nibbles[k]! | (nibbles[k + 1]! << 4) | (nibbles[k + 2]! << 8) | (nibbles[k + 3]! << 12) | (nibbles[k + 4]! << 16);
  return (word >>> (pos & 3)) & ((1 << width) - 1);
}

function writeInput(tables: PedersenTables, input: 0 | 1, value: bigint, out: Int32Array, at: number): void {
  loadNibbles(value);
  const w = tables.windowBits;
  const half = 1 << (w - 1);
  const full = 1 << w;
  const signedStart = tables.signedStart[input];
  let carry = 0;
  // Signed recoding: a window value above half becomes value − 2^W and carries 1 upwards.
  for (let s = 0; s < tables.signedWindows; s++) {
    let d = bits(w * s, w) + carry;
    carry = 0;
    if (d > half) {
      d -= full;
      carry = 1;
    }
    const first = signedStart + s * half; // index of 1·base, so index + 1 of |d|·base is first + |d|
    out[at + 1 + s] = d === 0 ? 0 : d > 0 ? first + d : -(first - d);
  }
  const dt = bits(w * tables.signedWindows, tables.topBits) + carry; // 0..2^topBits
  const dh = nibbles[62]!; // bits 248..251
  const combined = tables.comboStart[input] + 16 * dt + dh;
  // b-combined (0, 0) is ∞: no term. a-combined (0, 0) is SHIFT, always added.
  out[at] = input === 1 && dt === 0 && dh === 0 ? 0 : combined + 1;
}
