import { http } from 'viem';
import { AdaptiveEndpoint, type AdaptiveEndpointOptions, type RawRequest } from './endpoint.js';
import { classifyFailure, describeFailure } from './classify.js';
import { HttpStatusError } from './errors.js';

/**
 * An `AdaptiveEndpoint` over viem's `http` transport, retries off (ours apply). viem drops the
 * response headers of a 429 whose body is a JSON-RPC error, so a response hook turns 429 and 5xx
 * into `HttpStatusError` first, keeping the status and Retry-After for the classifier.
 *
 * JSON-RPC batching (issue 15: "batches are used where the endpoint accepts them"): concurrent
 * reads (see `requestAll`) go out as one HTTP request; providers still count each member against
 * their rate, and so does the budget. `batch: 'auto'` asks the endpoint once, before its first
 * request, with a batch of two `eth_chainId` calls: two equal answers turn batching on; anything
 * else (an error object instead of an array, an HTTP error, a timeout) leaves it off for good.
 */
export type HttpEndpointOptions = Omit<AdaptiveEndpointOptions, 'url' | 'request'> & {
  /** Per-HTTP-request timeout, ms (default 10 000). */
  timeoutMs?: number;
  /** JSON-RPC batching of concurrent requests: on, off (the default) or probed once (`'auto'`). */
  batch?: boolean | 'auto' | { batchSize?: number; wait?: number };
};

/** Whether this endpoint batches, and why not when it does not. */
export type BatchingState = { state: 'on' | 'off' | 'unknown'; reason?: string };

type FetchResponse = {
  status: number;
  headers: { get(name: string): string | null };
  clone(): { text(): Promise<string> };
};

function transport(url: string, timeoutMs: number, batch: boolean | { batchSize?: number; wait?: number }) {
  return http(url, {
    retryCount: 0,
    timeout: timeoutMs,
    batch,
    onFetchResponse: async (response) => {
      const r = response as unknown as FetchResponse;
      if (r.status === 429 || r.status >= 500) {
        let body = '';
        try {
          body = await r.clone().text();
        } catch {
          // body unreadable: status and headers are enough
        }
        throw new HttpStatusError(r.status, r.headers.get('retry-after') ?? undefined, body);
      }
    },
  })({ retryCount: 0 });
}

export class HttpEndpoint extends AdaptiveEndpoint {
  batching: BatchingState = { state: 'unknown' };
}

export function httpEndpoint(url: string, opts: HttpEndpointOptions = {}): HttpEndpoint {
  const { timeoutMs = 10_000, batch = false, ...rest } = opts;
  if (batch !== 'auto') {
    const request = transport(url, timeoutMs, batch).request as RawRequest;
    const endpoint = new HttpEndpoint({ ...rest, url, request });
    endpoint.batching = batch === false ? { state: 'off', reason: 'not asked for' } : { state: 'on' };
    return endpoint;
  }
  const batched = transport(url, timeoutMs, true).request as RawRequest;
  const single = transport(url, timeoutMs, false).request as RawRequest;
  let chosen: Promise<RawRequest> | undefined;
  const choose = () => {
    chosen ??= probe();
    return chosen;
  };
  const endpoint = new HttpEndpoint({ ...rest, url, request: async (args) => (await choose())(args) });
  async function probe(): Promise<RawRequest> {
    // Two more calls against the budget: the provider counts them too.
    await endpoint.budget.acquire();
    await endpoint.budget.acquire();
    try {
      const [a, b] = await Promise.all([batched({ method: 'eth_chainId' }), batched({ method: 'eth_chainId' })]);
      if (typeof a !== 'string' || a !== b)
        throw new Error(`two eth_chainId answers differ: ${String(a)}, ${String(b)}`);
      endpoint.batching = { state: 'on' };
      return batched;
    } catch (err) {
      const reason = (err as Error).message.split('\n')[0] ?? 'refused';
      // A rate limit, a 5xx or a timeout says nothing about batches: this request goes alone, the
      // next one asks again (a 429 pauses the budget). Any other answer is a refusal, for good.
      const c = classifyFailure(describeFailure(err, Date.now()));
      if (c.kind === 'transient' || (c.kind === 'limit' && c.limit === 'rate')) {
        if (c.kind === 'limit') endpoint.budget.pauseFor(c.retryAfterMs ?? 1000);
        chosen = undefined;
        endpoint.batching = { state: 'unknown', reason };
        return single;
      }
      endpoint.batching = { state: 'off', reason };
      return single;
    }
  }
  return endpoint;
}
