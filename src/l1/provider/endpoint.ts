import { RangeCheckError } from '../../errors.js';
import { jitteredBackoffMs, type BackoffOptions } from './backoff.js';
import { RequestBudget, type BudgetOptions } from './budget.js';
import { classifyFailure, describeFailure, type Classification } from './classify.js';
import { systemClock, type Clock } from './clock.js';
import { EndpointUnavailableError, RpcLimitError, RpcPermanentError } from './errors.js';

/**
 * One RPC endpoint behind its budget, with the retry policy of issue 15 applied per answer class:
 * transient → jittered exponential backoff (this request only); rate limit → pause the whole
 * endpoint for Retry-After (or a backoff) and try again; range/result limit → `RpcLimitError` for
 * the caller to split; permanent → `RpcPermanentError` at once, no retry. The raw `request` must not
 * retry itself (viem: `retryCount: 0`).
 */

/** A raw JSON-RPC request function: a viem transport's `request`, or anything with its shape. */
export type RawRequest = (args: { method: string; params?: unknown }) => Promise<unknown>;

/** What happened to a request, for tests, benchmarks and the dashboard. */
export type EndpointEvent =
  | { type: 'request'; method: string }
  | { type: 'retry'; method: string; classification: Classification; failures: number; delayMs: number }
  | { type: 'pause'; method: string; classification: Classification; pauseMs: number }
  | { type: 'limit' | 'permanent' | 'gave-up'; method: string; classification: Classification };

export type AdaptiveEndpointOptions = {
  url: string;
  request: RawRequest;
  /** A budget to share, or options for a new one (a user-set rate). */
  budget?: RequestBudget | BudgetOptions;
  /** Attempts for transient failures (default 5). */
  attempts?: number;
  /** Attempts while rate-limited (default 10). */
  rateLimitAttempts?: number;
  backoff?: BackoffOptions;
  clock?: Clock;
  onEvent?: (e: EndpointEvent) => void;
};

export class AdaptiveEndpoint {
  readonly url: string;
  readonly budget: RequestBudget;
  readonly #raw: RawRequest;
  readonly #attempts: number;
  readonly #rateAttempts: number;
  readonly #backoff: BackoffOptions;
  readonly #clock: Clock;
  readonly #onEvent: ((e: EndpointEvent) => void) | undefined;

  constructor(opts: AdaptiveEndpointOptions) {
    this.url = opts.url;
    this.#raw = opts.request;
    this.#clock = opts.clock ?? systemClock;
    this.budget =
      opts.budget instanceof RequestBudget ? opts.budget : new RequestBudget({ clock: this.#clock, ...opts.budget });
    this.#attempts = opts.attempts ?? 5;
    this.#rateAttempts = opts.rateLimitAttempts ?? 10;
    for (const [k, v] of [
      ['attempts', this.#attempts],
      ['rateLimitAttempts', this.#rateAttempts],
    ] as const) {
      if (!Number.isInteger(v) || v < 1) throw new RangeCheckError(k, v, 'an integer >= 1');
    }
    this.#backoff = opts.backoff ?? {};
    this.#onEvent = opts.onEvent;
  }

  async request<T = unknown>(method: string, params: unknown[] = []): Promise<T> {
    let transient = 0;
    let rate = 0;
    for (;;) {
      await this.budget.acquire();
      this.#onEvent?.({ type: 'request', method });
      try {
        return (await this.#raw({ method, params })) as T;
      } catch (err) {
        const answer = describeFailure(err, this.#clock.now());
        const c = classifyFailure(answer);
        const summary = { status: answer.status, code: answer.code, message: answer.message, data: answer.data };
        if (c.kind === 'transient') {
          if (++transient >= this.#attempts) {
            this.#onEvent?.({ type: 'gave-up', method, classification: c });
            throw new EndpointUnavailableError(this.url, method, transient, c.reason, summary, { cause: err });
          }
          const delayMs = jitteredBackoffMs(transient, this.#backoff);
          this.#onEvent?.({ type: 'retry', method, classification: c, failures: transient, delayMs });
          await this.#clock.sleep(delayMs);
          continue;
        }
        if (c.kind === 'limit' && c.limit === 'rate') {
          if (++rate >= this.#rateAttempts) {
            this.#onEvent?.({ type: 'gave-up', method, classification: c });
            throw new EndpointUnavailableError(this.url, method, rate, 'rate-limited', summary, { cause: err });
          }
          const pauseMs =
            c.retryAfterMs ??
            jitteredBackoffMs(rate, { ...this.#backoff, baseMs: Math.max(1000, this.#backoff.baseMs ?? 0) });
          this.budget.pauseFor(pauseMs);
          this.#onEvent?.({ type: 'pause', method, classification: c, pauseMs });
          continue;
        }
        if (c.kind === 'limit') {
          this.#onEvent?.({ type: 'limit', method, classification: c });
          throw new RpcLimitError(
            this.url,
            method,
            {
              limit: c.limit,
              ...(c.limit === 'range' && c.maxRange !== undefined ? { maxRange: c.maxRange } : {}),
              ...(c.limit === 'results' && c.maxResults !== undefined ? { maxResults: c.maxResults } : {}),
              ...(c.suggested ? { suggested: c.suggested } : {}),
            },
            summary,
            { cause: err },
          );
        }
        this.#onEvent?.({ type: 'permanent', method, classification: c });
        throw new RpcPermanentError(this.url, method, summary, { cause: err });
      }
    }
  }
}
