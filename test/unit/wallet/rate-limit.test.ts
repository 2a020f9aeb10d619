import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  FOCUS_BURST_MS,
  RateLimiter,
  WalletInputError,
  shouldFocusApproval,
  siteKeyOf,
  takeToken,
} from '../../../src/wallet/index.js';

describe('siteKeyOf: one bucket per registrable domain', () => {
  it('subdomains of one site share a key; the public suffix list decides where a site ends', () => {
    expect(siteKeyOf('https://app.example.com')).toBe('example.com');
    expect(siteKeyOf('https://a.b.example.com:8443')).toBe('example.com');
    expect(siteKeyOf('http://example.com')).toBe('example.com');
    expect(siteKeyOf('https://www.bbc.co.uk')).toBe('bbc.co.uk');
    expect(siteKeyOf('https://shop.bbc.co.uk')).toBe('bbc.co.uk');
    // Private suffixes: two github.io sites are two owners.
    expect(siteKeyOf('https://alice.github.io')).not.toBe(siteKeyOf('https://bob.github.io'));
    // A name under an unlisted TLD: the last label is the suffix (PSL "*" rule).
    expect(siteKeyOf('http://a.site1.test:4000')).toBe('site1.test');
    expect(siteKeyOf('http://b.site1.test:4001')).toBe('site1.test');
  });
  it('IP literals, localhost and opaque origins are their own key', () => {
    expect(siteKeyOf('http://127.0.0.1:5173')).toBe('127.0.0.1');
    expect(siteKeyOf('http://127.0.0.1:9999')).toBe('127.0.0.1');
    expect(siteKeyOf('http://[::1]:80')).toBe('[::1]');
    expect(siteKeyOf('http://localhost:3000')).toBe('localhost');
    expect(siteKeyOf('null')).toBe('null');
  });
  it('refuses what is not an origin, naming the field', () => {
    expect(() => siteKeyOf('')).toThrow(WalletInputError);
    expect(() => siteKeyOf('not a url')).toThrow(/origin/);
  });
});

describe('token bucket', () => {
  const p = { capacity: 3, refillMs: 1000 };
  it('a burst of `capacity`, then one token per refillMs', () => {
    let b;
    for (let i = 0; i < 3; i++) {
      const t = takeToken(b, 0, p);
      expect(t.ok).toBe(true);
      b = t.bucket;
    }
    const refused = takeToken(b, 0, p);
    expect(refused).toMatchObject({ ok: false, retryAfterMs: 1000 });
    expect(takeToken(refused.bucket, 400, p)).toMatchObject({ ok: false, retryAfterMs: 600 });
    expect(takeToken(refused.bucket, 1000, p).ok).toBe(true);
    // Never more than capacity, however long the pause.
    const later = takeToken(refused.bucket, 1e9, p);
    expect(later.ok && later.bucket.tokens).toBe(2);
  });
  it('a clock that goes back refills nothing', () => {
    const drained = { tokens: 0, at: 10_000 };
    expect(takeToken(drained, 0, p).ok).toBe(false);
  });
  it('over any schedule, grants never exceed capacity + elapsed / refillMs', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 200 }), (gaps) => {
        let b;
        let now = 0;
        let granted = 0;
        for (const g of gaps) {
          now += g;
          const t = takeToken(b, now, p);
          b = t.bucket;
          if (t.ok) granted++;
        }
        return granted <= p.capacity + Math.floor(now / p.refillMs);
      }),
    );
  });
  it('bad parameters are refused with the field and its range', () => {
    expect(() => takeToken(undefined, 0, { capacity: 0, refillMs: 1 })).toThrow(/capacity: 0 is out of range/);
    expect(() => new RateLimiter({ capacity: 1, refillMs: 0.5 })).toThrow(/refillMs/);
  });
});

describe('RateLimiter', () => {
  it('keys are independent', () => {
    const l = new RateLimiter({ capacity: 2, refillMs: 1000 });
    expect([l.take('a', 0).ok, l.take('a', 0).ok, l.take('a', 0).ok]).toEqual([true, true, false]);
    expect(l.take('b', 0).ok).toBe(true);
  });
  it('bounded memory forgets full buckets, never the drained one an attacker would like reset', () => {
    const l = new RateLimiter({ capacity: 2, refillMs: 1_000_000 }, 3);
    l.take('attacker', 0);
    l.take('attacker', 0);
    for (const k of ['x', 'y', 'z', 'w', 'v']) l.take(k, 0);
    expect(l.tokens('attacker', 0)).toBe(0);
    expect(l.take('attacker', 0).ok).toBe(false);
  });
});

describe('focus once per burst', () => {
  it('the first enqueue focuses; the rest of a burst does not; a pause ends the burst', () => {
    expect(shouldFocusApproval(undefined, 1000)).toBe(true);
    expect(shouldFocusApproval(1000, 1000 + FOCUS_BURST_MS - 1)).toBe(false);
    expect(shouldFocusApproval(1000, 1000 + FOCUS_BURST_MS)).toBe(true);
  });
});
