import fc from 'fast-check';
import {
  assetIdFromText,
  EMPTY_POSITION,
  positionRecord,
  type FundingEntry,
  type OnChainData,
  type Position,
  type SharedState,
} from './imports.js';

/*
 * Generated batches with known answers: a small universe of assets and position ids (so batches
 * touch the same positions again), target positions drawn at random, records produced by
 * `positionRecord` (the inverse), expected cached indices read from the batch's funding table.
 */
/** Ascending numeric ids, as positions and funding lists hold them. */
const ASSETS = ['BTC-10', 'ETH-9', 'LINK-7', 'SOL-7', 'ZRX-6'].map(assetIdFromText).sort((a, b) => (a < b ? -1 : 1));
const i64 = fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n });
const nonZeroI64 = i64.filter((b) => b !== 0n);
const indicesArb = fc
  .tuple(...ASSETS.map(() => i64))
  .map((xs) => xs.map((fundingIndex, k) => ({ assetId: ASSETS[k]!, fundingIndex })));

export const sharedStateAt = (
  fundingTimestamp: bigint,
  fundingIndices: SharedState['fundingIndices'],
): SharedState => ({
  positionsRoot: 0n,
  positionsTreeHeight: 64n,
  ordersRoot: 0n,
  ordersTreeHeight: 64n,
  fundingIndices,
  fundingTimestamp,
  oraclePrices: fundingIndices.map((f) => ({ assetId: f.assetId, price: 1n << 32n })),
  systemTime: fundingTimestamp,
});

/** A position as the map holds it: assets with nonzero balances, any cached indices. */
const storedPositionArb: fc.Arbitrary<Position> = fc.record({
  starkKey: fc.bigInt({ min: 1n, max: (1n << 251n) - 1n }),
  collateral: i64,
  assets: fc
    .subarray([...ASSETS])
    .chain((ids) =>
      fc
        .tuple(...ids.map(() => fc.tuple(nonZeroI64, i64)))
        .map((xs) => xs.map(([balance, cachedFundingIndex], k) => ({ assetId: ids[k]!, balance, cachedFundingIndex }))),
    ),
});

export const positionsArb: fc.Arbitrary<Map<bigint, Position>> = fc
  .uniqueArray(fc.tuple(fc.bigInt({ min: 0n, max: 30n }), storedPositionArb), {
    selector: ([id]) => id.toString(),
    maxLength: 8,
  })
  .map((entries) => new Map(entries));

/** What a batch does to one position: its new balances/key/collateral and its funding tick. */
const targetArb = fc.record({
  empty: fc.boolean(),
  starkKey: fc.bigInt({ min: 1n, max: (1n << 251n) - 1n }),
  collateral: i64,
  balances: fc
    .subarray([...ASSETS])
    .chain((ids) =>
      fc.tuple(...ids.map(() => nonZeroI64)).map((bs) => bs.map((balance, k) => ({ assetId: ids[k]!, balance }))),
    ),
  tick: fc.nat(),
});

export type Batch = { prevSharedState: SharedState; onChainData: OnChainData; expected: Map<bigint, Position> };

/**
 * One batch on top of `positions`, with funding ticks after `since`: returns the update and the
 * positions map it must produce.
 */
export function batchArb(positions: ReadonlyMap<bigint, Position>, since: bigint): fc.Arbitrary<Batch> {
  return fc
    .record({
      oldIndices: indicesArb,
      ticks: fc.array(indicesArb, { maxLength: 3 }),
      touched: fc.uniqueArray(fc.tuple(fc.bigInt({ min: 0n, max: 30n }), targetArb), {
        selector: ([id]) => id.toString(),
        maxLength: 8,
      }),
    })
    .map(({ oldIndices, ticks, touched }) => {
      const prevSharedState = sharedStateAt(since, oldIndices);
      const fundingEntries: FundingEntry[] = ticks.map((indices, k) => ({
        indices,
        timestamp: since + BigInt(k + 1) * 3600n,
      }));
      const tables = [{ timestamp: since, indices: oldIndices }, ...fundingEntries];
      const expected = new Map(positions);
      const records = [...touched]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([id, t]) => {
          const tick = tables[t.tick % tables.length]!;
          const index = (assetId: bigint) => tick.indices.find((f) => f.assetId === assetId)!.fundingIndex;
          const next: Position = t.empty
            ? EMPTY_POSITION
            : {
                starkKey: t.starkKey,
                collateral: t.collateral,
                assets: t.balances.map((b) => ({ ...b, cachedFundingIndex: index(b.assetId) })),
              };
          if (t.empty) expected.delete(id);
          else expected.set(id, next);
          // The old state's tick is sometimes written as 0 (l1-data-tree.md §3.4).
          const ts = tick.timestamp === since && t.tick % 2 === 1 ? 0n : tick.timestamp;
          return positionRecord(id, positions.get(id) ?? EMPTY_POSITION, next, ts);
        });
      return { prevSharedState, onChainData: { fundingEntries, positions: records }, expected };
    });
}

/** A chain of batches, each applied on top of the previous one's expected positions. */
export function batchChainArb(length: number): fc.Arbitrary<{ start: Map<bigint, Position>; batches: Batch[] }> {
  return positionsArb.chain((start) => {
    let arb: fc.Arbitrary<Batch[]> = fc.constant([]);
    for (let k = 0; k < length; k++) {
      arb = arb.chain((done) => {
        const current = done.at(-1)?.expected ?? start;
        return batchArb(current, 1_600_000_000n + BigInt(k) * 100_000n).map((b) => [...done, b]);
      });
    }
    return arb.map((batches) => ({ start, batches }));
  });
}
