import { describe, expect, it } from 'vitest';
import { marginFigures } from '../../../extension/ui/exit/figures.js';
import {
  decimal,
  marginRatioFigure,
  usd,
  usdcFigure,
  usdcFigureOfRep32,
  usdcFigureOfRep64,
} from '../../../extension/ui/format.js';
import {
  DYDX_COLLATERAL_RESOLUTION,
  dydxMarketTable,
  formatRatio,
  fundingOwedRep,
  liquidationPrices,
  marginView,
  maxSafeForcedWithdrawal,
  oraclePriceToUsd,
  positionRiskReport,
  ratio,
  stressView,
} from '../../helpers/core.js';
import { readVector } from '../../helpers/vectors.js';
import { marginInputs, type VectorCase } from '../risk/vector-helpers.js';

/*
 * Issue 17 "one number formatter everywhere": the exit page's figures — the view the service
 * worker's op returns (src/exit marginView), laid out by extension/ui/exit/figures.ts — equal
 * src/risk's own figures for the same state, formatted by the same format.ts functions.
 */

const cases = (): VectorCase[] => readVector<{ cases: VectorCase[] }>('risk/derived_risk_cases.json').cases;
const market = (assetId: bigint) =>
  Object.values(dydxMarketTable(1).markets).find((m) => m.syntheticAssetId === assetId)!;

/** src/risk's figures of one state, formatted by format.ts the way the exit page formats its own. */
function riskFigures(i: ReturnType<typeof marginInputs>) {
  const report = positionRiskReport(i.position, i.sharedState, i.riskParams);
  const liq = new Map(
    liquidationPrices(report.funded, i.sharedState.oraclePrices, i.riskParams).map((l) => [l.assetId, l.price]),
  );
  const usdOf = (p: bigint, assetId: bigint) =>
    usd(
      formatRatio(
        oraclePriceToUsd(p, 10n ** BigInt(market(assetId).resolution), 10n ** BigInt(DYDX_COLLATERAL_RESOLUTION)),
        2,
      ),
    );
  let safe: string;
  try {
    safe = usdcFigure(
      maxSafeForcedWithdrawal(i.position, i.sharedState, i.riskParams, { adverseMoveBps: 500n }).amount,
    );
  } catch {
    safe = 'none';
  }
  const { totalValue, totalRisk } = report.status;
  return {
    collateral: usdcFigure(report.funded.collateral),
    funding: usdcFigureOfRep32(fundingOwedRep(i.position, i.sharedState.fundingIndices)),
    totalValue: usdcFigureOfRep32(totalValue),
    totalRisk: usdcFigureOfRep64(totalRisk),
    marginRatio: marginRatioFigure(totalRisk === 0n ? null : ratio(totalValue << 32n, totalRisk)),
    synthetics: report.funded.assets.map((a) => {
      const m = market(a.assetId);
      const price = i.sharedState.oraclePrices.find((p) => p.assetId === a.assetId)!.price;
      const l = liq.get(a.assetId);
      return {
        market: m.market,
        balance: decimal(formatRatio(ratio(a.balance, 10n ** BigInt(m.resolution)), m.resolution)),
        price: usdOf(price, a.assetId),
        liquidationPrice: l == null ? '—' : usdOf(l, a.assetId),
      };
    }),
    maxWithdrawal: report.maxForcedWithdrawal === null ? 'none' : usdcFigure(report.maxForcedWithdrawal),
    safeWithdrawal: safe,
    escape: usdcFigure(report.escapeAmount),
  };
}

describe('the exit page figures', () => {
  it('equal src/risk’s figures for the same state, formatted alike (every derived risk case)', () => {
    for (const c of cases()) {
      const i = marginInputs(c);
      expect(marginFigures(marginView(i)), c.label).toEqual(riskFigures(i));
    }
  });

  it('under a stress move equal src/risk’s on the moved prices', () => {
    let checked = 0;
    for (const c of cases()) {
      const i = marginInputs(c);
      const btc = dydxMarketTable(1).markets['BTC-USD']!.syntheticAssetId;
      if (!i.sharedState.oraclePrices.some((p) => p.assetId === btc)) continue;
      const s = stressView({ ...i, moves: [{ market: 'BTC-USD', movePercent: '-12.5' }] });
      checked++;
      const moved = {
        ...i,
        sharedState: {
          ...i.sharedState,
          oraclePrices: i.sharedState.oraclePrices.map((p) =>
            p.assetId === btc ? { ...p, price: (p.price * 8750n) / 10_000n } : p,
          ),
        },
      };
      expect(marginFigures(s.view), c.label).toEqual(riskFigures(moved));
    }
    expect(checked).toBeGreaterThan(2);
  });

  it('group thousands, exactly, through one formatter', () => {
    expect(usdcFigure(100_000_000_000n)).toBe('100,000.00');
    expect(usdcFigure(-1_234_567_891n)).toBe('−1,234.567891');
    expect(usdcFigureOfRep32(12_345_000_000n << 32n)).toBe('12,345.00');
    expect(usdcFigureOfRep64(1n << 64n)).toBe('0.000001');
    expect(marginRatioFigure({ num: 123_456_789n, den: 10_000n })).toBe('12,345.6789');
    expect(marginRatioFigure({ num: 2n, den: 3n })).toBe('0.6667');
    expect(marginRatioFigure(null)).toBe('∞ (no risk)');
  });
});
