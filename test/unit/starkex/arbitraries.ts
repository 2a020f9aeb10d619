import fc from 'fast-check';
import type { ForcedAction, FundingEntry, OnChainData, PositionRecord, ProgramOutput, SharedState } from './imports.js';

const P = 2n ** 251n + 17n * 2n ** 192n + 1n;
const U64 = 1n << 64n;

/** Values near the edges of each range come up often, so bounds get exercised. */
const ranged = (min: bigint, max: bigint) =>
  fc.oneof(
    { arbitrary: fc.bigInt({ min, max }), weight: 3 },
    { arbitrary: fc.constantFrom(min, max, min + 1n, max - 1n), weight: 1 },
  );

export const felt = ranged(0n, P - 1n);
export const u64 = ranged(0n, U64 - 1n);
export const i64 = ranged(-(1n << 63n), (1n << 63n) - 1n);
export const assetId = ranged(1n, (1n << 120n) - 1n);
export const positionId = u64;

/** Sorted, duplicate-free lists keyed by `key`. */
export function sortedBy<T>(item: fc.Arbitrary<T>, key: (t: T) => bigint, maxLength: number): fc.Arbitrary<T[]> {
  return fc
    .uniqueArray(item, { selector: (t) => key(t).toString(), maxLength })
    .map((xs) => xs.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)));
}

export const fundingIndicesArb = sortedBy(fc.record({ assetId, fundingIndex: i64 }), (x) => x.assetId, 6);

export const sharedStateArb: fc.Arbitrary<SharedState> = fc.record({
  positionsRoot: felt,
  positionsTreeHeight: felt,
  ordersRoot: felt,
  ordersTreeHeight: felt,
  fundingIndices: fundingIndicesArb,
  fundingTimestamp: u64,
  oraclePrices: sortedBy(fc.record({ assetId, price: u64 }), (x) => x.assetId, 6),
  systemTime: u64,
});

const forcedActionArb: fc.Arbitrary<ForcedAction> = fc.oneof(
  fc.record({ type: fc.constant('withdrawal' as const), starkKey: felt, positionId, quantizedAmount: u64 }),
  fc.record({
    type: fc.constant('trade' as const),
    starkKeyA: felt,
    starkKeyB: felt,
    positionIdA: positionId,
    positionIdB: positionId,
    syntheticAssetId: assetId,
    amountCollateral: u64,
    amountSynthetic: u64,
    aIsBuyingSynthetic: fc.boolean(),
    nonce: felt,
  }),
);

export const programOutputArb: fc.Arbitrary<ProgramOutput> = fc
  .record({
    dataAvailabilityMode: fc.option(fc.constantFrom(0n, 1n), { nil: undefined }),
    generalConfigHash: felt,
    assetConfigHashes: sortedBy(fc.record({ assetId, configHash: felt }), (x) => x.assetId, 5),
    prevSharedState: sharedStateArb,
    newSharedState: sharedStateArb,
    minimumExpirationTimestamp: u64,
    modifications: fc.array(fc.record({ starkKey: felt, positionId, delta: ranged(-U64, U64 - 1n) }), { maxLength: 5 }),
    forcedActions: fc.array(forcedActionArb, { maxLength: 5 }),
    conditions: fc.array(ranged(0n, (1n << 250n) - 1n), { maxLength: 4 }),
    onchainData: fc.option(fc.record({ hash: ranged(0n, (1n << 256n) - 1n), size: u64 }), { nil: undefined }),
  })
  .map((p) => {
    // Validium outputs carry no on-chain data words; optional fields are absent, never undefined.
    const out: ProgramOutput = { ...p };
    if (p.dataAvailabilityMode === undefined) delete out.dataAvailabilityMode;
    if (p.onchainData === undefined || p.dataAvailabilityMode === 0n) delete out.onchainData;
    return out;
  });

export const fundingEntryArb: fc.Arbitrary<FundingEntry> = fc.record({ indices: fundingIndicesArb, timestamp: u64 });

export const positionRecordArb = (id: bigint): fc.Arbitrary<PositionRecord> =>
  fc.record({
    positionId: fc.constant(id),
    starkKey: felt,
    collateral: i64,
    fundingTimestamp: u64,
    assets: sortedBy(fc.record({ assetId, balance: i64 }), (a) => a.assetId, 5),
  });

export const onChainDataArb: fc.Arbitrary<OnChainData> = fc
  .tuple(
    fc.array(fundingEntryArb, { maxLength: 3 }),
    fc.uniqueArray(positionId, { maxLength: 6, selector: (x) => x.toString() }),
  )
  .chain(([fundingEntries, ids]) =>
    fc
      .tuple(...[...ids].sort((a, b) => (a < b ? -1 : 1)).map(positionRecordArb))
      .map((positions) => ({ fundingEntries, positions })),
  );
