import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { STARK_CURVE_ORDER } from '../../../src/crypto/ecdsa.js';
import {
  VaultFormatError,
  WalletInputError,
  checkVaultSecret,
  decodeVaultSecret,
  encodeVaultSecret,
  normalizeEthPrivateKey,
  normalizeMnemonic,
  normalizeStarkPrivateKey,
} from '../../../src/wallet/index.js';

const PHRASE = 'test test test test test test test test test test test junk';

describe('vault secret', () => {
  it('normalises a phrase (case, spaces) and rejects a bad checksum, unknown word or wrong length without echoing it', () => {
    expect(normalizeMnemonic(`  ${PHRASE.toUpperCase().replaceAll(' ', '   ')} `)).toBe(PHRASE);
    const badChecksum = PHRASE.replace(/junk$/, 'test');
    for (const bad of [badChecksum, PHRASE.replace('junk', 'zzzz'), 'test test test']) {
      expect(() => normalizeMnemonic(bad)).toThrow(WalletInputError);
      try {
        normalizeMnemonic(bad);
      } catch (err) {
        expect((err as Error).message).not.toContain('test test');
      }
    }
    expect(() => normalizeMnemonic(42)).toThrow(/mnemonic: expected a string/);
  });

  it('raw keys: 1 <= key < order, normalised to 0x + 64 hex; errors do not echo the key', () => {
    expect(normalizeStarkPrivateKey('0xBEEF')).toBe(`0x${'0'.repeat(60)}beef`);
    expect(normalizeEthPrivateKey('ab'.repeat(32))).toBe(`0x${'ab'.repeat(32)}`);
    expect(() => normalizeStarkPrivateKey('0x0')).toThrow(WalletInputError);
    expect(() => normalizeStarkPrivateKey(`0x${STARK_CURVE_ORDER.toString(16)}`)).toThrow(
      /starkPrivateKey: out of range/,
    );
    expect(() => normalizeEthPrivateKey(`0x${'f'.repeat(64)}`)).toThrow(/ethPrivateKey: out of range/);
    expect(() => normalizeStarkPrivateKey('0xnothex123456')).toThrow(WalletInputError);
    try {
      normalizeStarkPrivateKey('0xnothex123456');
    } catch (err) {
      expect((err as Error).message).not.toContain('123456');
    }
  });

  it('encode/decode round-trips any valid raw-key secret (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: STARK_CURVE_ORDER - 1n }), fc.boolean(), (k, withEth) => {
        const secret = checkVaultSecret({
          kind: 'keys',
          starkPrivateKey: `0x${k.toString(16)}`,
          ethPrivateKey: withEth ? `0x${'11'.repeat(32)}` : null,
        });
        expect(decodeVaultSecret(encodeVaultSecret(secret))).toEqual(secret);
      }),
      { numRuns: 50 },
    );
    const m = checkVaultSecret({ kind: 'mnemonic', mnemonic: PHRASE, starkDerivation: 'dydx' });
    expect(m).toEqual({ kind: 'mnemonic', mnemonic: PHRASE, starkDerivation: 'dydx', chainId: 1 });
    expect(decodeVaultSecret(encodeVaultSecret(m))).toEqual(m);
  });

  it('rejects unknown kinds and derivations', () => {
    expect(() => checkVaultSecret({ kind: 'seed' })).toThrow(/kind/);
    expect(() => checkVaultSecret({ kind: 'mnemonic', mnemonic: PHRASE, starkDerivation: 'argent' })).toThrow(
      /starkDerivation/,
    );
    expect(() => checkVaultSecret({ kind: 'mnemonic', mnemonic: PHRASE, starkDerivation: 'dydx', chainId: 0 })).toThrow(
      /chainId/,
    );
  });

  it('damaged plaintext is VaultFormatError', () => {
    expect(() => decodeVaultSecret(utf8ToBytes('{"v":1,'))).toThrow(VaultFormatError);
    expect(() => decodeVaultSecret(utf8ToBytes('{"v":2,"kind":"keys"}'))).toThrow(/plaintext\.v/);
    expect(() => decodeVaultSecret(new Uint8Array([0x7b, 0xff]))).toThrow(/ASCII/);
    expect(() => decodeVaultSecret(utf8ToBytes('{"v":1,"kind":"keys","starkPrivateKey":"0x0"}'))).toThrow(
      VaultFormatError,
    );
  });
});
