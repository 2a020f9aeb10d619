import { RangeCheckError, TypeCheckError } from '../errors.js';
import { FIELD_PRIME } from './field.js';
import { pedersenFastMany, pedersenFastOne } from './pedersen-fast.js';

/**
 * Pedersen hash H(a, b) of two field elements, for PUBLIC data only (tree nodes, leaves, message
 * hashes): the fast path (pedersen-fast.ts, verification-and-performance.md §2.5) is not
 * constant-time. Anything secret goes through @scure/starknet, never through here.
 *
 * Inputs at or above the field prime are rejected rather than reduced: StarkWare's hash is defined
 * on field elements only (l1-data-tree.md §4.2). The window tables are built on the first call.
 */
export function pedersen(a: bigint, b: bigint): bigint {
  assertFelt('a', a);
  assertFelt('b', b);
  return pedersenFastOne(a, b);
}

/**
 * H(a[i], b[i]) for every i, hashed together in lock-step (one field inversion per step for the
 * whole batch): about twice the single-hash rate once there are a few dozen pairs. Hash a whole
 * tree level per call.
 */
export function pedersenMany(a: readonly bigint[], b: readonly bigint[]): bigint[] {
  if (a.length !== b.length) throw new RangeCheckError('b.length', b.length, `b.length == a.length (${a.length})`);
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    // Fast check first; the named check (and its message) only on failure.
    if (typeof x !== 'bigint' || x < 0n || x >= FIELD_PRIME) assertFelt(`a[${i}]`, x as bigint);
    if (typeof y !== 'bigint' || y < 0n || y >= FIELD_PRIME) assertFelt(`b[${i}]`, y as bigint);
  }
  return pedersenFastMany(a, b);
}

export function assertFelt(field: string, value: bigint): void {
  if (typeof value !== 'bigint') throw new TypeCheckError(field, value, 'bigint');
  if (value < 0n || value >= FIELD_PRIME)
    throw new RangeCheckError(field, value, `0 <= ${field} < P (2^251 + 17·2^192 + 1)`);
}
