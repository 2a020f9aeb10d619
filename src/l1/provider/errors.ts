import { formatValue, VigilError, type VigilErrorOptions } from '../../errors.js';

/**
 * Errors of the adaptive L1 request layer (issue 15). Each names the endpoint and the JSON-RPC
 * method, keeps the provider's answer, and chains the transport error as `cause`, so the dashboard
 * can say which RPC failed at what and why — and callers branch on the class, never on text.
 */

/** What an endpoint answered, as far as the transport tells: HTTP status, JSON-RPC code, message, data. */
export type RpcAnswerSummary = { status?: number; code?: number; message: string; data?: unknown };

export function formatAnswer(a: RpcAnswerSummary): string {
  const parts = [
    a.status !== undefined ? `HTTP ${a.status}` : undefined,
    a.code !== undefined ? `code ${a.code}` : undefined,
    a.message ? formatValue(a.message) : undefined,
  ];
  if (a.data !== undefined) parts.push(`data ${formatValue(a.data)}`);
  return parts.filter(Boolean).join(', ') || 'no answer';
}

/**
 * The endpoint for messages: scheme, host and path, with anything that looks like an API key
 * (a long token in the path or any query value) replaced by `…`, since users paste keyed URLs.
 */
export function redactUrl(url: string): string {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)([^?#]*)(\?[^#]*)?/i.exec(url);
  if (!m) return url;
  const host = m[2]!.replace(/^[^@]*@/, '');
  const path = m[3]!
    .split('/')
    .map((seg) => (/^[A-Za-z0-9_-]{16,}$/.test(seg) ? '…' : seg))
    .join('/');
  const query = m[4] ? m[4].replace(/=([^&]*)/g, '=…') : '';
  return `${m[1]}${host}${path}${query}`;
}

/** Base class: a failure tied to one endpoint and one method. */
export class EndpointError extends VigilError {
  override name = 'EndpointError';
  readonly endpoint: string;
  readonly method: string;
  constructor(endpoint: string, method: string, shortMessage: string, options: VigilErrorOptions = {}) {
    super(shortMessage, options);
    this.endpoint = endpoint;
    this.method = method;
  }
}

/** The endpoint refused the request in a way retrying cannot change (bad params, unknown method, 401/403...). */
export class RpcPermanentError extends EndpointError {
  override name = 'RpcPermanentError';
  readonly answer: RpcAnswerSummary;
  constructor(endpoint: string, method: string, answer: RpcAnswerSummary, options: VigilErrorOptions = {}) {
    super(endpoint, method, `${redactUrl(endpoint)} refused ${method}: ${formatAnswer(answer)}`, options);
    this.answer = answer;
  }
}

/** Transient failures (5xx, timeouts, network) or rate limits went on for all the attempts allowed. */
export class EndpointUnavailableError extends EndpointError {
  override name = 'EndpointUnavailableError';
  readonly attempts: number;
  readonly reason: string;
  readonly answer: RpcAnswerSummary;
  constructor(
    endpoint: string,
    method: string,
    attempts: number,
    reason: string,
    answer: RpcAnswerSummary,
    options: VigilErrorOptions = {},
  ) {
    super(
      endpoint,
      method,
      `${redactUrl(endpoint)} did not answer ${method} after ${attempts} attempt(s) (${reason}): ${formatAnswer(answer)}`,
      options,
    );
    this.attempts = attempts;
    this.reason = reason;
    this.answer = answer;
  }
}

/**
 * A block-range or result-count limit answer. `getLogs` catches it and splits the range; any other
 * caller sees it as the endpoint refusing this request.
 */
export class RpcLimitError extends EndpointError {
  override name = 'RpcLimitError';
  readonly limit: 'range' | 'results';
  readonly maxRange: bigint | undefined;
  readonly maxResults: number | undefined;
  readonly suggested: readonly [bigint, bigint] | undefined;
  readonly answer: RpcAnswerSummary;
  constructor(
    endpoint: string,
    method: string,
    info: { limit: 'range' | 'results'; maxRange?: bigint; maxResults?: number; suggested?: readonly [bigint, bigint] },
    answer: RpcAnswerSummary,
    options: VigilErrorOptions = {},
  ) {
    super(
      endpoint,
      method,
      `${redactUrl(endpoint)} limits ${method} (${info.limit === 'range' ? 'block range' : 'result count'}): ${formatAnswer(answer)}`,
      options,
    );
    this.limit = info.limit;
    this.maxRange = info.maxRange;
    this.maxResults = info.maxResults;
    this.suggested = info.suggested;
    this.answer = answer;
  }
}

/**
 * The endpoint cannot do this job in a reasonable number of requests: its `eth_getLogs` window is
 * below the floor for the range to scan (or one block holds more logs than it returns). Reported
 * once with the projection and what to use instead — never a silent retry loop.
 */
export class EndpointCannotServeError extends EndpointError {
  override name = 'EndpointCannotServeError';
  readonly fromBlock: bigint;
  readonly toBlock: bigint;
  /** The largest window the endpoint allows, as far as it told or as probed (blocks per request). */
  readonly window: bigint;
  /** The smallest window the job accepts. */
  readonly floor: bigint;
  /** Requests the rest of the range would take at `window`. */
  readonly projectedRequests: bigint;
  readonly suggestion: string;
  constructor(
    endpoint: string,
    method: string,
    info: {
      fromBlock: bigint;
      toBlock: bigint;
      window: bigint;
      floor: bigint;
      projectedRequests: bigint;
      reason?: 'range' | 'results';
      maxResults?: number;
    },
    options: VigilErrorOptions = {},
  ) {
    const suggestion =
      info.reason === 'results'
        ? `use an endpoint that returns more than ${info.maxResults ?? 'this many'} logs per ${method}`
        : `use an endpoint that allows ≥ ${info.floor} blocks per ${method}`;
    const what =
      info.reason === 'results'
        ? `block ${info.fromBlock} alone has more logs than it returns in one ${method}`
        : `it allows at most ${info.window} blocks per ${method}, so blocks ${info.fromBlock}–${info.toBlock} would take about ${info.projectedRequests} requests`;
    super(endpoint, method, `${redactUrl(endpoint)} cannot serve this job: ${what}; ${suggestion}`, options);
    this.fromBlock = info.fromBlock;
    this.toBlock = info.toBlock;
    this.window = info.window;
    this.floor = info.floor;
    this.projectedRequests = info.projectedRequests;
    this.suggestion = suggestion;
  }
}

/** An HTTP status the transport turned into an error before reading the body (429, 5xx): keeps Retry-After. */
export class HttpStatusError extends VigilError {
  override name = 'HttpStatusError';
  readonly status: number;
  readonly retryAfter: string | undefined;
  readonly body: string;
  constructor(status: number, retryAfter: string | undefined, body: string) {
    super(`HTTP ${status}${retryAfter !== undefined ? ` (Retry-After ${retryAfter})` : ''}`, {
      details: body ? body.slice(0, 500) : undefined,
    });
    this.status = status;
    this.retryAfter = retryAfter;
    this.body = body.slice(0, 2000);
  }
}
