import { checkArray, checkObject } from '../checks.js';
import { TypeCheckError } from '../errors.js';
import { missingAssetData, duplicateAssetId, RiskInputError, RiskFactorSegmentError } from './errors.js';
import { RISK_FACTOR_UPPER_BOUND, hexId } from './fixed-point.js';

/*
 * Risk factors (signing-risk.md B1.1, stark-perpetual `definitions/general_config.cairo`).
 * A risk factor is unsigned 0.32 fixed point, `1 <= risk < 2^32`; StarkWare documents it as the
 * maintenance margin fraction.
 */

/** One step of the v3.2 risk function: `risk` applies to amounts in (previous upperBound, upperBound]. */
export type RiskFactorSegment = { upperBound: bigint; risk: bigint };

/**
 * Per-asset risk configuration (`SyntheticAssetInfo`): a single factor (program v1.0–v3.1, what
 * dYdX v3 ran, §0.2) or the v3.2 step function.
 */
export type SyntheticRiskConfig =
  | { assetId: bigint; riskFactor: bigint }
  | { assetId: bigint; riskFactorSegments: readonly RiskFactorSegment[] };

export type RiskParams = {
  assets: readonly SyntheticRiskConfig[];
  /**
   * v3.2 `is_risk_by_balance_only`: select the segment by |balance| (true) or by |balance|·price, a
   * .32 amount of collateral quanta (false, the default). Irrelevant for single factors.
   */
  isRiskByBalanceOnly?: boolean;
};

/** A validated risk configuration of one asset. */
export type AssetRisk = { kind: 'single'; risk: bigint } | { kind: 'segments'; segments: readonly RiskFactorSegment[] };

export type RiskTable = { byAsset: ReadonlyMap<bigint, AssetRisk>; isRiskByBalanceOnly: boolean };

function checkRisk(field: string, risk: bigint): void {
  if (typeof risk !== 'bigint') throw new TypeCheckError(field, risk, 'bigint');
  if (risk < 1n || risk >= RISK_FACTOR_UPPER_BOUND) throw new RiskInputError(field, risk, `1 <= ${field} < 2^32`);
}

/** Validates `params` and indexes it by asset id. */
export function riskTable(params: RiskParams): RiskTable {
  checkArray('riskParams.assets', checkObject('riskParams', params, '{ assets: [...] }').assets);
  const byAsset = new Map<bigint, AssetRisk>();
  // Array.from turns holes into undefined, which must fail rather than be skipped by forEach.
  Array.from(params.assets as RiskParams['assets']).forEach((a: SyntheticRiskConfig | undefined, i) => {
    if (a === null || typeof a !== 'object') throw new TypeCheckError(`riskParams.assets[${i}]`, a, 'an object');
    if (byAsset.has(a.assetId)) throw duplicateAssetId('riskParams.assets', a.assetId);
    const f = `riskParams.assets[${i}]`;
    if ('riskFactor' in a) {
      checkRisk(`${f}.riskFactor`, a.riskFactor);
      byAsset.set(a.assetId, { kind: 'single', risk: a.riskFactor });
      return;
    }
    const segs = a.riskFactorSegments;
    checkArray(`${f}.riskFactorSegments`, segs);
    if (segs.length === 0) throw new RiskFactorSegmentError(`${f}.riskFactorSegments.length`, 0, '>= 1');
    let previous = -1n;
    Array.from(segs).forEach((s: RiskFactorSegment | undefined, k) => {
      if (s === null || typeof s !== 'object')
        throw new TypeCheckError(`${f}.riskFactorSegments[${k}]`, s, 'an object');
      checkRisk(`${f}.riskFactorSegments[${k}].risk`, s.risk);
      if (typeof s.upperBound !== 'bigint' || s.upperBound <= previous) {
        throw new RiskFactorSegmentError(
          `${f}.riskFactorSegments[${k}].upperBound`,
          s.upperBound,
          `> ${previous} (strictly ascending, >= 0)`,
        );
      }
      previous = s.upperBound;
    });
    byAsset.set(a.assetId, { kind: 'segments', segments: segs.map((s) => ({ ...s })) });
  });
  return { byAsset, isRiskByBalanceOnly: params.isRiskByBalanceOnly === true };
}

export function assetRiskOf(table: RiskTable, assetId: bigint): AssetRisk {
  const r = table.byAsset.get(assetId);
  if (r === undefined) throw missingAssetData('riskParams.assets', assetId);
  return r;
}

/** The amount a v3.2 segment is selected by: |balance|, or |balance|·price (.32 collateral). */
export function riskAmount(table: RiskTable, absBalance: bigint, price: bigint): bigint {
  return table.isRiskByBalanceOnly ? absBalance : absBalance * price;
}

/**
 * `get_risk_factor`: the risk of the first segment with `amount <= upperBound`; it applies to the
 * whole holding, not marginally. An amount above the last bound cannot be proven (throws).
 */
export function riskFactorFor(table: RiskTable, assetId: bigint, absBalance: bigint, price: bigint): bigint {
  const r = assetRiskOf(table, assetId);
  if (r.kind === 'single') return r.risk;
  const amount = riskAmount(table, absBalance, price);
  for (const s of r.segments) if (amount <= s.upperBound) return s.risk;
  const last = r.segments[r.segments.length - 1]!.upperBound;
  throw new RiskFactorSegmentError(
    `risk amount of ${hexId(assetId)}`,
    amount,
    `<= ${last} (the last segment's upper bound)`,
  );
}
