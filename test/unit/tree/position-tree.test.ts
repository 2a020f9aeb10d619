import fc from 'fast-check';
import { TypeCheckError } from '../../../src/errors.js';
import { describe, expect, it } from 'vitest';
import {
  EMPTY_POSITION,
  MemoryNodeStore,
  PositionTree,
  PositionTreeError,
  RangeCheckError,
  emptySubtreeRoot,
  pedersen,
  pedersenMany,
  positionLeafHash,
  type NodeStore,
  type Position,
} from '../../helpers/core.js';
import { readVector } from '../../helpers/vectors.js';
import { fromTreeVector, type TreeVectorPosition } from './helpers.js';

/** Independent reference: hash the whole dense tree bottom-up (fine for tiny heights). */
function denseRoot(height: number, leaves: ReadonlyMap<bigint, Position>): bigint {
  let level = Array.from({ length: 2 ** height }, (_, i) => positionLeafHash(leaves.get(BigInt(i)) ?? EMPTY_POSITION));
  while (level.length > 1) level = level.filter((_, i) => i % 2 === 0).map((l, i) => pedersen(l, level[2 * i + 1]!));
  return level[0]!;
}

const pos = (key: bigint, collateral: bigint, assets: [bigint, bigint, bigint][] = []): Position => ({
  starkKey: key,
  collateral,
  assets: assets.map(([assetId, balance, cachedFundingIndex]) => ({ assetId, balance, cachedFundingIndex })),
});

describe('PositionTree', () => {
  it('an empty tree has root E_H (height 64 by default)', async () => {
    expect(await (await PositionTree.create()).root()).toBe(emptySubtreeRoot(64));
    const t3 = await PositionTree.create(undefined, { height: 3 });
    expect(t3.height).toBe(3);
    expect(await t3.root()).toBe(emptySubtreeRoot(3));
  });

  it(`reproduces the height-3 root of l1tree-merkle-tree-expected.json`, async () => {
    const v = readVector<{
      height3TreeAfterUpdates: { height: number; leaves: Record<string, TreeVectorPosition>; expectedRoot: string };
    }>('l1tree-merkle-tree-expected.json').height3TreeAfterUpdates;
    const tree = await PositionTree.create(new MemoryNodeStore(), { height: v.height });
    await tree.update(Object.entries(v.leaves).map(([id, p]) => [BigInt(id), fromTreeVector(p)] as const));
    expect(await tree.root()).toBe(BigInt(v.expectedRoot));
  });

  it('matches a dense reference tree; several batches give the same root as one batch (property)', async () => {
    const H = 4;
    const position = fc
      .record({
        key: fc.bigInt({ min: 0n, max: 1000n }),
        collateral: fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }),
        assets: fc.uniqueArray(fc.bigInt({ min: 1n, max: 40n }), { maxLength: 2 }),
      })
      .map(({ key, collateral, assets }) =>
        pos(
          key,
          collateral,
          [...assets].sort((a, b) => Number(a - b)).map((id) => [id, id - 20n || 1n, -id] as [bigint, bigint, bigint]),
        ),
      );
    const entry = fc.tuple(
      fc.bigInt({ min: 0n, max: 2n ** BigInt(H) - 1n }),
      fc.oneof(position, fc.constant(EMPTY_POSITION)),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(entry, { maxLength: 4 }), { minLength: 1, maxLength: 3 }), async (batches) => {
        const oneByOne = await PositionTree.create(new MemoryNodeStore(), { height: H });
        for (const b of batches) await oneByOne.update(b);
        const final = new Map<bigint, Position>();
        for (const [id, p] of batches.flat()) final.set(id, p);
        const store = new MemoryNodeStore();
        const atOnce = await PositionTree.create(store, { height: H });
        await atOnce.update([...final]);
        const root = await atOnce.root();
        expect(await oneByOne.root()).toBe(root);
        expect(root).toBe(denseRoot(H, final));
        // Sparse: only non-empty positions are kept.
        expect(store.positionCount).toBe(
          [...final.values()].filter((p) => p !== EMPTY_POSITION && positionLeafHash(p) !== emptySubtreeRoot(0)).length,
        );
      }),
      { numRuns: 12 },
    );
  });

  it('emptying every position returns the root to E_H and the store to empty', async () => {
    const store = new MemoryNodeStore();
    const tree = await PositionTree.create(store, { height: 6 });
    await tree.update([
      [3n, pos(1n, 5n)],
      [40n, pos(2n, -5n, [[7n, 1n, 0n]])],
    ]);
    expect(store.nodeCount).toBeGreaterThan(0);
    await tree.update([[3n, EMPTY_POSITION]]);
    await tree.update([[40n, { starkKey: 0n, collateral: 0n, assets: [] }]]);
    expect(await tree.root()).toBe(emptySubtreeRoot(6));
    expect(store.nodeCount).toBe(0);
    expect(store.positionCount).toBe(0);
  });

  it('for a repeated positionId in one batch the last entry wins', async () => {
    const a = await PositionTree.create(undefined, { height: 3 });
    await a.update([
      [5n, pos(1n, 1n)],
      [5n, pos(2n, 2n)],
    ]);
    const b = await PositionTree.create(undefined, { height: 3 });
    await b.update([[5n, pos(2n, 2n)]]);
    expect(await a.root()).toBe(await b.root());
    expect(await a.position(5n)).toEqual(pos(2n, 2n));
  });

  it('merklePath: pairs hold the leaf and siblings, and hash up to the root', async () => {
    const tree = await PositionTree.create(undefined, { height: 5 });
    const p = pos(9n, 77n, [[3n, -4n, 5n]]);
    await tree.update([
      [13n, p],
      [12n, pos(1n, 1n)],
      [30n, pos(2n, 2n)],
    ]);
    const path = await tree.merklePath(13n);
    expect(path.leaf).toBe(positionLeafHash(p));
    expect(path.siblings.length).toBe(5);
    let node = path.leaf;
    path.pairs.forEach(([l, r], h) => {
      const bit = (13n >> BigInt(h)) & 1n;
      expect(bit ? r : l).toBe(node);
      expect(bit ? l : r).toBe(path.siblings[h]);
      node = pedersen(l, r);
    });
    expect(node).toBe(path.root);
    expect(path.root).toBe(await tree.root());
    // An empty leaf's path also authenticates E_0.
    const empty = await tree.merklePath(0n);
    expect(empty.leaf).toBe(emptySubtreeRoot(0));
    expect(empty.siblings[4]).toBe(await tree.merklePath(31n).then((q) => q.pairs[4]![1]));
  });

  it('hashes one batch per chain step and per level (the shape a worker pool needs)', async () => {
    const calls: number[] = [];
    const hashMany = async (a: readonly bigint[], b: readonly bigint[]) => {
      calls.push(a.length);
      return pedersenMany(a, b);
    };
    const tree = await PositionTree.create(new MemoryNodeStore(), { height: 8, hashMany });
    await tree.update([
      [0n, pos(1n, 1n, [[1n, 1n, 0n]])],
      [1n, pos(2n, 2n)],
      [200n, pos(3n, 3n)],
      [255n, EMPTY_POSITION],
    ]);
    // 3 chain steps (longest chain: 1 asset + key + collateral), then 8 levels.
    expect(calls.length).toBe(3 + 8);
    expect(calls.slice(0, 3)).toEqual([3, 3, 1]);
    // Level 0 pairs: {0,1}, {200,201}, {254,255}(both empty: no hash) → 2 hashes; the root level 1.
    expect(calls[3]).toBe(2);
    expect(calls.at(-1)).toBe(1);
    const plain = await PositionTree.create(undefined, { height: 8 });
    await plain.update([
      [0n, pos(1n, 1n, [[1n, 1n, 0n]])],
      [1n, pos(2n, 2n)],
      [200n, pos(3n, 3n)],
    ]);
    expect(await tree.root()).toBe(await plain.root());
  });

  it('serialises concurrent operations: a read after an unawaited update sees it', async () => {
    const tree = await PositionTree.create(undefined, { height: 4 });
    const u1 = tree.update([[1n, pos(1n, 1n)]]);
    const u2 = tree.update([[2n, pos(2n, 2n)]]);
    const r = tree.root();
    await Promise.all([u1, u2]);
    expect(await r).toBe(
      denseRoot(
        4,
        new Map([
          [1n, pos(1n, 1n)],
          [2n, pos(2n, 2n)],
        ]),
      ),
    );
  });

  it('validates positionIds and positions before writing anything', async () => {
    const store = new MemoryNodeStore();
    const tree = await PositionTree.create(store, { height: 4 });
    await tree.update([[1n, pos(1n, 1n)]]);
    const before = [await tree.root(), store.nodeCount];
    await expect(tree.update([[16n, pos(1n, 1n)]])).rejects.toThrow(RangeCheckError);
    await expect(tree.update([[16n, pos(1n, 1n)]])).rejects.toThrow(
      /^entries\[0\]\[0\]: 16 is out of range; expected 0 <= positionId < 2\^4/,
    );
    await expect(
      tree.update([
        [2n, pos(1n, 1n)],
        [-1n, pos(1n, 1n)],
      ]),
    ).rejects.toThrow(RangeCheckError);
    await expect(
      tree.update([
        [2n, pos(1n, 1n)],
        [3n, pos(1n, 1n << 63n)],
      ]),
    ).rejects.toThrow(/^entries\[1\]\[1\]\.collateral: /);
    await expect(
      tree.update([
        [
          2n,
          pos(1n, 1n, [
            [2n, 1n, 0n],
            [1n, 1n, 0n],
          ]),
        ],
      ]),
    ).rejects.toThrow(RangeCheckError);
    await expect(tree.update([[2 as unknown as bigint, pos(1n, 1n)]])).rejects.toThrow(TypeCheckError);
    expect([await tree.root(), store.nodeCount]).toEqual(before);
    await expect(tree.merklePath(16n)).rejects.toThrow(RangeCheckError);
    await expect(tree.escapeProof(-1n)).rejects.toThrow(RangeCheckError);
    await expect(PositionTree.create(undefined, { height: 65 })).rejects.toThrow(RangeCheckError);
    await expect(PositionTree.create(undefined, { height: 0 })).rejects.toThrow(RangeCheckError);
  });

  it('a failing hasher leaves the store untouched; a wrong-length hasher is a PositionTreeError', async () => {
    const store = new MemoryNodeStore();
    let fail = false;
    let short = false;
    const hashMany = (a: readonly bigint[], b: readonly bigint[]) => {
      if (fail && a.length > 0) throw new Error('worker died');
      return short ? pedersenMany(a, b).slice(1) : pedersenMany(a, b);
    };
    const tree = await PositionTree.create(store, { height: 4, hashMany });
    await tree.update([[1n, pos(1n, 1n)]]);
    const before = [await tree.root(), store.nodeCount, store.positionCount];
    fail = true;
    await expect(tree.update([[2n, pos(2n, 2n)]])).rejects.toThrow('worker died');
    fail = false;
    short = true;
    await expect(tree.update([[2n, pos(2n, 2n)]])).rejects.toThrow(PositionTreeError);
    expect([await tree.root(), store.nodeCount, store.positionCount]).toEqual(before);
  });

  it('stores a frozen copy: mutating the caller object afterwards changes nothing', async () => {
    const tree = await PositionTree.create(undefined, { height: 3 });
    const p = pos(1n, 1n, [[4n, 1n, 0n]]);
    await tree.update([[2n, p]]);
    p.assets[0]!.balance = 99n;
    const stored = await tree.position(2n);
    expect(stored.assets[0]!.balance).toBe(1n);
    expect(Object.isFrozen(stored.assets[0])).toBe(true);
  });

  it('escapeProof refuses a store whose position does not hash to its leaf', async () => {
    const store = new MemoryNodeStore();
    const tree = await PositionTree.create(store, { height: 3 });
    await tree.update([[2n, pos(1n, 1n)]]);
    await store.write({ nodes: [], positions: [[2n, pos(1n, 2n)]] });
    await expect(tree.escapeProof(2n)).rejects.toThrow(PositionTreeError);
  });

  it('works over any NodeStore implementation (async, structured keys)', async () => {
    const inner = new MemoryNodeStore();
    let writes = 0;
    const store: NodeStore = {
      getNodes: async (keys) => inner.getNodes(keys.map((k) => ({ ...k }))),
      getPositions: async (ids) => inner.getPositions(ids),
      write: async (batch) => {
        writes++;
        await new Promise((r) => setTimeout(r, 1));
        await inner.write(batch);
      },
    };
    const tree = await PositionTree.create(store, { height: 4 });
    await tree.update([
      [3n, pos(1n, 1n)],
      [9n, pos(2n, 2n)],
    ]);
    await tree.update([[3n, EMPTY_POSITION]]);
    expect(writes).toBe(2);
    expect(await tree.root()).toBe(denseRoot(4, new Map([[9n, pos(2n, 2n)]])));
  });
});
