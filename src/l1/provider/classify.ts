import type { RpcAnswerSummary } from './errors.js';
import { HttpStatusError } from './errors.js';

/**
 * Sorts an RPC failure into what to do about it (issue 15): `transient` (5xx, timeouts, network,
 * a node behind the head → retry with backoff), `limit` (block range too large / too many results →
 * split the range, using the provider's suggestion when it gives one; rate limit → wait Retry-After
 * or back off) or `permanent` (stop, naming endpoint, method and answer). Providers signal limits
 * with a zoo of codes and texts (Infura -32005 + suggested range, Alchemy "this block range should
 * work", QuickNode "limited to a 10,000 range", HTTP 429, -32029...), so recognition is by HTTP
 * status, JSON-RPC code and message patterns together. Works on viem errors and on plain objects.
 */

export type RpcFailure = RpcAnswerSummary & {
  /** Milliseconds to wait, from a Retry-After header or the message. */
  retryAfterMs?: number;
  timeout?: boolean;
  network?: boolean;
};

export type Classification =
  | { kind: 'transient'; reason: 'timeout' | 'network' | 'server' | 'head-behind' }
  | { kind: 'limit'; limit: 'range'; maxRange?: bigint; suggested?: [bigint, bigint] }
  | { kind: 'limit'; limit: 'results'; maxResults?: number; suggested?: [bigint, bigint] }
  | { kind: 'limit'; limit: 'rate'; retryAfterMs?: number }
  | { kind: 'permanent' };

type Loose = Record<string, unknown> & { cause?: unknown };

/** Reads status, code, message, data and Retry-After off an error and its cause chain. */
export function describeFailure(err: unknown, nowMs: number = Date.now()): RpcFailure {
  const out: RpcFailure = { message: '' };
  const texts: string[] = [];
  let e: unknown = err;
  for (let depth = 0; depth < 16 && e !== undefined && e !== null; depth++) {
    if (typeof e !== 'object') {
      texts.push(String(e));
      break;
    }
    const o = e as Loose;
    if (e instanceof HttpStatusError) {
      out.status ??= e.status;
      if (e.retryAfter !== undefined) out.retryAfterMs ??= parseRetryAfter(e.retryAfter, nowMs);
      // A JSON-RPC error in the body of a 429 / 5xx still carries the provider's code and text.
      try {
        const body = JSON.parse(e.body) as { error?: { code?: unknown; message?: unknown; data?: unknown } };
        if (typeof body.error?.code === 'number') out.code ??= body.error.code;
        if (typeof body.error?.message === 'string') texts.push(body.error.message);
        if (body.error?.data !== undefined) out.data ??= body.error.data;
      } catch {
        if (e.body) texts.push(e.body.slice(0, 300));
      }
    }
    if (typeof o.status === 'number') out.status ??= o.status;
    const headers = o.headers as { get?: (k: string) => string | null } | undefined;
    const ra = typeof headers?.get === 'function' ? headers.get('retry-after') : undefined;
    if (ra) out.retryAfterMs ??= parseRetryAfter(ra, nowMs);
    // viem's RpcError subclasses carry the node's code; the deepest one is the raw answer.
    if (typeof o.code === 'number' && o.code !== -1) out.code = o.code;
    if (o.data !== undefined && o.data !== null && typeof o.data !== 'function') out.data ??= o.data;
    const name = typeof o.name === 'string' ? o.name : '';
    if (name === 'TimeoutError' || name === 'AbortError') out.timeout = true;
    // viem's BaseError: `details` is the provider's text, `message` adds URL and request body, so skip it.
    if (typeof o.details === 'string') texts.push(o.details);
    else if (typeof o.shortMessage === 'string') texts.push(o.shortMessage);
    else if (typeof o.message === 'string') texts.push(o.message);
    if (name === 'HttpRequestError' && o.status === undefined && !(o.cause instanceof HttpStatusError))
      out.network = true;
    e = o.cause;
  }
  out.message = [...new Set(texts.filter(Boolean))].join(' | ');
  if (/timed? ?out|timeout/i.test(out.message) && out.status === undefined && out.code === undefined)
    out.timeout = true;
  if (
    /fetch failed|ECONNREFUSED|ECONNRESET|EPIPE|ENOTFOUND|EAI_AGAIN|socket hang up|network ?error|Failed to fetch|other side closed/i.test(
      out.message,
    )
  )
    out.network = true;
  return out;
}

/** Retry-After: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string, nowMs: number = Date.now()): number | undefined {
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, t - nowMs);
}

/** "1,000", "10k", "2K" → bigint. */
function parseCount(s: string): bigint {
  const m = /^([\d,_]+)\s*(k)?$/i.exec(s.trim());
  if (!m) return 0n;
  const n = BigInt(m[1]!.replace(/[,_]/g, ''));
  return m[2] ? n * 1000n : n;
}

const NUM = String.raw`(\d[\d,]*\s*k?)`;
/** Texts that state the largest block range allowed; the first group is the number. */
const MAX_RANGE_PATTERNS = [
  new RegExp(String.raw`max(?:imum)?\s+(?:block\s+)?range(?:\s+is|\s+of|:)?\s*${NUM}\b`, 'i'),
  new RegExp(
    String.raw`(?:up to|at most|limited to|maximum of|max(?:imum)? is|range of|ranges? over|exceeds?|more than|larger than|<=)\s+(?:a\s+)?${NUM}[\s-]*blocks?\b`,
    'i',
  ),
  new RegExp(String.raw`limited to (?:a\s+)?${NUM}\s*(?:blocks?\s+)?range`, 'i'),
  new RegExp(String.raw`block range (?:limit|must be)\s*(?:is|of|<=|:)?\s*${NUM}\b`, 'i'),
  new RegExp(String.raw`${NUM}[\s-]*blocks?\s+range`, 'i'),
  new RegExp(String.raw`max(?:imum)? allowed number of requested blocks is ${NUM}`, 'i'),
];

function maxRangeOf(text: string): bigint | undefined {
  for (const re of MAX_RANGE_PATTERNS) {
    const m = re.exec(text);
    if (m) {
      const n = parseCount(m[1]!);
      if (n > 0n) return n;
    }
  }
  return undefined;
}

/** A suggested range: `[0xA, 0xB]` in the text, `{from, to}` in data, or Erigon's "retry with the range A-B". */
function suggestedOf(text: string, data: unknown): [bigint, bigint] | undefined {
  const hex = /\[\s*(0x[0-9a-f]+)\s*,\s*(0x[0-9a-f]+)\s*\]/i.exec(text);
  if (hex) return [BigInt(hex[1]!), BigInt(hex[2]!)];
  const d = data as { from?: unknown; to?: unknown } | null | undefined;
  if (
    d &&
    typeof d === 'object' &&
    typeof d.from === 'string' &&
    typeof d.to === 'string' &&
    /^0x[0-9a-f]+$/i.test(d.from) &&
    /^0x[0-9a-f]+$/i.test(d.to)
  ) {
    return [BigInt(d.from), BigInt(d.to)];
  }
  const dec = /retry with the range (\d+)\s*-\s*(\d+)/i.exec(text);
  if (dec) return [BigInt(dec[1]!), BigInt(dec[2]!)];
  return undefined;
}

const HEAD_BEHIND =
  /header not found|unknown block|block not found|beyond (?:the )?current head|after last accepted block|requested block .*(?:ahead|in the future|greater than)|block .* is not available yet|cannot query unfinalized data/i;
const RESULTS =
  /more than [\d,]+ (?:results|logs)|returned more than|too many (?:results|logs)|response size (?:exceeded|is too (?:big|large))|log response size|exceeds? max(?:imum)? (?:results|logs)|max(?:imum)? (?:number of )?(?:results|logs) (?:exceeded|limit)|logs? limit exceeded|response is too big|result set too large/i;
const RANGE =
  /block range|blocks? range|range (?:is )?too (?:wide|large|big)|range limit|max(?:imum)? range|limited to (?:a )?[\d,]+\s*k?[\s-]*(?:blocks?|range)|ranges? over [\d,]+ blocks|range of [\d,]+ blocks|blocks distance|requested blocks|query timeout exceeded|too many blocks|exceeds? (?:the )?(?:max(?:imum)? )?(?:allowed )?(?:number of )?blocks/i;
const INVALID_RANGE =
  /invalid block range|fromBlock (?:is )?(?:greater|after|>)|from block .* (?:greater|after) .*to block|invalid (?:from|to)Block/i;
const RATE =
  /rate.?limit|too many requests|(?:requests?|calls) per second|request limit (?:reached|exceeded)|exceeded (?:its |your )?(?:compute units|capacity|throughput)|capacity (?:limit )?exceeded|request rate|call rate|throttl|daily request count|quota|^limit exceeded|\blimit exceeded\b(?!.*(?:block|range|result|log))|slow down|compute units per second/i;
const TRANSIENT_TEXT =
  /internal (?:server )?error|server (?:is )?busy|temporarily unavailable|service unavailable|overloaded|try again later|bad gateway|gateway time-?out|upstream|no healthy|backend|unavailable|connection (?:reset|refused|closed)|execution timeout|request timed out|timed out/i;
const RETRY_IN =
  /(?:try again|retry|back off|wait)\s+(?:in|after|for)\s+(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|secs?|seconds?)\b/i;

/** Classifies a failure already described. */
export function classifyFailure(f: RpcFailure): Classification {
  const text = f.message;
  if (f.status === 429 || f.code === 429 || f.code === -32029) return rate(f);
  if (HEAD_BEHIND.test(text)) return { kind: 'transient', reason: 'head-behind' };
  if (INVALID_RANGE.test(text)) return { kind: 'permanent' };
  if (RESULTS.test(text)) {
    const maxResults =
      /more than ([\d,]+) (?:results|logs)|max(?:imum)? results ([\d,]+)|cap of ([\d,]+\s*k?) logs/i.exec(text);
    const n = maxResults ? Number(parseCount((maxResults[1] ?? maxResults[2] ?? maxResults[3])!)) : undefined;
    const suggested = suggestedOf(text, f.data);
    return { kind: 'limit', limit: 'results', ...(n ? { maxResults: n } : {}), ...(suggested ? { suggested } : {}) };
  }
  if (RANGE.test(text)) {
    const maxRange = maxRangeOf(text);
    const suggested = suggestedOf(text, f.data);
    return { kind: 'limit', limit: 'range', ...(maxRange ? { maxRange } : {}), ...(suggested ? { suggested } : {}) };
  }
  if (RATE.test(text) || (f.code === -32005 && !f.message)) return rate(f);
  if (f.timeout) return { kind: 'transient', reason: 'timeout' };
  if (f.status !== undefined && (f.status >= 500 || f.status === 408 || f.status === 425))
    return { kind: 'transient', reason: 'server' };
  if (f.network) return { kind: 'transient', reason: 'network' };
  if (f.code === -32603 || (f.code !== undefined && f.code <= -32000 && f.code >= -32099 && TRANSIENT_TEXT.test(text)))
    return { kind: 'transient', reason: 'server' };
  if (f.status === undefined && f.code === undefined && TRANSIENT_TEXT.test(text))
    return { kind: 'transient', reason: 'server' };
  return { kind: 'permanent' };
}

function rate(f: RpcFailure): Classification {
  let retryAfterMs = f.retryAfterMs;
  if (retryAfterMs === undefined) {
    const m = RETRY_IN.exec(f.message);
    if (m) retryAfterMs = Math.round(Number(m[1]) * (/^m/i.test(m[2]!) ? 1 : 1000));
  }
  return retryAfterMs === undefined ? { kind: 'limit', limit: 'rate' } : { kind: 'limit', limit: 'rate', retryAfterMs };
}

/** `describeFailure` then `classifyFailure`. */
export function classifyRpcError(err: unknown, nowMs?: number): Classification {
  return classifyFailure(describeFailure(err, nowMs));
}
