import { RangeCheckError, TypeCheckError } from '../errors.js';
import type { StarkExDeployment } from '../l1/deployment.js';
import { dydxMarket, dydxMarketTable } from '../messages/dydx-markets.js';
import { FXP_32_ONE } from './fixed-point.js';
import { riskFactorFromFraction } from './oracle-price.js';
import { marketNameOf, riskPresetOf } from './presets.js';
import type { RiskParams, SyntheticRiskConfig } from './risk-config.js';

/*
 * The risk-parameters settings form (issue 17): per market, the maintenance margin fraction (the
 * program's risk factor, signing-risk.md B3) the deployment ships with and the user's own value.
 * What is saved is the user's configuration only; approval and exit lay it over the preset
 * (`effectiveRiskParams`), so an edited market wins and every other keeps the preset.
 */

/** A factor as a decimal fraction, six places, trailing zeros dropped: 128849018 → "0.03". */
export function fractionOfRiskFactor(riskFactor: bigint): string {
  const micro = (riskFactor * 1_000_000n + FXP_32_ONE / 2n) / FXP_32_ONE;
  const s = `${micro / 1_000_000n}.${(micro % 1_000_000n).toString().padStart(6, '0')}`;
  return s.replace(/\.?0+$/, '');
}

export type RiskFormRow = {
  market: string;
  assetId: bigint;
  /** The deployment's factor as a fraction; absent when the deployment ships none for this market. */
  preset?: string;
  /** The user's saved factor as a fraction; absent when the market follows the preset. */
  mine?: string;
};

const single = (a: SyntheticRiskConfig): bigint | undefined => ('riskFactor' in a ? a.riskFactor : undefined);

/** One row per market of the preset or of the user's configuration (single factors), sorted by name. */
export function riskFormRows(user: RiskParams | undefined, deployment: StarkExDeployment | undefined): RiskFormRow[] {
  const rows = new Map<bigint, RiskFormRow>();
  const row = (assetId: bigint) => {
    const market = marketNameOf(assetId);
    if (market === undefined) return undefined;
    const r = rows.get(assetId) ?? { market, assetId };
    rows.set(assetId, r);
    return r;
  };
  const preset = riskPresetOf(deployment)?.assets ?? [];
  for (const a of preset) {
    const f = single(a);
    const r = row(a.assetId);
    if (r && f !== undefined) r.preset = fractionOfRiskFactor(f);
  }
  // A deployment that ships none (a custom one): every dYdX market, for the user to fill in.
  if (preset.length === 0) for (const m of Object.values(dydxMarketTable(1).markets)) row(m.syntheticAssetId);
  for (const a of user?.assets ?? []) {
    const f = single(a);
    const r = row(a.assetId);
    if (r && f !== undefined) r.mine = fractionOfRiskFactor(f);
  }
  return [...rows.values()].sort((a, b) => a.market.localeCompare(b.market));
}

const FRACTION = /^(0?\.\d{1,9}|0|1)$/;
const FRACTION_FORM =
  'a maintenance margin fraction, a decimal above 0 and below 1 (e.g. 0.03), or empty for the preset';

/**
 * The user's risk configuration from the form: `values` maps a market name to what was typed.
 * Empty, or the preset's own value, means "follow the preset" (nothing saved for that market).
 * Entries of `old` the form does not show (step functions, unknown assets) are kept. An error
 * names the market's field, the value and the allowed form.
 */
export function riskParamsFromForm(
  values: Record<string, unknown>,
  old: RiskParams | undefined,
  deployment: StarkExDeployment | undefined,
): RiskParams {
  const preset = new Map(riskFormRows(undefined, deployment).map((r) => [r.market, r.preset]));
  const edited = new Map<bigint, SyntheticRiskConfig>();
  for (const [market, raw] of Object.entries(values)) {
    const field = `risk.${market}`;
    let assetId: bigint;
    try {
      assetId = dydxMarket(market).syntheticAssetId;
    } catch {
      throw new RangeCheckError(field, market, 'a dYdX market name such as ETH-USD');
    }
    if (typeof raw !== 'string') throw new TypeCheckError(field, raw, FRACTION_FORM);
    const v = raw.trim();
    if (v === '' || v === preset.get(market)) {
      edited.set(assetId, { assetId, riskFactor: 0n }); // marker: follow the preset
      continue;
    }
    if (!FRACTION.test(v) || Number(v) <= 0 || Number(v) >= 1) throw new RangeCheckError(field, raw, FRACTION_FORM);
    let riskFactor: bigint;
    try {
      riskFactor = riskFactorFromFraction(v);
    } catch {
      throw new RangeCheckError(field, raw, FRACTION_FORM);
    }
    edited.set(assetId, { assetId, riskFactor });
  }
  const kept = (old?.assets ?? []).filter((a) => !edited.has(a.assetId));
  const mine = [...edited.values()].filter((a) => single(a) !== 0n);
  const out: RiskParams = { assets: [...kept, ...mine] };
  if (old?.isRiskByBalanceOnly !== undefined) out.isRiskByBalanceOnly = old.isRiskByBalanceOnly;
  return out;
}
