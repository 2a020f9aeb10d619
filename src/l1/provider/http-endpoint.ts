import { http } from 'viem';
import { AdaptiveEndpoint, type AdaptiveEndpointOptions } from './endpoint.js';
import { HttpStatusError } from './errors.js';

/**
 * An `AdaptiveEndpoint` over viem's `http` transport, retries off (ours apply). viem drops the
 * response headers of a 429 whose body is a JSON-RPC error, so a response hook turns 429 and 5xx
 * into `HttpStatusError` first, keeping the status and Retry-After for the classifier. Optional
 * JSON-RPC batching: concurrent reads (see `requestAll`) go out as one HTTP request; providers
 * still count each member against their rate, and so does the budget.
 */
export type HttpEndpointOptions = Omit<AdaptiveEndpointOptions, 'url' | 'request'> & {
  /** Per-HTTP-request timeout, ms (default 10 000). */
  timeoutMs?: number;
  /** JSON-RPC batching of concurrent requests (default off). */
  batch?: boolean | { batchSize?: number; wait?: number };
};

type FetchResponse = {
  status: number;
  headers: { get(name: string): string | null };
  clone(): { text(): Promise<string> };
};

export function httpEndpoint(url: string, opts: HttpEndpointOptions = {}): AdaptiveEndpoint {
  const transport = http(url, {
    retryCount: 0,
    timeout: opts.timeoutMs ?? 10_000,
    batch: opts.batch ?? false,
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
  return new AdaptiveEndpoint({ ...opts, url, request: transport.request as AdaptiveEndpointOptions['request'] });
}
