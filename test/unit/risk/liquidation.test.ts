import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FXP_32_ONE,
  RiskInputError,
  externalPriceFromDecimal,
  formatRatio,
  internalOraclePrice,
  isLiquidatable,
  isWellLeveraged,
  liquidationPrice,
  liquidationPrices,
  oraclePriceToUsd,
  type Position,
} from '../../helpers/core.js';
import { ASSET_IDS, STARK_KEY, anyRiskArb, marketArb, positionArb, singleRiskArb, withPrice } from './arbitraries.js';

describe('liquidation price per asset, other prices held (B1.5)', () => {
  it('btc_long: −18 000 USDC, +1 BTC, MMF 3% → first liquidatable price just below $18 556.70', () => {
    const btc = ASSET_IDS[0]!;
    const p: Position = {
      starkKey: STARK_KEY,
      collateral: -18_000_000_000n,
      assets: [{ assetId: btc, balance: 10_000_000_000n, cachedFundingIndex: 0n }],
    };
    const prices = [
      { assetId: btc, price: internalOraclePrice(externalPriceFromDecimal('20000'), 10n ** 10n, 10n ** 6n) },
    ];
    const risk = { assets: [{ assetId: btc, riskFactor: 128849018n }] };
    const l = liquidationPrice(p, prices, risk, btc)!;
    expect(formatRatio(oraclePriceToUsd(l, 10n ** 10n, 10n ** 6n), 2)).toBe('18556.70');
    expect(isLiquidatable(p, [{ assetId: btc, price: l }], risk)).toBe(true);
    expect(isWellLeveraged(p, [{ assetId: btc, price: l + 1n }], risk)).toBe(true);
    // Same answer from the liquidatable side (price 18 500).
    const low = [
      { assetId: btc, price: internalOraclePrice(externalPriceFromDecimal('18500'), 10n ** 10n, 10n ** 6n) },
    ];
    expect(liquidationPrice(p, low, risk, btc)).toBe(l);
  });

  it('at the returned price the position is liquidatable and one price unit toward safety it is well-leveraged', () => {
    fc.assert(
      fc.property(positionArb, marketArb, anyRiskArb, (p, m, risk) => {
        for (const a of p.assets) {
          const l = liquidationPrice(p, m.oraclePrices, risk, a.assetId);
          if (l === null) continue;
          const safer = a.balance > 0n ? l + 1n : l - 1n;
          expect(isLiquidatable(p, withPrice(m, a.assetId, l).oraclePrices, risk)).toBe(true);
          expect(isWellLeveraged(p, withPrice(m, a.assetId, safer).oraclePrices, risk)).toBe(true);
          // It lies on the adverse side of the current price when the position is healthy now.
          const current = m.oraclePrices.find((x) => x.assetId === a.assetId)!.price;
          if (isWellLeveraged(p, m.oraclePrices, risk)) expect(a.balance > 0n ? l < current : l > current).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('single risk factor: the status is monotone in the price, so the boundary is global and null means "never" or "always"', () => {
    fc.assert(
      fc.property(
        positionArb,
        marketArb,
        singleRiskArb,
        fc.bigInt({ min: 1n, max: (1n << 64n) - 1n }),
        (p, m, risk, probe) => {
          for (const a of p.assets) {
            const l = liquidationPrice(p, m.oraclePrices, risk, a.assetId);
            const liq = isLiquidatable(p, withPrice(m, a.assetId, probe).oraclePrices, risk);
            if (l === null) {
              // Status never changes over [1, 2^64): same as at the current price.
              expect(liq).toBe(isLiquidatable(p, m.oraclePrices, risk));
            } else {
              expect(liq).toBe(a.balance > 0n ? probe <= l : probe >= l);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('liquidationPrices covers every held asset; an asset not held is an error', () => {
    const [btc, doge] = ASSET_IDS as [bigint, bigint];
    const p: Position = {
      starkKey: STARK_KEY,
      collateral: 1000n,
      assets: [{ assetId: btc, balance: -1n, cachedFundingIndex: 0n }],
    };
    const prices = [{ assetId: btc, price: 100n * FXP_32_ONE }];
    const risk = { assets: [{ assetId: btc, riskFactor: 1n << 31n }] };
    // Short 1 quantum with 1000 collateral: TV = 1000 − p, TR = p/2 → liquidatable once p > 666.67.
    expect(liquidationPrices(p, prices, risk)).toEqual([{ assetId: btc, price: (2000n * FXP_32_ONE) / 3n + 1n }]);
    expect(() => liquidationPrice(p, prices, risk, doge)).toThrow(RiskInputError);
  });
});
