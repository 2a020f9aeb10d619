/**
 * The unlocked session (issue 8 "Vault"; wallet-practice.md §2.2–2.3). Decrypted keys live only in
 * this module's memory. `chrome.storage.session` (memory-only, not readable by content scripts)
 * holds the derived AES key and the auto-lock deadline, so a restarted service worker re-opens the
 * vault without the password and still locks on time.
 */
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import {
  AUTO_LOCK_DEFAULT_MS,
  KeyCache,
  NO_UNLOCK_FAILURES,
  UnlockThrottledError,
  WalletInputError,
  WrongPasswordError,
  afterUnlockFailure,
  autoLockDeadline,
  checkAutoLockMs,
  createSerialQueue,
  decodeVaultSecret,
  encodeVaultSecret,
  encryptVault,
  isPastDeadline,
  openVaultWithKey,
  platformCrypto,
  unlockRetryAfterMs,
  unlockVault,
  vaultNeedsUpgrade,
  walletAccountOf,
  walletKeysFromSecret,
} from '../../src/index.js';
import type { VaultSecret, WalletAccount, WalletKeys } from '../../src/index.js';
import { announce } from './changes.js';
import { getMeta, insertVault, replaceVault, restoreVaultRecords, setMeta, storedVault } from './db.js';

const SESSION_KEY = 'vaultKey';
const DEADLINE_KEY = 'autoLockAt';
export const AUTO_LOCK_ALARM = 'vigil-auto-lock';

// The decrypted keys, behind a lock epoch: a read in flight cannot undo a lock (issue 13).
const cache = new KeyCache<WalletKeys>();
let lockTimer: ReturnType<typeof setTimeout> | undefined;
const lockListeners: Array<() => void> = [];

export class VaultExistsError extends Error {
  override name = 'VaultExistsError';
  constructor() {
    super('A vault already exists; it is never overwritten.');
  }
}

export function onLock(listener: () => void): void {
  lockListeners.push(listener);
}

export async function account(): Promise<WalletAccount | undefined> {
  return getMeta('account');
}

export async function autoLockMs(): Promise<number> {
  return (await getMeta('autoLockMs')) ?? AUTO_LOCK_DEFAULT_MS;
}

export async function setAutoLockMs(ms: unknown): Promise<void> {
  await setMeta('autoLockMs', checkAutoLockMs(ms));
  if (await isUnlocked()) await touch();
}

async function deadline(): Promise<number | undefined> {
  return (await chrome.storage.session.get(DEADLINE_KEY))[DEADLINE_KEY] as number | undefined;
}

/** User activity: moves the auto-lock deadline (persisted) and re-arms the alarm and the timer. */
export async function touch(): Promise<void> {
  const at = autoLockDeadline(Date.now(), await autoLockMs());
  await chrome.storage.session.set({ [DEADLINE_KEY]: at });
  armLock(at);
}

/** Chrome alarms fire at most every 30 s; a timer covers shorter idle times while this worker lives. */
export function armLock(at: number): void {
  void chrome.alarms.create(AUTO_LOCK_ALARM, { when: Math.max(at, Date.now() + 30_000) });
  clearTimeout(lockTimer);
  lockTimer = setTimeout(() => void checkAutoLock(), Math.max(0, at - Date.now()) + 50);
}

/** Locks if the deadline has passed. Called on every wake, message and alarm. */
export async function checkAutoLock(): Promise<void> {
  const stored = await chrome.storage.session.get([DEADLINE_KEY, SESSION_KEY]);
  const at = stored[DEADLINE_KEY] as number | undefined;
  // A cached vault key without a deadline is a session that would never lock: lock it.
  if (isPastDeadline(at, Date.now()) || (at === undefined && stored[SESSION_KEY] !== undefined)) await lock();
  else if (at !== undefined && lockTimer === undefined) armLock(at);
}

export async function lock(): Promise<void> {
  // Keys go first, before any await: a currentKeys() in flight now finds its epoch stale.
  const hadKeys = cache.keys !== null;
  cache.lock();
  const wasUnlocked = hadKeys || (await chrome.storage.session.get(SESSION_KEY))[SESSION_KEY] !== undefined;
  clearTimeout(lockTimer);
  lockTimer = undefined;
  await chrome.storage.session.remove([SESSION_KEY, DEADLINE_KEY]);
  await chrome.alarms.clear(AUTO_LOCK_ALARM);
  if (wasUnlocked) for (const l of lockListeners) l();
  if (wasUnlocked) announce('wallet');
}

async function startSession(secret: VaultSecret, key: Uint8Array): Promise<WalletKeys> {
  const keys = cache.set(await walletKeysFromSecret(secret));
  // Key and deadline in one write: a worker stopped in between must not leave a session that never locks.
  const at = autoLockDeadline(Date.now(), await autoLockMs());
  await chrome.storage.session.set({ [SESSION_KEY]: bytesToHex(key), [DEADLINE_KEY]: at });
  key.fill(0);
  armLock(at);
  // Created, unlocked or restored: the pages show the account and its positions again.
  announce('wallet');
  return keys;
}

export async function hasVault(): Promise<boolean> {
  return (await storedVault()) !== undefined;
}

export async function createVault(secret: VaultSecret, password: string): Promise<WalletAccount> {
  if (await hasVault()) throw new VaultExistsError();
  const sessionKeys = await walletKeysFromSecret(secret);
  const { envelope, key } = await encryptVault(platformCrypto(), password, encodeVaultSecret(secret));
  const acct = walletAccountOf(sessionKeys, secret);
  if (!(await insertVault(envelope, acct))) throw new VaultExistsError();
  await startSession(secret, key);
  return acct;
}

// One unlock attempt (or restore) at a time: concurrent attempts would all read the same failure
// count and skip the growing delay (a password-guessing bypass).
const unlocking = createSerialQueue();

export function unlock(password: string): Promise<WalletAccount> {
  return unlocking.run(() => unlockOnce(password));
}

async function unlockOnce(password: string): Promise<WalletAccount> {
  const stored = await storedVault();
  if (stored === undefined) throw new Error('No vault yet: create or import one first.');
  const failures = (await getMeta('unlockFailures')) ?? NO_UNLOCK_FAILURES;
  // The policy (src/wallet/lock-policy.ts): a few free attempts, then growing delays.
  const wait = unlockRetryAfterMs(failures.count, failures.lastAt, Date.now());
  if (wait > 0) throw new UnlockThrottledError(wait);
  // The attempt counts as a failure before PBKDF2 runs: stopping the worker mid-attempt cannot
  // erase it. Success resets it; an error that is not a wrong password restores the old count.
  await setMeta('unlockFailures', afterUnlockFailure(failures, Date.now()));
  let opened;
  try {
    opened = await unlockVault(platformCrypto(), stored, password);
  } catch (err) {
    await setMeta(
      'unlockFailures',
      err instanceof WrongPasswordError ? afterUnlockFailure(failures, Date.now()) : failures,
    );
    throw err;
  }
  await setMeta('unlockFailures', NO_UNLOCK_FAILURES);
  const secret = decodeVaultSecret(opened.plaintext);
  opened.plaintext.fill(0);
  let key = opened.key;
  // Raise the KDF cost of an older vault now that we have the password (passworder's updateVault).
  if (vaultNeedsUpgrade(opened.envelope)) {
    const upgraded = await encryptVault(platformCrypto(), password, encodeVaultSecret(secret));
    await replaceVault(upgraded.envelope);
    key = upgraded.key;
  }
  const k = await startSession(secret, key);
  return walletAccountOf(k, secret);
}

/**
 * "Forgot password? Restore from your recovery phrase" (issue 17 item 7): replaces the vault with
 * one of `secret` (a checked BIP-39 phrase) under a new password. Everything that can fail — the
 * phrase, the password, the key derivation, the encryption — runs before anything is touched: a
 * refused phrase leaves the old vault and its password as they were. Then the old session is locked
 * and the new vault, its account and a cleared wrong-password count are written in one
 * transaction; connected sites and settings are kept. Queued with unlock: no attempt interleaves.
 */
export function restoreVault(
  secret: VaultSecret,
  password: string,
): Promise<{ account: WalletAccount; previous: WalletAccount | undefined }> {
  return unlocking.run(async () => {
    if (secret.kind !== 'mnemonic')
      throw new WalletInputError('secret.kind', `expected "mnemonic" (a recovery phrase), got "${secret.kind}"`);
    const previous = await account();
    const sessionKeys = await walletKeysFromSecret(secret);
    const { envelope, key } = await encryptVault(platformCrypto(), password, encodeVaultSecret(secret));
    const acct = walletAccountOf(sessionKeys, secret);
    await lock(); // the old keys leave memory before the new vault exists
    await restoreVaultRecords(envelope, acct);
    await startSession(secret, key);
    return { account: acct, previous };
  });
}

export async function isUnlocked(): Promise<boolean> {
  await checkAutoLock();
  if (cache.keys) return true;
  return (await chrome.storage.session.get(SESSION_KEY))[SESSION_KEY] !== undefined;
}

/** The decrypted keys, re-opened from the session key after a worker restart; null when locked. */
export async function currentKeys(): Promise<WalletKeys | null> {
  await checkAutoLock();
  return cache.load(async () => {
    const hex = (await chrome.storage.session.get(SESSION_KEY))[SESSION_KEY] as string | undefined;
    if (!hex) return null;
    const stored = await storedVault();
    if (stored === undefined) return null;
    const plaintext = await openVaultWithKey(platformCrypto(), stored, hexToBytes(hex));
    const keys = await walletKeysFromSecret(decodeVaultSecret(plaintext));
    plaintext.fill(0);
    return keys;
  });
}

export async function lockStatus(): Promise<{
  hasVault: boolean;
  unlocked: boolean;
  account: WalletAccount | undefined;
  autoLockMs: number;
  autoLockAt: number | undefined;
}> {
  const unlocked = await isUnlocked();
  return {
    hasVault: await hasVault(),
    unlocked,
    account: await account(),
    autoLockMs: await autoLockMs(),
    autoLockAt: unlocked ? await deadline() : undefined,
  };
}
