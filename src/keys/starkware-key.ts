import { checkObject, checkString } from '../checks.js';
import { TypeCheckError } from '../errors.js';
import { HDKey } from '@scure/bip32';
import { mnemonicToSeedSync, validateMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { ethSigToPrivate, getAccountPath, grindKey } from '@scure/starknet';
import { bytesToHex } from '@noble/hashes/utils.js';
import { type StarkKeyPair, starkKeyPair } from './stark-key.js';
import { KeyDerivationError } from './errors.js';
import { describeSecretSignature } from './dydx-key.js';

/**
 * The StarkWare derivations (signing-risk.md A1.2–A1.3): grinding, key from an Ethereum signature
 * (seed = its r), and the EIP-2645 HD path from a BIP-39 mnemonic. dYdX itself does not use
 * these; other StarkEx exchanges do. All secret handling is @scure/starknet / @scure/bip32/39.
 */

/** grindKey(seed): SHA-256 rejection sampling into [0, n) (A1.2). */
export function grindStarkKey(seed: Uint8Array): bigint {
  if (!(seed instanceof Uint8Array) || seed.length === 0)
    throw new TypeCheckError('seed', seed, 'non-empty Uint8Array', { secret: true });
  return BigInt(`0x${grindKey(seed)}`);
}

/** StarkWare `ethSigToPrivate`: the key pair of grindKey(r) for a 65-byte Ethereum signature. */
export function deriveStarkwareKeyFromEthSignature(ethSignature: `0x${string}`): StarkKeyPair {
  if (typeof ethSignature !== 'string')
    throw new TypeCheckError('ethSignature', ethSignature, '0x-hex string', { secret: true });
  if (!/^0x[0-9a-fA-F]{130}$/.test(ethSignature))
    throw new KeyDerivationError(
      'ethSignature',
      describeSecretSignature(ethSignature),
      '0x followed by 130 hex digits (65 bytes r‖s‖v)',
    );
  return starkKeyPair(BigInt(`0x${ethSigToPrivate(ethSignature)}`));
}

export type StarkwarePathParams = {
  /** e.g. "starkex" */
  layer: string;
  /** e.g. "starkdeployement" (sic, StarkWare's test vector) */
  application: string;
  ethAddress: string;
  index: number;
};

/** m/2645'/layer'/application'/eth1'/eth2'/index (A1.2). */
export function starkwareAccountPath(p: StarkwarePathParams): string {
  checkObject('path params', p, '{ layer, application, ethAddress, index }');
  if (typeof p.ethAddress !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(p.ethAddress))
    throw new KeyDerivationError('ethAddress', p.ethAddress, '0x followed by 40 hex digits');
  if (!Number.isSafeInteger(p.index) || p.index < 0 || p.index >= 2 ** 31)
    throw new KeyDerivationError('index', p.index, '0 <= index < 2^31');
  checkString('layer', p.layer);
  checkString('application', p.application);
  return getAccountPath(p.layer, p.application, p.ethAddress, p.index);
}

/** BIP-39 seed → BIP-32 key at the EIP-2645 path → grindKey → stark key pair (A1.2). */
export function deriveStarkKeyFromMnemonic(
  mnemonic: string,
  p: StarkwarePathParams & { passphrase?: string },
): StarkKeyPair {
  if (typeof mnemonic !== 'string') throw new TypeCheckError('mnemonic', mnemonic, 'string', { secret: true });
  // The phrase is secret: never echo it in the error.
  if (!validateMnemonic(mnemonic, wordlist))
    throw new KeyDerivationError('mnemonic', '(hidden)', 'a valid English BIP-39 mnemonic (word list and checksum)');
  const path = starkwareAccountPath(p);
  const node = HDKey.fromMasterSeed(mnemonicToSeedSync(mnemonic, p.passphrase ?? '')).derive(path);
  if (!node.privateKey) throw new KeyDerivationError('path', path, 'a path with a private key');
  return starkKeyPair(BigInt(`0x${grindKey(bytesToHex(node.privateKey))}`));
}
