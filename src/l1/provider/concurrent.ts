import { RangeCheckError } from '../../errors.js';
import type { AdaptiveEndpoint } from './endpoint.js';

/**
 * Runs independent reads concurrently (issue 15: "independent reads run concurrently") with at
 * most `concurrency` in flight; the endpoint's budget still paces what reaches the provider.
 * Results come back in input order. On the first failure no new task starts; the in-flight ones
 * finish, then that first error is thrown.
 */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  fn: (item: T, index: number) => Promise<R>,
  concurrency = 4,
): Promise<R[]> {
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new RangeCheckError('concurrency', concurrency, 'an integer >= 1');
  const out = new Array<R>(items.length);
  let next = 0;
  let failed: { err: unknown } | undefined;
  const worker = async () => {
    while (failed === undefined && next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i]!, i);
      } catch (err) {
        failed ??= { err };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  if (failed) throw failed.err;
  return out;
}

export type RpcCall = { method: string; params?: unknown[] };

/** Sends independent calls to one endpoint concurrently within its budget; answers in input order. */
export function requestAll<T = unknown>(
  endpoint: AdaptiveEndpoint,
  calls: readonly RpcCall[],
  concurrency = 4,
): Promise<T[]> {
  return mapConcurrent(calls, (c) => endpoint.request<T>(c.method, c.params ?? []), concurrency);
}
