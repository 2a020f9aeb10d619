import { http, type Transport } from 'viem';
import { RangeCheckError } from '../errors.js';
import { blockRanges } from './block-ranges.js';
import { RpcDisagreementError, RpcUnreachableError } from './errors.js';
import { withRetry, type RetryOptions } from './retry.js';
import type { AdaptiveEndpoint } from './provider/endpoint.js';
import { EndpointCannotServeError, EndpointError, redactUrl } from './provider/errors.js';
import { getLogsAdaptive, type GetLogsOptions, type LogFilter } from './provider/get-logs.js';
import { httpEndpoint, type HttpEndpointOptions } from './provider/http-endpoint.js';
import { hexQuantity, MAX_BLOCK_NUMBER } from './rpc-values.js';

/** One JSON-RPC request function (a viem transport's `request`, or anything with its shape). */
export type L1RpcRequest = (args: { method: string; params?: unknown }) => Promise<unknown>;

/**
 * One RPC. With `adaptive` (the production path, issue 15) requests go through its budget and
 * answer-class retry policy and `eth_getLogs` splits and grows per endpoint; without it, the plain
 * retry of issue 9 applies (scripted endpoints in tests).
 */
export type RpcEndpoint = { url: string; request: L1RpcRequest; adaptive?: AdaptiveEndpoint };

/** A read that could not be compared across every endpoint: some answered, this one did not. */
export type DegradedRead = { method: string; url: string; reason: string; answered: number; endpoints: number };

export type AdaptiveRpcOptions = HttpEndpointOptions & {
  /** Requests per second per endpoint, by position in `urls` (the user's setting; none = no budget). */
  rates?: ReadonlyArray<number | undefined>;
  /** `eth_getLogs` windows (default: remembered per endpoint for this process). */
  logs?: GetLogsOptions;
};

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
  readonly #logs: GetLogsOptions;
  #degraded: DegradedRead[] = [];

  constructor(endpoints: readonly RpcEndpoint[], retry: RetryOptions = {}, logs: GetLogsOptions = {}) {
    if (endpoints.length === 0) throw new RangeCheckError('endpoints.length', 0, 'at least one RPC endpoint');
    this.endpoints = endpoints;
    this.#retry = retry;
    this.#logs = logs;
  }

  /**
   * The production transport (issue 15): each URL an adaptive endpoint over viem's http transport —
   * its own budget (an optional user-set rate), Retry-After honoured, transient failures retried
   * with jittered backoff, range and result limits learned per endpoint.
   */
  static adaptive(urls: readonly string[], opts: AdaptiveRpcOptions = {}): MultiRpc {
    const { rates, logs, ...http } = opts;
    return new MultiRpc(
      urls.map((url, i) => {
        const rate = rates?.[i];
        const adaptive = httpEndpoint(url, {
          batch: 'auto',
          ...http,
          ...(rate !== undefined ? { budget: { ratePerSecond: rate } } : {}),
        });
        return {
          url,
          request: (a: { method: string; params?: unknown }) =>
            adaptive.request(a.method, a.params as unknown[] | undefined),
          adaptive,
        };
      }),
      {},
      logs ?? {},
    );
  }

  /**
   * The reads that were answered by fewer than all endpoints since the last call: the comparison
   * they should have had did not happen, which the verifier shows as a degraded cross-check.
   */
  drainDegraded(): DegradedRead[] {
    const out = this.#degraded;
    this.#degraded = [];
    return out;
  }

  #call(e: RpcEndpoint, method: string, params: unknown): Promise<unknown> {
    // An adaptive endpoint has retried within its own limits already.
    return e.adaptive ? e.request({ method, params }) : withRetry(() => e.request({ method, params }), this.#retry);
  }

  /** Records the endpoints that failed where others answered; throws when none answered. */
  #settle<T>(method: string, settled: PromiseSettledResult<T>[]): T[] {
    const ok = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = settled.flatMap((s, i) =>
      s.status === 'rejected' ? [{ url: this.endpoints[i]!.url, reason: s.reason as unknown }] : [],
    );
    if (ok.length === 0) {
      const first = failed[0]?.reason;
      // A permanent verdict on the endpoint (e.g. it cannot serve the scan) is the message to show.
      if (first instanceof EndpointCannotServeError || (first instanceof EndpointError && this.endpoints.length === 1))
        throw first;
      throw new RpcUnreachableError(method, this.#retry.attempts ?? 4, { cause: first });
    }
    for (const f of failed) {
      const reason = f.reason instanceof Error ? f.reason.message.split('\n')[0]! : String(f.reason);
      this.#degraded.push({
        method,
        url: redactUrl(f.url),
        reason,
        answered: ok.length,
        endpoints: this.endpoints.length,
      });
    }
    return ok;
  }

  /**
   * `eth_getLogs` over [from, to] on every endpoint (each split within its own limits) and
   * compared: the logs must agree in the fields `select` keeps.
   */
  async getLogs<T = unknown>(
    filter: LogFilter,
    from: bigint,
    to: bigint,
    select: (answer: unknown) => unknown = (x) => x,
    legacyMaxRange = 2000n,
    job: { minWindow?: bigint } = {},
  ): Promise<T[]> {
    const settled = await Promise.allSettled(
      this.endpoints.map(async (e) => {
        if (e.adaptive)
          return {
            url: e.url,
            result: (await getLogsAdaptive(e.adaptive, filter, from, to, { ...this.#logs, ...job })) as unknown[],
          };
        const out: unknown[] = [];
        for (const [a, b] of blockRanges(from, to, legacyMaxRange)) {
          const got = await this.#call(e, 'eth_getLogs', [
            { ...filter, fromBlock: `0x${a.toString(16)}`, toBlock: `0x${b.toString(16)}` },
          ]);
          if (!Array.isArray(got)) return { url: e.url, result: got as unknown[] }; // the caller names a non-array answer
          for (const log of got) out.push(log); // not push(...got): a large answer would overflow a worker's stack
        }
        return { url: e.url, result: out };
      }),
    );
    const answers = this.#settle('eth_getLogs', settled);
    const first = canonicalJson(select(answers[0]!.result));
    for (const a of answers.slice(1)) {
      if (canonicalJson(select(a.result)) !== first) {
        throw new RpcDisagreementError('eth_getLogs', [answers[0]!.url, a.url], `blocks ${from}–${to}`);
      }
    }
    return answers[0]!.result as T[];
  }

  /** Endpoints over viem's http transport (viem's own retries off: ours apply, per endpoint). */
  static fromUrls(
    urls: readonly string[],
    retry: RetryOptions = {},
    transport: (url: string) => Transport = (url) => http(url, { retryCount: 0 }),
  ): MultiRpc {
    return new MultiRpc(
      urls.map((url) => ({ url, request: transport(url)({ retryCount: 0 }).request as L1RpcRequest })),
      retry,
    );
  }

  async #each(method: string, params: unknown): Promise<Array<{ url: string; result: unknown }>> {
    const settled = await Promise.allSettled(
      this.endpoints.map((e) => this.#call(e, method, params).then((result) => ({ url: e.url, result }))),
    );
    return this.#settle(method, settled);
  }

  /**
   * Sends to every endpoint and returns each answer with its URL, for callers that judge answers
   * one by one (the proven reads, src/l1/proven-storage.ts: every header and every proof is checked,
   * and a disagreement names each RPC's answer). Endpoints that fail are recorded as degraded; none
   * answering throws `RpcUnreachableError`.
   */
  answers(method: string, params: unknown[] = []): Promise<Array<{ url: string; result: unknown }>> {
    return this.#each(method, params);
  }

  /**
   * Sends to every endpoint; all answers must be identical (canonical JSON) in what `select`
   * keeps: providers add fields of their own (e.g. `yParity`), only the fields we use must agree.
   */
  async request<T = unknown>(
    method: string,
    params: unknown[] = [],
    select: (answer: unknown) => unknown = (x) => x,
  ): Promise<T> {
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
    const retry: RetryOptions = {
      ...this.#retry,
      retryable: (err) => !isAnswer(err) && (this.#retry.retryable?.(err) ?? true),
    };
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
      return Object.fromEntries(
        Object.keys(x as object)
          .sort()
          .map((k) => [k, (x as Record<string, unknown>)[k]]),
      );
    }
    return x;
  });
}
