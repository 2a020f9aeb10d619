import { describe, expect, it } from 'vitest';
import { RangeCheckError, TypeCheckError } from '../../../src/errors.js';
import {
  RiskInputError,
  FXP_32_ONE,
  DecimalError,
  OraclePriceError,
  PrecisionError,
  applyFunding,
  dydxAccountMargin,
  escapeAmount,
  externalPriceFromDecimal,
  formatRatio,
  isWellLeveraged,
  liquidationPrice,
  maxForcedWithdrawal,
  parseRatio,
  positionRiskReport,
  ratio,
  riskFactorFromFraction,
  totalValue,
  updatePosition,
  usdToOraclePrice,
  type Position,
  type RiskParams,
} from '../../helpers/core.js';
import { ASSET_IDS, STARK_KEY } from './arbitraries.js';

/*
 * Malformed input to the public risk functions (issue 4 "bad input"): every case ends in a typed
 * error naming the field — never a generic TypeCheckError from deep inside, never a silent answer.
 */
const [BTC] = ASSET_IDS as [bigint];
const p: Position = {
  starkKey: STARK_KEY,
  collateral: 1000n,
  assets: [{ assetId: BTC, balance: 10n, cachedFundingIndex: 0n }],
};
const prices = [{ assetId: BTC, price: FXP_32_ONE }];
const indices = [{ assetId: BTC, fundingIndex: 0n }];
const state = { oraclePrices: prices, fundingIndices: indices };
const risk: RiskParams = { assets: [{ assetId: BTC, riskFactor: 1000n }] };
const holey = <T>(x: T): T[] => {
  const a: T[] = [];
  a[1] = x; // a[0] is a hole
  return a;
};
/** The error is of class `cls` and its message starts with the field (no "Cannot read properties"). */
function expectNamed(fn: () => unknown, cls: new (...a: any[]) => Error, field: RegExp) {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(cls);
  expect((err as Error).message).toMatch(field);
  expect((err as Error).message).not.toMatch(/Cannot read|is not a function|Cannot mix BigInt/);
}

describe('risk functions refuse malformed input with errors that name the field', () => {
  it('positions: null, non-array assets, holes, a stark key outside the field', () => {
    expectNamed(() => totalValue(null as any, prices), TypeCheckError, /^position/);
    expectNamed(() => totalValue({ ...p, assets: 'x' as any }, prices), TypeCheckError, /^position\.assets/);
    expectNamed(
      () => totalValue({ ...p, assets: holey(p.assets[0]!) }, prices),
      TypeCheckError,
      /^position\.assets\[0\]/,
    );
    expectNamed(() => totalValue({ ...p, starkKey: -1n }, prices), RiskInputError, /^position\.starkKey/);
    expectNamed(() => totalValue({ ...p, collateral: 10 as any }, prices), TypeCheckError, /^position\.collateral/);
  });

  it('price and funding lists: null, holes, non-bigint or out-of-range asset ids', () => {
    expectNamed(() => totalValue(p, null as any), TypeCheckError, /^oraclePrices/);
    expectNamed(() => totalValue(p, holey(prices[0]!)), TypeCheckError, /^oraclePrices\[0\]/);
    expectNamed(() => totalValue(p, [{ assetId: 1 as any, price: 1n }]), TypeCheckError, /^oraclePrices\[0\]\.assetId/);
    expectNamed(
      () => totalValue(p, [{ assetId: 1n << 120n, price: 1n }]),
      RiskInputError,
      /^oraclePrices\[0\]\.assetId/,
    );
    expectNamed(() => applyFunding(p, null as any), TypeCheckError, /^fundingIndices/);
    expectNamed(() => applyFunding(p, holey(indices[0]!)), TypeCheckError, /^fundingIndices\[0\]/);
    expectNamed(() => isWellLeveraged(p, prices, null as any), TypeCheckError, /^riskParams/);
    expectNamed(
      () => isWellLeveraged(p, prices, { assets: holey(risk.assets[0]!) }),
      TypeCheckError,
      /^riskParams\.assets\[0\]/,
    );
    expectNamed(() => liquidationPrice(p, null as any, risk, BTC), TypeCheckError, /^oraclePrices/);
  });

  it('market state: null is refused by every function that takes one', () => {
    expectNamed(() => escapeAmount(p, null as any), TypeCheckError, /^sharedState/);
    expectNamed(() => maxForcedWithdrawal(p, null as any, risk), TypeCheckError, /^state/);
    expectNamed(() => positionRiskReport(p, null as any, risk), TypeCheckError, /^state/);
    expectNamed(
      () => updatePosition(p, { requestPublicKey: STARK_KEY, collateralDelta: 0n }, null as any, risk),
      TypeCheckError,
      /^state/,
    );
    expectNamed(() => updatePosition(p, null as any, state, risk), TypeCheckError, /^request/);
  });

  it('escape amount: prices and funding indices are range-checked like everywhere else', () => {
    // Before: a negative or 2^300 price gave an amount, a hole a TypeCheckError deep inside.
    expectNamed(
      () => escapeAmount(p, { ...state, oraclePrices: [{ assetId: BTC, price: -5n }] }),
      RiskInputError,
      /^oraclePrices\[0\]\.price/,
    );
    expectNamed(
      () => escapeAmount(p, { ...state, oraclePrices: [{ assetId: BTC, price: 1n << 64n }] }),
      RiskInputError,
      /^oraclePrices\[0\]\.price/,
    );
    expectNamed(
      () => escapeAmount(p, { ...state, oraclePrices: holey(prices[0]!) }),
      TypeCheckError,
      /^oraclePrices\[0\]/,
    );
    expectNamed(
      () => escapeAmount(p, { ...state, fundingIndices: [indices[0]!, indices[0]!] }),
      RiskInputError,
      /^fundingIndices/,
    );
    expect(escapeAmount(p, state)).toBe(1010n);
  });

  it('decimal texts: sign-less prices only, bounded length (no quadratic gcd on huge input)', () => {
    // One implementation with the oracle message (messages oraclePriceFromHuman): its error classes.
    expectNamed(() => externalPriceFromDecimal('-5'), DecimalError, /^price/);
    expectNamed(() => externalPriceFromDecimal('1e5'), DecimalError, /^price/);
    expectNamed(() => externalPriceFromDecimal(`0.${'1'.repeat(19)}`), PrecisionError, /^price/);
    expectNamed(() => externalPriceFromDecimal(`1${'0'.repeat(30)}`), OraclePriceError, /^price/);
    expectNamed(() => externalPriceFromDecimal('9'.repeat(100_000)), DecimalError, /^price/);
    expect(externalPriceFromDecimal('42922.855')).toBe(42922855n * 10n ** 15n);
    expectNamed(
      () => parseRatio('fraction', `0.${'3'.repeat(100_000)}`),
      RiskInputError,
      /^fraction.*at most 100 characters/,
    );
    expectNamed(() => riskFactorFromFraction(0.03 as any), RiskInputError, /^fraction/);
    expectNamed(
      () => riskFactorFromFraction('0.03', 'round' as any),
      RangeCheckError,
      /^rounding: "round" is out of range; expected one of "floor" \| "ceil"/,
    );
    expectNamed(() => usdToOraclePrice(null as any, 1n, 1n, 'floor'), RiskInputError, /^usd/);
  });

  it('formatRatio: digits is a small integer, the ratio well-formed (no multi-second bigint)', () => {
    expectNamed(() => formatRatio(ratio(1n, 3n), 101), RiskInputError, /^digits/); // 1e7 took 8.5 s before
    expectNamed(() => formatRatio(ratio(1n, 3n), -1), RiskInputError, /^digits/);
    expectNamed(() => formatRatio({ num: 1n, den: 0n }), RiskInputError, /^ratio/);
    expect(formatRatio(ratio(1n, 3n), 3)).toBe('0.333');
  });

  it('dYdX margin: account, positions and markets must be the API shapes', () => {
    const btc = { market: 'BTC-USD', initialMarginFraction: '0.05', maintenanceMarginFraction: '0.03' };
    expectNamed(() => dydxAccountMargin(null as any, [btc]), TypeCheckError, /^account/);
    expectNamed(
      () => dydxAccountMargin({ usdcBalance: '1', positions: null as any }, [btc]),
      TypeCheckError,
      /^account\.positions/,
    );
    expectNamed(
      () =>
        dydxAccountMargin({ usdcBalance: '1', positions: holey({ market: 'BTC-USD', size: '1', oraclePrice: '1' }) }, [
          btc,
        ]),
      TypeCheckError,
      /^positions\[0\]/,
    );
    expectNamed(() => dydxAccountMargin({ usdcBalance: '1', positions: [] }, null as any), TypeCheckError, /^markets/);
    expectNamed(
      () => dydxAccountMargin({ usdcBalance: { num: 1n } as any, positions: [] }, [btc]),
      RiskInputError,
      /^usdcBalance/,
    );
  });
});
