import { RangeCheckError } from '../../errors.js';
import { L1DataError } from '../errors.js';
import type { AdaptiveEndpoint } from './endpoint.js';
import { EndpointCannotServeError, RpcLimitError } from './errors.js';
import { defaultLogWindows, type LogWindowMemory } from './log-window.js';

/**
 * `eth_getLogs` over any block range on an endpoint whose limits we learn as we go (issue 15).
 * Windows start from what this endpoint allowed last time (or a default), split on limit answers —
 * the provider's suggested range first, else the stated maximum, else halving — and grow ×2 after
 * successes up to the known cap. A window pushed below the job's floor by range limits ends in
 * `EndpointCannotServeError` with the projected request count, never a silent crawl. Every block of
 * [from, to] is asked exactly once (in order) and logs come back sorted by block and log index.
 */

export type LogFilter = { address?: string | readonly string[]; topics?: ReadonlyArray<string | readonly string[] | null> };

/** A log as the RPC returns it (hex quantities); extra fields are kept. */
export type RpcLog = { blockNumber: string; logIndex: string; transactionHash?: string; address?: string; topics?: string[]; data?: string } & Record<string, unknown>;

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
  /** Called after each answered range, in order (tests, progress). */
  onRange?: (from: bigint, to: bigint, logs: readonly RpcLog[]) => void;
};

const hex = (n: bigint) => `0x${n.toString(16)}`;
const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b;
const min = (...xs: bigint[]) => xs.reduce((m, x) => (x < m ? x : m));
const max = (...xs: bigint[]) => xs.reduce((m, x) => (x > m ? x : m));

export async function getLogsAdaptive(endpoint: AdaptiveEndpoint, filter: LogFilter, fromBlock: bigint, toBlock: bigint, opts: GetLogsOptions = {}): Promise<RpcLog[]> {
  if (fromBlock < 0n) throw new RangeCheckError('fromBlock', fromBlock, 'fromBlock >= 0');
  if (toBlock < fromBlock) return [];
  const memory = opts.memory ?? defaultLogWindows;
  const maxWindow = opts.maxWindow ?? 10_000n;
  const growAfter = opts.growAfter ?? 2;
  const maxRequests = BigInt(opts.maxRequests ?? 10_000);
  if (maxWindow < 1n) throw new RangeCheckError('maxWindow', maxWindow, 'maxWindow >= 1');
  if (maxRequests < 1n) throw new RangeCheckError('maxRequests', maxRequests, 'maxRequests >= 1');
  const floor = max(opts.minWindow ?? 1n, ceilDiv(toBlock - fromBlock + 1n, maxRequests));

  const known = memory.get(endpoint.url);
  let cap = known?.cap;
  let window = min(known?.window ?? opts.initialWindow ?? 1000n, cap ?? maxWindow, maxWindow);
  if (window < 1n) window = 1n;
  let successes = 0;
  const out: RpcLog[] = [];

  const cannotServe = (cursor: bigint, allowed: bigint, cause?: unknown) =>
    new EndpointCannotServeError(
      endpoint.url,
      'eth_getLogs',
      { fromBlock: cursor, toBlock, window: allowed, floor, projectedRequests: ceilDiv(toBlock - cursor + 1n, allowed < 1n ? 1n : allowed), reason: 'range' },
      cause === undefined ? {} : { cause },
    );
  if (cap !== undefined && cap < floor) throw cannotServe(fromBlock, cap);

  let cursor = fromBlock;
  while (cursor <= toBlock) {
    const end = min(toBlock, cursor + window - 1n);
    const size = end - cursor + 1n;
    let logs: RpcLog[];
    try {
      logs = await endpoint.request<RpcLog[]>('eth_getLogs', [{ ...filter, fromBlock: hex(cursor), toBlock: hex(end) }]);
    } catch (err) {
      if (!(err instanceof RpcLimitError)) throw err;
      successes = 0;
      // A suggestion is used only when it starts here and makes progress: a wrong one cannot loop us.
      const s = err.suggested;
      const suggestedSize = s && s[0] === cursor && s[1] >= cursor && s[1] < end ? s[1] - cursor + 1n : undefined;
      if (err.limit === 'range') {
        // A stated maximum is the cap; else assume half of what failed (conservative, so the
        // window never probes upward into the same refusal again: at most log2 refusals per endpoint).
        const stated = err.maxRange !== undefined && err.maxRange < size ? err.maxRange : undefined;
        const newCap = stated ?? size / 2n;
        cap = cap === undefined || newCap < cap ? newCap : cap;
        window = min(cap, suggestedSize ?? cap);
        memory.set(endpoint.url, { window: window < 1n ? 1n : window, cap });
        if (cap < floor) throw cannotServe(cursor, cap, err);
      } else {
        if (size === 1n) {
          throw new EndpointCannotServeError(
            endpoint.url,
            'eth_getLogs',
            { fromBlock: cursor, toBlock, window: 1n, floor, projectedRequests: toBlock - cursor + 1n, reason: 'results', ...(err.maxResults !== undefined ? { maxResults: err.maxResults } : {}) },
            { cause: err },
          );
        }
        window = suggestedSize ?? size / 2n;
      }
      if (window < 1n) window = 1n;
      continue;
    }
    if (!Array.isArray(logs)) throw new L1DataError('eth_getLogs', `${endpoint.url} answered a non-array for blocks ${cursor}–${end}`);
    for (const l of logs) {
      const b = BigInt(l.blockNumber);
      if (b < cursor || b > end) throw new L1DataError('eth_getLogs', `${endpoint.url} returned a log of block ${b} for blocks ${cursor}–${end}`);
    }
    const sorted = [...logs].sort((a, b) => cmp(BigInt(a.blockNumber), BigInt(b.blockNumber)) || cmp(BigInt(a.logIndex), BigInt(b.logIndex)));
    opts.onRange?.(cursor, end, sorted);
    out.push(...sorted);
    cursor = end + 1n;
    if (++successes >= growAfter && size === window) {
      window = min(window * 2n, cap ?? maxWindow, maxWindow);
      successes = 0;
    }
    memory.set(endpoint.url, cap === undefined ? { window } : { window, cap });
  }
  return out;
}

const cmp = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
