import { RangeCheckError } from '../../errors.js';
import { L1DataError } from '../errors.js';
import { hexQuantity, jsonObject, MAX_BLOCK_NUMBER, MAX_LOG_INDEX } from '../rpc-values.js';
import type { AdaptiveEndpoint } from './endpoint.js';
import { EndpointCannotServeError, RpcLimitError } from './errors.js';
import { defaultLogWindows, type LogWindowMemory } from './log-window.js';

/**
 * `eth_getLogs` over any block range on an endpoint whose limits we learn as we go (issue 15).
 * Windows start from what this endpoint allowed last time (or a default), split on limit answers —
 * the provider's suggested range first, else the stated maximum, else halving — and grow ×2 after
 * successes up to the known cap. A window pushed below the job's floor by range limits ends in
 * `EndpointCannotServeError` with the projected request count, never a silent crawl. Every block of
 * [from, to] is answered exactly once and logs come back sorted by block and log index; with
 * `concurrency` > 1 several windows are in flight at once, within the endpoint's budget.
 */

export type LogFilter = {
  address?: string | readonly string[];
  topics?: ReadonlyArray<string | readonly string[] | null>;
};

/** A log as the RPC returns it (hex quantities); extra fields are kept. */
export type RpcLog = {
  blockNumber: string;
  logIndex: string;
  transactionHash?: string;
  address?: string;
  topics?: string[];
  data?: string;
} & Record<string, unknown>;

export type GetLogsOptions = {
  /** Where windows are remembered per endpoint (default: a process-wide in-memory store). */
  memory?: LogWindowMemory;
  /** First window when the endpoint is new (default 1000 blocks, what many public endpoints allow). */
  initialWindow?: bigint;
  /** Largest window ever tried (default 10 000). */
  maxWindow?: bigint;
  /** Consecutive successes before the window doubles (default 2). */
  growAfter?: number;
  /**
   * Requests the job may take: the floor is ceil(range / maxRequests) blocks per request (default
   * 10 000). An endpoint whose cap is below the floor cannot serve the job.
   */
  maxRequests?: number;
  /** An absolute floor in blocks, on top of `maxRequests` (default 1). */
  minWindow?: bigint;
  /**
   * Windows in flight at once (default 1). More makes long scans faster within the endpoint's
   * budget; each limit refusal may then cost up to this many requests instead of one.
   */
  concurrency?: number;
  /** Called after each answered range, in block order (tests, progress). */
  onRange?: (from: bigint, to: bigint, logs: readonly RpcLog[]) => void;
};

const hex = (n: bigint) => `0x${n.toString(16)}`;
const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b;
const min = (...xs: bigint[]) => xs.reduce((m, x) => (x < m ? x : m));
const max = (...xs: bigint[]) => xs.reduce((m, x) => (x > m ? x : m));

export async function getLogsAdaptive(
  endpoint: AdaptiveEndpoint,
  filter: LogFilter,
  fromBlock: bigint,
  toBlock: bigint,
  opts: GetLogsOptions = {},
): Promise<RpcLog[]> {
  if (fromBlock < 0n) throw new RangeCheckError('fromBlock', fromBlock, 'fromBlock >= 0');
  if (toBlock < fromBlock) return [];
  const memory = opts.memory ?? defaultLogWindows;
  const maxWindow = opts.maxWindow ?? 10_000n;
  const growAfter = opts.growAfter ?? 2;
  const maxRequests = BigInt(opts.maxRequests ?? 10_000);
  const concurrency = opts.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new RangeCheckError('concurrency', concurrency, 'an integer >= 1');
  if (maxWindow < 1n) throw new RangeCheckError('maxWindow', maxWindow, 'maxWindow >= 1');
  if (maxRequests < 1n) throw new RangeCheckError('maxRequests', maxRequests, 'maxRequests >= 1');
  const floor = max(opts.minWindow ?? 1n, ceilDiv(toBlock - fromBlock + 1n, maxRequests));

  const known = memory.get(endpoint.url);
  let cap = known?.cap;
  let window = min(known?.window ?? opts.initialWindow ?? 1000n, cap ?? maxWindow, maxWindow);
  if (window < 1n) window = 1n;
  let successes = 0;

  const cannotServe = (cursor: bigint, allowed: bigint, cause?: unknown) =>
    new EndpointCannotServeError(
      endpoint.url,
      'eth_getLogs',
      {
        fromBlock: cursor,
        toBlock,
        window: allowed,
        floor,
        projectedRequests: ceilDiv(toBlock - cursor + 1n, allowed < 1n ? 1n : allowed),
        reason: 'range',
      },
      cause === undefined ? {} : { cause },
    );
  if (cap !== undefined && cap < floor) throw cannotServe(fromBlock, cap);

  // Uncovered, unassigned intervals in block order; a refused segment goes back and is cut again
  // with the new window. Answers wait in `done` until every range before them is in, so `out`
  // and `onRange` follow block order whatever the concurrency.
  const todo: Array<[bigint, bigint]> = [[fromBlock, toBlock]];
  const done = new Map<bigint, { end: bigint; logs: RpcLog[] }>();
  const out: RpcLog[] = [];
  let emitFrom = fromBlock;
  let failure: { err: unknown } | undefined;

  const take = (): [bigint, bigint] | undefined => {
    const first = todo[0];
    if (!first) return undefined;
    const end = min(first[1], first[0] + window - 1n);
    const seg: [bigint, bigint] = [first[0], end];
    if (end === first[1]) todo.shift();
    else first[0] = end + 1n;
    return seg;
  };
  const giveBack = (a: bigint, b: bigint) => {
    const i = todo.findIndex(([x]) => x > a);
    todo.splice(i < 0 ? todo.length : i, 0, [a, b]);
  };
  const flush = () => {
    for (let d = done.get(emitFrom); d; d = done.get(emitFrom)) {
      done.delete(emitFrom);
      opts.onRange?.(emitFrom, d.end, d.logs);
      for (const log of d.logs) out.push(log); // not push(...): a large window would overflow a worker's stack
      emitFrom = d.end + 1n;
    }
  };

  /** Learns from a limit answer for [a, end]; throws when the endpoint cannot serve the job. */
  const onLimit = (err: RpcLimitError, a: bigint, end: bigint) => {
    const size = end - a + 1n;
    successes = 0;
    // A suggestion is used only when it starts here and makes progress: a wrong one cannot loop us.
    const s = err.suggested;
    const suggestedSize = s && s[0] === a && s[1] >= a && s[1] < end ? s[1] - a + 1n : undefined;
    if (err.limit === 'range') {
      // A stated maximum is the cap; else assume half of what failed (conservative, so the
      // window never probes upward into the same refusal again: at most log2 refusals per endpoint).
      const stated = err.maxRange !== undefined && err.maxRange < size ? err.maxRange : undefined;
      const newCap = stated ?? size / 2n;
      cap = cap === undefined || newCap < cap ? newCap : cap;
      window = min(window, cap, suggestedSize ?? cap);
      memory.set(endpoint.url, { window: window < 1n ? 1n : window, cap });
      if (cap < floor) throw cannotServe(a, cap, err);
    } else {
      if (size === 1n) {
        throw new EndpointCannotServeError(
          endpoint.url,
          'eth_getLogs',
          {
            fromBlock: a,
            toBlock,
            window: 1n,
            floor,
            projectedRequests: toBlock - a + 1n,
            reason: 'results',
            ...(err.maxResults !== undefined ? { maxResults: err.maxResults } : {}),
          },
          { cause: err },
        );
      }
      window = min(window, suggestedSize ?? size / 2n);
    }
    if (window < 1n) window = 1n;
  };

  const worker = async () => {
    for (let seg = take(); seg && !failure; seg = failure ? undefined : take()) {
      const [a, end] = seg;
      try {
        let logs: RpcLog[];
        try {
          logs = await endpoint.request<RpcLog[]>('eth_getLogs', [{ ...filter, fromBlock: hex(a), toBlock: hex(end) }]);
        } catch (err) {
          if (!(err instanceof RpcLimitError)) throw err;
          onLimit(err, a, end);
          giveBack(a, end);
          continue;
        }
        done.set(a, { end, logs: checkedAndSorted(endpoint.url, logs, a, end) });
        flush();
        if (++successes >= growAfter && end - a + 1n === window) {
          window = min(window * 2n, cap ?? maxWindow, maxWindow);
          successes = 0;
        }
        memory.set(endpoint.url, cap === undefined ? { window } : { window, cap });
      } catch (err) {
        failure ??= { err };
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  if (failure) throw failure.err;
  return out;
}

/** The logs of [a, end] in (block, log index) order; a log outside the range is an error, not data. */
function checkedAndSorted(url: string, logs: unknown, a: bigint, end: bigint): RpcLog[] {
  if (!Array.isArray(logs)) throw new L1DataError('eth_getLogs', `${url} answered a non-array for blocks ${a}–${end}`);
  for (const [i, l] of (logs as unknown[]).entries()) {
    const field = `${url} eth_getLogs[${i}]`;
    jsonObject(field, l);
    const b = hexQuantity(`${field}.blockNumber`, (l as RpcLog).blockNumber, MAX_BLOCK_NUMBER);
    hexQuantity(`${field}.logIndex`, (l as RpcLog).logIndex, MAX_LOG_INDEX);
    if (b < a || b > end)
      throw new L1DataError('eth_getLogs', `${url} returned a log of block ${b} for blocks ${a}–${end}`);
  }
  return [...(logs as RpcLog[])].sort(
    (x, y) => cmp(BigInt(x.blockNumber), BigInt(y.blockNumber)) || cmp(BigInt(x.logIndex), BigInt(y.logIndex)),
  );
}

const cmp = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
