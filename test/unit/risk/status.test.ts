import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FXP_32_ONE, isWellLeveraged, positionStatus, totalRisk, totalValue } from '../../helpers/core.js';
import { ASSET_IDS, STARK_KEY, marketArb, positionArb, singleRiskArb, withPrice } from './arbitraries.js';

describe('total value and total risk (B1.2)', () => {
  it('hand example: −18 000 USDC, +1 BTC at 2·2^32 (=$20 000), risk 3% floored', () => {
    const btc = ASSET_IDS[0]!;
    const p = {
      starkKey: STARK_KEY,
      collateral: -18_000_000_000n,
      assets: [{ assetId: btc, balance: 10_000_000_000n, cachedFundingIndex: 0n }],
    };
    const prices = [{ assetId: btc, price: 2n * FXP_32_ONE }];
    const risk = { assets: [{ assetId: btc, riskFactor: 128849018n }] };
    expect(totalValue(p, prices)).toBe(2_000_000_000n * FXP_32_ONE);
    expect(totalRisk(p, prices, risk)).toBe(128849018n * 2n * FXP_32_ONE * 10_000_000_000n);
  });

  it("TV rises by 2^32 per collateral quantum; TV rises with a long's price and falls with a short's", () => {
    fc.assert(
      fc.property(positionArb, marketArb, fc.bigInt({ min: 1n, max: 1n << 20n }), (p, m, bump) => {
        const tv = totalValue(p, m.oraclePrices);
        expect(totalValue({ ...p, collateral: p.collateral + 1n }, m.oraclePrices)).toBe(tv + FXP_32_ONE);
        for (const a of p.assets) {
          const price = m.oraclePrices.find((x) => x.assetId === a.assetId)!.price;
          const tv2 = totalValue(p, withPrice(m, a.assetId, price + bump).oraclePrices);
          expect(tv2 - tv).toBe(a.balance * bump);
          expect(a.balance > 0n ? tv2 > tv : tv2 < tv).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('TR is >= 0, independent of collateral, and non-decreasing in every price, |balance| and risk factor (single factor)', () => {
    fc.assert(
      fc.property(positionArb, marketArb, singleRiskArb, fc.bigInt({ min: 1n, max: 1n << 20n }), (p, m, risk, bump) => {
        const tr = totalRisk(p, m.oraclePrices, risk);
        expect(tr >= 0n).toBe(true);
        expect(totalRisk({ ...p, collateral: p.collateral + bump }, m.oraclePrices, risk)).toBe(tr);
        for (const [i, a] of p.assets.entries()) {
          const price = m.oraclePrices.find((x) => x.assetId === a.assetId)!.price;
          expect(totalRisk(p, withPrice(m, a.assetId, price + bump).oraclePrices, risk) >= tr).toBe(true);
          const bigger = {
            ...p,
            assets: p.assets.map((x, k) =>
              k === i ? { ...x, balance: x.balance + (x.balance > 0n ? bump : -bump) } : x,
            ),
          };
          expect(totalRisk(bigger, m.oraclePrices, risk) >= tr).toBe(true);
          const riskier = {
            assets: risk.assets.map((r) =>
              'riskFactor' in r && r.assetId === a.assetId && r.riskFactor < (1n << 32n) - 1n
                ? { ...r, riskFactor: r.riskFactor + 1n }
                : r,
            ),
          };
          expect(totalRisk(p, m.oraclePrices, riskier) >= tr).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('well-leveraged ⇔ TR_rep <= TV_rep·2^32, and more collateral never makes a position liquidatable', () => {
    fc.assert(
      fc.property(
        positionArb,
        marketArb,
        singleRiskArb,
        fc.bigInt({ min: 0n, max: 1n << 40n }),
        (p, m, risk, extra) => {
          const s = positionStatus(p, m.oraclePrices, risk);
          expect(s.returnCode).toBe('SUCCESS');
          const wl = isWellLeveraged(p, m.oraclePrices, risk);
          expect(wl).toBe(s.totalRisk <= s.totalValue * FXP_32_ONE);
          if (wl) expect(isWellLeveraged({ ...p, collateral: p.collateral + extra }, m.oraclePrices, risk)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('v3.2 segments: the chosen risk applies to the whole holding, selected by value or by balance', () => {
    const btc = ASSET_IDS[0]!;
    const segs = [
      { upperBound: 1000n * FXP_32_ONE, risk: 100n },
      { upperBound: 1n << 127n, risk: 200n },
    ];
    const price = FXP_32_ONE; // 1 collateral quantum per synthetic quantum
    const at = (balance: bigint, byBalance: boolean) =>
      totalRisk(
        { starkKey: STARK_KEY, collateral: 0n, assets: [{ assetId: btc, balance, cachedFundingIndex: 0n }] },
        [{ assetId: btc, price }],
        {
          isRiskByBalanceOnly: byBalance,
          assets: [{ assetId: btc, riskFactorSegments: segs }],
        },
      );
    expect(at(1000n, false)).toBe(100n * price * 1000n); // amount = 1000·2^32 <= bound: first segment
    expect(at(-1001n, false)).toBe(200n * price * 1001n); // just above: second segment, on the whole position
    expect(at(1001n, true)).toBe(100n * price * 1001n); // by balance: 1001 <= 1000·2^32
  });
});
