import { checkArray, checkBigint, checkBoolean, checkObject } from '../checks.js';
import { dydxMarket, dydxMarketTable } from '../messages/dydx-markets.js';
import type { StarkExDeployment } from '../l1/deployment.js';
import { riskFactorFromFraction } from './oracle-price.js';
import { riskTable, type RiskParams, type SyntheticRiskConfig } from './risk-config.js';

/*
 * The risk parameters a known deployment ships with (issue 17 item 1): a fresh wallet shows margin
 * figures without anyone typing risk factors in.
 *
 * dYdX v3 mainnet: the maintenance margin fraction of each market (the program's risk factor,
 * signing-risk.md B3 "Mapping to StarkEx"), floored to 0.32 fixed point. Provenance:
 * `test/vectors/risk/dydx_v3_market_params.json`, snapshot "2022-02-11" (a cached
 * `GET https://api.dydx.exchange/v3/markets` response, unofficial: see that file's description),
 * plus CELO-USD from its "2023-06-14" snapshot. dYdX never published the risk factors themselves
 * (they are committed on-chain only as configuration hashes, B2.3); the user's own risk
 * configuration, when saved, wins over these.
 *
 * The devnet: its operator's market configuration (devnet/operator/config.ts), carried in the
 * deployment itself (`StarkExDeployment.riskParams`, set by whoever builds the devnet deployment).
 */
const DYDX_V3_MAINNET_MMF: readonly (readonly [market: string, mmf: string])[] = [
  ['1INCH-USD', '0.05'],
  ['AAVE-USD', '0.05'],
  ['ADA-USD', '0.05'],
  ['ALGO-USD', '0.05'],
  ['ATOM-USD', '0.05'],
  ['AVAX-USD', '0.05'],
  ['BCH-USD', '0.05'],
  ['BTC-USD', '0.03'],
  ['CELO-USD', '0.05'],
  ['COMP-USD', '0.05'],
  ['CRV-USD', '0.05'],
  ['DOGE-USD', '0.05'],
  ['DOT-USD', '0.05'],
  ['EOS-USD', '0.05'],
  ['ETH-USD', '0.03'],
  ['FIL-USD', '0.05'],
  ['LINK-USD', '0.05'],
  ['LTC-USD', '0.05'],
  ['MATIC-USD', '0.05'],
  ['MKR-USD', '0.05'],
  ['SNX-USD', '0.05'],
  ['SOL-USD', '0.05'],
  ['SUSHI-USD', '0.05'],
  ['UMA-USD', '0.05'],
  ['UNI-USD', '0.05'],
  ['XMR-USD', '0.05'],
  ['YFI-USD', '0.05'],
  ['ZEC-USD', '0.05'],
  ['ZRX-USD', '0.05'],
];

export const DYDX_V3_MAINNET_RISK_PARAMS: RiskParams = Object.freeze({
  assets: Object.freeze(
    DYDX_V3_MAINNET_MMF.map(([market, mmf]) =>
      Object.freeze({ assetId: dydxMarket(market).syntheticAssetId, riskFactor: riskFactorFromFraction(mmf) }),
    ),
  ),
});

/** The risk parameters a deployment ships with: built in for dYdX v3 mainnet, carried by the deployment otherwise. */
export function riskPresetOf(deployment: StarkExDeployment | undefined): RiskParams | undefined {
  if (!deployment) return undefined;
  if (deployment.id === 'dydx-mainnet' && deployment.chainId === 1) return DYDX_V3_MAINNET_RISK_PARAMS;
  return deployment.riskParams;
}

export type RiskParamsSource = 'user' | 'preset' | 'user+preset' | 'none';
export type EffectiveRiskParams = { params: RiskParams; source: RiskParamsSource };

/**
 * The risk parameters approval and exit both use (one rule): the user's saved configuration, else
 * the preset of the configured deployment. Asset by asset: a user who configured one market keeps
 * the preset's factors for the others; the user's entry wins where both have one. An empty saved
 * configuration (what a fresh wallet stores) is no configuration. Both are validated here: an
 * error names the field, the value and the allowed range.
 */
export function effectiveRiskParams(
  user: RiskParams | undefined,
  deployment: StarkExDeployment | undefined,
): EffectiveRiskParams {
  const own = user && user.assets.length > 0 ? user : undefined;
  const preset = riskPresetOf(deployment);
  if (own) riskTable(own);
  if (preset) riskTable(preset);
  if (!own && !preset) return { params: { assets: [] }, source: 'none' };
  if (!own) return { params: preset!, source: 'preset' };
  if (!preset) return { params: own, source: 'user' };
  const mine = new Set(own.assets.map((a) => a.assetId));
  const added: SyntheticRiskConfig[] = preset.assets.filter((a) => !mine.has(a.assetId));
  const params: RiskParams = { assets: [...own.assets, ...added] };
  if (own.isRiskByBalanceOnly !== undefined) params.isRiskByBalanceOnly = own.isRiskByBalanceOnly;
  else if (preset.isRiskByBalanceOnly !== undefined) params.isRiskByBalanceOnly = preset.isRiskByBalanceOnly;
  return { params, source: added.length ? 'user+preset' : 'user' };
}

/** "ETH-USD" for a dYdX v3 synthetic asset id (every deployment Vigil knows lists dYdX's markets), else undefined. */
export function marketNameOf(assetId: bigint): string | undefined {
  return Object.values(dydxMarketTable(1).markets).find((m) => m.syntheticAssetId === assetId)?.market;
}

/** "ETH-USD (asset 0x4554…)", or the asset id alone for an unknown one. */
export function assetLabel(assetId: bigint): string {
  const hex = `0x${assetId.toString(16)}`;
  const name = marketNameOf(assetId);
  return name ? `${name} (asset ${hex.slice(0, 6)}…)` : `asset ${hex}`;
}

/**
 * Risk parameters as they arrive from outside (settings, tagged JSON), checked: every asset id a
 * synthetic asset id (0 <= id < 2^120, signing-risk.md A2), every factor in range, no duplicate.
 * `field` prefixes the asset-id errors; the factor errors name `riskParams.assets[i]…`.
 */
export function checkRiskParams(field: string, value: unknown): RiskParams {
  const raw = checkObject(field, value, '{ assets: [{ assetId, riskFactor }, …] }');
  const assets = checkArray(`${field}.assets`, raw.assets, 'an array of { assetId, riskFactor }');
  Array.from(assets).forEach((a, i) => {
    const o = checkObject(`${field}.assets[${i}]`, a, '{ assetId, riskFactor } or { assetId, riskFactorSegments }');
    checkBigint(`${field}.assets[${i}].assetId`, o.assetId, 0n, (1n << 120n) - 1n);
  });
  if (raw.isRiskByBalanceOnly !== undefined) checkBoolean(`${field}.isRiskByBalanceOnly`, raw.isRiskByBalanceOnly);
  const params = raw as unknown as RiskParams;
  riskTable(params);
  return params;
}
