import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FXP_32_ONE,
  applyFunding,
  checkSmallerHoldings,
  checkValidTransition,
  isValidTransition,
  isWellLeveraged,
  positionStatus,
  updatePosition,
  type Position,
} from '../../helpers/core.js';
import { ASSET_IDS, STARK_KEY, anyRiskArb, marketArb, positionArb, singleRiskArb } from './arbitraries.js';

const [BTC, DOGE] = ASSET_IDS as [bigint, bigint];
const pos = (collateral: bigint, assets: [bigint, bigint][]): Position => ({
  starkKey: STARK_KEY,
  collateral,
  assets: assets.map(([assetId, balance]) => ({ assetId, balance, cachedFundingIndex: 0n })),
});

describe('check_valid_transition (B1.4)', () => {
  it('smaller holdings: same sign and |after| <= |before|, no new asset; dropping an asset is smaller', () => {
    const before = pos(0n, [
      [BTC, 10n],
      [DOGE, -5n],
    ]);
    expect(
      checkSmallerHoldings(
        before,
        pos(0n, [
          [BTC, 10n],
          [DOGE, -5n],
        ]),
      ),
    ).toBe('SUCCESS');
    expect(checkSmallerHoldings(before, pos(0n, [[DOGE, -1n]]))).toBe('SUCCESS');
    expect(checkSmallerHoldings(before, pos(0n, [[BTC, 11n]]))).toBe(
      'ILLEGAL_POSITION_TRANSITION_ENLARGING_SYNTHETIC_HOLDINGS',
    );
    expect(checkSmallerHoldings(before, pos(0n, [[BTC, -1n]]))).toBe(
      'ILLEGAL_POSITION_TRANSITION_ENLARGING_SYNTHETIC_HOLDINGS',
    );
    expect(
      checkSmallerHoldings(
        pos(0n, [[DOGE, 1n]]),
        pos(0n, [
          [BTC, 1n],
          [DOGE, 1n],
        ]),
      ),
    ).toBe('ILLEGAL_POSITION_TRANSITION_ENLARGING_SYNTHETIC_HOLDINGS');
  });

  it("the order of checks is the program's: range, well-leveraged, smaller holdings, ratio, zero-risk value", () => {
    const prices = [{ assetId: BTC, price: FXP_32_ONE }];
    const risk = { assets: [{ assetId: BTC, riskFactor: 1n << 31n }] }; // 50%
    // Underwater: TV = −8 + 10 = 2 < TR = 5.
    const before = pos(-8n, [[BTC, 10n]]);
    expect(isWellLeveraged(before, prices, risk)).toBe(false);
    expect(checkValidTransition(before, pos(100n, [[BTC, 11n]]), prices, risk)).toBe('SUCCESS'); // healthy after: valid
    // Growing an unhealthy position: ENLARGING, reported before the ratio is looked at.
    expect(checkValidTransition(before, pos(-9n, [[BTC, 11n]]), prices, risk)).toBe(
      'ILLEGAL_POSITION_TRANSITION_ENLARGING_SYNTHETIC_HOLDINGS',
    );
    // Selling 5 at the oracle price: TV 2, TR 2.5, still unhealthy but TV/TR 0.4 → 0.8: valid.
    expect(checkValidTransition(before, pos(-3n, [[BTC, 5n]]), prices, risk)).toBe('SUCCESS');
    // Selling 5 for 4: TV/TR 0.4 → 0.4, equal is allowed; for 3: 0.4 → 0: invalid.
    expect(checkValidTransition(before, pos(-4n, [[BTC, 5n]]), prices, risk)).toBe('SUCCESS');
    expect(checkValidTransition(before, pos(-5n, [[BTC, 5n]]), prices, risk)).toBe(
      'ILLEGAL_POSITION_TRANSITION_REDUCING_TOTAL_VALUE_RISK_RATIO',
    );
    // No risk and negative value: value may not drop.
    expect(checkValidTransition(pos(-5n, []), pos(-6n, []), [], { assets: [] })).toBe(
      'ILLEGAL_POSITION_TRANSITION_NO_RISK_REDUCED_VALUE',
    );
    expect(checkValidTransition(pos(-5n, []), pos(-4n, []), [], { assets: [] })).toBe('SUCCESS');
    // TV out of range is reported before anything else.
    const huge = [{ assetId: BTC, price: (1n << 64n) - 1n }];
    expect(checkValidTransition(before, pos(0n, [[BTC, 1n << 62n]]), huge, risk)).toBe('OUT_OF_RANGE_TOTAL_VALUE');
  });

  it('any position may stay as it is, and a well-leveraged result is always valid', () => {
    fc.assert(
      fc.property(positionArb, positionArb, marketArb, anyRiskArb, (a, b, m, risk) => {
        expect(isValidTransition(a, a, m.oraclePrices, risk)).toBe(true);
        if (isWellLeveraged(b, m.oraclePrices, risk)) expect(isValidTransition(a, b, m.oraclePrices, risk)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('an unhealthy result is valid exactly when holdings shrink and TV·TR0 >= TV0·TR (cross-multiplied rule)', () => {
    fc.assert(
      fc.property(
        positionArb,
        marketArb,
        singleRiskArb,
        fc.bigInt({ min: -(1n << 45n), max: 1n << 45n }),
        fc.integer({ min: 0, max: 100 }),
        (a, m, risk, dc, pct) => {
          // Shrink every holding by pct% (rounded toward 0) and change the collateral by dc.
          const shrunk: Position = {
            starkKey: a.starkKey,
            collateral: a.collateral + dc,
            assets: a.assets
              .map((x) => ({ ...x, balance: (x.balance * BigInt(100 - pct)) / 100n }))
              .filter((x) => x.balance !== 0n),
          };
          if (shrunk.assets.length === 0 && shrunk.collateral === 0n) return;
          const s0 = positionStatus(a, m.oraclePrices, risk);
          const s1 = positionStatus(shrunk, m.oraclePrices, risk);
          const healthy = s1.totalRisk <= s1.totalValue * FXP_32_ONE;
          const ratioOk = s0.totalValue * s1.totalRisk <= s1.totalValue * s0.totalRisk;
          const zeroRiskOk = s0.totalRisk !== 0n || s0.totalValue <= s1.totalValue;
          expect(isValidTransition(a, shrunk, m.oraclePrices, risk)).toBe(healthy || (ratioOk && zeroRiskOk));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('update_position (B1.4)', () => {
  const market = {
    oraclePrices: [{ assetId: BTC, price: FXP_32_ONE }],
    fundingIndices: [
      { assetId: BTC, fundingIndex: 0n },
      { assetId: DOGE, fundingIndex: 0n },
    ],
  };
  const risk = {
    assets: [
      { assetId: BTC, riskFactor: 1n << 30n },
      { assetId: DOGE, riskFactor: 1n << 30n },
    ],
  };

  it('opens, closes and empties positions the way the program does', () => {
    const empty: Position = { starkKey: 0n, collateral: 0n, assets: [] };
    const deposit = updatePosition(empty, { requestPublicKey: STARK_KEY, collateralDelta: 100n }, market, risk);
    expect(deposit).toMatchObject({
      returnCode: 'SUCCESS',
      updated: { starkKey: STARK_KEY, collateral: 100n, assets: [] },
    });
    const buy = updatePosition(
      deposit.updated,
      { requestPublicKey: STARK_KEY, collateralDelta: -10n, syntheticAssetId: BTC, syntheticDelta: 10n },
      market,
      risk,
    );
    expect(buy.returnCode).toBe('SUCCESS');
    expect(buy.updated.assets).toEqual([{ assetId: BTC, balance: 10n, cachedFundingIndex: 0n }]);
    const sell = updatePosition(
      buy.updated,
      { requestPublicKey: 0n, collateralDelta: 10n, syntheticAssetId: BTC, syntheticDelta: -10n },
      market,
      risk,
    );
    expect(sell.updated).toEqual({ starkKey: STARK_KEY, collateral: 100n, assets: [] });
    const out = updatePosition(sell.updated, { requestPublicKey: STARK_KEY, collateralDelta: -100n }, market, risk);
    expect(out.updated).toEqual({ starkKey: 0n, collateral: 0n, assets: [] });
  });

  it("returns the program's codes for a foreign key, unknown asset, missing price, balance overflow", () => {
    const p = pos(100n, [[BTC, 1n]]);
    expect(updatePosition(p, { requestPublicKey: STARK_KEY + 1n, collateralDelta: 0n }, market, risk).returnCode).toBe(
      'INVALID_PUBLIC_KEY',
    );
    expect(
      updatePosition(
        { starkKey: 0n, collateral: 0n, assets: [] },
        { requestPublicKey: 0n, collateralDelta: 1n },
        market,
        risk,
      ).returnCode,
    ).toBe('INVALID_PUBLIC_KEY');
    expect(
      updatePosition(
        p,
        { requestPublicKey: STARK_KEY, collateralDelta: 0n, syntheticAssetId: DOGE, syntheticDelta: 1n },
        market,
        risk,
      ).returnCode,
    ).toBe('MISSING_ORACLE_PRICE');
    const noIndex = { ...market, oraclePrices: [...market.oraclePrices, { assetId: 99n ** 10n, price: 1n }] };
    expect(
      updatePosition(
        p,
        { requestPublicKey: STARK_KEY, collateralDelta: 0n, syntheticAssetId: 99n ** 10n, syntheticDelta: 1n },
        noIndex,
        risk,
      ).returnCode,
    ).toBe('MISSING_GLOBAL_FUNDING_INDEX');
    expect(
      updatePosition(p, { requestPublicKey: STARK_KEY, collateralDelta: 1n << 63n }, market, risk).returnCode,
    ).toBe('OUT_OF_RANGE_BALANCE');
    expect(
      updatePosition(
        p,
        { requestPublicKey: STARK_KEY, collateralDelta: 0n, syntheticAssetId: BTC, syntheticDelta: (1n << 63n) - 1n },
        market,
        risk,
      ).returnCode,
    ).toBe('OUT_OF_RANGE_BALANCE');
  });

  it('a failed update still returns the funded position (what the program writes back)', () => {
    fc.assert(
      fc.property(positionArb, marketArb, singleRiskArb, (p, m, risk) => {
        const r = updatePosition(p, { requestPublicKey: STARK_KEY + 1n, collateralDelta: -1n }, m, risk);
        expect(r.returnCode).toBe('INVALID_PUBLIC_KEY');
        expect(r.updated).toEqual(applyFunding(p, m.fundingIndices));
        const same = updatePosition(p, { requestPublicKey: STARK_KEY, collateralDelta: 0n }, m, risk);
        // create_maybe_empty_position: no collateral and no assets is the empty position (key 0).
        const emptied = r.funded.collateral === 0n && r.funded.assets.length === 0;
        expect(same).toMatchObject({
          returnCode: 'SUCCESS',
          updated: emptied ? { starkKey: 0n, collateral: 0n, assets: [] } : r.funded,
        });
      }),
      { numRuns: 100 },
    );
  });
});
