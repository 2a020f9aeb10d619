import { pedersenMany } from '../crypto/pedersen.js';
import { RangeCheckError, TypeCheckError } from '../errors.js';
import type { Position } from '../state/position.js';
import { emptySubtreeRoot, MAX_POSITION_TREE_HEIGHT } from './empty-subtrees.js';
import { PositionTreeError } from './errors.js';
import { hashChains, positionLeafWords, type BatchHasher } from './position-leaf.js';

/**
 * Bulk build of a fresh positions tree from positions with contiguous ids (snapshot mode,
 * DESIGN.md §6; l1-data-tree.md §4.4–4.5). Instead of one path update per position, it hashes
 * the leaves in chunks (one batch per hash-chain step), then each level once, left to right, as
 * one batch. A level is an array: node `firstIndex + k` is `values[k]`, so there are no per-node
 * keys or lookups. A missing neighbour at either end of a level is the empty subtree root E_h,
 * and above the occupied subtree each level is a single H(node, E_h) or H(E_h, node).
 */

/** Positions with ids firstId … firstId + count − 1. */
export type ContiguousPositions = {
  readonly firstId: bigint;
  readonly count: number;
  /**
   * The position with id firstId + i. Called once per i, in increasing order, one leaf chunk at a
   * time: a caller can generate or decode positions on the fly instead of holding them all.
   */
  positionAt(i: number): Position;
};

export type BulkBuildOptions = {
  /** Tree height, 64 on dYdX. */
  height?: number;
  /** `pedersenMany` by default; a worker pool's hasher splits each batch across workers. */
  hashMany?: BatchHasher;
  /** Positions per leaf chunk: bounds the memory held for leaf words and chain states. */
  leafChunk?: number;
  /** Leaf chunks in flight at once, so a pool is not idle while one chunk waits for a chain step. */
  leafConcurrency?: number;
  /** Receives every level bottom-up (height 0 = leaves … height H = the root). */
  onLevel?: (height: number, firstIndex: bigint, values: readonly bigint[]) => void;
};

const DEFAULT_LEAF_CHUNK = 16_384;
const DEFAULT_LEAF_CONCURRENCY = 2;

function positiveInt(field: string, v: number, max: number): number {
  if (!Number.isInteger(v) || v < 1 || v > max)
    throw new RangeCheckError(field, v, `1 <= ${field} <= ${max} (integer)`);
  return v;
}

function checkInput(input: ContiguousPositions, height: number): void {
  positiveInt('height', height, MAX_POSITION_TREE_HEIGHT);
  if (typeof input !== 'object' || input === null || typeof input.positionAt !== 'function') {
    throw new TypeCheckError('input', input, '{ firstId, count, positionAt(i) }');
  }
  if (typeof input.firstId !== 'bigint') throw new TypeCheckError('input.firstId', input.firstId, 'bigint');
  if (!Number.isSafeInteger(input.count) || input.count < 0) {
    throw new RangeCheckError('input.count', input.count, '0 <= count (safe integer)');
  }
  const capacity = 1n << BigInt(height);
  if (input.firstId < 0n || input.firstId + BigInt(input.count) > capacity) {
    throw new RangeCheckError(
      'input.firstId',
      input.firstId,
      `0 <= firstId and firstId + count (${input.count}) <= 2^${height} (tree height)`,
    );
  }
}

function checkedHasher(hashMany: BatchHasher): (a: readonly bigint[], b: readonly bigint[]) => Promise<bigint[]> {
  return async (a, b) => {
    const out = await hashMany(a, b);
    if (out.length !== a.length)
      throw new PositionTreeError(`batch hasher returned ${out.length} hashes for ${a.length} inputs`);
    return out;
  };
}

/** Leaf hashes of all positions, chunk by chunk; up to `concurrency` chunks hash at once. */
async function leafHashes(
  input: ContiguousPositions,
  hash: BatchHasher,
  chunk: number,
  concurrency: number,
): Promise<bigint[]> {
  const leaves = new Array<bigint>(input.count);
  let next = 0;
  const runner = async (): Promise<void> => {
    while (next < input.count) {
      // Claim and read the whole chunk synchronously, so positionAt is called in order.
      const start = next;
      const end = Math.min(input.count, start + chunk);
      next = end;
      const words: bigint[][] = [];
      for (let i = start; i < end; i++) words.push(positionLeafWords(input.positionAt(i)));
      const states = await hashChains(words, hash);
      for (let k = 0; k < states.length; k++) leaves[start + k] = states[k]!.at(-1)!;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, runner));
  return leaves;
}

/** The level above `level` (whose first node has index `first` at height h). */
async function levelAbove(
  level: readonly bigint[],
  first: bigint,
  h: number,
  empties: readonly bigint[],
  hash: BatchHasher,
): Promise<bigint[]> {
  const empty = empties[h]!;
  const emptyAbove = empties[h + 1]!;
  const _parentFirst = first >> 1n;
  const shift = Number(first & 1n); // 1 when the level starts with a right child
  const n = (level.length + shift + 1) >> 1;
  const parents = new Array<bigint>(n);
  const who: number[] = [];
  const a: bigint[] = [];
  const b: bigint[] = [];
  for (let k = 0; k < n; k++) {
    const left = level[2 * k - shift] ?? empty; // index −1 or past the end: empty neighbour
    const right = level[2 * k + 1 - shift] ?? empty;
    if (left === empty && right === empty) {
      parents[k] = emptyAbove; // two empty children: no hash needed
    } else {
      who.push(k);
      a.push(left);
      b.push(right);
    }
  }
  const hashed = a.length > 0 ? await hash(a, b) : [];
  for (let j = 0; j < who.length; j++) parents[who[j]!] = hashed[j]!;
  return parents;
}

/**
 * E_0 … E_height through `hash` (empty-subtrees.ts has the same chain): with a worker pool the
 * host thread then never builds Pedersen tables of its own (tens of MB and up to a second).
 */
async function emptyRootsVia(hash: BatchHasher, height: number): Promise<bigint[]> {
  const [zeroChain] = await hash([0n], [0n]);
  const roots = await hash([zeroChain!], [(1n << 63n) << 16n]); // the empty position's leaf, l1-data-tree.md §4.4
  while (roots.length <= height) {
    const below = roots[roots.length - 1]!;
    roots.push((await hash([below], [below]))[0]!);
  }
  return roots;
}

/**
 * The root of the tree holding exactly these positions (every other leaf empty). Same root as
 * `PositionTree.update` with the same positions; positions are validated as they are read.
 */
export async function bulkPositionTreeRoot(input: ContiguousPositions, opts: BulkBuildOptions = {}): Promise<bigint> {
  const height = opts.height ?? MAX_POSITION_TREE_HEIGHT;
  checkInput(input, height);
  const chunk = positiveInt('leafChunk', opts.leafChunk ?? DEFAULT_LEAF_CHUNK, 1 << 24);
  const concurrency = positiveInt('leafConcurrency', opts.leafConcurrency ?? DEFAULT_LEAF_CONCURRENCY, 64);
  const hash = checkedHasher(opts.hashMany ?? pedersenMany);
  const empties = opts.hashMany
    ? await emptyRootsVia(hash, height)
    : Array.from({ length: height + 1 }, (_, h) => emptySubtreeRoot(h));
  if (input.count === 0) return empties[height]!;
  let level = await leafHashes(input, hash, chunk, concurrency);
  let first = input.firstId;
  opts.onLevel?.(0, first, level);
  for (let h = 0; h < height; h++) {
    level = await levelAbove(level, first, h, empties, hash);
    first >>= 1n;
    opts.onLevel?.(h + 1, first, level);
  }
  return level[0]!;
}
