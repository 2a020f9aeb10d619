import { getDomain } from 'tldts';
import { WalletInputError } from './errors.js';

/**
 * Flood control for dapp requests (issue 13 "Wallet hardening"; wallet-practice.md §3.5: "token
 * bucket per origin for methods that open UI"). Pure arithmetic on timestamps: the service worker
 * owns the clock and the map.
 *
 * The bucket is keyed by the registrable domain (eTLD+1 per the Public Suffix List, private
 * section included), not by the exact origin: every subdomain and every iframe of one site is one
 * attacker and draws from one bucket, while two customers of one hosting suffix (a.github.io,
 * b.github.io) stay apart.
 */

/** The registrable domain of an origin's host; an IP literal, `localhost` or an opaque origin is its own key. */
export function siteKeyOf(origin: string): string {
  if (typeof origin !== 'string' || origin.length === 0)
    throw new WalletInputError('origin', `expected a non-empty string, got ${JSON.stringify(origin)}`);
  if (origin === 'null') return 'null'; // every opaque (sandboxed) origin shares one bucket: fail closed
  // The browser's serialisation: scheme://host[:port], host lower-case, IPv6 in brackets.
  const m = /^[a-z][a-z0-9+.-]*:\/\/(\[[0-9a-f:.]+\]|[^\s:/?#[\]@]+)(:\d{1,5})?$/i.exec(origin);
  if (!m)
    throw new WalletInputError('origin', `${JSON.stringify(origin.slice(0, 80))} is not a scheme://host[:port] origin`);
  const host = m[1]!.toLowerCase();
  return getDomain(host, { allowPrivateDomains: true }) ?? host;
}

export type BucketParams = { capacity: number; refillMs: number };
export type Bucket = { tokens: number; at: number };

export function checkBucketParams(p: BucketParams): BucketParams {
  if (!Number.isSafeInteger(p.capacity) || p.capacity < 1)
    throw new WalletInputError('capacity', `${p.capacity} is out of range; expected an integer >= 1`);
  if (!Number.isSafeInteger(p.refillMs) || p.refillMs < 1)
    throw new WalletInputError(
      'refillMs',
      `${p.refillMs} is out of range; expected an integer >= 1 (milliseconds per token)`,
    );
  return p;
}

/** The bucket at `now`: refilled by one token per `refillMs` since `at`, never above capacity. */
export function refill(b: Bucket | undefined, now: number, p: BucketParams): Bucket {
  if (!b) return { tokens: p.capacity, at: now };
  const elapsed = Math.max(0, now - b.at); // a clock that went back refills nothing
  return { tokens: Math.min(p.capacity, b.tokens + elapsed / p.refillMs), at: now };
}

export type Take = { ok: true; bucket: Bucket } | { ok: false; bucket: Bucket; retryAfterMs: number };

/** Takes one token if there is one; otherwise says how long until there will be. */
export function takeToken(b: Bucket | undefined, now: number, p: BucketParams): Take {
  const cur = refill(b, now, checkBucketParams(p));
  if (cur.tokens >= 1) return { ok: true, bucket: { tokens: cur.tokens - 1, at: now } };
  return { ok: false, bucket: cur, retryAfterMs: Math.ceil((1 - cur.tokens) * p.refillMs) };
}

/**
 * Buckets for many keys, bounded in memory: past `maxKeys` the fullest buckets are forgotten first
 * (forgetting a full bucket changes nothing; a drained one is kept as long as possible).
 */
export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly params: BucketParams;
  readonly maxKeys: number;
  constructor(params: BucketParams, maxKeys = 1000) {
    this.params = checkBucketParams(params);
    if (!Number.isSafeInteger(maxKeys) || maxKeys < 1)
      throw new WalletInputError('maxKeys', `${maxKeys} is out of range; expected an integer >= 1`);
    this.maxKeys = maxKeys;
  }
  take(key: string, now: number): Take {
    const t = takeToken(this.#buckets.get(key), now, this.params);
    this.#buckets.set(key, t.bucket);
    if (this.#buckets.size > this.maxKeys) {
      const fullest = [...this.#buckets]
        .filter(([k]) => k !== key)
        .sort((a, b) => refill(b[1], now, this.params).tokens - refill(a[1], now, this.params).tokens)[0];
      if (fullest) this.#buckets.delete(fullest[0]);
    }
    return t;
  }
  /** Tokens left for `key` at `now` (for tests and diagnostics). */
  tokens(key: string, now: number): number {
    return refill(this.#buckets.get(key), now, this.params).tokens;
  }
}

/**
 * A burst of requests raises the approval window once: a site cannot keep pulling focus from what
 * the user is doing. A burst is a run of enqueues less than FOCUS_BURST_MS apart.
 */
export const FOCUS_BURST_MS = 10_000;

/** Whether an enqueue at `now` may focus the (already open) approval window, given the previous enqueue's time. */
export function shouldFocusApproval(lastEnqueueAt: number | undefined, now: number, burstMs = FOCUS_BURST_MS): boolean {
  return lastEnqueueAt === undefined || now - lastEnqueueAt >= burstMs || now < lastEnqueueAt;
}
