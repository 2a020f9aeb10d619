import { validateMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { STARK_CURVE_ORDER } from '../crypto/ecdsa.js';
import { VaultFormatError, WalletInputError } from './errors.js';

/**
 * What the vault encrypts (issue 8 "Onboarding"): either a BIP-39 phrase (the Ethereum key at
 * m/44'/60'/0'/0/0 and the stark key derived from it the dYdX way or by EIP-2645), or raw keys.
 * Public data (address, stark key) is kept outside the vault so a locked wallet can still show it.
 */
export type StarkDerivation = 'dydx' | 'eip2645';
export type VaultSecret =
  | { kind: 'mnemonic'; mnemonic: string; starkDerivation: StarkDerivation; chainId: number }
  | { kind: 'keys'; ethPrivateKey: `0x${string}` | null; starkPrivateKey: `0x${string}` };

const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** Normalises a phrase (lower case, single spaces) and checks word list and checksum. The phrase is never echoed. */
export function normalizeMnemonic(mnemonic: unknown): string {
  if (typeof mnemonic !== 'string') throw new WalletInputError('mnemonic', `expected a string, got ${typeof mnemonic}`);
  const words = mnemonic.trim().toLowerCase().split(/\s+/);
  if (![12, 15, 18, 21, 24].includes(words.length))
    throw new WalletInputError('mnemonic', `expected 12, 15, 18, 21 or 24 words, got ${words.length}`);
  const m = words.join(' ');
  if (!validateMnemonic(m, wordlist))
    throw new WalletInputError('mnemonic', 'not a valid English BIP-39 phrase (unknown word or wrong checksum)');
  return m;
}

function keyHex(field: string, v: unknown, order: bigint): `0x${string}` {
  if (typeof v !== 'string') throw new WalletInputError(field, `expected a hex string, got ${typeof v}`);
  const body = v.trim().toLowerCase().replace(/^0x/, '');
  if (!/^[0-9a-f]{1,64}$/.test(body))
    throw new WalletInputError(field, `expected up to 64 hex digits (hidden: ${body.length} characters)`);
  const n = BigInt(`0x${body}`);
  if (n === 0n || n >= order)
    throw new WalletInputError(field, `out of range; expected 1 <= key < 0x${order.toString(16)}`);
  return `0x${n.toString(16).padStart(64, '0')}`;
}

/** A raw Ethereum private key (secp256k1), normalised to 0x + 64 hex digits. */
export function normalizeEthPrivateKey(v: unknown): `0x${string}` {
  return keyHex('ethPrivateKey', v, SECP256K1_N);
}
/** A raw STARK private key, normalised to 0x + 64 hex digits. */
export function normalizeStarkPrivateKey(v: unknown): `0x${string}` {
  return keyHex('starkPrivateKey', v, STARK_CURVE_ORDER);
}

export function checkVaultSecret(s: unknown): VaultSecret {
  if (s === null || typeof s !== 'object') throw new WalletInputError('secret', 'expected an object');
  const o = s as Record<string, unknown>;
  if (o.kind === 'mnemonic') {
    if (o.starkDerivation !== 'dydx' && o.starkDerivation !== 'eip2645')
      throw new WalletInputError('starkDerivation', 'expected "dydx" or "eip2645"');
    const chainId = o.chainId ?? 1;
    if (typeof chainId !== 'number' || !Number.isSafeInteger(chainId) || chainId <= 0)
      throw new WalletInputError('chainId', 'expected a positive integer');
    return { kind: 'mnemonic', mnemonic: normalizeMnemonic(o.mnemonic), starkDerivation: o.starkDerivation, chainId };
  }
  if (o.kind === 'keys') {
    return {
      kind: 'keys',
      ethPrivateKey: o.ethPrivateKey == null || o.ethPrivateKey === '' ? null : normalizeEthPrivateKey(o.ethPrivateKey),
      starkPrivateKey: normalizeStarkPrivateKey(o.starkPrivateKey),
    };
  }
  throw new WalletInputError('kind', 'expected "mnemonic" or "keys"');
}

export function encodeVaultSecret(s: VaultSecret): Uint8Array {
  return utf8ToBytes(JSON.stringify({ v: 1, ...checkVaultSecret(s) }));
}

/** The decrypted bytes back to a secret. Everything written is ASCII, so anything else is damage. */
export function decodeVaultSecret(bytes: Uint8Array): VaultSecret {
  let text = '';
  for (const b of bytes) {
    if (b >= 0x80) throw new VaultFormatError('plaintext', 'not ASCII JSON');
    text += String.fromCharCode(b);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new VaultFormatError('plaintext', 'not valid JSON', { cause: err });
  }
  if ((parsed as { v?: unknown } | null)?.v !== 1) throw new VaultFormatError('plaintext.v', 'expected 1');
  try {
    return checkVaultSecret(parsed);
  } catch (err) {
    throw new VaultFormatError('plaintext', (err as Error).message, { cause: err });
  }
}
