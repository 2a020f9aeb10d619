import { describe, expect, it } from 'vitest';
import { DYDX_V3_MAINNET } from '../../../src/l1/deployment.js';
import { dydxMarket } from '../../../src/messages/dydx-markets.js';
import { riskFactorFromFraction } from '../../../src/risk/oracle-price.js';
import { effectiveRiskParams } from '../../../src/risk/presets.js';
import { fractionOfRiskFactor, riskFormRows, riskParamsFromForm } from '../../../src/risk/risk-form.js';

// Issue 17: the risk-parameters form, prefilled from the deployment's preset; an override reaches
// effectiveRiskParams (what approval and exit use).

const ETH = dydxMarket('ETH-USD').syntheticAssetId;
const BTC = dydxMarket('BTC-USD').syntheticAssetId;

describe('risk form', () => {
  it('shows dYdX v3 mainnet’s markets with their preset fractions', () => {
    const rows = riskFormRows(undefined, DYDX_V3_MAINNET);
    expect(rows).toHaveLength(29);
    expect(rows.find((r) => r.market === 'ETH-USD')).toEqual({ market: 'ETH-USD', assetId: ETH, preset: '0.03' });
    expect(rows.find((r) => r.market === 'SOL-USD')?.preset).toBe('0.05');
    expect(fractionOfRiskFactor(riskFactorFromFraction('0.075'))).toBe('0.075');
  });

  it('an edited market is saved and wins in effectiveRiskParams; empty or the preset value follows the preset', () => {
    const user = riskParamsFromForm(
      { 'ETH-USD': '0.07', 'BTC-USD': '0.03', 'SOL-USD': '' },
      undefined,
      DYDX_V3_MAINNET,
    );
    expect(user).toEqual({ assets: [{ assetId: ETH, riskFactor: riskFactorFromFraction('0.07') }] });
    const eff = effectiveRiskParams(user, DYDX_V3_MAINNET);
    expect(eff.source).toBe('user+preset');
    expect(eff.params.assets.find((a) => a.assetId === ETH)).toEqual({
      assetId: ETH,
      riskFactor: riskFactorFromFraction('0.07'),
    });
    expect(eff.params.assets.find((a) => a.assetId === BTC)).toEqual({
      assetId: BTC,
      riskFactor: riskFactorFromFraction('0.03'),
    });
    expect(riskFormRows(user, DYDX_V3_MAINNET).find((r) => r.market === 'ETH-USD')).toMatchObject({
      preset: '0.03',
      mine: '0.07',
    });
    // Cleared again: back to the preset.
    expect(riskParamsFromForm({ 'ETH-USD': '' }, user, DYDX_V3_MAINNET)).toEqual({ assets: [] });
  });

  it('a deployment without a preset lists every dYdX market to fill in; a value saved there is the only one used', () => {
    const custom = { ...DYDX_V3_MAINNET, id: 'custom' };
    const rows = riskFormRows(undefined, custom);
    expect(rows.length).toBeGreaterThanOrEqual(29);
    expect(rows.map((r) => r.market)).toContain('ETH-USD');
    expect(rows.every((r) => r.preset === undefined && r.mine === undefined)).toBe(true);
    const user = riskParamsFromForm({ 'ETH-USD': '0.1' }, undefined, custom);
    expect(effectiveRiskParams(user, custom)).toEqual({ params: user, source: 'user' });
  });

  it('keeps entries the form does not show (a step function)', () => {
    const step = { assetId: BTC, riskFactorSegments: [{ upperBound: 10n, risk: 100n }] };
    expect(riskParamsFromForm({ 'ETH-USD': '0.07' }, { assets: [step] }, DYDX_V3_MAINNET).assets).toEqual([
      step,
      { assetId: ETH, riskFactor: riskFactorFromFraction('0.07') },
    ]);
  });

  it.each(['1.5', '0', '-0.1', 'abc', '1'])('refuses %j naming the market and the allowed form', (v) => {
    expect(() => riskParamsFromForm({ 'ETH-USD': v }, undefined, DYDX_V3_MAINNET)).toThrow(
      `risk.ETH-USD: ${JSON.stringify(v)} is out of range; expected a maintenance margin fraction, a decimal above 0 and below 1 (e.g. 0.03), or empty for the preset`,
    );
  });

  it('refuses an unknown market', () => {
    expect(() => riskParamsFromForm({ 'FOO-USD': '0.1' }, undefined, DYDX_V3_MAINNET)).toThrow(
      'risk.FOO-USD: "FOO-USD" is out of range; expected a dYdX market name such as ETH-USD',
    );
  });
});
