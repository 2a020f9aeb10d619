import { describe, expect, it } from 'vitest';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { createCipheriv, pbkdf2Sync, randomBytes } from 'node:crypto';
import {
  VAULT_ACCEPT_MIN_ITERATIONS,
  VaultFormatError,
  decodeVaultSecret,
  platformCrypto,
  unlockVault,
} from '../../../src/wallet/index.js';

/**
 * Security review: an envelope whose KDF count was lowered is refused, not opened at the weak
 * count. The envelope is built independently with node:crypto (a complete, self-consistent vault:
 * password check and GCM tag over the header), so only the iteration floor can refuse it.
 */
function craftVault(password: string, iterations: number, plaintext: Uint8Array) {
  const salt = randomBytes(32);
  const iv = randomBytes(12);
  const header = {
    format: 'vigil-vault',
    version: 1,
    kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations, salt: bytesToHex(salt) },
    cipher: { name: 'AES-GCM', iv: bytesToHex(iv) },
  };
  const bits = pbkdf2Sync(password, salt, iterations, 64, 'sha256');
  const cipher = createCipheriv('aes-256-gcm', bits.subarray(0, 32), iv);
  cipher.setAAD(utf8ToBytes(JSON.stringify(header)));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return { ...header, check: bytesToHex(bits.subarray(32)), ciphertext: bytesToHex(ct) };
}

const secret = utf8ToBytes(
  '{"v":1,"kind":"keys","ethPrivateKey":null,"starkPrivateKey":"0x0000000000000000000000000000000000000000000000000000000000000001"}',
);

describe('downgraded vault', () => {
  it('the independent construction opens at the floor (so the refusal below is about the count only)', async () => {
    const opened = await unlockVault(platformCrypto(), craftVault('pw', VAULT_ACCEPT_MIN_ITERATIONS, secret), 'pw');
    expect(decodeVaultSecret(opened.plaintext)).toMatchObject({ kind: 'keys' });
  });

  it.each([1, 1000, VAULT_ACCEPT_MIN_ITERATIONS - 1])(
    '%i iterations → VaultFormatError on kdf.iterations, before any PBKDF2',
    async (iterations) => {
      const envelope = craftVault('pw', iterations, secret);
      const err = await unlockVault(platformCrypto(), envelope, 'pw').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(VaultFormatError);
      expect((err as VaultFormatError).field).toBe('kdf.iterations');
      expect((err as Error).message).toContain('downgraded');
    },
  );
});
