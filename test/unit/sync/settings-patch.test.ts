import { describe, expect, it } from 'vitest';
import { RangeCheckError } from '../../../src/errors.js';
import { DYDX_V3_MAINNET, devnetDeployment } from '../../../src/l1/deployment.js';
import { parseSyncSettings, patchSyncSettings, type SyncSettings } from '../../../src/sync/settings.js';
import { genesisSharedState } from '../../helpers/shared-state.js';

// Issue 17 "saving one setting never drops another": each settings form sends only its own fields.

const RPC = 'http://127.0.0.1:8545';
const devnet = devnetDeployment({
  chainId: 31337,
  addresses: {
    starkPerpetual: '0x1111111111111111111111111111111111111111',
    memoryPageFactRegistry: '0x2222222222222222222222222222222222222222',
    gpsStatementVerifier: '0x3333333333333333333333333333333333333333',
    gpsFactAdapter: '0x4444444444444444444444444444444444444444',
    escapeVerifier: '0x5555555555555555555555555555555555555555',
    usdc: '0x6666666666666666666666666666666666666666',
  },
  programHash: 0x1234n,
  usdcAssetType: 22136n,
  firstBlock: 7n,
});
const known = { deployment: devnet, initialSharedState: genesisSharedState() };

/** Everything a user can set, on the devnet. */
function full(): SyncSettings {
  return parseSyncSettings({
    deployment: devnet,
    initialSharedState: genesisSharedState(),
    rpcUrls: [RPC, 'http://127.0.0.1:9'],
    rpcRates: [25, null],
    watchedStarkKeys: [5n],
    maxBatchAgeSeconds: 7200n,
    forcedRequestAlarmShare: 0.25,
    maxBlockRange: 50n,
    periodMinutes: 2,
  });
}

describe('patchSyncSettings', () => {
  it.each([
    ['the RPC form', { rpcUrls: [RPC, 'http://127.0.0.1:9'], rpcRates: [30, null] }, { rpcRates: [30, undefined] }],
    [
      'the alarm form',
      { watchedStarkKeys: ['0x7'], maxBatchAgeSeconds: 3600 },
      { watchedStarkKeys: [7n], maxBatchAgeSeconds: 3600n },
    ],
    ['the deployment form, same deployment', { preset: 'devnet' }, {}],
  ])('%s saves its fields and keeps every other', (_, patch, changed) => {
    const old = full();
    expect(patchSyncSettings(old, patch, known)).toEqual({ ...old, ...changed });
  });

  it('a new URL list without rates drops only the rates', () => {
    const old = full();
    const next = patchSyncSettings(old, { rpcUrls: ['http://127.0.0.1:10'] }, known);
    const { rpcRates: _, ...rest } = old;
    expect(next).toEqual({ ...rest, rpcUrls: ['http://127.0.0.1:10'] });
  });

  it('another deployment keeps the RPCs and alarms but not the old starting point', () => {
    const next = patchSyncSettings(full(), { preset: 'dydx-mainnet' }, known);
    expect(next.deployment).toEqual(DYDX_V3_MAINNET);
    expect(next.initialSharedState).toBeUndefined();
    expect(next).toMatchObject({ rpcUrls: full().rpcUrls, watchedStarkKeys: [5n], maxBatchAgeSeconds: 7200n });
    // Back to the devnet: its genesis state comes with it.
    expect(patchSyncSettings(next, { preset: 'devnet' }, known).initialSharedState).toEqual(genesisSharedState());
  });

  it('a first save with no deployment is refused naming the choice; "devnet" unknown is refused', () => {
    expect(() => patchSyncSettings(undefined, { rpcUrls: [RPC] })).toThrow(/exactly one of preset/);
    expect(() => patchSyncSettings(undefined, { preset: 'devnet', rpcUrls: [RPC] })).toThrow(
      'preset: "devnet" is out of range; expected "dydx-mainnet" (no devnet is known to Vigil)',
    );
  });

  it('a bad value is refused and names its field', () => {
    try {
      patchSyncSettings(full(), { rpcUrls: [RPC], rpcRates: [5000] }, known);
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(RangeCheckError);
      expect((e as Error).message).toBe(
        'rpcRates[0]: 5000 is out of range; expected requests per second from 0.1 to 1000, or null',
      );
    }
  });
});
