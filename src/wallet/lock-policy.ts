import { WalletInputError } from './errors.js';

/**
 * Unlock throttling and auto-lock (issue 8 "Vault"; wallet-practice.md §2.2). Pure arithmetic on
 * timestamps: the service worker persists the inputs, so a restart neither forgets a deadline nor
 * resets the delay.
 */

/**
 * Wrong passwords in a row that cost no wait (issue 17 item 7): a typo, or two, must not lock the
 * user out of the very next, correct attempt. PBKDF2 at 600k iterations already prices every guess.
 */
export const UNLOCK_FREE_ATTEMPTS = 3;
/** The longest wait between two attempts, however many failed. */
export const UNLOCK_MAX_DELAY_MS = 5 * 60_000;

/**
 * Wait after `failures` consecutive wrong passwords: none for the first UNLOCK_FREE_ATTEMPTS - 1
 * (attempts 1..3 may follow one another at once), then 1 s after the 3rd failure, 2 s after the
 * 4th, 4 s, … capped at UNLOCK_MAX_DELAY_MS.
 */
export function unlockDelayMs(failures: number): number {
  if (!Number.isSafeInteger(failures) || failures < 0)
    throw new WalletInputError('failures', `${failures} is out of range; expected an integer >= 0`);
  if (failures < UNLOCK_FREE_ATTEMPTS) return 0;
  return Math.min(1000 * 2 ** Math.min(failures - UNLOCK_FREE_ATTEMPTS, 30), UNLOCK_MAX_DELAY_MS);
}

/** Milliseconds still to wait before the next attempt (0 = may try now). */
export function unlockRetryAfterMs(failures: number, lastFailureAt: number, now: number): number {
  return Math.max(0, lastFailureAt + unlockDelayMs(failures) - now);
}

/** The persisted count of consecutive wrong passwords and when the last one happened. */
export type UnlockFailures = { count: number; lastAt: number };
export const NO_UNLOCK_FAILURES: UnlockFailures = Object.freeze({ count: 0, lastAt: 0 });

/** The record after one more wrong password at `now` (written before the KDF runs, see session.ts). */
export function afterUnlockFailure(prev: UnlockFailures, now: number): UnlockFailures {
  return { count: prev.count + 1, lastAt: now };
}

export const AUTO_LOCK_DEFAULT_MS = 15 * 60_000;
/** Bounds of the setting: at least 5 s (tests and the paranoid), at most one week. */
export const AUTO_LOCK_MIN_MS = 5_000;
export const AUTO_LOCK_MAX_MS = 7 * 24 * 3_600_000;

export function checkAutoLockMs(ms: unknown): number {
  if (typeof ms !== 'number' || !Number.isSafeInteger(ms) || ms < AUTO_LOCK_MIN_MS || ms > AUTO_LOCK_MAX_MS) {
    throw new WalletInputError(
      'autoLockMs',
      `${String(ms)} is out of range; expected an integer ${AUTO_LOCK_MIN_MS} <= autoLockMs <= ${AUTO_LOCK_MAX_MS}`,
    );
  }
  return ms;
}

/** The lock time as the settings show it: minutes, 0.1 (6 s) to 7 days. */
export const AUTO_LOCK_MIN_MINUTES = 0.1;
export const AUTO_LOCK_MAX_MINUTES = AUTO_LOCK_MAX_MS / 60_000;

/** Minutes typed in the settings → milliseconds; an error names the field, the value and the range. */
export function autoLockMsOfMinutes(minutes: unknown): number {
  const n = typeof minutes === 'string' && /^\d+(\.\d+)?$/.test(minutes.trim()) ? Number(minutes) : minutes;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < AUTO_LOCK_MIN_MINUTES || n > AUTO_LOCK_MAX_MINUTES)
    throw new WalletInputError(
      'autoLockMinutes',
      `${JSON.stringify(minutes)} is out of range; expected minutes, ${AUTO_LOCK_MIN_MINUTES} <= autoLockMinutes <= ${AUTO_LOCK_MAX_MINUTES} (7 days)`,
    );
  return checkAutoLockMs(Math.round(n * 60_000));
}

/** The idle deadline after activity at `now`. */
export function autoLockDeadline(now: number, autoLockMs: number): number {
  return now + checkAutoLockMs(autoLockMs);
}

export function isPastDeadline(deadline: number | undefined, now: number): boolean {
  return deadline !== undefined && now >= deadline;
}

/**
 * Decrypted keys with a lock epoch (issue 13): re-opening the keys after a worker restart awaits
 * storage and crypto, and a lock that lands during those awaits must win. Every lock bumps the
 * epoch; a load assigns its keys only if the epoch it started in is still current, so an in-flight
 * read can neither undo a lock nor leave keys in memory with no auto-lock deadline behind them.
 */
export class KeyCache<K> {
  #keys: K | null = null;
  #epoch = 0;
  get keys(): K | null {
    return this.#keys;
  }
  get epoch(): number {
    return this.#epoch;
  }
  /** Drops the keys and invalidates every load that started before. */
  lock(): void {
    this.#keys = null;
    this.#epoch++;
  }
  /** Keys from an unlock the user just performed (it starts a new session; older loads stay void). */
  set(keys: K): K {
    this.#epoch++;
    this.#keys = keys;
    return keys;
  }
  /** The cached keys, or `read()`'s keys if no lock happened while it ran; null otherwise. */
  async load(read: () => Promise<K | null>): Promise<K | null> {
    if (this.#keys) return this.#keys;
    const started = this.#epoch;
    const loaded = await read();
    if (started !== this.#epoch) return this.#keys; // locked meanwhile (null), or a newer unlock's keys
    if (loaded !== null) this.#keys = loaded;
    return loaded;
  }
}
