import { pedersen as scurePedersen } from '@scure/starknet';
import { RangeCheckError } from '../errors.js';
import { FIELD_PRIME } from './field.js';

/**
 * Pedersen hash H(a, b) of two field elements, for public data (tree nodes, leaves, message hashes).
 *
 * Reference path through @scure/starknet; the fast batch path (issue: Performance) replaces the
 * body behind this same signature. Inputs at or above the field prime are rejected rather than
 * reduced: StarkWare's hash is defined on field elements only.
 */
export function pedersen(a: bigint, b: bigint): bigint {
  assertFelt('a', a);
  assertFelt('b', b);
  return BigInt(scurePedersen(a, b));
}

/** H(a[i], b[i]) for every i. */
export function pedersenMany(a: readonly bigint[], b: readonly bigint[]): bigint[] {
  if (a.length !== b.length) throw new RangeCheckError('b.length', b.length, `b.length == a.length (${a.length})`);
  const out = new Array<bigint>(a.length);
  for (let i = 0; i < a.length; i++) out[i] = pedersen(a[i]!, b[i]!);
  return out;
}

export function assertFelt(field: string, value: bigint): void {
  if (typeof value !== 'bigint') throw new TypeError(`${field}: expected bigint, got ${typeof value}`);
  if (value < 0n || value >= FIELD_PRIME) throw new RangeCheckError(field, value, `0 <= ${field} < P (2^251 + 17·2^192 + 1)`);
}
