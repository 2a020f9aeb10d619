import { http, type Transport } from 'viem';
import { RangeCheckError } from '../errors.js';
import { RpcDisagreementError, RpcUnreachableError } from './errors.js';
import { withRetry, type RetryOptions } from './retry.js';
import { hexQuantity, MAX_BLOCK_NUMBER } from './rpc-values.js';

/** One JSON-RPC request function (a viem transport's `request`, or anything with its shape). */
export type L1RpcRequest = (args: { method: string; params?: unknown }) => Promise<unknown>;

export type RpcEndpoint = { url: string; request: L1RpcRequest };

/** One endpoint's answer: its result, or the JSON-RPC error it answered with (e.g. a revert). */
export type RpcOutcome = { url: string; ok: true; result: unknown } | { url: string; ok: false; error: unknown };

/**
 * The RPCs the verifier reads from (issue 9 "RPC handling"). Every request for a fixed block (logs
 * of a closed range, a transaction, a storage slot at a block) is sent to every endpoint and the
 * answers are compared: a disagreement throws `RpcDisagreementError` (an alarm), because at least
 * one RPC lies. Each endpoint is retried with backoff; only when none answers does a request fail
 * with `RpcUnreachableError`. `eth_blockNumber` is the one request whose answers may differ: the
 * lowest head wins, so every endpoint can answer for every block below it.
 */
export class MultiRpc {
  readonly endpoints: readonly RpcEndpoint[];
  readonly #retry: RetryOptions;

  constructor(endpoints: readonly RpcEndpoint[], retry: RetryOptions = {}) {
    if (endpoints.length === 0) throw new RangeCheckError('endpoints.length', 0, 'at least one RPC endpoint');
    this.endpoints = endpoints;
    this.#retry = retry;
  }

  /** Endpoints over viem's http transport (viem's own retries off: ours apply, per endpoint). */
  static fromUrls(urls: readonly string[], retry: RetryOptions = {}, transport: (url: string) => Transport = (url) => http(url, { retryCount: 0 })): MultiRpc {
    return new MultiRpc(
      urls.map((url) => ({ url, request: transport(url)({ retryCount: 0 }).request as L1RpcRequest })),
      retry,
    );
  }

  async #each(method: string, params: unknown): Promise<Array<{ url: string; result: unknown }>> {
    const settled = await Promise.allSettled(
      this.endpoints.map((e) => withRetry(() => e.request({ method, params }), this.#retry).then((result) => ({ url: e.url, result }))),
    );
    const ok = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    if (ok.length === 0) {
      const first = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      throw new RpcUnreachableError(method, this.#retry.attempts ?? 4, { cause: first?.reason });
    }
    return ok;
  }

  /**
   * Sends to every endpoint; all answers must be identical (canonical JSON) in what `select`
   * keeps: providers add fields of their own (e.g. `yParity`), only the fields we use must agree.
   */
  async request<T = unknown>(method: string, params: unknown[] = [], select: (answer: unknown) => unknown = (x) => x): Promise<T> {
    const answers = await this.#each(method, params);
    const first = canonicalJson(select(answers[0]!.result));
    for (const a of answers.slice(1)) {
      if (canonicalJson(select(a.result)) !== first) {
        throw new RpcDisagreementError(method, [answers[0]!.url, a.url], `params ${canonicalJson(params)}`);
      }
    }
    return answers[0]!.result as T;
  }

  /**
   * Sends to every endpoint and returns each answer as it came, for callers that compare answers
   * themselves (the exit's cross-checked transport, src/l1/exit-rpc.ts). An error `isAnswer`
   * accepts (the node answered, e.g. a revert) is an outcome and is not retried; endpoints that do
   * not answer at all (after retries) are left out; none answering throws `RpcUnreachableError`.
   */
  async outcomes(method: string, params: unknown[], isAnswer: (err: unknown) => boolean): Promise<RpcOutcome[]> {
    const retry: RetryOptions = { ...this.#retry, retryable: (err) => !isAnswer(err) && (this.#retry.retryable?.(err) ?? true) };
    const settled = await Promise.allSettled(
      this.endpoints.map((e) =>
        withRetry(() => e.request({ method, params }), retry).then(
          (result): RpcOutcome => ({ url: e.url, ok: true, result }),
          (error: unknown): RpcOutcome => {
            if (isAnswer(error)) return { url: e.url, ok: false, error };
            throw error;
          },
        ),
      ),
    );
    const answered = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    if (answered.length === 0) {
      const first = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      throw new RpcUnreachableError(method, this.#retry.attempts ?? 4, { cause: first?.reason });
    }
    return answered;
  }

  /** The lowest `eth_blockNumber` among the endpoints that answer. */
  async blockNumber(): Promise<bigint> {
    return this.lowest('eth_blockNumber', [], (r) => hexQuantity('eth_blockNumber', r, MAX_BLOCK_NUMBER));
  }

  /**
   * A height that may differ between endpoints (head, finalized block): the lowest answer wins, so
   * every endpoint can serve every block below it.
   */
  async lowest(method: string, params: unknown[], toNumber: (answer: unknown) => bigint): Promise<bigint> {
    const answers = await this.#each(method, params);
    return answers.map((a) => toNumber(a.result)).reduce((m, b) => (b < m ? b : m));
  }
}

/** JSON with object keys sorted and hex strings lower-cased: answers that mean the same compare equal. */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_k, x) => {
    if (typeof x === 'string' && x.startsWith('0x')) return x.toLowerCase();
    if (x && typeof x === 'object' && !Array.isArray(x)) {
      return Object.fromEntries(Object.keys(x as object).sort().map((k) => [k, (x as Record<string, unknown>)[k]]));
    }
    return x;
  });
}
