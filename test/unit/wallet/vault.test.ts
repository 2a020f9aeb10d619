import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { createDecipheriv, pbkdf2Sync } from 'node:crypto';
import {
  VAULT_MIN_ITERATIONS,
  VaultFormatError,
  VaultTamperedError,
  WalletInputError,
  WrongPasswordError,
  encryptVault,
  openVaultWithKey,
  parseVaultEnvelope,
  platformCrypto,
  resealVault,
  unlockVault,
  vaultNeedsUpgrade,
  type VaultEnvelope,
} from '../../../src/wallet/index.js';

const crypto = platformCrypto();
const secret = utf8ToBytes('{"v":1,"kind":"keys","starkPrivateKey":"0x01"}');

// One real 600k-iteration vault shared by the tests (PBKDF2 at this cost takes ~0.5 s).
const sealed = encryptVault(crypto, 'correct horse', secret);

describe('vault envelope', () => {
  it('round-trips with the password and with the cached key, and records its KDF parameters', async () => {
    const { envelope, key } = await sealed;
    expect(envelope).toMatchObject({
      format: 'vigil-vault',
      version: 1,
      kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations: VAULT_MIN_ITERATIONS },
      cipher: { name: 'AES-GCM' },
    });
    expect(envelope.cipher.iv).toHaveLength(24); // 12-byte IV
    expect(envelope.kdf.salt).toHaveLength(64);
    const opened = await unlockVault(crypto, JSON.stringify(envelope), 'correct horse');
    expect(bytesToHex(opened.plaintext)).toBe(bytesToHex(secret));
    expect(bytesToHex(opened.key)).toBe(bytesToHex(key));
    expect(bytesToHex(await openVaultWithKey(crypto, envelope, key))).toBe(bytesToHex(secret));
    expect(vaultNeedsUpgrade(envelope)).toBe(false);
    expect(vaultNeedsUpgrade(envelope, VAULT_MIN_ITERATIONS + 1)).toBe(true);
  });

  it('is standard PBKDF2-SHA256 + AES-256-GCM: an independent implementation (node:crypto / OpenSSL) decrypts it', async () => {
    const { envelope } = await sealed;
    const bits = new Uint8Array(
      pbkdf2Sync('correct horse', hexToBytes(envelope.kdf.salt), envelope.kdf.iterations, 64, 'sha256'),
    );
    expect(bytesToHex(bits.slice(32))).toBe(envelope.check);
    const { ciphertext, check, ...header } = envelope;
    void check;
    const ct = hexToBytes(ciphertext);
    const decipher = createDecipheriv('aes-256-gcm', bits.slice(0, 32), hexToBytes(envelope.cipher.iv));
    decipher.setAAD(utf8ToBytes(JSON.stringify(header)));
    decipher.setAuthTag(ct.slice(-16));
    const pt = new Uint8Array([...decipher.update(ct.slice(0, -16)), ...decipher.final()]);
    expect(bytesToHex(pt)).toBe(bytesToHex(secret));
  });

  it('a wrong password is WrongPasswordError; a modified ciphertext or header with the right password is VaultTamperedError', async () => {
    const { envelope } = await sealed;
    await expect(unlockVault(crypto, envelope, 'wrong horse')).rejects.toBeInstanceOf(WrongPasswordError);
    const flipped = envelope.ciphertext.slice(0, -2) + (envelope.ciphertext.endsWith('00') ? '01' : '00');
    await expect(unlockVault(crypto, { ...envelope, ciphertext: flipped }, 'correct horse')).rejects.toBeInstanceOf(
      VaultTamperedError,
    );
    const otherIv = (envelope.cipher.iv.startsWith('00') ? '01' : '00') + envelope.cipher.iv.slice(2);
    await expect(
      unlockVault(crypto, { ...envelope, cipher: { name: 'AES-GCM', iv: otherIv } }, 'correct horse'),
    ).rejects.toBeInstanceOf(VaultTamperedError);
  });

  it('the cached key opens a resealed vault; a different key does not', async () => {
    const { envelope, key } = await sealed;
    const next = await resealVault(crypto, envelope, key, utf8ToBytes('{"v":1}'));
    expect(next.kdf).toEqual(envelope.kdf);
    expect(next.cipher.iv).not.toBe(envelope.cipher.iv);
    expect(new TextDecoder().decode(await openVaultWithKey(crypto, next, key))).toBe('{"v":1}');
    const other = key.slice();
    other[0]! ^= 1;
    await expect(openVaultWithKey(crypto, next, other)).rejects.toBeInstanceOf(VaultTamperedError);
  });

  it('refuses to create a vault below 600,000 iterations or with an empty password', async () => {
    await expect(encryptVault(crypto, 'pw', secret, { iterations: VAULT_MIN_ITERATIONS - 1 })).rejects.toBeInstanceOf(
      WalletInputError,
    );
    await expect(encryptVault(crypto, '', secret)).rejects.toThrow(/password/);
  });
});

describe('parseVaultEnvelope: a damaged vault is VaultFormatError naming the field', () => {
  const good = (async () => (await sealed).envelope)();
  const cases: [string, (e: VaultEnvelope) => unknown, RegExp][] = [
    ['truncated JSON', (e) => JSON.stringify(e).slice(0, 50), /vault: not valid JSON/],
    ['not an object', () => 42, /vault: expected an object/],
    ['other format', (e) => ({ ...e, format: 'x' }), /format/],
    ['future version', (e) => ({ ...e, version: 2 }), /version: expected 1, found 2/],
    ['other KDF', (e) => ({ ...e, kdf: { ...e.kdf, hash: 'SHA-1' } }), /kdf/],
    ['bad iterations', (e) => ({ ...e, kdf: { ...e.kdf, iterations: 1.5 } }), /kdf\.iterations/],
    [
      'short salt',
      (e) => ({ ...e, kdf: { ...e.kdf, salt: e.kdf.salt.slice(2) } }),
      /kdf\.salt: expected 32 bytes, found 31/,
    ],
    ['short IV', (e) => ({ ...e, cipher: { ...e.cipher, iv: 'abcd' } }), /cipher\.iv/],
    ['missing check', (e) => ({ ...e, check: undefined }), /check/],
    [
      'truncated ciphertext',
      (e) => ({ ...e, ciphertext: e.ciphertext.slice(0, 16) }),
      /ciphertext: expected at least 17 bytes/,
    ],
    ['odd hex', (e) => ({ ...e, ciphertext: e.ciphertext.slice(1) }), /ciphertext/],
  ];
  for (const [what, damage, message] of cases) {
    it(what, async () => {
      const e = await good;
      expect(() => parseVaultEnvelope(damage(e))).toThrow(VaultFormatError);
      expect(() => parseVaultEnvelope(damage(e))).toThrow(message);
    });
  }
  it('unlock of a damaged vault fails with VaultFormatError before any key derivation', async () => {
    const e = await good;
    await expect(unlockVault(crypto, { ...e, version: 0 }, 'correct horse')).rejects.toBeInstanceOf(VaultFormatError);
  });
});
