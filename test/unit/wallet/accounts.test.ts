import { describe, expect, it } from 'vitest';
import { privateKeyToAccount } from 'viem/accounts';
import { starkKeyPair } from '../../../src/keys/stark-key.js';
import { walletAccountOf, walletKeysFromSecret, type VaultSecret } from '../../../src/wallet/index.js';
import { readVector } from '../../helpers/vectors.js';

// Hardhat's public development phrase; its m/44'/60'/0'/0/0 key is Hardhat/Anvil account #0.
const HARDHAT_PHRASE = 'test test test test test test test test test test test junk';

describe('wallet keys from a phrase, against the vectors', () => {
  it("dYdX way: the Ethereum key at m/44'/60'/0'/0/0 signs \"dYdX STARK Key\"; the stark key matches the onboarding vectors per chain", async () => {
    const v = readVector('signing/dydx_onboarding_eip712_selfgenerated.json');
    for (const c of v.eip712 as {
      chainId: number;
      test_eth_private_key: string;
      test_eth_address: string;
      stark: { privateKey: string; publicKey: string };
    }[]) {
      const secret: VaultSecret = {
        kind: 'mnemonic',
        mnemonic: HARDHAT_PHRASE,
        starkDerivation: 'dydx',
        chainId: c.chainId,
      };
      const keys = await walletKeysFromSecret(secret);
      expect(keys.ethPrivateKey).toBe(c.test_eth_private_key);
      expect(keys.address!.toLowerCase()).toBe(c.test_eth_address);
      expect(keys.stark.privateKey).toBe(BigInt(`0x${c.stark.privateKey}`));
      expect(keys.stark.publicKey).toBe(BigInt(`0x${c.stark.publicKey}`));
      expect(walletAccountOf(keys, secret)).toEqual({
        address: keys.address,
        starkKey: `0x${c.stark.publicKey.padStart(64, '0')}`,
        starkKeyY: expect.stringMatching(/^0x[0-9a-f]{64}$/),
        starkDerivation: 'dydx',
      });
    }
  });

  it("EIP-2645 option: StarkWare's reference path vector (layer starkex, application starkdeployement, index 0)", async () => {
    const v = readVector('signing/key_derivation.json').starkware_hd_path;
    expect(v.layer).toBe('starkex');
    expect(v.application).toBe('starkdeployement');
    const keys = await walletKeysFromSecret({
      kind: 'mnemonic',
      mnemonic: v.mnemonic,
      starkDerivation: 'eip2645',
      chainId: 1,
    });
    expect(keys.address!.toLowerCase()).toBe(v.ethAddress.toLowerCase());
    const index0 = v.vectors.find((x: { index: number }) => x.index === 0);
    expect(keys.stark.privateKey).toBe(BigInt(`0x${index0.privateKey}`));
  });
});

describe('wallet keys from raw keys', () => {
  it('uses the keys as given; the address comes from the Ethereum key, or is null without one', async () => {
    const eth = `0x${'ab'.repeat(32)}` as const;
    const stark = `0x${'0'.repeat(60)}beef` as const;
    const keys = await walletKeysFromSecret({ kind: 'keys', ethPrivateKey: eth, starkPrivateKey: stark });
    expect(keys.address).toBe(privateKeyToAccount(eth).address);
    expect(keys.stark).toEqual(starkKeyPair(0xbeefn));
    const only = await walletKeysFromSecret({ kind: 'keys', ethPrivateKey: null, starkPrivateKey: stark });
    expect(only.address).toBeNull();
    expect(walletAccountOf(only, { kind: 'keys', ethPrivateKey: null, starkPrivateKey: stark }).starkDerivation).toBe(
      'imported',
    );
  });
});
