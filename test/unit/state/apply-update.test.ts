import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyPositionChanges,
  applyStateUpdate,
  assetIdFromText,
  computePositionChanges,
  decodeOnChainData,
  EMPTY_POSITION,
  encodeOnChainData,
  positionRecord,
  StateUpdateError,
  type OnChainData,
  type Position,
} from './imports.js';
import { batchArb, batchChainArb, positionsArb, sharedStateAt } from './scenario.js';

const BTC = assetIdFromText('BTC-10');
const ETH = assetIdFromText('ETH-9');
const SOL = assetIdFromText('SOL-7');

const T0 = 1_621_929_600n;
const T1 = T0 + 3600n;
const prevSharedState = sharedStateAt(T0, [
  { assetId: BTC, fundingIndex: 100n },
  { assetId: ETH, fundingIndex: -100n },
]);
const tick = {
  timestamp: T1,
  indices: [
    { assetId: BTC, fundingIndex: 101n },
    { assetId: ETH, fundingIndex: -101n },
    { assetId: SOL, fundingIndex: 7n },
  ],
};
const update = (positions: OnChainData['positions'], fundingEntries = [tick]) => ({
  programOutput: { prevSharedState },
  onChainData: { fundingEntries, positions },
});

const held: Position = {
  starkKey: 0xabcn,
  collateral: 1000n,
  assets: [
    { assetId: BTC, balance: 5n, cachedFundingIndex: 90n },
    { assetId: ETH, balance: -3n, cachedFundingIndex: -90n },
  ],
};

describe('applyStateUpdate (l1-data-tree.md §3.5)', () => {
  it('replaces listed assets, keeps the others, adds new ones in asset-id order, re-caches every funding index', () => {
    const before = new Map([[7n, held]]);
    const { positions, changed } = applyStateUpdate(
      before,
      update([
        {
          positionId: 7n,
          starkKey: 0xabcn,
          collateral: 900n,
          fundingTimestamp: T1,
          assets: [
            { assetId: BTC, balance: 6n },
            { assetId: SOL, balance: 2n },
          ],
        },
      ]),
    );
    const expected: Position = {
      starkKey: 0xabcn,
      collateral: 900n,
      assets: [
        { assetId: BTC, balance: 6n, cachedFundingIndex: 101n },
        { assetId: ETH, balance: -3n, cachedFundingIndex: -101n },
        { assetId: SOL, balance: 2n, cachedFundingIndex: 7n },
      ].sort((a, b) => (a.assetId < b.assetId ? -1 : 1)),
    };
    expect(positions.get(7n)).toEqual(expected);
    expect(changed).toEqual([[7n, expected]]);
    expect(before.get(7n)).toBe(held); // the input map is untouched
  });

  it('balance 0 deletes an asset; a position that becomes empty leaves the map and is reported as EMPTY_POSITION', () => {
    const before = new Map([
      [7n, held],
      [8n, held],
    ]);
    const { positions, changed } = applyStateUpdate(
      before,
      update([
        {
          positionId: 7n,
          starkKey: 0xabcn,
          collateral: 1000n,
          fundingTimestamp: T1,
          assets: [{ assetId: ETH, balance: 0n }],
        },
        {
          positionId: 8n,
          starkKey: 0n,
          collateral: 0n,
          fundingTimestamp: T1,
          assets: [
            { assetId: BTC, balance: 0n },
            { assetId: ETH, balance: 0n },
          ],
        },
      ]),
    );
    expect(positions.get(7n)!.assets).toEqual([{ assetId: BTC, balance: 5n, cachedFundingIndex: 101n }]);
    expect(positions.has(8n)).toBe(false);
    expect(changed[1]).toEqual([8n, EMPTY_POSITION]);
    expect(before.size).toBe(2);
  });

  it('a new position starts from the empty one', () => {
    const { positions } = applyStateUpdate(
      new Map(),
      update([
        {
          positionId: 3n,
          starkKey: 5n,
          collateral: 10n,
          fundingTimestamp: T1,
          assets: [{ assetId: SOL, balance: -1n }],
        },
      ]),
    );
    expect(positions.get(3n)).toEqual({
      starkKey: 5n,
      collateral: 10n,
      assets: [{ assetId: SOL, balance: -1n, cachedFundingIndex: 7n }],
    });
  });

  it('funding timestamp 0 means the old state timestamp (§3.4), not the latest tick', () => {
    const { positions } = applyStateUpdate(
      new Map([[7n, held]]),
      update([{ positionId: 7n, starkKey: 0xabcn, collateral: 0n, fundingTimestamp: 0n, assets: [] }]),
    );
    expect(positions.get(7n)!.assets.map((a) => a.cachedFundingIndex)).toEqual([100n, -100n]);
  });

  it('the old state timestamp itself is a valid settlement point too', () => {
    const { positions } = applyStateUpdate(
      new Map([[7n, held]]),
      update([{ positionId: 7n, starkKey: 0xabcn, collateral: 1n, fundingTimestamp: T0, assets: [] }]),
    );
    expect(positions.get(7n)!.assets.map((a) => a.cachedFundingIndex)).toEqual([100n, -100n]);
  });

  it('an unknown funding timestamp is a StateUpdateError naming the position', () => {
    const u = update([{ positionId: 7n, starkKey: 1n, collateral: 1n, fundingTimestamp: T1 + 1n, assets: [] }]);
    expect(() => applyStateUpdate(new Map(), u)).toThrow(StateUpdateError);
    expect(() => applyStateUpdate(new Map(), u)).toThrow(/^position 7: funding timestamp/);
  });

  it('an asset without a funding index at that timestamp (new or kept from before) is a StateUpdateError', () => {
    const newAsset = update([
      { positionId: 7n, starkKey: 1n, collateral: 1n, fundingTimestamp: T0, assets: [{ assetId: SOL, balance: 1n }] },
    ]);
    expect(() => applyStateUpdate(new Map(), newAsset)).toThrow(/SOL-7/);
    const kept = {
      ...held,
      assets: [...held.assets, { assetId: SOL, balance: 4n, cachedFundingIndex: 0n }].sort((a, b) =>
        a.assetId < b.assetId ? -1 : 1,
      ),
    };
    const u = update([{ positionId: 7n, starkKey: 1n, collateral: 1n, fundingTimestamp: T0, assets: [] }]);
    expect(() => applyStateUpdate(new Map([[7n, kept]]), u)).toThrow(StateUpdateError);
  });

  it('records out of order or repeated are a StateUpdateError', () => {
    const r = { positionId: 7n, starkKey: 1n, collateral: 1n, fundingTimestamp: T1, assets: [] };
    expect(() => applyStateUpdate(new Map(), update([r, r]))).toThrow(StateUpdateError);
    expect(() => applyStateUpdate(new Map(), update([r, { ...r, positionId: 6n }]))).toThrow(StateUpdateError);
  });

  it('a failure in a later record leaves the input map exactly as it was', () => {
    const before = new Map([
      [1n, held],
      [2n, held],
    ]);
    const snapshot = structuredClone([...before]);
    const u = update([
      { positionId: 1n, starkKey: 9n, collateral: 9n, fundingTimestamp: T1, assets: [{ assetId: BTC, balance: 0n }] },
      { positionId: 2n, starkKey: 9n, collateral: 9n, fundingTimestamp: 12345n, assets: [] },
    ]);
    expect(() => applyStateUpdate(before, u)).toThrow(StateUpdateError);
    expect(() => computePositionChanges(before, u)).toThrow(StateUpdateError);
    expect([...before]).toEqual(snapshot);
  });

  it('a zero-key record that still holds something is kept as the chain wrote it (hashes as such)', () => {
    const { positions } = applyStateUpdate(
      new Map([[7n, held]]),
      update([
        { positionId: 7n, starkKey: 0n, collateral: 0n, fundingTimestamp: T1, assets: [{ assetId: ETH, balance: 0n }] },
      ]),
    );
    expect(positions.get(7n)).toEqual({
      starkKey: 0n,
      collateral: 0n,
      assets: [{ assetId: BTC, balance: 5n, cachedFundingIndex: 101n }],
    });
  });
});

describe('applyStateUpdate against generated batches with known answers', () => {
  it('one batch, through encode → decode of the on-chain data: gives exactly the target positions', () => {
    fc.assert(
      fc.property(
        positionsArb.chain((start) => batchArb(start, T0).map((b) => ({ start, b }))),
        ({ start, b }) => {
          const onChainData = decodeOnChainData(encodeOnChainData(b.onChainData));
          const { positions, changed } = applyStateUpdate(start, {
            programOutput: { prevSharedState: b.prevSharedState },
            onChainData,
          });
          expect(positions).toEqual(b.expected);
          expect(changed.map(([id]) => id)).toEqual(b.onChainData.positions.map((r) => r.positionId));
          for (const [id, p] of changed) expect(p).toEqual(b.expected.get(id) ?? EMPTY_POSITION);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a sequence applied one by one (in place) equals the final positions built from scratch', () => {
    fc.assert(
      fc.property(batchChainArb(4), ({ start, batches }) => {
        const live = new Map(start);
        for (const b of batches)
          applyPositionChanges(
            live,
            computePositionChanges(live, {
              programOutput: { prevSharedState: b.prevSharedState },
              onChainData: b.onChainData,
            }),
          );
        const final = batches.at(-1)!.expected;
        expect(live).toEqual(final);
        // From scratch: one batch that writes every final position onto an empty map, each settled
        // at its own cached indices (one synthetic tick per position).
        const ids = [...final.keys()].sort((a, b) => (a < b ? -1 : 1));
        const fundingEntries = ids.map((id, k) => ({
          timestamp: BigInt(k + 1),
          indices: final.get(id)!.assets.map((a) => ({ assetId: a.assetId, fundingIndex: a.cachedFundingIndex })),
        }));
        const records = ids.map((id, k) => positionRecord(id, EMPTY_POSITION, final.get(id)!, BigInt(k + 1)));
        const scratch = applyStateUpdate(new Map(), {
          programOutput: { prevSharedState: sharedStateAt(0n, []) },
          onChainData: { fundingEntries, positions: records },
        });
        expect(scratch.positions).toEqual(live);
      }),
      { numRuns: 60 },
    );
  });
});
