import type { Position } from '../../helpers/core.js';

/** Vector convention (vectors/README.md): asset id text as ASCII, right-padded with zero bytes to 15 bytes. */
export function asciiAssetId(text: string): bigint {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length > 15) throw new Error(`asset id text too long: ${text}`);
  let x = 0n;
  for (let i = 0; i < 15; i++) x = (x << 8n) | BigInt(bytes[i] ?? 0);
  return x;
}

const byAssetId = (a: { assetId: bigint }, b: { assetId: bigint }): number =>
  a.assetId < b.assetId ? -1 : a.assetId > b.assetId ? 1 : 0;

export type TreeVectorPosition = {
  starkKey: string;
  collateralBalance: string;
  assets: { assetId: string; balance: string; fundingIndex: string }[];
};
export type RiskVectorPosition = {
  public_key: string;
  collateral: string;
  assets: { asset: string; balance: string; cached_funding: string }[];
};

/** l1tree-*.json position shape → Position (assets sorted, as Position requires). */
export function fromTreeVector(v: TreeVectorPosition): Position {
  return {
    starkKey: BigInt(v.starkKey),
    collateral: BigInt(v.collateralBalance),
    assets: v.assets
      .map((a) => ({
        assetId: asciiAssetId(a.assetId),
        balance: BigInt(a.balance),
        cachedFundingIndex: BigInt(a.fundingIndex),
      }))
      .sort(byAssetId),
  };
}

/** risk/*.json position shape → Position. */
export function fromRiskVector(v: RiskVectorPosition): Position {
  return {
    starkKey: BigInt(v.public_key),
    collateral: BigInt(v.collateral),
    assets: v.assets
      .map((a) => ({
        assetId: BigInt(a.asset),
        balance: BigInt(a.balance),
        cachedFundingIndex: BigInt(a.cached_funding),
      }))
      .sort(byAssetId),
  };
}

/** A shared state for tests (l1-data-tree.md §2.3), entries sorted by asset id like the program's output. */
export function sharedStateFor(opts: {
  root: bigint;
  height: number;
  funding: ReadonlyArray<readonly [assetId: bigint, index: bigint]>;
  prices: ReadonlyArray<readonly [assetId: bigint, price: bigint]>;
  time?: bigint;
}) {
  const sorted = <T extends readonly [bigint, bigint]>(xs: ReadonlyArray<T>): T[] =>
    [...xs].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return {
    positionsRoot: opts.root,
    positionsTreeHeight: BigInt(opts.height),
    ordersRoot: 0x7ced9b79b31453a1d939ac7fc159188f369ee677d20385864c767fc391fa61bn,
    ordersTreeHeight: 64n,
    fundingIndices: sorted(opts.funding).map(([assetId, fundingIndex]) => ({ assetId, fundingIndex })),
    fundingTimestamp: opts.time ?? 1_688_277_600n,
    oraclePrices: sorted(opts.prices).map(([assetId, price]) => ({ assetId, price })),
    systemTime: opts.time ?? 1_688_277_600n,
  };
}
