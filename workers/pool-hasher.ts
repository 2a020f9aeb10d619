import { RangeCheckError } from '../src/errors.js';
import type { BatchHasher } from '../src/index.js';
import type { WorkerPool } from './pool.js';

/**
 * A `BatchHasher` over a worker pool (DESIGN.md §7): each batch (one tree level, or one step of
 * the leaf hash chains) is cut into contiguous chunks, one `pedersenMany` job each, and the
 * answers are joined in order. Several chunks per worker keep both cores busy when one worker is
 * slowed by other processes; a chunk is never smaller than `minChunk` pairs, because the batch
 * Pedersen needs a few hundred pairs in lock-step to amortise its shared inversions.
 *
 * Inputs travel by structured clone: measured at ~0.2–0.3 µs per bigint for the round trip in
 * Node, against ~100 µs per hash, and packing into a transferred BigUint64Array cost more than
 * it saved (bench/README.md).
 */
export type PoolHasherOptions = {
  /** Smallest chunk in pairs (default 512). */
  minChunk?: number;
  /** Chunks per worker for a large batch (default 4). */
  chunksPerWorker?: number;
  /** Called with the size of each batch (e.g. to count hashes). */
  onBatch?: (pairs: number) => void;
};

export function poolBatchHasher(pool: WorkerPool, opts: PoolHasherOptions = {}): BatchHasher {
  const minChunk = opts.minChunk ?? 512;
  const chunksPerWorker = opts.chunksPerWorker ?? 4;
  if (!Number.isInteger(minChunk) || minChunk < 1)
    throw new RangeCheckError('minChunk', minChunk, '1 <= minChunk (integer)');
  if (!Number.isInteger(chunksPerWorker) || chunksPerWorker < 1 || chunksPerWorker > 64) {
    throw new RangeCheckError('chunksPerWorker', chunksPerWorker, '1 <= chunksPerWorker <= 64 (integer)');
  }
  return async (a, b) => {
    if (a.length !== b.length) throw new RangeCheckError('b.length', b.length, `b.length == a.length (${a.length})`);
    const n = a.length;
    opts.onBatch?.(n);
    if (n === 0) return [];
    const parts = Math.max(1, Math.min(pool.size * chunksPerWorker, Math.floor(n / minChunk)));
    const size = Math.ceil(n / parts);
    const jobs: Promise<unknown>[] = [];
    for (let s = 0; s < n; s += size)
      jobs.push(pool.run({ kind: 'pedersenMany', a: a.slice(s, s + size), b: b.slice(s, s + size) }));
    const outs = (await Promise.all(jobs)) as bigint[][];
    return outs.length === 1 ? outs[0]! : outs.flat();
  };
}

/**
 * Gives every worker one tiny job, so each builds its Pedersen window tables now (about 0.2–2 s
 * per worker) rather than inside the first timed batch. Resolves when all have answered.
 */
export async function warmPool(pool: WorkerPool): Promise<void> {
  await Promise.all(Array.from({ length: pool.size }, () => pool.run({ kind: 'pedersen', a: 1n, b: 2n })));
}
