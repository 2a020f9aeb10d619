import { describe, expect, it } from 'vitest';
import {
  ExitInputError,
  RiskInputError,
  dydxMarketTable,
  liquidationPrices,
  marginView,
  positionIdOf,
  positionRiskReport,
  priceMoveOf,
  stressView,
  stressedSharedState,
} from '../../helpers/core.js';
import { readVector } from '../../helpers/vectors.js';
import { marginInputs, type VectorCase } from '../risk/vector-helpers.js';

// The stress view (issue 17): src/risk's figures on the verified state with some prices moved.

const cases = (): VectorCase[] => readVector<{ cases: VectorCase[] }>('risk/derived_risk_cases.json').cases;

describe('stress view', () => {
  it('a 0 % move (and no move at all) gives exactly the unstressed margin view', () => {
    for (const c of cases()) {
      const i = marginInputs(c);
      const plain = marginView(i);
      expect(stressView({ ...i, moves: [] }).view, c.label).toEqual(plain);
      const markets = stressView({ ...i, moves: [] }).markets;
      const zero = markets.map((m) => ({ market: m.market, movePercent: '0' }));
      const s = stressView({ ...i, moves: zero });
      expect(s.view, c.label).toEqual(plain);
      expect(
        s.markets.every((m) => !m.moved && m.movePercent === '0.00' && m.priceUsd === m.verifiedPriceUsd),
        c.label,
      ).toBe(true);
    }
  });

  it('at its liquidation price the account is exactly at the maintenance threshold: liquidatable there, well-leveraged one unit back', () => {
    let seen = 0;
    for (const c of cases()) {
      const i = marginInputs(c);
      const funded = positionRiskReport(i.position, i.sharedState, i.riskParams).funded;
      for (const l of liquidationPrices(funded, i.sharedState.oraclePrices, i.riskParams)) {
        if (l.price === null) continue;
        const long = funded.assets.find((a) => a.assetId === l.assetId)!.balance > 0n;
        const at = marginView({
          ...i,
          sharedState: stressedSharedState(i.sharedState, [{ assetId: l.assetId, price: l.price }]),
        });
        const back = marginView({
          ...i,
          sharedState: stressedSharedState(i.sharedState, [{ assetId: l.assetId, price: l.price + (long ? 1n : -1n) }]),
        });
        expect(at.liquidatable, c.label).toBe(true);
        expect(back.liquidatable, c.label).toBe(false);
        // TV/TR crosses 1 between the two prices.
        expect(at.marginRatio!.num < at.marginRatio!.den, c.label).toBe(true);
        expect(back.marginRatio!.num >= back.marginRatio!.den, c.label).toBe(true);
        seen++;
      }
    }
    expect(seen).toBeGreaterThan(3);
  });

  it('moves by a typed USD price or a percentage, by market name; the move is reported back', () => {
    const c = cases().find(
      (x) => (x as unknown as { oracle_prices_usd: Record<string, string> }).oracle_prices_usd.BTC === '18500',
    )!;
    const i = marginInputs(c);
    const s = stressView({ ...i, moves: [{ market: 'BTC-USD', priceUsd: '9,250' }] });
    const btc = s.markets.find((m) => m.market === 'BTC-USD')!;
    expect(btc.priceUsd).toBe('9250.00');
    expect(btc.moved).toBe(true);
    expect(btc.movePercent).toBe('-50.00'); // the case's BTC is at $18,500
    const pct = stressView({ ...i, moves: [{ market: 'BTC-USD', movePercent: '-50' }] });
    // The same price up to the rounding of each conversion (a 32.32 price unit): the same cents shown.
    expect(pct.markets.find((m) => m.market === 'BTC-USD')!.priceUsd).toBe('9250.00');
    const dp = (a: bigint, b: bigint) => (a > b ? a - b : b - a);
    const balance = i.position.assets[0]!.balance;
    expect(dp(pct.view.totalValueRep, s.view.totalValueRep) <= (balance < 0n ? -balance : balance)).toBe(true);
  });

  it('bad moves are refused naming the field, the value and the range', () => {
    const i = marginInputs(cases()[0]!);
    const p = i.sharedState.oraclePrices;
    expect(() => priceMoveOf({ market: 'XYZ-USD', priceUsd: '1' }, p)).toThrow(ExitInputError);
    expect(() => priceMoveOf({ market: 'XYZ-USD', priceUsd: '1' }, p)).toThrow('moves.market: "XYZ-USD"');
    const m = dydxMarketTable(1).markets;
    const held = Object.values(m).find((x) => p.some((q) => q.assetId === x.syntheticAssetId))!.market;
    expect(() => priceMoveOf({ market: held, priceUsd: '-5' }, p)).toThrow(
      `moves.${held}.priceUsd: "-5" is out of range; expected a USD price > 0 with at most 6 decimals`,
    );
    expect(() => priceMoveOf({ market: held, priceUsd: '0' }, p)).toThrow(`moves.${held}.priceUsd`);
    expect(() => priceMoveOf({ market: held, movePercent: '-100' }, p)).toThrow(
      `moves.${held}.movePercent: "-100" is out of range; expected a percentage with at most 2 decimals`,
    );
    expect(() => stressedSharedState(i.sharedState, [{ assetId: 5n, price: 1n }])).toThrow(RiskInputError);
    expect(() => stressedSharedState(i.sharedState, [{ assetId: p[0]!.assetId, price: 1n << 64n }])).toThrow(
      'moves[0].price',
    );
  });
});

describe('the position picker’s typed id', () => {
  it('an integer 0 <= id < 2^64; anything else refused naming the field, the text and the range', () => {
    expect(positionIdOf(' 42 ')).toBe(42n);
    expect(positionIdOf('18446744073709551615')).toBe((1n << 64n) - 1n);
    for (const bad of ['', '-1', '1.5', 'abc', '0x10', '18446744073709551616'])
      expect(() => positionIdOf(bad), bad).toThrow(
        `positionId: ${JSON.stringify(bad)} is out of range; expected an integer 0 <= positionId < 2^64`,
      );
  });
});
