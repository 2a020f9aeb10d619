import { pedersen as scurePedersen } from '@scure/starknet';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryNodeStore, PositionTree, bulkPositionTreeRoot, type Position } from '../../helpers/core.js';
import { createNodeWorkerPool } from '../../../workers/node-pool.js';
import { WorkerJobError, type WorkerPool } from '../../../workers/pool.js';
import { poolBatchHasher } from '../../../workers/pool-hasher.js';
import { syntheticPosition, syntheticPositions } from '../../../bench/synthetic-positions.js';
import { referenceRoot } from './helpers.js';

// Real worker_threads: the same job code as the browser's Web Workers (workers/jobs.ts).
let pool: WorkerPool;
beforeAll(() => {
  pool = createNodeWorkerPool({ size: 2 });
});
afterAll(() => pool.terminate());

async function updateRoot(
  positions: ReadonlyMap<bigint, Position>,
  hashMany?: ReturnType<typeof poolBatchHasher>,
): Promise<bigint> {
  const tree = await PositionTree.create(new MemoryNodeStore(), hashMany ? { hashMany } : {});
  await tree.update([...positions]);
  return tree.root();
}

describe('Node worker pool (worker_threads)', () => {
  it('pool root == single-thread root == reference for random position sets in a height-64 tree (property)', async () => {
    const hashMany = poolBatchHasher(pool, { minChunk: 2 });
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), { minLength: 1, maxLength: 6 }),
        fc.integer(),
        async (ids, seed) => {
          const positions = new Map(ids.map((id) => [id, syntheticPosition(seed, id)] as const));
          const single = await updateRoot(positions);
          expect(await updateRoot(positions, hashMany)).toBe(single);
          expect(single).toBe(referenceRoot(64, positions));
        },
      ),
      { numRuns: 6 },
    );
  });

  it('agrees with a reference built on @scure/starknet for a small set', async () => {
    const positions = new Map([0n, 1n, 2n, 5n].map((id) => [id, syntheticPosition(7, id)] as const));
    const reference = referenceRoot(8, positions, (a, b) => BigInt(scurePedersen(a, b)));
    const tree = await PositionTree.create(new MemoryNodeStore(), {
      height: 8,
      hashMany: poolBatchHasher(pool, { minChunk: 1 }),
    });
    await tree.update([...positions]);
    expect(await tree.root()).toBe(reference);
  });

  it('bulk build over the pool == bulk build in one thread == update, for contiguous ids', async () => {
    const input = syntheticPositions(700, 0x1234, 2n ** 40n - 3n); // odd start: both level ends have empty neighbours
    const viaPool = await bulkPositionTreeRoot(input, {
      hashMany: poolBatchHasher(pool, { minChunk: 16 }),
      leafChunk: 100,
      leafConcurrency: 3,
    });
    expect(await bulkPositionTreeRoot(input)).toBe(viaPool);
    const all = new Map(
      Array.from({ length: input.count }, (_, i) => [input.firstId + BigInt(i), input.positionAt(i)] as const),
    );
    expect(await updateRoot(all)).toBe(viaPool);
  });

  it('a worker that cannot start fails its job with WorkerJobError instead of hanging', async () => {
    const broken = createNodeWorkerPool({ size: 1, entry: new URL('./does-not-exist.ts', import.meta.url) });
    try {
      await expect(broken.run({ kind: 'pedersen', a: 1n, b: 2n })).rejects.toBeInstanceOf(WorkerJobError);
      await expect(broken.run({ kind: 'pedersen', a: 1n, b: 2n })).rejects.toThrow(
        /every worker in the pool has crashed/,
      );
    } finally {
      broken.terminate();
    }
  });
});
