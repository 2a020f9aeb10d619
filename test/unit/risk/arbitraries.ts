import fc from 'fast-check';
import type { FundingIndices, OraclePrices, Position, RiskParams } from '../../helpers/core.js';

/** Four synthetic asset ids in ascending order (dYdX-style ids: ASCII "BTC-10", "DOGE-5", "ETH-9", "LINK-7"). */
export const ASSET_IDS = [
  0x4254432d3130000000000000000000n,
  0x444f47452d35000000000000000000n,
  0x4554482d3900000000000000000000n,
  0x4c494e4b2d37000000000000000000n,
];
export const STARK_KEY = 0x3b865a18323b8d147a12c556bfb1d502516c325b1477a23ba6c77af31f020fdn;

const nonZero = (max: bigint) => fc.bigInt({ min: -max, max }).filter((b) => b !== 0n);

/** Market data for every asset in ASSET_IDS, realistic magnitudes (TV/TR stay inside the program's ranges). */
export type Market = { oraclePrices: OraclePrices; fundingIndices: FundingIndices };
export const marketArb: fc.Arbitrary<Market> = fc
  .tuple(
    fc.array(fc.bigInt({ min: 1n, max: 1n << 40n }), { minLength: 4, maxLength: 4 }),
    fc.array(fc.bigInt({ min: -(1n << 40n), max: 1n << 40n }), { minLength: 4, maxLength: 4 }),
  )
  .map(([ps, fs]) => ({
    oraclePrices: ASSET_IDS.map((assetId, i) => ({ assetId, price: ps[i]! })),
    fundingIndices: ASSET_IDS.map((assetId, i) => ({ assetId, fundingIndex: fs[i]! })),
  }));

export const positionArb: fc.Arbitrary<Position> = fc
  .tuple(
    fc.bigInt({ min: -(1n << 50n), max: 1n << 50n }),
    fc.subarray([0, 1, 2, 3]),
    fc.array(nonZero(1n << 40n), { minLength: 4, maxLength: 4 }),
    fc.array(fc.bigInt({ min: -(1n << 40n), max: 1n << 40n }), { minLength: 4, maxLength: 4 }),
  )
  .map(([collateral, which, balances, cached]) => ({
    starkKey: STARK_KEY,
    collateral,
    assets: which.map((i) => ({ assetId: ASSET_IDS[i]!, balance: balances[i]!, cachedFundingIndex: cached[i]! })),
  }));

/** Single risk factors (program v1.0–v3.1). */
export const singleRiskArb: fc.Arbitrary<RiskParams> = fc
  .array(fc.bigInt({ min: 1n, max: (1n << 32n) - 1n }), { minLength: 4, maxLength: 4 })
  .map((rs) => ({ assets: ASSET_IDS.map((assetId, i) => ({ assetId, riskFactor: rs[i]! })) }));

/** 1..~2^92, spread over magnitudes so both balance- and value-selected tiers are hit. */
const logUniform = fc
  .tuple(fc.integer({ min: 0, max: 82 }), fc.bigInt({ min: 1n, max: 1000n }))
  .map(([e, m]) => m << BigInt(e));

/**
 * v3.2 risk-factor segments selected by value (or by balance), with a last bound that covers every
 * amount the generators produce, so every generated state is provable.
 */
export const segmentedRiskArb: fc.Arbitrary<RiskParams> = fc
  .tuple(
    fc.array(
      fc.tuple(
        fc.uniqueArray(logUniform, { minLength: 0, maxLength: 3 }),
        fc.array(fc.bigInt({ min: 1n, max: (1n << 32n) - 1n }), { minLength: 4, maxLength: 4 }),
      ),
      { minLength: 4, maxLength: 4 },
    ),
    fc.boolean(),
  )
  .map(([perAsset, byBalance]) => ({
    isRiskByBalanceOnly: byBalance,
    assets: ASSET_IDS.map((assetId, i) => {
      const [bounds, risks] = perAsset[i]!;
      const sorted = [...bounds].sort((a, b) => (a < b ? -1 : 1));
      const upper = [...sorted, 1n << 127n];
      return { assetId, riskFactorSegments: upper.map((upperBound, k) => ({ upperBound, risk: risks[k]! })) };
    }),
  }));

export const anyRiskArb = fc.oneof(singleRiskArb, segmentedRiskArb);

export const withPrice = (m: Market, assetId: bigint, price: bigint): Market => ({
  ...m,
  oraclePrices: m.oraclePrices.map((p) => (p.assetId === assetId ? { assetId, price } : p)),
});
