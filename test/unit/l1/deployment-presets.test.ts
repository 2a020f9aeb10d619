import { describe, expect, it } from 'vitest';
import { DYDX_V3_MAINNET } from '../../../src/l1/deployment.js';
import {
  checkTypedAddress,
  customDeployment,
  customFieldsOf,
  deploymentPresets,
  presetIdOf,
} from '../../../src/l1/deployment-presets.js';
import { parseSyncSettings } from '../../../src/sync/settings.js';

// Issue 17 "deployment presets": dYdX v3 mainnet, the devnet when known, custom with checked addresses.

describe('deployment presets', () => {
  it('offers dYdX v3 mainnet (the StarkPerpetual proxy and its first block), the devnet only when known, and custom', () => {
    const [mainnet, ...rest] = deploymentPresets(undefined);
    expect(mainnet).toEqual({ id: 'dydx-mainnet', name: 'dYdX v3 (Ethereum mainnet)', deployment: DYDX_V3_MAINNET });
    expect(mainnet!.deployment!.starkPerpetual).toBe('0xD54f502e184B6B739d7D27a6410a67dc462D69c8');
    expect(mainnet!.deployment!.firstBlock).toBe(11813182n);
    expect(rest.map((p) => p.id)).toEqual(['custom']);
    const devnet = { ...DYDX_V3_MAINNET, id: 'devnet', name: 'Vigil devnet (chain 31337)', chainId: 31337 };
    expect(deploymentPresets(devnet).map((p) => p.name)).toEqual([
      'dYdX v3 (Ethereum mainnet)',
      'Vigil devnet (chain 31337)',
      'Custom',
    ]);
    expect([presetIdOf(DYDX_V3_MAINNET), presetIdOf(devnet), presetIdOf({ ...devnet, id: 'custom' })]).toEqual([
      'dydx-mainnet',
      'devnet',
      'custom',
    ]);
  });

  it('a custom deployment typed from mainnet’s values is mainnet’s contracts', () => {
    const d = customDeployment({ ...customFieldsOf(DYDX_V3_MAINNET), name: 'My dYdX' });
    expect(d).toEqual({ ...DYDX_V3_MAINNET, id: 'custom', name: 'My dYdX', frozen: undefined });
    // Through the settings' edge too.
    expect(
      parseSyncSettings({ custom: customFieldsOf(DYDX_V3_MAINNET), rpcUrls: ['http://x'] }).deployment.starkPerpetual,
    ).toBe(DYDX_V3_MAINNET.starkPerpetual);
  });

  it('addresses: all lower or upper case as is, mixed case only with a valid EIP-55 checksum', () => {
    expect(checkTypedAddress('a', '0xd54f502e184b6b739d7d27a6410a67dc462d69c8')).toBe(DYDX_V3_MAINNET.starkPerpetual);
    expect(checkTypedAddress('a', '0xD54F502E184B6B739D7D27A6410A67DC462D69C8')).toBe(DYDX_V3_MAINNET.starkPerpetual);
    expect(() => checkTypedAddress('starkPerpetual', '0xD54f502e184B6B739d7D27a6410a67dc462D69C8')).toThrow(
      'starkPerpetual: "0xD54f502e184B6B739d7D27a6410a67dc462D69C8" is out of range; expected 0x followed by 40 hex digits (EIP-55 checksummed if it mixes upper and lower case); this one\'s checksum is wrong',
    );
    expect(() => checkTypedAddress('factAdapters[0]', '0x12')).toThrow(
      'factAdapters[0]: "0x12" is out of range; expected 0x followed by 40 hex digits',
    );
  });

  it.each([
    ['chainId', '0', 'chainId: "0" is out of range; expected a chain id, an integer from 1 to 2^32'],
    ['firstBlock', '-1', 'firstBlock: "-1" is out of range; expected a block number, 0 to 2^64 - 1'],
    ['gpsStatementVerifiers', '', 'gpsStatementVerifiers: "" is out of range; expected 1 to 8 addresses'],
    ['memoryPageFactRegistry', 'registry', 'memoryPageFactRegistry: "registry" is out of range'],
  ])('a bad %s is refused naming the field, the value and the allowed form', (field, value, message) => {
    expect(() => customDeployment({ ...customFieldsOf(DYDX_V3_MAINNET), [field]: value })).toThrow(message);
  });
});
