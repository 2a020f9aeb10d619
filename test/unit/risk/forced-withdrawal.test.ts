import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FXP_32_ONE,
  adverseState,
  applyFunding,
  forcedWithdrawalVerdict,
  maxForcedWithdrawal,
  maxSafeForcedWithdrawal,
  positionStatus,
  type Position,
  type RiskParams,
} from '../../helpers/core.js';
import { ASSET_IDS, STARK_KEY, anyRiskArb, marketArb, positionArb, singleRiskArb, type Market } from './arbitraries.js';

const floorDiv = (n: bigint, d: bigint) => (n >= 0n ? n / d : -((-n + d - 1n) / d));

/** A forced withdrawal is valid under `m` iff the program's verdict is SUCCESS. */
const valid = (p: Position, amount: bigint, m: Market, risk: RiskParams) =>
  forcedWithdrawalVerdict(p, p.starkKey, amount, m, risk) === 'SUCCESS';

describe('forced withdrawal judgement (B2.1)', () => {
  it('the largest valid amount is valid and one quantum more is not; it equals max(0, floor(TV − TR))', () => {
    fc.assert(
      fc.property(positionArb, marketArb, anyRiskArb, (p, m, risk) => {
        const a = maxForcedWithdrawal(p, m, risk);
        expect(valid(p, a, m, risk)).toBe(true);
        expect(valid(p, a + 1n, m, risk)).toBe(false);
        const s = positionStatus(applyFunding(p, m.fundingIndices), m.oraclePrices, risk);
        const formula = floorDiv(s.totalValue * FXP_32_ONE - s.totalRisk, FXP_32_ONE * FXP_32_ONE);
        expect(a).toBe(formula > 0n ? formula : 0n);
      }),
      { numRuns: 300 },
    );
  });

  it('a zero request is valid for the owner; any request by another key is not', () => {
    fc.assert(
      fc.property(positionArb, marketArb, singleRiskArb, (p, m, risk) => {
        expect(valid(p, 0n, m, risk)).toBe(true);
        expect(forcedWithdrawalVerdict(p, STARK_KEY + 1n, 0n, m, risk)).toBe('INVALID_PUBLIC_KEY');
      }),
      { numRuns: 100 },
    );
  });

  it('is capped by the balance bound: collateral may not go below −2^63', () => {
    const p: Position = { starkKey: STARK_KEY, collateral: -(1n << 62n), assets: [] };
    // TR = 0 and TV < 0: nothing is withdrawable; a position with huge TV is capped by collateral + 2^63.
    expect(maxForcedWithdrawal(p, { oraclePrices: [], fundingIndices: [] }, { assets: [] })).toBe(0n);
    // TV = −2^63 + 1 + 3·2^62 = 2^62 + 1 (in range) but the collateral can only drop by 1.
    const rich: Position = {
      starkKey: STARK_KEY,
      collateral: -(1n << 63n) + 1n,
      assets: [{ assetId: ASSET_IDS[0]!, balance: 1n << 62n, cachedFundingIndex: 0n }],
    };
    const m = {
      oraclePrices: [{ assetId: ASSET_IDS[0]!, price: 3n * FXP_32_ONE }],
      fundingIndices: [{ assetId: ASSET_IDS[0]!, fundingIndex: 0n }],
    };
    const risk = { assets: [{ assetId: ASSET_IDS[0]!, riskFactor: 1n }] };
    const a = maxForcedWithdrawal(rich, m, risk);
    expect(a).toBe(1n);
    expect(forcedWithdrawalVerdict(rich, STARK_KEY, a + 1n, m, risk)).toBe('OUT_OF_RANGE_BALANCE');
  });

  it('withdrawing from a position with no synthetics: up to its collateral; more fails with NO_RISK_REDUCED_VALUE', () => {
    const p: Position = { starkKey: STARK_KEY, collateral: 5n, assets: [] };
    const m = { oraclePrices: [], fundingIndices: [] };
    expect(maxForcedWithdrawal(p, m, { assets: [] })).toBe(5n);
    expect(forcedWithdrawalVerdict(p, STARK_KEY, 6n, m, { assets: [] })).toBe(
      'ILLEGAL_POSITION_TRANSITION_NO_RISK_REDUCED_VALUE',
    );
  });
});

describe('largest forced withdrawal under an adverse scenario (B2.1 operator latitude)', () => {
  const bpsArb = fc.bigInt({ min: 0n, max: 3000n });

  it('is valid at every price within the margin (random prices in the box) and exact at the worst state', () => {
    fc.assert(
      fc.property(
        positionArb,
        marketArb,
        anyRiskArb,
        bpsArb,
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 4, maxLength: 4 }),
        (p, m, risk, bps, draws) => {
          const { amount, state } = maxSafeForcedWithdrawal(p, m, risk, { adverseMoveBps: bps });
          expect(valid(p, amount, state, risk)).toBe(true);
          expect(valid(p, amount + 1n, state, risk)).toBe(false);
          // Any price inside [p·(1 − bps), p·(1 + bps)] for every held asset.
          const moved = {
            ...m,
            oraclePrices: m.oraclePrices.map((x, i) => {
              if (!p.assets.some((a) => a.assetId === x.assetId)) return x;
              const lo = (x.price * (10_000n - bps)) / 10_000n || 1n;
              const hi = (x.price * (10_000n + bps)) / 10_000n;
              return { assetId: x.assetId, price: lo + ((hi - lo) * BigInt(draws[i]!)) / 1_000_000n };
            }),
          };
          expect(valid(p, amount, moved, risk)).toBe(true);
          expect(amount <= maxForcedWithdrawal(p, m, risk)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('with a funding projection: valid under any funding a tick may apply within the rate bound', () => {
    fc.assert(
      fc.property(
        positionArb,
        marketArb,
        singleRiskArb,
        bpsArb,
        fc.bigInt({ min: 0n, max: 1n << 20n }),
        fc.bigInt({ min: 0n, max: 86_400n }),
        fc.array(fc.integer({ min: -1_000_000, max: 1_000_000 }), { minLength: 4, maxLength: 4 }),
        (p, m, risk, bps, rate, seconds, draws) => {
          const { amount } = maxSafeForcedWithdrawal(p, m, risk, {
            adverseMoveBps: bps,
            maxFundingRate: rate,
            elapsedSeconds: seconds,
          });
          // Funding moves of any size and sign allowed by |Δ|·2^32 <= rate·price·Δt, at the current prices.
          const funded = {
            ...m,
            fundingIndices: m.fundingIndices.map((f, i) => {
              const price = m.oraclePrices[i]!.price;
              const maxStep = (rate * price * seconds) / FXP_32_ONE;
              return { assetId: f.assetId, fundingIndex: f.fundingIndex + (maxStep * BigInt(draws[i]!)) / 1_000_000n };
            }),
          };
          expect(valid(p, amount, funded, risk)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('moves only held assets, a long down and a short up (single risk factor)', () => {
    const [btc, doge, eth] = ASSET_IDS as [bigint, bigint, bigint];
    const p: Position = {
      starkKey: STARK_KEY,
      collateral: 0n,
      assets: [
        { assetId: btc, balance: 10n, cachedFundingIndex: 0n },
        { assetId: eth, balance: -10n, cachedFundingIndex: 0n },
      ],
    };
    const m = {
      oraclePrices: [btc, doge, eth].map((assetId) => ({ assetId, price: 10_000n })),
      fundingIndices: [btc, doge, eth].map((assetId) => ({ assetId, fundingIndex: 0n })),
    };
    const risk = { assets: [btc, doge, eth].map((assetId) => ({ assetId, riskFactor: 1000n })) };
    const s = adverseState(p, m, risk, { adverseMoveBps: 500n, maxFundingRate: FXP_32_ONE, elapsedSeconds: 2n });
    expect(s.oraclePrices.map((x) => x.price)).toEqual([9_500n, 10_000n, 10_500n]);
    // max step = rate·hi·Δt/2^32 = 10 500·2: the long's index rises, the short's falls.
    expect(s.fundingIndices.map((x) => x.fundingIndex)).toEqual([21_000n, 0n, -21_000n]);
  });
});
