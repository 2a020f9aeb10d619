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
  unlockDelayMs,
  unlockRetryAfterMs,
} from '../../../src/wallet/index.js';

describe('unlock throttling', () => {
  it('no wait before the first failure, then 1 s doubling, capped at 5 minutes', () => {
    expect([0, 1, 2, 3, 4].map(unlockDelayMs)).toEqual([0, 1000, 2000, 4000, 8000]);
    expect(unlockDelayMs(1000)).toBe(300_000);
    expect(() => unlockDelayMs(-1)).toThrow(WalletInputError);
    expect(() => unlockDelayMs(1.5)).toThrow(/failures/);
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
    expect(() => checkAutoLockMs(1000)).toThrow(/autoLockMs: 1000 is out of range; expected an integer 5000 <= autoLockMs <= 604800000/);
  });
  it('locks exactly from the deadline on', () => {
    const at = autoLockDeadline(1_000, 60_000);
    expect(at).toBe(61_000);
    expect(isPastDeadline(at, 60_999)).toBe(false);
    expect(isPastDeadline(at, 61_000)).toBe(true);
    expect(isPastDeadline(undefined, 1e15)).toBe(false);
  });
});
