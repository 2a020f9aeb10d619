import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { VaultFormatError, VaultTamperedError, WalletInputError, WrongPasswordError } from './errors.js';
import type { WalletCrypto } from './web-crypto.js';

/**
 * The encrypted vault (issue 8; wallet-practice.md §2.1): PBKDF2-SHA256 → AES-256-GCM with a 12-byte
 * IV. The envelope records the KDF parameters so they can be raised later (the passworder
 * `keyMetadata` / `updateVault` pattern): a vault below the current count is re-encrypted on unlock.
 *
 * PBKDF2 yields 64 bytes: the first 32 are the AES key, the last 32 a password check stored in the
 * envelope. The check tells a wrong password (check differs) from a modified vault (check matches,
 * GCM authentication fails). It gives an attacker nothing the ciphertext does not: both need the
 * full PBKDF2 per guess. The header is GCM additional data, so editing the parameters is detected.
 */

export const VAULT_FORMAT = 'vigil-vault';
export const VAULT_VERSION = 1;
/** OWASP 2023 / MetaMask's floor for PBKDF2-SHA256 (wallet-practice.md §0.4). */
export const VAULT_MIN_ITERATIONS = 600_000;
export const VAULT_DEFAULT_ITERATIONS = 600_000;
/** The lowest count any Vigil vault was written with: the floor for opening one. Never raise it. */
export const VAULT_ACCEPT_MIN_ITERATIONS = 600_000;
/** Refuse absurd counts from a stored envelope (a DoS on unlock), not from a policy. */
const MAX_ITERATIONS = 100_000_000;
const SALT_BYTES = 32;
const IV_BYTES = 12;
const KEY_BYTES = 32;
const GCM_TAG_BYTES = 16;

export type VaultHeader = {
  format: typeof VAULT_FORMAT;
  version: typeof VAULT_VERSION;
  kdf: { name: 'PBKDF2'; hash: 'SHA-256'; iterations: number; salt: string };
  cipher: { name: 'AES-GCM'; iv: string };
};
export type VaultEnvelope = VaultHeader & { check: string; ciphertext: string };

/** The AES key and password check derived from a password: what unlock caches (key only). */
export type VaultKey = { key: Uint8Array; check: Uint8Array };

const HEX = /^[0-9a-f]*$/;

function hexField(field: string, v: unknown, bytes?: number, minBytes = 0): string {
  if (typeof v !== 'string' || !HEX.test(v) || v.length % 2 !== 0)
    throw new VaultFormatError(field, 'expected lower-case hex with an even number of digits');
  if (bytes !== undefined && v.length !== bytes * 2)
    throw new VaultFormatError(field, `expected ${bytes} bytes, found ${v.length / 2}`);
  if (v.length < minBytes * 2)
    throw new VaultFormatError(field, `expected at least ${minBytes} bytes, found ${v.length / 2} (truncated?)`);
  return v;
}

function obj(field: string, v: unknown): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new VaultFormatError(field, 'expected an object');
  return v as Record<string, unknown>;
}

/** Validates a stored envelope (a parsed JSON value or its text). Any defect → VaultFormatError. */
export function parseVaultEnvelope(stored: unknown): VaultEnvelope {
  let v = stored;
  if (typeof stored === 'string') {
    try {
      v = JSON.parse(stored);
    } catch (err) {
      throw new VaultFormatError('vault', 'not valid JSON (truncated?)', { cause: err });
    }
  }
  const e = obj('vault', v);
  if (e.format !== VAULT_FORMAT) throw new VaultFormatError('format', `expected "${VAULT_FORMAT}"`);
  if (e.version !== VAULT_VERSION)
    throw new VaultFormatError('version', `expected ${VAULT_VERSION}, found ${JSON.stringify(e.version)}`);
  const kdf = obj('kdf', e.kdf);
  if (kdf.name !== 'PBKDF2' || kdf.hash !== 'SHA-256')
    throw new VaultFormatError('kdf', 'expected PBKDF2 with SHA-256');
  const it = kdf.iterations;
  if (typeof it !== 'number' || !Number.isSafeInteger(it) || it < 1 || it > MAX_ITERATIONS)
    throw new VaultFormatError('kdf.iterations', `expected an integer in 1..${MAX_ITERATIONS}`);
  // No Vigil vault was ever written below this count, so a lower one is a downgraded (edited)
  // envelope: refused, never opened at the weak count (security review). Raising the creation
  // default later does not touch this floor; older vaults are re-sealed on unlock instead.
  if (it < VAULT_ACCEPT_MIN_ITERATIONS)
    throw new VaultFormatError(
      'kdf.iterations',
      `${it} is below ${VAULT_ACCEPT_MIN_ITERATIONS}, the lowest count Vigil ever wrote (downgraded?)`,
    );
  const cipher = obj('cipher', e.cipher);
  if (cipher.name !== 'AES-GCM') throw new VaultFormatError('cipher.name', 'expected "AES-GCM"');
  return {
    format: VAULT_FORMAT,
    version: VAULT_VERSION,
    kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations: it, salt: hexField('kdf.salt', kdf.salt, SALT_BYTES) },
    cipher: { name: 'AES-GCM', iv: hexField('cipher.iv', cipher.iv, IV_BYTES) },
    check: hexField('check', e.check, KEY_BYTES),
    ciphertext: hexField('ciphertext', e.ciphertext, undefined, GCM_TAG_BYTES + 1),
  };
}

/** The bytes authenticated as GCM additional data: the header in a fixed field order. */
function headerBytes(h: VaultHeader): Uint8Array {
  const canonical = {
    format: h.format,
    version: h.version,
    kdf: { name: h.kdf.name, hash: h.kdf.hash, iterations: h.kdf.iterations, salt: h.kdf.salt },
    cipher: { name: h.cipher.name, iv: h.cipher.iv },
  };
  return utf8ToBytes(JSON.stringify(canonical));
}

function checkPassword(password: unknown): string {
  if (typeof password !== 'string') throw new WalletInputError('password', `expected a string, got ${typeof password}`);
  if (password.length === 0) throw new WalletInputError('password', 'must not be empty');
  return password;
}

/** PBKDF2 of the password with the envelope's parameters. */
export async function deriveVaultKey(
  crypto: WalletCrypto,
  password: string,
  kdf: VaultHeader['kdf'],
): Promise<VaultKey> {
  const base = await crypto.subtle.importKey('raw', utf8ToBytes(checkPassword(password)), 'PBKDF2', false, [
    'deriveBits',
  ]);
  const bits = new Uint8Array(
    await crypto.subtle.deriveBits(
      { name: 'PBKDF2', hash: 'SHA-256', salt: hexToBytes(kdf.salt), iterations: kdf.iterations },
      base,
      8 * 2 * KEY_BYTES,
    ),
  );
  return { key: bits.slice(0, KEY_BYTES), check: bits.slice(KEY_BYTES) };
}

async function aesKey(crypto: WalletCrypto, key: Uint8Array, usage: 'encrypt' | 'decrypt'): Promise<unknown> {
  if (!(key instanceof Uint8Array) || key.length !== KEY_BYTES)
    throw new WalletInputError('key', `expected ${KEY_BYTES} bytes`);
  return crypto.subtle.importKey('raw', key, { name: 'AES-GCM' }, false, [usage]);
}

export type EncryptVaultOptions = { iterations?: number };

/** Encrypts `plaintext` under a password. Returns the envelope and the derived key (for the session cache). */
export async function encryptVault(
  crypto: WalletCrypto,
  password: string,
  plaintext: Uint8Array,
  opts: EncryptVaultOptions = {},
): Promise<{ envelope: VaultEnvelope; key: Uint8Array }> {
  const iterations = opts.iterations ?? VAULT_DEFAULT_ITERATIONS;
  if (!Number.isSafeInteger(iterations) || iterations < VAULT_MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
    throw new WalletInputError(
      'iterations',
      `${iterations} is out of range; expected ${VAULT_MIN_ITERATIONS} <= iterations <= ${MAX_ITERATIONS}`,
    );
  }
  const header: VaultHeader = {
    format: VAULT_FORMAT,
    version: VAULT_VERSION,
    kdf: {
      name: 'PBKDF2',
      hash: 'SHA-256',
      iterations,
      salt: bytesToHex(crypto.getRandomValues(new Uint8Array(SALT_BYTES))),
    },
    cipher: { name: 'AES-GCM', iv: bytesToHex(crypto.getRandomValues(new Uint8Array(IV_BYTES))) },
  };
  const { key, check } = await deriveVaultKey(crypto, password, header.kdf);
  const envelope = await sealWithKey(crypto, header, key, check, plaintext);
  return { envelope, key };
}

async function sealWithKey(
  crypto: WalletCrypto,
  header: VaultHeader,
  key: Uint8Array,
  check: Uint8Array,
  plaintext: Uint8Array,
): Promise<VaultEnvelope> {
  const ct = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv: hexToBytes(header.cipher.iv), additionalData: headerBytes(header) },
    await aesKey(crypto, key, 'encrypt'),
    plaintext,
  );
  return { ...header, check: bytesToHex(check), ciphertext: bytesToHex(new Uint8Array(ct)) };
}

/** Re-encrypts new plaintext under the same key and KDF parameters with a fresh IV (the session can do it without the password). */
export async function resealVault(
  crypto: WalletCrypto,
  envelope: VaultEnvelope,
  key: Uint8Array,
  plaintext: Uint8Array,
): Promise<VaultEnvelope> {
  const e = parseVaultEnvelope(envelope);
  await openVaultWithKey(crypto, e, key); // the key must open the current vault first
  const header: VaultHeader = {
    format: e.format,
    version: e.version,
    kdf: e.kdf,
    cipher: { name: 'AES-GCM', iv: bytesToHex(crypto.getRandomValues(new Uint8Array(IV_BYTES))) },
  };
  return sealWithKey(crypto, header, key, hexToBytes(e.check), plaintext);
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** Opens the vault with the session's cached key (no PBKDF2). */
export async function openVaultWithKey(crypto: WalletCrypto, stored: unknown, key: Uint8Array): Promise<Uint8Array> {
  const e = parseVaultEnvelope(stored);
  try {
    const pt = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: hexToBytes(e.cipher.iv), additionalData: headerBytes(e) },
      await aesKey(crypto, key, 'decrypt'),
      hexToBytes(e.ciphertext),
    );
    return new Uint8Array(pt);
  } catch (err) {
    throw new VaultTamperedError({ cause: err });
  }
}

/** Opens the vault with the password: WrongPasswordError, VaultTamperedError or VaultFormatError on failure. */
export async function unlockVault(
  crypto: WalletCrypto,
  stored: unknown,
  password: string,
): Promise<{ plaintext: Uint8Array; key: Uint8Array; envelope: VaultEnvelope }> {
  const e = parseVaultEnvelope(stored);
  const { key, check } = await deriveVaultKey(crypto, password, e.kdf);
  if (!equalBytes(check, hexToBytes(e.check))) throw new WrongPasswordError();
  return { plaintext: await openVaultWithKey(crypto, e, key), key, envelope: e };
}

/** True when the vault's KDF is weaker than the current default and should be re-encrypted on unlock. */
export function vaultNeedsUpgrade(envelope: VaultEnvelope, iterations = VAULT_DEFAULT_ITERATIONS): boolean {
  return envelope.kdf.iterations < iterations;
}
