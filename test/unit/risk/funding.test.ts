import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FXP_32_ONE, applyFunding, escapeAmount, fundingOwedRep, totalValue } from '../../helpers/core.js';
import { STARK_KEY, marketArb, positionArb } from './arbitraries.js';

const floorDiv = (n: bigint, d: bigint) => (n >= 0n ? n / d : -((-n + d - 1n) / d));

describe('applyFunding (B1.3)', () => {
  it('floors toward −∞: a 2^-32 debt costs one quantum, a 2^-32 credit costs nothing', () => {
    const p = { starkKey: STARK_KEY, collateral: 100n, assets: [{ assetId: 7n, balance: 1n, cachedFundingIndex: 0n }] };
    expect(applyFunding(p, [{ assetId: 7n, fundingIndex: 1n }]).collateral).toBe(99n);
    expect(applyFunding(p, [{ assetId: 7n, fundingIndex: -1n }]).collateral).toBe(100n);
    expect(applyFunding(p, [{ assetId: 7n, fundingIndex: 3n * FXP_32_ONE }]).collateral).toBe(97n);
    // A short receives when the index rises.
    const short = { ...p, assets: [{ assetId: 7n, balance: -2n, cachedFundingIndex: 0n }] };
    expect(applyFunding(short, [{ assetId: 7n, fundingIndex: FXP_32_ONE }]).collateral).toBe(102n);
  });

  it('is exactly floor((collateral·2^32 − owed)/2^32), updates cached indices, and leaves the input alone', () => {
    fc.assert(
      fc.property(positionArb, marketArb, (p, m) => {
        const snapshot = structuredClone(p);
        const funded = applyFunding(p, m.fundingIndices);
        const owed = fundingOwedRep(p, m.fundingIndices);
        expect(funded.collateral).toBe(floorDiv(p.collateral * FXP_32_ONE - owed, FXP_32_ONE));
        // Never creates collateral: funded·2^32 <= exact < (funded + 1)·2^32.
        expect(funded.collateral * FXP_32_ONE <= p.collateral * FXP_32_ONE - owed).toBe(true);
        expect((funded.collateral + 1n) * FXP_32_ONE > p.collateral * FXP_32_ONE - owed).toBe(true);
        for (const a of funded.assets)
          expect(a.cachedFundingIndex).toBe(m.fundingIndices.find((f) => f.assetId === a.assetId)!.fundingIndex);
        expect(funded.assets.map((a) => [a.assetId, a.balance])).toEqual(p.assets.map((a) => [a.assetId, a.balance]));
        expect(p).toEqual(snapshot);
      }),
      { numRuns: 300 },
    );
  });

  it('applying funding twice with the same indices is idempotent', () => {
    fc.assert(
      fc.property(positionArb, marketArb, (p, m) => {
        const once = applyFunding(p, m.fundingIndices);
        expect(applyFunding(once, m.fundingIndices)).toEqual(once);
      }),
      { numRuns: 300 },
    );
  });

  it('opposite positions never create collateral in total (the rounding only destroys)', () => {
    fc.assert(
      fc.property(positionArb, marketArb, (p, m) => {
        const mirror = { ...p, assets: p.assets.map((a) => ({ ...a, balance: -a.balance })) };
        const total = applyFunding(p, m.fundingIndices).collateral + applyFunding(mirror, m.fundingIndices).collateral;
        expect(total <= 2n * p.collateral).toBe(true);
        expect(total >= 2n * p.collateral - 1n).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('escape amount (verifier formula, floor-rounded funding term) equals floor(TV) of the funded position', () => {
    fc.assert(
      fc.property(positionArb, marketArb, (p, m) => {
        const funded = applyFunding(p, m.fundingIndices);
        expect(escapeAmount(p, m)).toBe(floorDiv(totalValue(funded, m.oraclePrices), FXP_32_ONE));
      }),
      { numRuns: 300 },
    );
  });
});
