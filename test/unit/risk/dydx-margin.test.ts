import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  RiskInputError,
  dydxAccountMargin,
  dydxInitialMarginFraction,
  externalPriceFromDecimal,
  formatRatio,
  internalOraclePrice,
  parseRatio,
  ratio,
  riskParamsFromMarginFractions,
  type DydxMarketParams,
} from '../../helpers/core.js';
import { readVector } from '../../helpers/vectors.js';

type Example = {
  label: string;
  usdc_balance_Q: string;
  positions: { market: string; size_S: string; oracle_P: string; IMF: string; MMF: string }[];
  total_account_value_V: string;
  initial_margin_requirement: string;
  maintenance_margin_requirement_W: string;
  free_collateral_V_minus_IM: string;
  liquidatable_V_lt_W: boolean;
  leverage_sum_notional_over_V: string;
  per_position: {
    market: string;
    liquidation_price_solve_V_eq_W_others_fixed: string;
    docs_close_price_for_liquidation_at_current_P: string;
    bankruptcy_price_V_eq_0_others_fixed: string;
  }[];
};
type MarketSnapshot = {
  as_of: string;
  markets: (DydxMarketParams & { assetResolution: string; oraclePrice?: string; syntheticAssetId?: string })[];
};

const fmt = (r: { num: bigint; den: bigint } | null) => (r === null ? null : formatRatio(r, 6));

describe(`dYdX user-facing numbers: derived examples`, () => {
  it('reproduces every example in dydx_user_facing_examples (V, IM, W, free collateral, prices)', () => {
    const { examples } = readVector<{ dydx_user_facing_examples: { examples: Example[] } }>(
      'risk/derived_risk_cases.json',
    ).dydx_user_facing_examples;
    expect(examples.length).toBe(4);
    for (const ex of examples) {
      const markets: DydxMarketParams[] = ex.positions.map((p) => ({
        market: p.market,
        initialMarginFraction: p.IMF,
        maintenanceMarginFraction: p.MMF,
      }));
      const m = dydxAccountMargin(
        {
          usdcBalance: ex.usdc_balance_Q,
          positions: ex.positions.map((p) => ({ market: p.market, size: p.size_S, oraclePrice: p.oracle_P })),
        },
        markets,
      );
      expect(fmt(m.totalAccountValue), ex.label).toBe(ex.total_account_value_V);
      expect(fmt(m.initialMarginRequirement), ex.label).toBe(ex.initial_margin_requirement);
      expect(fmt(m.maintenanceMarginRequirement), ex.label).toBe(ex.maintenance_margin_requirement_W);
      expect(fmt(m.freeCollateral), ex.label).toBe(ex.free_collateral_V_minus_IM);
      expect(m.liquidatable, ex.label).toBe(ex.liquidatable_V_lt_W);
      expect(fmt(m.leverage), ex.label).toBe(ex.leverage_sum_notional_over_V);
      ex.per_position.forEach((pp, i) => {
        const row = m.positions[i]!;
        expect(row.market).toBe(pp.market);
        expect(fmt(row.liquidationPrice), `${ex.label} ${pp.market}`).toBe(
          pp.liquidation_price_solve_V_eq_W_others_fixed,
        );
        expect(fmt(row.closePrice), `${ex.label} ${pp.market}`).toBe(pp.docs_close_price_for_liquidation_at_current_P);
        expect(fmt(row.bankruptcyPrice), `${ex.label} ${pp.market}`).toBe(pp.bankruptcy_price_V_eq_0_others_fixed);
      });
    }
  });
});

describe(`dYdX market params snapshots`, () => {
  const load = () => readVector<{ snapshots: MarketSnapshot[] }>('risk/dydx_v3_market_params.json').snapshots;

  it('the same examples give the same numbers with the 2022-02-11 BTC/ETH market params', () => {
    const markets = load()[0]!.markets;
    const m = dydxAccountMargin(
      {
        usdcBalance: '-5000',
        positions: [
          { market: 'BTC-USD', size: '0.5', oraclePrice: '20000' },
          { market: 'ETH-USD', size: '-2', oraclePrice: '1500' },
        ],
      },
      markets,
    );
    expect(fmt(m.initialMarginRequirement)).toBe('650.000000');
    expect(fmt(m.maintenanceMarginRequirement)).toBe('390.000000');
    expect(fmt(m.positions[0]!.liquidationPrice)).toBe('16680.412371');
  });

  it('snapshot oracle prices convert to the internal prices of price_conversion', () => {
    const conv = readVector<{
      price_conversion: { external_price_usd: string; synthetic_resolution: string; internal_price_32_32: string }[];
    }>('risk/derived_risk_cases.json').price_conversion;
    let matched = 0;
    for (const s of load()) {
      for (const mk of s.markets) {
        if (mk.oraclePrice === undefined) continue;
        const c = conv.find(
          (x) =>
            x.synthetic_resolution === mk.assetResolution &&
            parseRatio('p', x.external_price_usd).num * parseRatio('p', mk.oraclePrice!).den ===
              parseRatio('p', mk.oraclePrice!).num * parseRatio('p', x.external_price_usd).den,
        );
        if (!c) continue;
        matched++;
        expect(
          internalOraclePrice(externalPriceFromDecimal(mk.oraclePrice), BigInt(mk.assetResolution), 10n ** 6n),
        ).toBe(BigInt(c.internal_price_32_32));
      }
    }
    expect(matched).toBeGreaterThanOrEqual(2); // BTC 42922.855 and ETH 3019.3671 on 2022-02-11
  });

  it('every market parses; MMF maps to a risk factor in range; IMF steps follow the help-center rule', () => {
    for (const s of load()) {
      for (const mk of s.markets) {
        const rp = riskParamsFromMarginFractions([
          { assetId: 1n, maintenanceMarginFraction: mk.maintenanceMarginFraction },
        ]);
        expect(rp.assets.length).toBe(1);
        const base = parseRatio('imf', mk.initialMarginFraction);
        expect(dydxInitialMarginFraction(mk, parseRatio('s', mk.baselinePositionSize!))).toEqual(base);
      }
    }
    const btc = load()[0]!.markets.find((m) => m.market === 'BTC-USD')!;
    // baseline 9, step 1.5, +0.01 per step: 10 BTC is one partial step.
    expect(formatRatio(dydxInitialMarginFraction(btc, ratio(10n)), 4)).toBe('0.0600');
    expect(formatRatio(dydxInitialMarginFraction(btc, ratio(10n), { imfStepRounding: 'floor' }), 4)).toBe('0.0500');
    expect(formatRatio(dydxInitialMarginFraction(btc, ratio(-12n)), 4)).toBe('0.0700');
    const m = dydxAccountMargin(
      { usdcBalance: '0', positions: [{ market: 'BTC-USD', size: '171', oraclePrice: '1' }] },
      [btc],
    );
    expect(m.positions[0]!.exceedsMaxPositionSize).toBe(true);
  });

  it('properties over real market params: IM >= W; free collateral >= 0 implies not liquidatable; liquidation price is V = W', () => {
    const markets = load()[0]!.markets;
    const dec = (lo: number, hi: number) => fc.integer({ min: lo, max: hi }).map((n) => ratio(BigInt(n), 100n));
    fc.assert(
      fc.property(
        fc.constantFrom(...markets),
        fc.constantFrom(...markets),
        dec(-1_000_000, 1_000_000),
        dec(-50_000, 50_000),
        dec(1, 5_000_000),
        dec(-50_000, 50_000),
        dec(1, 5_000_000),
        (m1, m2, q, s1, p1, s2, p2) => {
          fc.pre(m1.market !== m2.market && s1.num !== 0n);
          const acct = {
            usdcBalance: q,
            positions: [
              { market: m1.market, size: s1, oraclePrice: p1 },
              { market: m2.market, size: s2, oraclePrice: p2 },
            ],
          };
          const r = dydxAccountMargin(acct, markets);
          const cmp = (a: { num: bigint; den: bigint }, b: { num: bigint; den: bigint }) =>
            a.num * b.den - b.num * a.den;
          expect(cmp(r.initialMarginRequirement, r.maintenanceMarginRequirement) >= 0n).toBe(true);
          if (cmp(r.freeCollateral, ratio(0n)) >= 0n) expect(r.liquidatable).toBe(false);
          const lp = r.positions[0]!.liquidationPrice;
          if (lp !== null) {
            const at = dydxAccountMargin(
              { ...acct, positions: [{ ...acct.positions[0]!, oraclePrice: lp }, acct.positions[1]!] },
              markets,
            );
            expect(cmp(at.totalAccountValue, at.maintenanceMarginRequirement)).toBe(0n);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('dYdX margin input validation', () => {
  const btc: DydxMarketParams = { market: 'BTC-USD', initialMarginFraction: '0.05', maintenanceMarginFraction: '0.03' };
  it('rejects unknown markets, malformed decimals, non-positive prices and fractions outside (0, 1)', () => {
    expect(() =>
      dydxAccountMargin({ usdcBalance: '0', positions: [{ market: 'ETH-USD', size: '1', oraclePrice: '1' }] }, [btc]),
    ).toThrow(RiskInputError);
    expect(() => dydxAccountMargin({ usdcBalance: '1e5', positions: [] }, [btc])).toThrow(
      /^usdcBalance: "1e5" is out of range/,
    );
    expect(() =>
      dydxAccountMargin({ usdcBalance: '0', positions: [{ market: 'BTC-USD', size: '1', oraclePrice: '0' }] }, [btc]),
    ).toThrow(RiskInputError);
    const bad = { ...btc, maintenanceMarginFraction: '1.5' };
    expect(() =>
      dydxAccountMargin({ usdcBalance: '0', positions: [{ market: 'BTC-USD', size: '1', oraclePrice: '1' }] }, [bad]),
    ).toThrow(RiskInputError);
    expect(() => parseRatio('x', '1/0')).toThrow(RiskInputError);
  });
});
