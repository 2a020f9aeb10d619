import { describe, expect, it } from 'vitest';
import { DEFAULT_MARKETS, riskParamsOf } from '../../../devnet/operator/config.js';
import { DYDX_V3_MAINNET, devnetDeployment } from '../../../src/l1/deployment.js';
import { dydxMarket } from '../../../src/messages/dydx-markets.js';
import { riskFactorFromFraction } from '../../../src/risk/oracle-price.js';
import {
  DYDX_V3_MAINNET_RISK_PARAMS,
  assetLabel,
  checkRiskParams,
  effectiveRiskParams,
} from '../../../src/risk/presets.js';
import { parseSyncSettings } from '../../../src/sync/settings.js';
import { readVector } from '../../helpers/vectors.js';

// Issue 17 item 1: the risk parameters approval and exit use — the user's saved configuration, else
// the preset of the configured deployment (dYdX v3 mainnet built in, the devnet from its operator).

const ETH = dydxMarket('ETH-USD').syntheticAssetId;
const BTC = dydxMarket('BTC-USD').syntheticAssetId;
const factorOf = (p: { assets: readonly { assetId: bigint }[] }, id: bigint) =>
  (p.assets.find((a) => a.assetId === id) as { riskFactor: bigint } | undefined)?.riskFactor;
const devnet = devnetDeployment({
  chainId: 31337,
  addresses: {
    starkPerpetual: '0x0000000000000000000000000000000000000001',
    memoryPageFactRegistry: '0x0000000000000000000000000000000000000002',
    gpsStatementVerifier: '0x0000000000000000000000000000000000000003',
    gpsFactAdapter: '0x0000000000000000000000000000000000000004',
    escapeVerifier: '0x0000000000000000000000000000000000000005',
    usdc: '0x0000000000000000000000000000000000000006',
  },
  programHash: 1n,
  usdcAssetType: 2n,
  riskParams: riskParamsOf(DEFAULT_MARKETS),
});

describe('effective risk parameters', () => {
  it('dYdX v3 mainnet ships every market of the 2022-02-11 snapshot, risk factor = its maintenance margin fraction', () => {
    type Snap = { snapshots: { markets: { market: string; maintenanceMarginFraction: string }[] }[] };
    const markets = readVector<Snap>('risk/dydx_v3_market_params.json').snapshots[0]!.markets;
    expect(markets.length).toBe(28);
    for (const m of markets)
      expect(factorOf(DYDX_V3_MAINNET_RISK_PARAMS, dydxMarket(m.market).syntheticAssetId), m.market).toBe(
        riskFactorFromFraction(m.maintenanceMarginFraction),
      );
    expect(factorOf(DYDX_V3_MAINNET_RISK_PARAMS, ETH)).toBe(riskFactorFromFraction('0.03'));
  });

  it('nothing saved by the user (or an empty list, what a fresh wallet stores): the deployment preset', () => {
    for (const user of [undefined, { assets: [] }]) {
      expect(effectiveRiskParams(user, DYDX_V3_MAINNET)).toEqual({
        params: DYDX_V3_MAINNET_RISK_PARAMS,
        source: 'preset',
      });
      const d = effectiveRiskParams(user, devnet);
      expect(d.source).toBe('preset');
      expect(factorOf(d.params, ETH)).toBe(riskFactorFromFraction('0.03'));
    }
  });

  it("the user's saved entry wins for its asset; the preset fills the others", () => {
    const mine = { assets: [{ assetId: ETH, riskFactor: riskFactorFromFraction('0.1') }] };
    const e = effectiveRiskParams(mine, DYDX_V3_MAINNET);
    expect(e.source).toBe('user+preset');
    expect(factorOf(e.params, ETH)).toBe(riskFactorFromFraction('0.1'));
    expect(factorOf(e.params, BTC)).toBe(riskFactorFromFraction('0.03'));
    expect(e.params.assets.filter((a) => a.assetId === ETH)).toHaveLength(1);
  });

  it('no preset and nothing saved: none (an unknown deployment, no deployment)', () => {
    const { riskParams: _, ...bare } = devnet;
    expect(effectiveRiskParams(undefined, bare).source).toBe('none');
    expect(effectiveRiskParams(undefined, undefined)).toEqual({ params: { assets: [] }, source: 'none' });
  });

  it('a devnet deployment carries its risk parameters through the verifier settings', () => {
    const s = parseSyncSettings({ deployment: devnet, rpcUrls: ['http://127.0.0.1:8545'] });
    expect(s.deployment.riskParams).toEqual(riskParamsOf(DEFAULT_MARKETS));
    expect(effectiveRiskParams(undefined, s.deployment).params).toEqual(riskParamsOf(DEFAULT_MARKETS));
  });

  it('bad risk parameters: the error names the field, the value and the allowed range', () => {
    expect(() => checkRiskParams('deployment.riskParams', { assets: [{ assetId: -1n, riskFactor: 1n }] })).toThrow(
      /^deployment\.riskParams\.assets\[0\]\.assetId: -1 is out of range; expected 0 <= /,
    );
    expect(() => checkRiskParams('riskParams', { assets: [{ assetId: ETH, riskFactor: 0n }] })).toThrow(
      /^riskParams\.assets\[0\]\.riskFactor: 0 is out of range; expected 1 <= riskParams\.assets\[0\]\.riskFactor < 2\^32/,
    );
    expect(() =>
      parseSyncSettings({
        deployment: { ...devnet, riskParams: { assets: [{ assetId: ETH, riskFactor: 1n << 32n }] } },
        rpcUrls: ['http://127.0.0.1:8545'],
      }),
    ).toThrow(/riskFactor: 4294967296 is out of range/);
  });

  it('assets are named by market where known', () => {
    expect(assetLabel(ETH)).toBe(`ETH-USD (asset ${`0x${ETH.toString(16)}`.slice(0, 6)}…)`);
    expect(assetLabel(0x1234n)).toBe('asset 0x1234');
  });
});
