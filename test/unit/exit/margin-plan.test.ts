import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ExitInputError,
  ForcedWithdrawalRefusedError,
  applyFunding,
  forcedWithdrawalVerdict,
  marginView,
  maxForcedWithdrawal,
  maxSafeForcedWithdrawal,
  planForcedWithdrawal,
  type SharedState,
} from '../../helpers/core.js';
import { readVector } from '../../helpers/vectors.js';
import {
  marginInputs,
  toIndices,
  toPosition,
  toPrices,
  toRiskParams,
  type VectorCase,
} from '../risk/vector-helpers.js';

// Margin view and forced-withdrawal planning (issue 10; signing-risk.md B1–B2) on the derived risk cases.

const cases = (): VectorCase[] => readVector<{ cases: VectorCase[] }>('risk/derived_risk_cases.json').cases;
const basis = { sequenceNumber: 41n, batchId: 40n, blockNumber: 1234n };

const inputs = marginInputs;

describe(`margin view on the derived risk cases`, () => {
  it('reproduces every case: funded collateral, TV, TR, A_max, escape amount, and names its basis', () => {
    for (const c of cases()) {
      const v = marginView(inputs(c));
      expect(v.basis, c.label).toEqual({ ...basis, systemTime: 1_700_000_123n });
      expect(v.collateral, c.label).toBe(BigInt(c.funded_collateral));
      expect(v.totalValueRep, c.label).toBe(BigInt(c.total_value_rep_32));
      expect(v.totalRiskRep, c.label).toBe(BigInt(c.total_risk_rep_64));
      expect(v.liquidatable, c.label).toBe(c.liquidatable);
      expect(v.maxForcedWithdrawal ?? 0n, c.label).toBe(BigInt(c.max_valid_forced_withdrawal_quantums));
      expect(v.escapeAmount, c.label).toBe(BigInt(c.escape_amount_quantums));
      expect(v.escapePayable, c.label).toBe(BigInt(c.escape_amount_quantums) > 0n);
      // Margin ratio TV/TR >= 1 exactly when well-leveraged.
      if (v.marginRatio) expect(v.marginRatio.num >= v.marginRatio.den, c.label).toBe(c.well_leveraged);
      else expect(v.totalRiskRep, c.label).toBe(0n);
      expect(
        v.synthetics.map((s) => s.assetId),
        c.label,
      ).toEqual(v.synthetics.map((s) => s.assetId).sort((a, b) => (a < b ? -1 : 1)));
    }
  });

  it("shows each synthetic in a trader's units: market name, balance in the asset's units, the vector's USD price (issue 17 item 2)", () => {
    let lines = 0;
    for (const c of cases()) {
      const usd = (c as unknown as { oracle_prices_usd: Record<string, string> }).oracle_prices_usd;
      for (const s of marginView(inputs(c)).synthetics) {
        // dYdX synthetic asset ids are ASCII "<SYMBOL>-<resolution>" (signing-risk.md A2).
        const ascii = Buffer.from(s.assetId.toString(16), 'hex').toString('latin1').replace(/\0+$/, '');
        const [symbol, res] = ascii.split('-') as [string, string];
        expect(s.shown, c.label).toBeDefined();
        expect(s.shown!.market, c.label).toBe(`${symbol}-USD`);
        expect(BigInt(s.shown!.balance.replace('.', '')), c.label).toBe(s.balance); // balance / 10^res, exactly
        expect(s.shown!.balance.split('.')[1]?.length ?? 0, c.label).toBe(Number(res));
        expect(Math.abs(Number(s.shown!.priceUsd) - Number(usd[symbol])), c.label).toBeLessThanOrEqual(0.005);
        lines++;
      }
    }
    expect(lines).toBeGreaterThan(5);
  });

  it('btc_long_healthy: the 5% safe amount is below A_max and is valid at the adverse prices', () => {
    const c = cases().find((x) => x.label === 'btc_long_healthy')!;
    const i = inputs(c);
    const v = marginView(i);
    const safe = v.safeForcedWithdrawal.amount!;
    expect(v.safeForcedWithdrawal.adverseMoveBps).toBe(500n);
    expect(safe).toBeLessThan(v.maxForcedWithdrawal!);
    const worst = maxSafeForcedWithdrawal(i.position, i.sharedState, i.riskParams, { adverseMoveBps: 500n }).state;
    expect(forcedWithdrawalVerdict(i.position, i.position.starkKey, safe, worst, i.riskParams)).toBe('SUCCESS');
    expect(forcedWithdrawalVerdict(i.position, i.position.starkKey, safe + 1n, worst, i.riskParams)).not.toBe(
      'SUCCESS',
    );
    // The liquidation price is the first liquidatable price below the current one for a long.
    const line = v.synthetics[0]!;
    expect(line.liquidationPrice).not.toBeNull();
    expect(line.liquidationPrice!).toBeLessThan(line.price);
    expect(marginView({ ...i, adverseMoveBps: 0n }).safeForcedWithdrawal.amount).toBe(v.maxForcedWithdrawal);
  });
});

describe('forced-withdrawal planning refuses invalid amounts and says why', () => {
  const healthy = () => inputs(cases().find((x) => x.label === 'btc_long_healthy')!);

  it('accepts 0 and the safe maximum, with the premium option carried through', () => {
    const i = healthy();
    const safe = marginView(i).safeForcedWithdrawal.amount!;
    for (const amount of [0n, 1n, safe]) {
      const plan = planForcedWithdrawal({ ...i, starkKey: i.position.starkKey, amount, premiumCost: true });
      expect(plan.request).toEqual({
        starkKey: i.position.starkKey,
        positionId: 7n,
        quantizedAmount: amount,
        premiumCost: true,
      });
      expect(plan.safeMaximum).toBe(safe);
    }
  });

  it('refuses above A_max as invalid-now with the return code, and between safe and A_max as unsafe', () => {
    const i = healthy();
    const max = maxForcedWithdrawal(i.position, i.sharedState, i.riskParams);
    const over = (() => {
      try {
        planForcedWithdrawal({ ...i, starkKey: i.position.starkKey, amount: max + 1n });
      } catch (e) {
        return e;
      }
    })() as ForcedWithdrawalRefusedError;
    expect(over).toBeInstanceOf(ForcedWithdrawalRefusedError);
    expect(over.reason).toBe('invalid-now');
    const c = cases().find((x) => x.label === 'btc_long_healthy')!;
    expect(over.returnCode).toBe(c.forced_withdrawal_checks.find((k) => BigInt(k.amount) === max + 1n)!.result);
    expect(over.message).toMatch(/batch 40/);
    expect(() => planForcedWithdrawal({ ...i, starkKey: i.position.starkKey, amount: max })).toThrow(
      expect.objectContaining({ name: 'ForcedWithdrawalRefusedError', reason: 'unsafe-under-adverse-prices' }),
    );
  });

  it('refuses a liquidatable position any positive amount, the wrong key, a frozen exchange, and out-of-range input', () => {
    const liq = inputs(cases().find((x) => x.label === 'btc_long_liquidatable')!);
    expect(() => planForcedWithdrawal({ ...liq, starkKey: liq.position.starkKey, amount: 1n })).toThrow(
      expect.objectContaining({ reason: 'invalid-now' }),
    );
    expect(planForcedWithdrawal({ ...liq, starkKey: liq.position.starkKey, amount: 0n }).safeMaximum).toBe(0n);
    const i = healthy();
    expect(() => planForcedWithdrawal({ ...i, starkKey: i.position.starkKey + 1n, amount: 0n })).toThrow(
      expect.objectContaining({ reason: 'not-position-owner', returnCode: 'INVALID_PUBLIC_KEY' }),
    );
    expect(() => planForcedWithdrawal({ ...i, starkKey: i.position.starkKey, amount: 0n, frozen: true })).toThrow(
      expect.objectContaining({ reason: 'exchange-frozen' }),
    );
    expect(() => planForcedWithdrawal({ ...i, starkKey: i.position.starkKey, amount: 1n << 64n })).toThrow(
      ExitInputError,
    );
    expect(() => planForcedWithdrawal({ ...i, starkKey: i.position.starkKey, amount: -1n })).toThrow(ExitInputError);
    expect(() =>
      planForcedWithdrawal({ ...i, starkKey: i.position.starkKey, amount: 0n, positionId: 1n << 64n }),
    ).toThrow(ExitInputError);
    expect(() => marginView({ ...i, adverseMoveBps: 10_001n })).toThrow(ExitInputError);
  });

  it('property: a planned amount is valid at the verified prices and at every adverse price within the margin', () => {
    const i = healthy();
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2_000_000_000n }), fc.bigInt({ min: 0n, max: 2000n }), (amount, bps) => {
        let plan;
        try {
          plan = planForcedWithdrawal({ ...i, starkKey: i.position.starkKey, amount, adverseMoveBps: bps });
        } catch (e) {
          expect(e).toBeInstanceOf(ForcedWithdrawalRefusedError);
          return;
        }
        expect(forcedWithdrawalVerdict(i.position, i.position.starkKey, amount, i.sharedState, i.riskParams)).toBe(
          'SUCCESS',
        );
        const worst = maxSafeForcedWithdrawal(i.position, i.sharedState, i.riskParams, { adverseMoveBps: bps }).state;
        expect(
          forcedWithdrawalVerdict(i.position, i.position.starkKey, plan.request.quantizedAmount, worst, i.riskParams),
        ).toBe('SUCCESS');
      }),
      { numRuns: 60 },
    );
    expect(applyFunding(i.position, i.sharedState.fundingIndices).collateral).toBe(marginView(i).collateral);
  });
});
