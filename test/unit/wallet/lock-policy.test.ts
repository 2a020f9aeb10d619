import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  AUTO_LOCK_DEFAULT_MS,
  AUTO_LOCK_MAX_MS,
  AUTO_LOCK_MIN_MS,
  WalletInputError,
  autoLockDeadline,
  checkAutoLockMs,
  isPastDeadline,
  KeyCache,
  NO_UNLOCK_FAILURES,
  UNLOCK_FREE_ATTEMPTS,
  UNLOCK_MAX_DELAY_MS,
  afterUnlockFailure,
  unlockDelayMs,
  unlockRetryAfterMs,
} from '../../../src/wallet/index.js';

describe('unlock throttling (issue 17 item 7: a few free attempts, then growing delays)', () => {
  it('the first 3 wrong passwords cost no wait: a typo never delays the next, correct attempt', () => {
    expect(UNLOCK_FREE_ATTEMPTS).toBe(3);
    expect([0, 1, 2].map(unlockDelayMs)).toEqual([0, 0, 0]);
    // One typo, then the right password at once (the defect: "try again in 1 s").
    expect(unlockRetryAfterMs(1, 1_000, 1_000)).toBe(0);
    expect(unlockRetryAfterMs(2, 1_000, 1_000)).toBe(0);
  });
  it('from the 3rd failure on: 1 s, then doubling', () => {
    expect([3, 4, 5, 6, 7].map(unlockDelayMs)).toEqual([1000, 2000, 4000, 8000, 16_000]);
    expect(unlockRetryAfterMs(3, 1_000, 1_000)).toBe(1000);
    expect(unlockRetryAfterMs(3, 1_000, 1_600)).toBe(400);
    expect(unlockRetryAfterMs(3, 1_000, 2_000)).toBe(0);
  });
  it('capped at 5 minutes, however many failures', () => {
    expect(UNLOCK_MAX_DELAY_MS).toBe(300_000);
    expect(unlockDelayMs(11)).toBe(256_000);
    expect(unlockDelayMs(12)).toBe(300_000);
    expect(unlockDelayMs(1000)).toBe(300_000);
    expect(unlockDelayMs(Number.MAX_SAFE_INTEGER)).toBe(300_000);
  });
  it('a bad count is refused with the field and the allowed range', () => {
    expect(() => unlockDelayMs(-1)).toThrow(WalletInputError);
    expect(() => unlockDelayMs(1.5)).toThrow('failures: 1.5 is out of range; expected an integer >= 0');
    expect(() => unlockDelayMs(Number.NaN)).toThrow(/failures/);
  });
  it('each failure counts one and records its time; the empty record waits for nothing', () => {
    expect(NO_UNLOCK_FAILURES).toEqual({ count: 0, lastAt: 0 });
    const one = afterUnlockFailure(NO_UNLOCK_FAILURES, 5_000);
    expect(one).toEqual({ count: 1, lastAt: 5_000 });
    expect(afterUnlockFailure(afterUnlockFailure(one, 6_000), 7_000)).toEqual({ count: 3, lastAt: 7_000 });
    expect(NO_UNLOCK_FAILURES).toEqual({ count: 0, lastAt: 0 }); // never mutated
    expect(unlockRetryAfterMs(NO_UNLOCK_FAILURES.count, NO_UNLOCK_FAILURES.lastAt, 0)).toBe(0);
  });
  it('grows monotonically and the remaining wait never exceeds the delay (property)', () => {
    fc.assert(
      fc.property(fc.nat(60), fc.nat(10_000_000), fc.nat(10_000_000), (n, last, elapsed) => {
        expect(unlockDelayMs(n + 1)).toBeGreaterThanOrEqual(unlockDelayMs(n));
        const wait = unlockRetryAfterMs(n, last, last + elapsed);
        expect(wait).toBe(Math.max(0, unlockDelayMs(n) - elapsed));
      }),
      { numRuns: 100 },
    );
  });
});

describe('auto-lock', () => {
  it('defaults to 15 minutes; the setting is bounded and the error names the range', () => {
    expect(AUTO_LOCK_DEFAULT_MS).toBe(15 * 60_000);
    expect(checkAutoLockMs(AUTO_LOCK_MIN_MS)).toBe(AUTO_LOCK_MIN_MS);
    expect(checkAutoLockMs(AUTO_LOCK_MAX_MS)).toBe(AUTO_LOCK_MAX_MS);
    for (const bad of [AUTO_LOCK_MIN_MS - 1, AUTO_LOCK_MAX_MS + 1, 0, 1.5, '60000', null]) {
      expect(() => checkAutoLockMs(bad)).toThrow(WalletInputError);
    }
    expect(() => checkAutoLockMs(1000)).toThrow(
      /autoLockMs: 1000 is out of range; expected an integer 5000 <= autoLockMs <= 604800000/,
    );
  });
  it('locks exactly from the deadline on', () => {
    const at = autoLockDeadline(1_000, 60_000);
    expect(at).toBe(61_000);
    expect(isPastDeadline(at, 60_999)).toBe(false);
    expect(isPastDeadline(at, 61_000)).toBe(true);
    expect(isPastDeadline(undefined, 1e15)).toBe(false);
  });
});

describe('KeyCache: a lock cannot be undone by a key read in flight (issue 13)', () => {
  function deferred<T>() {
    let resolve!: (v: T) => void;
    const promise = new Promise<T>((r) => (resolve = r));
    return { promise, resolve };
  }
  it('a read that finishes after lock() assigns nothing and returns null', async () => {
    const cache = new KeyCache<string>();
    const read = deferred<string | null>();
    const loading = cache.load(() => read.promise);
    cache.lock(); // e.g. the auto-lock alarm fires while the vault key is being re-opened
    read.resolve('secret keys');
    expect(await loading).toBeNull();
    expect(cache.keys).toBeNull();
    // The next read starts in the new epoch and works as usual (the session was re-opened meanwhile).
    expect(await cache.load(async () => 'fresh')).toBe('fresh');
    // And a lock after that still locks.
    cache.lock();
    expect(cache.keys).toBeNull();
  });
  it('without a lock in between, the read is cached and reused', async () => {
    const cache = new KeyCache<string>();
    let reads = 0;
    expect(await cache.load(async () => `k${++reads}`)).toBe('k1');
    expect(await cache.load(async () => `k${++reads}`)).toBe('k1');
    expect(reads).toBe(1);
  });
  it('an unlock during the read wins over the stale read', async () => {
    const cache = new KeyCache<string>();
    const read = deferred<string | null>();
    const loading = cache.load(() => read.promise);
    cache.lock();
    cache.set('from unlock');
    read.resolve('stale');
    expect(await loading).toBe('from unlock');
    expect(cache.keys).toBe('from unlock');
  });
  it('two reads race a lock: neither revives the session', async () => {
    const cache = new KeyCache<string>();
    const a = deferred<string | null>();
    const b = deferred<string | null>();
    const la = cache.load(() => a.promise);
    const lb = cache.load(() => b.promise);
    cache.lock();
    b.resolve('b');
    a.resolve('a');
    expect([await la, await lb]).toEqual([null, null]);
    expect(cache.keys).toBeNull();
  });
});
