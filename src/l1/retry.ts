import { RangeCheckError } from '../errors.js';

/** Backoff for one RPC request (issue 9: "retries with backoff"). */
export type RetryOptions = {
  /** Total attempts, ≥ 1 (default 4). */
  attempts?: number;
  /** First delay in ms, doubled after each failure (default 250). */
  baseDelayMs?: number;
  /** Cap on one delay (default 8000). */
  maxDelayMs?: number;
  /** Injected for tests; `setTimeout` by default. */
  sleep?: (ms: number) => Promise<void>;
  /** Errors this returns false for are thrown at once (e.g. a JSON-RPC error: retrying cannot help). */
  retryable?: (err: unknown) => boolean;
};

// src/ has no DOM or Node types (house rules); every runtime we target has setTimeout.
const timers = globalThis as unknown as { setTimeout(fn: () => void, ms: number): unknown };
const defaultSleep = (ms: number) => new Promise<void>((resolve) => timers.setTimeout(resolve, ms));

/** The delay before attempt `n + 1` (n ≥ 1 failures so far): base·2^(n−1), capped. */
export function backoffDelay(failures: number, baseDelayMs = 250, maxDelayMs = 8000): number {
  return Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, failures - 1));
}

/**
 * Runs `fn` until it succeeds or `attempts` are used; rethrows the last error with the number of
 * attempts made (`onGiveUp` lets the caller wrap it in its own error class).
 */
export async function withRetry<T>(
  fn: () => Promise<T>,
  opts: RetryOptions = {},
  onGiveUp?: (err: unknown, attempts: number) => Error,
): Promise<T> {
  const attempts = opts.attempts ?? 4;
  if (!Number.isInteger(attempts) || attempts < 1) throw new RangeCheckError('attempts', attempts, 'an integer >= 1');
  const sleep = opts.sleep ?? defaultSleep;
  let last: unknown;
  for (let i = 1; i <= attempts; i++) {
    try {
      return await fn();
    } catch (err) {
      last = err;
      if (opts.retryable && !opts.retryable(err)) throw err;
      if (i < attempts) await sleep(backoffDelay(i, opts.baseDelayMs, opts.maxDelayMs));
    }
  }
  throw onGiveUp ? onGiveUp(last, attempts) : last;
}
