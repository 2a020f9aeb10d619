import { describe, expect, it } from 'vitest';
import { RangeCheckError } from '../../../src/errors.js';
import { DYDX_V3_MAINNET } from '../../../src/l1/deployment.js';
import { mergeSyncSettings, parseSyncSettings, type SyncSettings } from '../../../src/sync/settings.js';
import { genesisSharedState } from '../../helpers/shared-state.js';

// The verifier's settings at the edge (issue 14 "checks at the edges", issue 15 "settings merge").

const RPC = 'http://127.0.0.1:8545';
const devnet = {
  chainId: 31337,
  addresses: {
    starkPerpetual: '0x1111111111111111111111111111111111111111',
    memoryPageFactRegistry: '0x2222222222222222222222222222222222222222',
    gpsStatementVerifier: '0x3333333333333333333333333333333333333333',
    gpsFactAdapter: '0x4444444444444444444444444444444444444444',
    escapeVerifier: '0x5555555555555555555555555555555555555555',
    usdc: '0x6666666666666666666666666666666666666666',
  },
  programHash: '0x1234',
  usdcAssetType: 22136,
  firstBlock: 7n,
};

/** The RangeCheckError a bad value raises, as [field, range]. */
function refusal(value: Record<string, unknown>): [string, string] {
  try {
    parseSyncSettings(value);
  } catch (err) {
    expect(err).toBeInstanceOf(RangeCheckError);
    const e = err as RangeCheckError;
    return [e.field, e.range];
  }
  throw new Error('accepted');
}

describe('parseSyncSettings', () => {
  it('accepts the mainnet preset, a devnet deploy output and a whole deployment', () => {
    const mainnet = parseSyncSettings({ preset: 'dydx-mainnet', rpcUrls: [RPC] });
    expect(mainnet.deployment).toEqual(DYDX_V3_MAINNET);
    const dev = parseSyncSettings({ devnet, rpcUrls: [RPC], maxBlockRange: '0x10', confirmations: 12 });
    expect(dev.deployment).toMatchObject({ id: 'devnet', chainId: 31337, firstBlock: 7n, programHash: 0x1234n });
    expect(dev.maxBlockRange).toBe(16n);
    expect(dev.confirmations).toBe(12n);
    const whole = parseSyncSettings({ deployment: { ...DYDX_V3_MAINNET, firstBlock: '11813182' }, rpcUrls: [RPC] });
    expect(whole.deployment).toEqual(DYDX_V3_MAINNET);
  });

  it('takes hand-typed integers, per-RPC rates, watched keys and a starting shared state', () => {
    const s = parseSyncSettings({
      preset: 'dydx-mainnet',
      rpcUrls: [RPC, 'https://rpc.example/v1/key'],
      rpcRates: [25, null],
      watchedStarkKeys: ['0x1f', 31n, 31],
      maxBatchAgeSeconds: '3600',
      forcedRequestAlarmShare: 0.5,
      periodMinutes: 0.5,
      initialSharedState: genesisSharedState(),
    });
    expect(s.rpcRates).toEqual([25, undefined]);
    expect(s.watchedStarkKeys).toEqual([31n, 31n, 31n]);
    expect(s.maxBatchAgeSeconds).toBe(3600n);
    expect(s.initialSharedState).toEqual(genesisSharedState());
  });

  it.each([
    ['settings', 'exactly one of', { rpcUrls: [RPC] }],
    ['settings', 'exactly one of', { preset: 'dydx-mainnet', devnet, rpcUrls: [RPC] }],
    ['preset', '"dydx-mainnet"', { preset: 'dydx-goerli', rpcUrls: [RPC] }],
    ['rpcUrls', '1 to 8 URLs', { preset: 'dydx-mainnet', rpcUrls: [] }],
    ['rpcUrls[0]', 'an http(s) URL', { preset: 'dydx-mainnet', rpcUrls: ['ftp://x'] }],
    [
      'rpcUrls[1]',
      'an RPC not listed already (rpcUrls[0] is the same endpoint)',
      { preset: 'dydx-mainnet', rpcUrls: ['https://rpc.example/v1/key', 'https://RPC.Example:443/v1/key'] },
    ],
    [
      'rpcUrls[2]',
      'an RPC not listed already (rpcUrls[0] is the same endpoint)',
      { preset: 'dydx-mainnet', rpcUrls: ['http://127.0.0.1:8545', 'http://127.0.0.1:8546', 'http://127.0.0.1:8545/'] },
    ],
    ['rpcRates[0]', 'from 0.1 to 1000', { preset: 'dydx-mainnet', rpcUrls: [RPC], rpcRates: [5000] }],
    ['rpcRates', 'one entry per RPC URL (1)', { preset: 'dydx-mainnet', rpcUrls: [RPC], rpcRates: [1, 2] }],
    ['maxBlockRange', '1 <= maxBlockRange <= 1000000', { preset: 'dydx-mainnet', rpcUrls: [RPC], maxBlockRange: 0 }],
    ['confirmations', '0 <= confirmations', { preset: 'dydx-mainnet', rpcUrls: [RPC], confirmations: -1 }],
    ['initialBatchId', 'an integer', { preset: 'dydx-mainnet', rpcUrls: [RPC], initialBatchId: 1.5 }],
    ['maxBatchAgeSeconds', '60 <=', { preset: 'dydx-mainnet', rpcUrls: [RPC], maxBatchAgeSeconds: 59 }],
    ['watchedStarkKeys[0]', '1 <=', { preset: 'dydx-mainnet', rpcUrls: [RPC], watchedStarkKeys: ['0x0'] }],
    ['watchedStarkKeys', 'an array', { preset: 'dydx-mainnet', rpcUrls: [RPC], watchedStarkKeys: 'abc' }],
    ['forcedRequestAlarmShare', '0 < share', { preset: 'dydx-mainnet', rpcUrls: [RPC], forcedRequestAlarmShare: 0 }],
    ['periodMinutes', '0.5 to 1440', { preset: 'dydx-mainnet', rpcUrls: [RPC], periodMinutes: 0.1 }],
    [
      'devnet.addresses.usdc',
      '0x followed by 40',
      { devnet: { ...devnet, addresses: { ...devnet.addresses, usdc: '0x12' } }, rpcUrls: [RPC] },
    ],
    [
      'deployment.starkPerpetual',
      '0x followed by 40',
      { deployment: { ...DYDX_V3_MAINNET, starkPerpetual: 'nope' }, rpcUrls: [RPC] },
    ],
    [
      'deployment.collateral.quantum',
      '1 <=',
      {
        deployment: { ...DYDX_V3_MAINNET, collateral: { ...DYDX_V3_MAINNET.collateral, quantum: 0n } },
        rpcUrls: [RPC],
      },
    ],
    [
      'initialSharedState.positionsTreeHeight',
      '<= 251',
      {
        preset: 'dydx-mainnet',
        rpcUrls: [RPC],
        initialSharedState: { ...genesisSharedState(), positionsTreeHeight: 300n },
      },
    ],
  ] as [string, string, Record<string, unknown>][])(
    'refuses a bad %s, naming it and the range',
    (field, range, value) => {
      const [f, r] = refusal(value);
      expect(f).toBe(field);
      expect(r).toContain(range);
    },
  );

  it('names the value in the message', () => {
    expect(() => parseSyncSettings({ preset: 'dydx-mainnet', rpcUrls: [RPC], rpcRates: [5000] })).toThrow(
      'rpcRates[0]: 5000 is out of range; expected requests per second from 0.1 to 1000, or null',
    );
  });
});

describe('mergeSyncSettings', () => {
  const base = (over: Partial<SyncSettings> = {}): SyncSettings => ({
    ...parseSyncSettings({ preset: 'dydx-mainnet', rpcUrls: [RPC] }),
    ...over,
  });

  it('keeps what a form does not show, for the same deployment', () => {
    const old = base({ watchedStarkKeys: [5n], confirmations: 12n, rpcRates: [25] });
    const merged = mergeSyncSettings(old, base({ maxBatchAgeSeconds: 3600n }));
    expect(merged).toMatchObject({
      watchedStarkKeys: [5n],
      confirmations: 12n,
      rpcRates: [25],
      maxBatchAgeSeconds: 3600n,
    });
  });

  it('drops per-RPC rates when the URLs change without new rates', () => {
    const old = base({ rpcRates: [25] });
    expect(mergeSyncSettings(old, base({ rpcUrls: ['http://127.0.0.1:9'] })).rpcRates).toBeUndefined();
    expect(mergeSyncSettings(old, base({ rpcUrls: ['http://127.0.0.1:9'], rpcRates: [3] })).rpcRates).toEqual([3]);
  });

  it('starts over for another deployment (another address or chain)', () => {
    const old = base({ watchedStarkKeys: [5n] });
    const moved = base({ deployment: { ...DYDX_V3_MAINNET, starkPerpetual: `0x${'7'.repeat(40)}` } });
    expect(mergeSyncSettings(old, moved)).toBe(moved);
    const otherChain = base({ deployment: { ...DYDX_V3_MAINNET, chainId: 5 } });
    expect(mergeSyncSettings(old, otherChain)).toBe(otherChain);
    // Same address in another case is the same contract.
    const sameLower = base({
      deployment: { ...DYDX_V3_MAINNET, starkPerpetual: DYDX_V3_MAINNET.starkPerpetual.toLowerCase() as `0x${string}` },
    });
    expect(mergeSyncSettings(old, sameLower).watchedStarkKeys).toEqual([5n]);
  });
});
