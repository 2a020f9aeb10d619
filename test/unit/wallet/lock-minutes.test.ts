import { describe, expect, it } from 'vitest';
import { autoLockMsOfMinutes } from '../../../src/wallet/lock-policy.js';

// Issue 17: the lock time is set in minutes; the range is named in minutes.
describe('autoLockMsOfMinutes', () => {
  it('takes minutes as typed or as a number', () => {
    expect(autoLockMsOfMinutes('15')).toBe(900_000);
    expect(autoLockMsOfMinutes(' 0.1 ')).toBe(6_000);
    expect(autoLockMsOfMinutes(10080)).toBe(7 * 24 * 3_600_000);
  });
  it.each(['0', '0.05', '10081', 'abc', '-1', '', null])('refuses %j naming the field and the range', (v) => {
    expect(() => autoLockMsOfMinutes(v)).toThrow(
      `autoLockMinutes: ${JSON.stringify(v)} is out of range; expected minutes, 0.1 <= autoLockMinutes <= 10080 (7 days)`,
    );
  });
});
