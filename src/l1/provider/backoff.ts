/**
 * Jittered exponential backoff for transient RPC failures (issue 15). Jitter keeps several
 * requests that failed together (a 5xx burst, a 429 without Retry-After) from retrying in lockstep.
 */
export type BackoffOptions = {
  /** Delay scale of the first retry, ms (default 250). */
  baseMs?: number;
  /** Cap on one delay, ms (default 8000). */
  maxMs?: number;
  /** Uniform [0, 1) source; injected for repeatable tests. */
  random?: () => number;
};

/** Delay before retry number `failures` (≥ 1): "equal jitter", in [d/2, d) with d = base·2^(failures−1), capped. */
export function jitteredBackoffMs(failures: number, opts: BackoffOptions = {}): number {
  const base = opts.baseMs ?? 250;
  const d = Math.min(opts.maxMs ?? 8000, base * 2 ** Math.max(0, failures - 1));
  return Math.round(d / 2 + (opts.random ?? Math.random)() * (d / 2));
}
