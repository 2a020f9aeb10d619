import { describe, expect, it } from 'vitest';
import { TypeCheckError } from '../../../src/errors.js';
import {
  RiskInputError,
  FXP_32_ONE,
  NoValidForcedWithdrawalError,
  RangeCheckError,
  RiskFactorSegmentError,
  applyFunding,
  escapeAmount,
  forcedWithdrawalVerdict,
  internalOraclePrice,
  liquidationPrice,
  maxForcedWithdrawal,
  maxSafeForcedWithdrawal,
  riskFactorFromFraction,
  totalRisk,
  totalValue,
  type Position,
  type RiskParams,
} from '../../helpers/core.js';
import { ASSET_IDS, STARK_KEY } from './arbitraries.js';

const [BTC, DOGE, ETH] = ASSET_IDS as [bigint, bigint, bigint];
const p: Position = {
  starkKey: STARK_KEY,
  collateral: 1000n,
  assets: [{ assetId: BTC, balance: 10n, cachedFundingIndex: 0n }],
};
const prices = [{ assetId: BTC, price: FXP_32_ONE }];
const indices = [{ assetId: BTC, fundingIndex: 0n }];
const risk: RiskParams = { assets: [{ assetId: BTC, riskFactor: 1000n }] };
const state = { oraclePrices: prices, fundingIndices: indices };

/** Asserts the error class, that it is a RangeCheckError, and that the message names the field. */
function expectRange(fn: () => unknown, cls: new (...a: any[]) => Error, field: RegExp) {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(cls);
  expect(err).toBeInstanceOf(RangeCheckError);
  expect((err as Error).name).toBe(cls.name);
  expect((err as Error).message).toMatch(field);
  expect((err as Error).message).toMatch(/is out of range; expected /);
}

describe('risk input validation: each rule throws its own class naming field, value and range', () => {
  it('oracle prices: 1 <= price < 2^64', () => {
    expectRange(
      () => totalValue(p, [{ assetId: BTC, price: 0n }]),
      RiskInputError,
      /^oraclePrices\[0\]\.price: 0 .*1 <= oraclePrices\[0\]\.price < 2\^64/,
    );
    expectRange(() => totalValue(p, [{ assetId: BTC, price: 1n << 64n }]), RiskInputError, /18446744073709551616/);
    expect(totalValue(p, [{ assetId: BTC, price: (1n << 64n) - 1n }])).toBe(
      1000n * FXP_32_ONE + 10n * ((1n << 64n) - 1n),
    );
  });

  it('risk factors: 1 <= risk < 2^32; segments non-empty, strictly ascending, amount within the last bound', () => {
    expectRange(
      () => totalRisk(p, prices, { assets: [{ assetId: BTC, riskFactor: 0n }] }),
      RiskInputError,
      /^riskParams\.assets\[0\]\.riskFactor: 0/,
    );
    expectRange(
      () => totalRisk(p, prices, { assets: [{ assetId: BTC, riskFactor: 1n << 32n }] }),
      RiskInputError,
      /< 2\^32/,
    );
    expectRange(() => riskFactorFromFraction('1'), RiskInputError, /riskFactor: 4294967296/);
    expectRange(
      () => totalRisk(p, prices, { assets: [{ assetId: BTC, riskFactorSegments: [] }] }),
      RiskFactorSegmentError,
      /riskFactorSegments\.length/,
    );
    const seg = (upperBound: bigint, r = 5n) => ({ upperBound, risk: r });
    expectRange(
      () => totalRisk(p, prices, { assets: [{ assetId: BTC, riskFactorSegments: [seg(10n), seg(10n)] }] }),
      RiskFactorSegmentError,
      /riskFactorSegments\[1\]\.upperBound: 10/,
    );
    expectRange(
      () => totalRisk(p, prices, { assets: [{ assetId: BTC, riskFactorSegments: [seg(10n, 0n)] }] }),
      RiskInputError,
      /riskFactorSegments\[0\]\.risk/,
    );
    // 10 quantums at price 1.0 (2^32): amount 10·2^32 is above a last bound of 2^32.
    expectRange(
      () => totalRisk(p, prices, { assets: [{ assetId: BTC, riskFactorSegments: [seg(FXP_32_ONE)] }] }),
      RiskFactorSegmentError,
      /risk amount of 0x4254/,
    );
    expectRange(
      () => liquidationPrice(p, prices, { assets: [{ assetId: BTC, riskFactorSegments: [seg(FXP_32_ONE)] }] }, BTC),
      RiskFactorSegmentError,
      /risk amount/,
    );
  });

  it('funding indices: -2^63 <= index < 2^63, global and cached', () => {
    expectRange(
      () => applyFunding(p, [{ assetId: BTC, fundingIndex: 1n << 63n }]),
      RiskInputError,
      /^fundingIndices\[0\]\.fundingIndex/,
    );
    const badCached = { ...p, assets: [{ ...p.assets[0]!, cachedFundingIndex: -(1n << 63n) - 1n }] };
    expectRange(() => applyFunding(badCached, indices), RiskInputError, /^position\.assets\[0\]\.cachedFundingIndex/);
  });

  it('positions: balances in range and non-zero, ids ascending and < 2^120, at most 64 assets, funded collateral in range', () => {
    const asset = (assetId: bigint, balance = 1n) => ({ assetId, balance, cachedFundingIndex: 0n });
    expectRange(() => totalValue({ ...p, collateral: 1n << 63n }, prices), RiskInputError, /^position\.collateral/);
    expectRange(
      () => totalValue({ ...p, assets: [asset(BTC, 0n)] }, prices),
      RiskInputError,
      /^position\.assets\[0\]\.balance: 0/,
    );
    expectRange(() => totalValue({ ...p, assets: [asset(BTC, -(1n << 63n) - 1n)] }, prices), RiskInputError, /balance/);
    expectRange(
      () => totalValue({ ...p, assets: [asset(ETH), asset(BTC)] }, prices),
      RiskInputError,
      /^position\.assets\[1\]\.assetId.*ascending/,
    );
    expectRange(() => totalValue({ ...p, assets: [asset(BTC), asset(BTC)] }, prices), RiskInputError, /ascending/);
    expectRange(() => totalValue({ ...p, assets: [asset(1n << 120n)] }, prices), RiskInputError, /< 2\^120/);
    const many = Array.from({ length: 65 }, (_, i) => asset(BigInt(i + 1)));
    expectRange(() => totalValue({ ...p, assets: many }, prices), RiskInputError, /assets\.length: 65/);
    // Funding that pushes the collateral below −2^63 cannot be proven.
    const deep = { ...p, collateral: -(1n << 63n) + 1n, assets: [asset(BTC, 1n << 40n)] };
    expectRange(
      () => applyFunding(deep, [{ assetId: BTC, fundingIndex: 1n << 40n }]),
      RiskInputError,
      /^collateral after funding/,
    );
    expect(() => totalValue({ ...p, collateral: 5 as unknown as bigint }, prices)).toThrow(TypeCheckError);
  });

  it('held assets need a price, a funding index and a risk factor; lists may not repeat an asset', () => {
    expectRange(
      () => totalValue(p, [{ assetId: DOGE, price: 1n }]),
      RiskInputError,
      /^oraclePrices: "0x4254432d3130000000000000000000"/,
    );
    expectRange(
      () => applyFunding(p, [{ assetId: DOGE, fundingIndex: 0n }]),
      RiskInputError,
      /^fundingIndices: "0x4254/,
    );
    expectRange(
      () => totalRisk(p, prices, { assets: [{ assetId: DOGE, riskFactor: 1n }] }),
      RiskInputError,
      /^riskParams\.assets: "0x4254/,
    );
    expectRange(() => totalValue(p, [...prices, ...prices]), RiskInputError, /^oraclePrices: /);
    expectRange(() => applyFunding(p, [...indices, ...indices]), RiskInputError, /^fundingIndices: /);
    expectRange(
      () => totalRisk(p, prices, { assets: [...risk.assets, ...risk.assets] }),
      RiskInputError,
      /^riskParams\.assets: /,
    );
  });

  it('escape amount: mirrors findAssetId (forward search) — an asset listed before the previous one is "not found"', () => {
    const two: Position = {
      ...p,
      assets: [
        { assetId: BTC, balance: 1n, cachedFundingIndex: 0n },
        { assetId: ETH, balance: 1n, cachedFundingIndex: 0n },
      ],
    };
    const sorted = {
      fundingIndices: [
        { assetId: BTC, fundingIndex: 0n },
        { assetId: ETH, fundingIndex: 0n },
      ],
      oraclePrices: [
        { assetId: BTC, price: FXP_32_ONE },
        { assetId: ETH, price: FXP_32_ONE },
      ],
    };
    expect(escapeAmount(two, sorted)).toBe(1002n);
    expectRange(
      () => escapeAmount(two, { ...sorted, oraclePrices: [...sorted.oraclePrices].reverse() }),
      RiskInputError,
      /0x4554/,
    );
    expectRange(
      () => escapeAmount(two, { ...sorted, fundingIndices: [sorted.fundingIndices[1]!] }),
      RiskInputError,
      /0x4254/,
    );
  });

  it('forced withdrawals: 0 <= amount < 2^64; no valid amount at all is its own error', () => {
    expectRange(
      () => forcedWithdrawalVerdict(p, STARK_KEY, -1n, state, risk),
      RiskInputError,
      /^amount: -1 .*0 <= amount < 2\^64/,
    );
    expectRange(() => forcedWithdrawalVerdict(p, STARK_KEY, 1n << 64n, state, risk), RiskInputError, /^amount/);
    expect(() => maxForcedWithdrawal(p, state, risk, STARK_KEY + 1n)).toThrow(NoValidForcedWithdrawalError);
    const huge: Position = {
      ...p,
      collateral: 0n,
      assets: [{ assetId: BTC, balance: 1n << 62n, cachedFundingIndex: 0n }],
    };
    const dear = { ...state, oraclePrices: [{ assetId: BTC, price: 1000n * FXP_32_ONE }] };
    expect(() => maxForcedWithdrawal(huge, dear, risk)).toThrow(/OUT_OF_RANGE_TOTAL_VALUE/);
  });

  it('adverse scenario: 0 <= bps <= 10000, funding rate and time given together and non-negative', () => {
    expectRange(
      () => maxSafeForcedWithdrawal(p, state, risk, { adverseMoveBps: -1n }),
      RiskInputError,
      /^adverseMoveBps: -1/,
    );
    expectRange(() => maxSafeForcedWithdrawal(p, state, risk, { adverseMoveBps: 10_001n }), RiskInputError, /10000/);
    expectRange(
      () => maxSafeForcedWithdrawal(p, state, risk, { adverseMoveBps: 0n, maxFundingRate: 1n }),
      RiskInputError,
      /both given/,
    );
    expectRange(
      () => maxSafeForcedWithdrawal(p, state, risk, { adverseMoveBps: 0n, maxFundingRate: -1n, elapsedSeconds: 1n }),
      RiskInputError,
      /^maxFundingRate/,
    );
    // A 100% move takes a long's price to the minimum, 1.
    expect(maxSafeForcedWithdrawal(p, state, risk, { adverseMoveBps: 10_000n }).state.oraclePrices[0]!.price).toBe(1n);
  });

  it('price conversion: external < 2^120, resolutions in [1, 2^64), result a valid internal price', () => {
    expectRange(() => internalOraclePrice(1n << 120n, 10n, 10n), RiskInputError, /^externalPrice/);
    expectRange(() => internalOraclePrice(1n, 0n, 10n), RiskInputError, /^syntheticResolution: 0/);
    expectRange(() => internalOraclePrice(1n, 10n, 1n << 64n), RiskInputError, /^collateralResolution/);
    expectRange(() => internalOraclePrice(0n, 10n, 10n), RiskInputError, /^internal oracle price: 0/);
  });
});
