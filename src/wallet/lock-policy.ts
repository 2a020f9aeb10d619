import { WalletInputError } from './errors.js';

/**
 * Unlock throttling and auto-lock (issue 8 "Vault"; wallet-practice.md §2.2). Pure arithmetic on
 * timestamps: the service worker persists the inputs, so a restart neither forgets a deadline nor
 * resets the delay.
 */

/** Wait after `failures` consecutive wrong passwords: 0, then 1 s, 2 s, 4 s, … capped at 5 min. */
export function unlockDelayMs(failures: number): number {
  if (!Number.isSafeInteger(failures) || failures < 0)
    throw new WalletInputError('failures', `expected a non-negative integer, got ${failures}`);
  if (failures === 0) return 0;
  return Math.min(1000 * 2 ** Math.min(failures - 1, 30), 5 * 60_000);
}

/** Milliseconds still to wait before the next attempt (0 = may try now). */
export function unlockRetryAfterMs(failures: number, lastFailureAt: number, now: number): number {
  return Math.max(0, lastFailureAt + unlockDelayMs(failures) - now);
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
