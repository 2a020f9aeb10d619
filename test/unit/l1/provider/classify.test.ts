import { describe, expect, it } from 'vitest';
import {
  HttpRequestError,
  LimitExceededRpcError,
  InvalidInputRpcError,
  InternalRpcError,
  MethodNotFoundRpcError,
  RpcRequestError,
  TimeoutError,
  InvalidParamsRpcError,
} from 'viem';
import {
  classifyRpcError,
  describeFailure,
  HttpStatusError,
  parseRetryAfter,
} from '../../../../src/l1/provider/index.js';

// The classifier on a table of real-world provider answers (texts and codes as providers send
// them), wrapped the way viem's http transport wraps them.

const URL = 'http://127.0.0.1:1';
const rpcErr = (code: number, message: string, data?: unknown) =>
  new RpcRequestError({
    body: { method: 'eth_getLogs' },
    error: { code, message, ...(data === undefined ? {} : { data }) },
    url: URL,
  });
/** viem maps known codes to classes with the raw RpcRequestError as cause. */
const viemWrapped = (code: number, message: string, data?: unknown) => {
  const raw = rpcErr(code, message, data);
  if (code === -32005) return new LimitExceededRpcError(raw);
  if (code === -32000) return new InvalidInputRpcError(raw);
  if (code === -32602) return new InvalidParamsRpcError(raw);
  if (code === -32603) return new InternalRpcError(raw);
  if (code === -32601) return new MethodNotFoundRpcError(raw);
  return raw;
};

type Row = [label: string, err: unknown, expected: Record<string, unknown>];

const table: Row[] = [
  // --- block-range limits
  [
    'public node "exceed maximum block range: 1000"',
    viemWrapped(-32000, 'exceed maximum block range: 1000'),
    { kind: 'limit', limit: 'range', maxRange: 1000n },
  ],
  [
    'publicnode "exceed maximum block range: 50000"',
    viemWrapped(-32000, 'exceed maximum block range: 50000'),
    { kind: 'limit', limit: 'range', maxRange: 50000n },
  ],
  [
    'QuickNode "limited to a 10,000 range"',
    viemWrapped(-32614, 'eth_getLogs is limited to a 10,000 range'),
    { kind: 'limit', limit: 'range', maxRange: 10000n },
  ],
  [
    'QuickNode "limited to a 10000 blocks range"',
    viemWrapped(-32000, 'eth_getLogs and eth_newFilter are limited to a 10000 blocks range'),
    { kind: 'limit', limit: 'range', maxRange: 10000n },
  ],
  [
    'Alchemy free tier 10-block range with suggestion',
    viemWrapped(
      -32600,
      'Under the Free tier plan, you can make eth_getLogs requests with up to a 10 block range. Based on your parameters, this block range should work: [0x1, 0xa]',
    ),
    { kind: 'limit', limit: 'range', maxRange: 10n, suggested: [1n, 10n] },
  ],
  ['Ankr "block range is too wide"', viemWrapped(-32600, 'block range is too wide'), { kind: 'limit', limit: 'range' }],
  [
    'Chainstack "Block range limit exceeded."',
    viemWrapped(-32000, 'Block range limit exceeded.'),
    { kind: 'limit', limit: 'range' },
  ],
  [
    'dRPC "ranges over 10000 blocks are not supported"',
    viemWrapped(35, 'ranges over 10000 blocks are not supported on freetier'),
    { kind: 'limit', limit: 'range', maxRange: 10000n },
  ],
  [
    'llamarpc-like "max range is 1k blocks"',
    viemWrapped(-32000, 'eth_getLogs range is too large, max is 1k blocks'),
    { kind: 'limit', limit: 'range', maxRange: 1000n },
  ],
  [
    'Erigon "query exceeds max block range 100000"',
    viemWrapped(-32000, 'query exceeds max block range 100000'),
    { kind: 'limit', limit: 'range', maxRange: 100000n },
  ],
  [
    'Cloudflare "Maximum allowed number of requested blocks is 800"',
    viemWrapped(-32047, 'Maximum allowed number of requested blocks is 800'),
    { kind: 'limit', limit: 'range', maxRange: 800n },
  ],
  [
    'Alchemy "Query timeout exceeded. Consider reducing your block range."',
    viemWrapped(-32000, 'Query timeout exceeded. Consider reducing your block range.'),
    { kind: 'limit', limit: 'range' },
  ],
  // --- result-count limits
  [
    'Infura -32005 "more than 10000 results" + data range',
    viemWrapped(-32005, 'query returned more than 10000 results. Try with this block range [0x10aa5f4, 0x10ab3c9].', {
      from: '0x10aa5f4',
      limit: 10000,
      to: '0x10ab3c9',
    }),
    { kind: 'limit', limit: 'results', maxResults: 10000, suggested: [0x10aa5f4n, 0x10ab3c9n] },
  ],
  [
    'geth "query returned more than 10000 results"',
    viemWrapped(-32000, 'query returned more than 10000 results'),
    { kind: 'limit', limit: 'results', maxResults: 10000 },
  ],
  [
    'Alchemy "Log response size exceeded ... should work: [..]"',
    viemWrapped(
      -32602,
      'Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range and no limit on the response size, or you can request any block range with a cap of 10K logs in the response. Based on your parameters, this block range should work: [0xe4e1c0, 0xe4e56f]',
    ),
    { kind: 'limit', limit: 'results', maxResults: 10000, suggested: [0xe4e1c0n, 0xe4e56fn] },
  ],
  [
    'Erigon "query exceeds max results 20000, retry with the range 21133437-21133532"',
    viemWrapped(-32000, 'query exceeds max results 20000, retry with the range 21133437-21133532'),
    { kind: 'limit', limit: 'results', maxResults: 20000, suggested: [21133437n, 21133532n] },
  ],
  [
    'a plain EIP-1193 object error',
    { code: -32005, message: 'query returned more than 5 results. Try with this block range [0x0, 0x3].' },
    { kind: 'limit', limit: 'results', maxResults: 5, suggested: [0n, 3n] },
  ],
  // --- rate limits
  [
    'HTTP 429 with Retry-After: 2',
    new HttpRequestError({
      url: URL,
      status: 429,
      headers: new Headers({ 'retry-after': '2' }),
      details: 'Too Many Requests',
    }),
    { kind: 'limit', limit: 'rate', retryAfterMs: 2000 },
  ],
  [
    'HTTP 429 via the response hook, JSON body',
    new HttpRequestError({
      url: URL,
      cause: new HttpStatusError(
        429,
        '1',
        JSON.stringify({ jsonrpc: '2.0', id: 1, error: { code: 429, message: 'Too Many Requests' } }),
      ),
    }),
    { kind: 'limit', limit: 'rate', retryAfterMs: 1000 },
  ],
  [
    'Alchemy code 429 in a 200 body',
    viemWrapped(
      429,
      'Your app has exceeded its compute units per second capacity. If you have retries enabled, you can safely ignore this message.',
    ),
    { kind: 'limit', limit: 'rate' },
  ],
  ['Infura -32005 "limit exceeded"', viemWrapped(-32005, 'limit exceeded'), { kind: 'limit', limit: 'rate' }],
  [
    'Infura -32005 "daily request count exceeded, request rate limited"',
    viemWrapped(-32005, 'daily request count exceeded, request rate limited'),
    { kind: 'limit', limit: 'rate' },
  ],
  [
    '-32029 "rate limit" with retry hint',
    viemWrapped(-32029, 'Rate limit exceeded, try again in 3 seconds'),
    { kind: 'limit', limit: 'rate', retryAfterMs: 3000 },
  ],
  [
    'QuickNode -32007 "request limit reached"',
    viemWrapped(-32007, '100/second request limit reached - reduce calls per second or upgrade your account'),
    { kind: 'limit', limit: 'rate' },
  ],
  [
    'Ankr "Too many requests"',
    viemWrapped(-32090, 'Too many requests, reason: call rate limit exhausted, retry in 10s'),
    { kind: 'limit', limit: 'rate', retryAfterMs: 10000 },
  ],
  // --- transient
  [
    'HTTP 502 (HTML page)',
    new HttpRequestError({
      url: URL,
      cause: new HttpStatusError(502, undefined, '<html><body>502 Bad Gateway</body></html>'),
    }),
    { kind: 'transient', reason: 'server' },
  ],
  [
    'HTTP 503',
    new HttpRequestError({ url: URL, status: 503, details: 'Service Unavailable' }),
    { kind: 'transient', reason: 'server' },
  ],
  [
    'viem TimeoutError',
    new TimeoutError({ body: { method: 'eth_getLogs' }, url: URL }),
    { kind: 'transient', reason: 'timeout' },
  ],
  [
    'network: fetch failed / ECONNREFUSED',
    new HttpRequestError({
      url: URL,
      cause: Object.assign(new TypeError('fetch failed'), { cause: new Error('connect ECONNREFUSED 127.0.0.1:1') }),
    }),
    { kind: 'transient', reason: 'network' },
  ],
  ['-32603 internal error', viemWrapped(-32603, 'Internal error'), { kind: 'transient', reason: 'server' }],
  ['-32000 "execution timeout"', viemWrapped(-32000, 'execution timeout'), { kind: 'transient', reason: 'server' }],
  [
    'lagging node "header not found"',
    viemWrapped(-32000, 'header not found'),
    { kind: 'transient', reason: 'head-behind' },
  ],
  [
    '"block range extends beyond current head block"',
    viemWrapped(-32000, 'block range extends beyond current head block'),
    { kind: 'transient', reason: 'head-behind' },
  ],
  // --- permanent
  [
    '-32601 method not found',
    viemWrapped(-32601, 'the method eth_foo does not exist/is not available'),
    { kind: 'permanent' },
  ],
  [
    '-32602 invalid params',
    viemWrapped(-32602, 'invalid argument 0: hex string without 0x prefix'),
    { kind: 'permanent' },
  ],
  ['geth "invalid block range params"', viemWrapped(-32000, 'invalid block range params'), { kind: 'permanent' }],
  [
    'HTTP 401 unauthorized',
    new HttpRequestError({ url: URL, status: 401, details: 'invalid project id' }),
    { kind: 'permanent' },
  ],
  ['HTTP 403 forbidden', new HttpRequestError({ url: URL, status: 403, details: 'Forbidden' }), { kind: 'permanent' }],
  ['execution reverted', viemWrapped(3, 'execution reverted'), { kind: 'permanent' }],
  [
    '"exceed max addresses or topics per search position"',
    viemWrapped(-32000, 'exceed max addresses or topics per search position'),
    { kind: 'permanent' },
  ],
];

describe('classifyRpcError on real-world provider answers', () => {
  it.each(table)('%s', (_label, err, expected) => {
    expect(classifyRpcError(err, 0)).toEqual(expected);
  });

  it("describeFailure keeps status, code, the provider text and data, not viem's request dump", () => {
    const f = describeFailure(
      viemWrapped(-32005, 'query returned more than 10 results. Try with this block range [0x1, 0x2].', {
        from: '0x1',
        to: '0x2',
        limit: 10,
      }),
    );
    expect(f.code).toBe(-32005);
    expect(f.data).toEqual({ from: '0x1', to: '0x2', limit: 10 });
    expect(f.message).toContain('query returned more than 10 results');
    expect(f.message).not.toContain('Request body');
  });

  it('Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter('0.5')).toBe(500);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:05 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(5000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
