import { RangeCheckError } from '../../errors.js';
import { systemClock, type Clock } from './clock.js';

/**
 * The request budget of one endpoint (issue 15): a token bucket at an optional user-set rate, and
 * an endpoint-wide pause when the provider says Retry-After — every request to that endpoint waits,
 * not only the one that was refused, so a burst of concurrent reads does not earn a burst of 429s.
 * Tokens are reserved in call order (the count may go negative), so waiters are served FIFO.
 */
export type BudgetOptions = {
  /** Requests per second; undefined = no rate of our own (pauses still apply). */
  ratePerSecond?: number;
  /** Bucket size (default: one second's worth, at least 1). */
  burst?: number;
  clock?: Clock;
};

export class RequestBudget {
  readonly ratePerSecond: number | undefined;
  readonly burst: number;
  readonly #clock: Clock;
  #tokens: number;
  #last: number;
  #pausedUntil = 0;

  constructor(opts: BudgetOptions = {}) {
    const rate = opts.ratePerSecond;
    if (rate !== undefined && !(rate > 0)) throw new RangeCheckError('ratePerSecond', rate, 'ratePerSecond > 0');
    this.ratePerSecond = rate;
    this.burst = Math.max(1, opts.burst ?? Math.ceil(rate ?? 1));
    this.#clock = opts.clock ?? systemClock;
    this.#tokens = this.burst;
    this.#last = this.#clock.now();
  }

  /** Until when (clock ms) the endpoint is paused; 0 when never. */
  get pausedUntil(): number {
    return this.#pausedUntil;
  }

  /** Pauses every request to this endpoint for `ms` from now (extends, never shortens, a pause). */
  pauseFor(ms: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, this.#clock.now() + Math.max(0, ms));
  }

  /** Resolves when one request may be sent. */
  async acquire(): Promise<void> {
    const rate = this.ratePerSecond;
    if (rate !== undefined) {
      const now = this.#clock.now();
      this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#last) * rate) / 1000);
      this.#last = now;
      this.#tokens -= 1;
      if (this.#tokens < 0) await this.#clock.sleep((-this.#tokens * 1000) / rate);
    }
    for (;;) {
      const wait = this.#pausedUntil - this.#clock.now();
      if (wait <= 0) return;
      await this.#clock.sleep(wait);
    }
  }
}
