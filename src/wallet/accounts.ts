import { WalletInputError } from './errors.js';
import { mnemonicToAccount, privateKeyToAccount } from 'viem/accounts';
import { bytesToHex } from '@noble/hashes/utils.js';
import { deriveDydxStarkKey } from '../keys/dydx-key.js';
import { dydxStarkKeyTypedData } from '../keys/dydx-onboarding.js';
import { deriveStarkKeyFromMnemonic } from '../keys/starkware-key.js';
import { starkKeyPair, type StarkKeyPair } from '../keys/stark-key.js';
import type { VaultSecret } from './vault-secret.js';

/**
 * Keys of a vault secret (issue 8 "Onboarding"). The Ethereum key is m/44'/60'/0'/0/0. The dYdX
 * stark key comes from that key's EIP-712 signature of "dYdX STARK Key" (signing-risk.md A1.1), so
 * it equals what a dYdX front end derives from the same wallet; EIP-2645 is the option for
 * StarkWare's own path (A1.2, StarkWare's reference layer "starkex", application "starkdeployement", index 0).
 */
export type WalletKeys = {
  /** 0x + 64 hex, or null when only a stark key was imported. */
  ethPrivateKey: `0x${string}` | null;
  address: `0x${string}` | null;
  stark: StarkKeyPair;
};

/** What may leave the service worker: public data only. */
export type WalletAccount = {
  address: `0x${string}` | null;
  starkKey: `0x${string}`;
  starkKeyY: `0x${string}`;
  starkDerivation: 'dydx' | 'eip2645' | 'imported';
};

export async function walletKeysFromSecret(secret: VaultSecret): Promise<WalletKeys> {
  if (secret.kind === 'keys') {
    const address = secret.ethPrivateKey ? privateKeyToAccount(secret.ethPrivateKey).address : null;
    return { ethPrivateKey: secret.ethPrivateKey, address, stark: starkKeyPair(BigInt(secret.starkPrivateKey)) };
  }
  const account = mnemonicToAccount(secret.mnemonic);
  const hd = account.getHdKey();
  if (!hd.privateKey) throw new WalletInputError('mnemonic', "no private key at m/44'/60'/0'/0/0");
  const ethPrivateKey = `0x${bytesToHex(hd.privateKey)}` as const;
  if (secret.starkDerivation === 'eip2645') {
    const stark = deriveStarkKeyFromMnemonic(secret.mnemonic, {
      layer: 'starkex',
      application: 'starkdeployement',
      ethAddress: account.address,
      index: 0,
    });
    return { ethPrivateKey, address: account.address, stark };
  }
  const td = dydxStarkKeyTypedData(secret.chainId);
  const signature = await account.signTypedData({
    domain: td.domain,
    types: { dYdX: td.types.dYdX },
    primaryType: 'dYdX',
    message: td.message,
  } as Parameters<typeof account.signTypedData>[0]);
  return { ethPrivateKey, address: account.address, stark: deriveDydxStarkKey(signature) };
}

const hex64 = (n: bigint) => `0x${n.toString(16).padStart(64, '0')}` as const;

export function walletAccountOf(keys: WalletKeys, secret: VaultSecret): WalletAccount {
  return {
    address: keys.address,
    starkKey: hex64(keys.stark.publicKey),
    starkKeyY: hex64(keys.stark.publicKeyY),
    starkDerivation: secret.kind === 'keys' ? 'imported' : secret.starkDerivation,
  };
}
