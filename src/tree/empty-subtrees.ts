import { pedersen } from '../crypto/pedersen.js';
import { RangeCheckError } from '../errors.js';

/**
 * Roots of empty subtrees (l1-data-tree.md §4.4): E_0 = the empty position's leaf
 * H(H(0, 0), 2^63·2^16), E_h = H(E_{h-1}, E_{h-1}). E_64 is dYdX's initial positions root
 * (`getVaultRoot()`). Computed lazily, once, up to the height asked for: 65 hashes would cost
 * every importer of the core ~0.1 s with the reference Pedersen.
 */

/** Largest tree height the positions tree supports (positionId < 2^64 on L1, §4.1). */
export const MAX_POSITION_TREE_HEIGHT = 64;

const roots: bigint[] = [];

export function emptySubtreeRoot(height: number): bigint {
  if (!Number.isInteger(height) || height < 0 || height > MAX_POSITION_TREE_HEIGHT) {
    throw new RangeCheckError('height', height, `0 <= height <= ${MAX_POSITION_TREE_HEIGHT} (integer)`);
  }
  if (roots.length === 0) roots.push(pedersen(pedersen(0n, 0n), (1n << 63n) << 16n));
  while (roots.length <= height) {
    const below = roots[roots.length - 1]!;
    roots.push(pedersen(below, below));
  }
  return roots[height]!;
}

/** E_0 … E_64 (index = height). */
export function emptySubtreeRoots(): readonly bigint[] {
  emptySubtreeRoot(MAX_POSITION_TREE_HEIGHT);
  return Object.freeze(roots.slice());
}
