import { describe, expect, it } from 'vitest';
import {
  applyFunding,
  checkValidTransition,
  escapeAmount,
  externalPriceFromDecimal,
  forcedWithdrawalVerdict,
  internalOraclePrice,
  isDeleveragable,
  isLiquidatable,
  isWellLeveraged,
  maxForcedWithdrawal,
  parseRatio,
  positionRiskReport,
  positionStatus,
  riskFactorFromFraction,
  totalRisk,
  totalValue,
  updatePosition,
} from '../../helpers/core.js';
import { readVector } from '../../helpers/vectors.js';
import {
  SYNTHETICS,
  USDC_RESOLUTION,
  toIndices,
  toPosition,
  toPrices,
  toRiskParams,
  type VectorCase,
  type VectorPosition,
} from './vector-helpers.js';

type Derived = {
  price_conversion: {
    synthetic_resolution: string;
    collateral_resolution: string;
    external_price_1e18: string;
    external_price_usd: string;
    internal_price_32_32: string;
  }[];
  risk_factor_examples: Record<string, string>;
  cases: VectorCase[];
  transitions: {
    label: string;
    initial: VectorPosition;
    collateral_delta_usdc: string;
    synthetic: string;
    synthetic_delta: string;
    oracle_prices_usd: Record<string, string>;
    initial_tv_rep: string;
    initial_tr_rep: string;
    result: string;
  }[];
};

const load = () => readVector<Derived>('risk/derived_risk_cases.json');

/** Human decimal × resolution, exactly (the vectors' USD / size deltas). */
function quantums(text: string, resolution: bigint): bigint {
  const r = parseRatio('amount', text);
  const q = r.num * resolution;
  expect(q % r.den).toBe(0n);
  return q / r.den;
}

describe(`risk/derived_risk_cases.json`, () => {
  it('price conversions: 6 internal 32.32 prices from external 10^18 prices', () => {
    const { price_conversion } = load();
    expect(price_conversion.length).toBe(6);
    for (const c of price_conversion) {
      expect(externalPriceFromDecimal(c.external_price_usd)).toBe(BigInt(c.external_price_1e18));
      const p = internalOraclePrice(
        BigInt(c.external_price_1e18),
        BigInt(c.synthetic_resolution),
        BigInt(c.collateral_resolution),
      );
      expect(p).toBe(BigInt(c.internal_price_32_32));
    }
  });

  it('risk factor examples: floor(fraction·2^32)', () => {
    const { risk_factor_examples } = load();
    for (const [fraction, risk] of Object.entries(risk_factor_examples))
      expect(riskFactorFromFraction(fraction)).toBe(BigInt(risk));
  });

  it('9 position cases: funding, TV, TR, flags, A_max, verdicts, escape amount', () => {
    const { cases } = load();
    expect(cases.length).toBe(9);
    for (const c of cases) {
      const position = toPosition(c.position_before_funding);
      const state = {
        oraclePrices: toPrices(c.oracle_prices_internal),
        fundingIndices: toIndices(c.global_funding_indices),
      };
      const risk = toRiskParams(c.risk_config, c.is_risk_by_balance_only);
      const funded = applyFunding(position, state.fundingIndices);
      const ctx = c.label;
      expect(funded.collateral, ctx).toBe(BigInt(c.funded_collateral));
      expect(totalValue(funded, state.oraclePrices), ctx).toBe(BigInt(c.total_value_rep_32));
      expect(totalRisk(funded, state.oraclePrices, risk), ctx).toBe(BigInt(c.total_risk_rep_64));
      expect(positionStatus(funded, state.oraclePrices, risk).returnCode, ctx).toBe(c.status_code);
      expect(isWellLeveraged(funded, state.oraclePrices, risk), ctx).toBe(c.well_leveraged);
      expect(isLiquidatable(funded, state.oraclePrices, risk), ctx).toBe(c.liquidatable);
      expect(isDeleveragable(funded, state.oraclePrices), ctx).toBe(c.deleveragable);
      expect(maxForcedWithdrawal(position, state, risk), ctx).toBe(BigInt(c.max_valid_forced_withdrawal_quantums));
      expect(c.forced_withdrawal_checks.length).toBe(4);
      for (const chk of c.forced_withdrawal_checks) {
        expect(
          forcedWithdrawalVerdict(position, position.starkKey, BigInt(chk.amount), state, risk),
          `${ctx} amount ${chk.amount}`,
        ).toBe(chk.result);
      }
      expect(escapeAmount(position, state), ctx).toBe(BigInt(c.escape_amount_quantums));
      const report = positionRiskReport(position, state, risk);
      expect(report.escapeAmount).toBe(BigInt(c.escape_amount_quantums));
      expect(report.maxForcedWithdrawal).toBe(BigInt(c.max_valid_forced_withdrawal_quantums));
      expect(report.liquidatable).toBe(c.liquidatable);
    }
  });

  it('5 trade-leg transitions: update_position verdicts and initial TV/TR', () => {
    const { transitions, risk_factor_examples } = load();
    expect(transitions.length).toBe(5);
    const risk = {
      assets: Object.values(SYNTHETICS).map(({ assetId }) => ({
        assetId,
        riskFactor: BigInt(risk_factor_examples['0.03']!),
      })),
    };
    for (const t of transitions) {
      const position = toPosition(t.initial);
      const oraclePrices = Object.entries(t.oracle_prices_usd).map(([sym, usd]) => ({
        assetId: SYNTHETICS[sym]!.assetId,
        price: internalOraclePrice(externalPriceFromDecimal(usd), SYNTHETICS[sym]!.resolution, USDC_RESOLUTION),
      }));
      const fundingIndices = Object.values(SYNTHETICS).map(({ assetId }) => ({ assetId, fundingIndex: 0n }));
      expect(totalValue(position, oraclePrices), t.label).toBe(BigInt(t.initial_tv_rep));
      expect(totalRisk(position, oraclePrices, risk), t.label).toBe(BigInt(t.initial_tr_rep));
      const syn = SYNTHETICS[t.synthetic]!;
      const result = updatePosition(
        position,
        {
          requestPublicKey: position.starkKey,
          collateralDelta: quantums(t.collateral_delta_usdc, USDC_RESOLUTION),
          syntheticAssetId: syn.assetId,
          syntheticDelta: quantums(t.synthetic_delta, syn.resolution),
        },
        { oraclePrices, fundingIndices },
        risk,
      );
      expect(result.returnCode, t.label).toBe(t.result);
      // The pure transition rule gives the same verdict on the raw before/after pair.
      if (result.returnCode === 'SUCCESS')
        expect(checkValidTransition(result.funded, result.updated, oraclePrices, risk)).toBe('SUCCESS');
      else expect(result.updated).toEqual(result.funded);
    }
  });
});
