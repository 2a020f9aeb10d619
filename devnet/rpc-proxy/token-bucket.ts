/**
 * The proxy's rate limiter: a token bucket like providers use (a burst, refilled at `rps` per
 * second). Each JSON-RPC call, batch members included, costs one token; a refused request costs
 * nothing and is told when enough tokens will be there (the Retry-After value, whole seconds).
 */
export class ProxyTokenBucket {
  #tokens: number;
  #last: number;
  constructor(
    readonly rps: number,
    readonly burst: number,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.#tokens = burst;
    this.#last = now();
  }

  #refill(): void {
    const t = this.now();
    this.#tokens = Math.min(this.burst, this.#tokens + ((t - this.#last) * this.rps) / 1000);
    this.#last = t;
  }

  /** Takes `n` tokens, or returns the seconds to wait (≥ 1) when there are not enough. */
  take(n: number): { ok: true } | { ok: false; retryAfterSeconds: number } {
    this.#refill();
    // A batch larger than the burst passes when the bucket is full (and leaves it in debt).
    const need = Math.min(n, this.burst);
    if (this.#tokens >= need) {
      this.#tokens -= n;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((need - this.#tokens) / this.rps)) };
  }
}
