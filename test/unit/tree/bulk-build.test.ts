import fc from 'fast-check';
import { TypeCheckError } from '../../../src/errors.js';
import { describe, expect, it } from 'vitest';
import {
  EMPTY_POSITION,
  MemoryNodeStore,
  PositionTree,
  PositionTreeError,
  RangeCheckError,
  bulkPositionTreeRoot,
  emptySubtreeRoot,
  pedersenMany,
  type ContiguousPositions,
  type Position,
} from '../../helpers/core.js';

const pos = (key: bigint, collateral: bigint, assets: [bigint, bigint][] = []): Position => ({
  starkKey: key,
  collateral,
  assets: assets.map(([assetId, balance]) => ({ assetId, balance, cachedFundingIndex: -assetId })),
});

/** Small varied positions: 0–2 assets, some empty. */
function samplePosition(i: number): Position {
  if (i % 7 === 3) return EMPTY_POSITION;
  const assets: [bigint, bigint][] =
    i % 3 === 0
      ? []
      : i % 3 === 1
        ? [[5n, BigInt(i + 1)]]
        : [
            [2n, -1n],
            [9n, BigInt(i)],
          ];
  return pos(BigInt(i * 1_000_003 + 1), BigInt(i) - 50n, assets);
}

const contiguous = (firstId: bigint, count: number, at = samplePosition): ContiguousPositions => ({
  firstId,
  count,
  positionAt: at,
});

async function updatedTree(
  input: ContiguousPositions,
  height: number,
): Promise<{ tree: PositionTree; store: MemoryNodeStore }> {
  const store = new MemoryNodeStore();
  const tree = await PositionTree.create(store, { height });
  await tree.update(
    Array.from({ length: input.count }, (_, i) => [input.firstId + BigInt(i), input.positionAt(i)] as const),
  );
  return { tree, store };
}

describe('bulkPositionTreeRoot / PositionTree.fromPositions', () => {
  it('gives the same root as update for any contiguous range, chunking and height (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 10 }),
        fc.bigInt({ min: 0n, max: 1023n }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 3 }),
        async (height, start, count0, leafChunk, leafConcurrency) => {
          const capacity = 1n << BigInt(height);
          const firstId = start % capacity;
          const count = Math.min(count0, Number(capacity - firstId));
          const input = contiguous(firstId, count);
          const bulk = await bulkPositionTreeRoot(input, { height, leafChunk, leafConcurrency });
          expect(bulk).toBe(await (await updatedTree(input, height)).tree.root());
          // A custom hasher (as a worker pool is) also computes the empty roots itself.
          expect(
            await bulkPositionTreeRoot(input, { height, leafChunk, hashMany: async (a, b) => pedersenMany(a, b) }),
          ).toBe(bulk);
        },
      ),
      { numRuns: 20 },
    );
  });

  it('height 64: a range in the middle of the id space', async () => {
    const input = contiguous(2n ** 63n - 5n, 11);
    expect(await bulkPositionTreeRoot(input)).toBe(await (await updatedTree(input, 64)).tree.root());
    expect(await bulkPositionTreeRoot(contiguous(0n, 0))).toBe(emptySubtreeRoot(64));
  });

  it('reports every level once, bottom-up, and hashes each level in one batch', async () => {
    const levels: [number, bigint, number][] = [];
    const batches: number[] = [];
    await bulkPositionTreeRoot(
      contiguous(5n, 6, (i) => samplePosition(i + 1)),
      {
        height: 4,
        hashMany: (a, b) => {
          batches.push(a.length);
          return pedersenMany(a, b);
        },
        onLevel: (h, first, values) => levels.push([h, first, values.length]),
      },
    );
    // ids 5..10 → parents 2..5 → 1..2 → 0..1 → 0
    expect(levels).toEqual([
      [0, 5n, 6],
      [1, 2n, 4],
      [2, 1n, 2],
      [3, 0n, 2],
      [4, 0n, 1],
    ]);
    // H(0,0) and E_0 … E_4 one hash each, then 4 chain steps (positions 1..6 have 0–2 assets), then 4 levels.
    expect(batches.slice(0, 6)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(batches.slice(-4)).toEqual([4, 2, 2, 1]);
  });

  it('fromPositions stores the same nodes and positions as update: paths and escape proofs agree', async () => {
    const input = contiguous(13n, 30);
    const bulkStore = new MemoryNodeStore();
    const bulk = await PositionTree.fromPositions(input, bulkStore, { height: 6, leafChunk: 7 });
    const { tree, store } = await updatedTree(input, 6);
    expect(await bulk.root()).toBe(await tree.root());
    expect(bulkStore.nodeCount).toBe(store.nodeCount);
    expect(bulkStore.positionCount).toBe(store.positionCount);
    for (const id of [0n, 13n, 16n, 29n, 42n, 63n]) {
      expect(await bulk.merklePath(id)).toEqual(await tree.merklePath(id));
      expect(await bulk.position(id)).toEqual(await tree.position(id));
    }
    expect(await bulk.escapeProof(20n)).toEqual(await tree.escapeProof(20n));
    // The built tree keeps working with ordinary updates.
    await bulk.update([[50n, samplePosition(1)]]);
    await tree.update([[50n, samplePosition(1)]]);
    expect(await bulk.root()).toBe(await tree.root());
  });

  it('validates its input: ids, count, options (RangeCheckError / TypeCheckError)', async () => {
    await expect(bulkPositionTreeRoot(contiguous(15n, 2), { height: 4 })).rejects.toThrow(RangeCheckError);
    await expect(bulkPositionTreeRoot(contiguous(15n, 2), { height: 4 })).rejects.toThrow(
      /firstId \+ count \(2\) <= 2\^4/,
    );
    await expect(bulkPositionTreeRoot(contiguous(-1n, 1), { height: 4 })).rejects.toThrow(RangeCheckError);
    await expect(bulkPositionTreeRoot(contiguous(0n, -1))).rejects.toThrow(RangeCheckError);
    await expect(bulkPositionTreeRoot(contiguous(0n, 1.5))).rejects.toThrow(RangeCheckError);
    await expect(bulkPositionTreeRoot(contiguous(0n, 1), { height: 65 })).rejects.toThrow(RangeCheckError);
    await expect(bulkPositionTreeRoot(contiguous(0n, 1), { leafChunk: 0 })).rejects.toThrow(RangeCheckError);
    await expect(bulkPositionTreeRoot(contiguous(0n, 1), { leafConcurrency: 65 })).rejects.toThrow(RangeCheckError);
    await expect(bulkPositionTreeRoot({ firstId: 0, count: 1, positionAt: samplePosition } as never)).rejects.toThrow(
      TypeCheckError,
    );
    await expect(bulkPositionTreeRoot(null as never)).rejects.toThrow(TypeCheckError);
    await expect(PositionTree.fromPositions({} as never)).rejects.toThrow(TypeCheckError);
  });

  it('a bad position or a wrong-length hasher fails the build and writes nothing', async () => {
    const bad = (i: number): Position => (i === 4 ? pos(1n, 0n, [[3n, 0n]]) : samplePosition(i));
    const store = new MemoryNodeStore();
    await expect(PositionTree.fromPositions(contiguous(0n, 8, bad), store, { height: 4 })).rejects.toThrow(
      /positionAt\(4\)\.assets\[0\]\.balance/,
    );
    await expect(PositionTree.fromPositions(contiguous(0n, 8, bad), store, { height: 4 })).rejects.toBeInstanceOf(
      RangeCheckError,
    );
    const short = async (a: readonly bigint[], b: readonly bigint[]) => pedersenMany(a, b).slice(1);
    await expect(
      PositionTree.fromPositions(contiguous(0n, 8), store, { height: 4, hashMany: short }),
    ).rejects.toBeInstanceOf(PositionTreeError);
    expect(store.nodeCount).toBe(0);
    expect(store.positionCount).toBe(0);
  });

  it('fromPositions refuses a store that already holds a tree', async () => {
    const store = new MemoryNodeStore();
    await PositionTree.fromPositions(contiguous(0n, 3), store, { height: 3 });
    await expect(PositionTree.fromPositions(contiguous(0n, 3), store, { height: 3 })).rejects.toBeInstanceOf(
      PositionTreeError,
    );
  });
});
