import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EndpointCannotServeError,
  EndpointUnavailableError,
  getLogsAdaptive,
  httpEndpoint,
  InMemoryLogWindows,
  requestAll,
  RpcPermanentError,
  type Clock,
  type EndpointEvent,
  type HttpEndpointOptions,
  type RpcLog,
} from '../../../../src/l1/provider/index.js';
import { EMITTER, rpc, rpcProxies, startLogChain, type LogChain } from './log-chain.js';

// The adaptive L1 layer against anvil through the provider-imitating proxy (issue 15): under each
// profile, getLogs returns exactly what anvil returns directly; limits are split, rate limits are
// obeyed, an impossible endpoint is reported with its projection, a permanent answer stops at once.

let chain: LogChain;
let direct: RpcLog[];
const proxies = rpcProxies(() => chain.anvil.rpcUrl);
const proxy = proxies.start;
beforeAll(async () => {
  chain = await startLogChain({ txs: 25, maxLogsPerTx: 25, maxGap: 120 });
  direct = await rpc<RpcLog[]>(chain.anvil.rpcUrl, 'eth_getLogs', [
    { address: EMITTER, fromBlock: '0x0', toBlock: `0x${chain.head.toString(16)}` },
  ]);
});
afterAll(async () => {
  await proxies.stopAll();
  await chain?.stop();
});

// Generous timeouts: a loaded CI machine must not turn a slow answer into a retry (counts would
// change); only the flaky profile's hung requests are meant to time out.
const fast: HttpEndpointOptions = { timeoutMs: 10_000, backoff: { baseMs: 10, maxMs: 50 } };
const flakyFast: HttpEndpointOptions = { ...fast, timeoutMs: 1500 };

describe('getLogsAdaptive through the proxy returns exactly the logs anvil returns', () => {
  it.each([
    ['no profile', '', {}],
    ['range-1000 (starting from a 4000-block window)', 'range-1000', { initialWindow: 4000n }],
    ['results-10k with a cap of 40 logs', 'results-10k:max=40', {}],
    ['latency', 'latency:ms=5', {}],
    ['flaky (seeded 5xx and hung requests)', 'flaky:error5xx=0.15;hang=0.05', {}],
    [
      'all combined',
      'range-1000,results-10k:max=40,latency:ms=2,flaky:error5xx=0.1;hang=0.05',
      { initialWindow: 4000n },
    ],
    [
      'all combined, 4 windows in flight',
      'range-1000,results-10k:max=40,latency:ms=2,flaky:error5xx=0.1;hang=0.05',
      { initialWindow: 4000n, concurrency: 4 },
    ],
  ])('%s', async (_label, profiles, opts) => {
    const p = await proxy([profiles], { seed: 3 });
    const ranges: Array<[bigint, bigint]> = [];
    const memory = new InMemoryLogWindows();
    const got = await getLogsAdaptive(
      httpEndpoint(p.url, profiles.includes('flaky') ? flakyFast : fast),
      { address: EMITTER },
      0n,
      chain.head,
      { memory, onRange: (a, b) => ranges.push([a, b]), ...opts },
    );
    expect(got).toEqual(direct);
    expect(ranges[0]![0]).toBe(0n);
    expect(ranges.at(-1)![1]).toBe(chain.head);
    ranges.forEach(([a], i) => i > 0 && expect(a).toBe(ranges[i - 1]![1] + 1n));
    const s = p.stats();
    if (profiles.includes('range-1000')) {
      // The stated maximum is learned from the first refusal (in-flight windows may be refused too).
      expect(s.rangeRefused).toBeLessThanOrEqual((opts as { concurrency?: number }).concurrency ?? 1);
      expect(memory.get(p.url)?.cap).toBe(1000n);
    }
    if (profiles.includes('results-10k')) expect(s.resultsRefused).toBeGreaterThan(0);
    if (profiles.includes('flaky')) expect(s.injected5xx + s.hung).toBeGreaterThan(0);
    // Every refusal costs at most one extra request: no retry storms.
    expect(s.calls.eth_getLogs).toBe(ranges.length + s.rangeRefused + s.resultsRefused + s.injected5xx + s.hung);
  });
});

describe('rate limits (rate-25rps, proxy and client on one virtual clock: counts, not speed)', () => {
  /** Sleeping advances virtual time at once; the proxy's token bucket reads the same time. */
  const sharedClock = () => {
    const c: Clock & { t: number } = { t: 0, now: () => c.t, sleep: async (ms: number) => void (c.t += ms) };
    return c;
  };
  const blockCalls = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      method: 'eth_getBlockByNumber',
      params: [`0x${(i % Number(chain.head)).toString(16)}`, false],
    }));

  it('with a user-set budget of 25 req/s, 80 concurrent reads draw no 429', async () => {
    const clock = sharedClock();
    const p = await proxy(['rate-25rps'], { now: clock.now });
    const ep = httpEndpoint(p.url, { ...fast, clock, budget: { ratePerSecond: 25 } });
    const blocks = await requestAll<{ number: string }>(ep, blockCalls(80), 8);
    expect(blocks.map((b) => b.number)).toEqual(blockCalls(80).map((c) => c.params[0]));
    expect(p.stats()).toMatchObject({ rateLimited: 0, totalCalls: 80 });
  });

  it('without a budget, each 429 pauses the whole endpoint for Retry-After; all reads succeed', async () => {
    const clock = sharedClock();
    const p = await proxy(['rate-25rps'], { now: clock.now });
    const events: EndpointEvent[] = [];
    const ep = httpEndpoint(p.url, { ...fast, clock, onEvent: (e) => events.push(e) });
    const blocks = await requestAll<{ number: string }>(ep, blockCalls(80), 8);
    expect(blocks.map((b) => b.number)).toEqual(blockCalls(80).map((c) => c.params[0]));
    const pauses = events.filter((e): e is Extract<EndpointEvent, { type: 'pause' }> => e.type === 'pause');
    const s = p.stats();
    expect(s.rateLimited).toBeGreaterThan(0);
    expect(pauses.length).toBe(s.rateLimited);
    expect(pauses.every((e) => e.pauseMs === 1000)).toBe(true); // Retry-After: 1
    // At most the in-flight requests of each refill round are refused: 80 reads ≈ 3 rounds × 8.
    expect(s.rateLimited).toBeLessThanOrEqual(3 * 8);
  });
});

describe('JSON-RPC batching (viem http batch)', () => {
  it('concurrent reads share HTTP requests; the proxy still counts every call', async () => {
    const p = await proxy([]);
    const calls = Array.from({ length: 20 }, (_, i) => ({
      method: 'eth_getBlockByNumber',
      params: [`0x${i.toString(16)}`, false],
    }));
    const blocks = await requestAll<{ number: string }>(httpEndpoint(p.url, { ...fast, batch: true }), calls, 10);
    expect(blocks.map((b) => b.number)).toEqual(calls.map((c) => c.params[0]));
    const s = p.stats();
    expect(s.totalCalls).toBe(20);
    expect(s.httpRequests).toBeLessThan(20);
  });

  const blockCalls = Array.from({ length: 20 }, (_, i) => ({
    method: 'eth_getBlockByNumber',
    params: [`0x${i.toString(16)}`, false],
  }));

  it("'auto' batches where the endpoint accepts a probe batch of two eth_chainId", async () => {
    const p = await proxy([]);
    const ep = httpEndpoint(p.url, { ...fast, batch: 'auto' });
    expect(ep.batching).toEqual({ state: 'unknown' });
    const blocks = await requestAll<{ number: string }>(ep, blockCalls, 10);
    expect(blocks.map((b) => b.number)).toEqual(blockCalls.map((c) => c.params[0]));
    expect(ep.batching).toEqual({ state: 'on' });
    const s = p.stats();
    expect(s.calls).toEqual({ eth_chainId: 2, eth_getBlockByNumber: 20 });
    expect(s.httpRequests).toBeLessThan(1 + 20);
  });

  it("'auto' falls back to one call per request where batches are refused (no-batch), every answer right", async () => {
    const p = await proxy(['no-batch']);
    const ep = httpEndpoint(p.url, { ...fast, batch: 'auto' });
    const blocks = await requestAll<{ number: string }>(ep, blockCalls, 10);
    expect(blocks.map((b) => b.number)).toEqual(blockCalls.map((c) => c.params[0]));
    expect(ep.batching.state).toBe('off');
    const s = p.stats();
    // The probe batch was refused once; then each read went alone.
    expect(s).toMatchObject({ batchesRefused: 1, httpRequests: 1 + 20, totalCalls: 20 });
  });

  it("'auto' asks again after a rate-limited probe: a 429 says nothing about batches", async () => {
    const p = await proxy(['rate-25rps:rps=2;burst=2']);
    // Empty the bucket, so the probe batch is answered 429.
    await fetch(p.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([1, 2].map((id) => ({ jsonrpc: '2.0', id, method: 'eth_chainId', params: [] }))),
    });
    const ep = httpEndpoint(p.url, { ...fast, batch: 'auto' });
    const block = await ep.request<{ number: string }>('eth_getBlockByNumber', ['0x1', false]);
    expect(block.number).toBe('0x1');
    expect(p.stats().rateLimited).toBeGreaterThanOrEqual(1);
    expect(ep.batching).toEqual({ state: 'on' });
  });

  it('the proxy refuses a batch under no-batch with one error object, and serves single calls', async () => {
    const p = await proxy(['no-batch']);
    const post = (body: unknown) =>
      fetch(p.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then((r) => r.json());
    const call = (id: number) => ({ jsonrpc: '2.0', id, method: 'eth_chainId', params: [] });
    expect(await post([call(1), call(2)])).toEqual({
      jsonrpc: '2.0',
      id: null,
      error: { code: -32600, message: 'Batch requests are not supported' },
    });
    expect(await post(call(3))).toMatchObject({ id: 3, result: expect.stringMatching(/^0x/) });
  });
});

describe('what the endpoint cannot do', () => {
  it('tiny-range-10: a clear "cannot serve this job" error with the projection, after one request', async () => {
    const p = await proxy(['tiny-range-10']);
    const len = chain.head + 1n;
    const err = await getLogsAdaptive(httpEndpoint(p.url, fast), { address: EMITTER }, 0n, chain.head, {
      memory: new InMemoryLogWindows(),
      maxRequests: 20,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EndpointCannotServeError);
    const e = err as EndpointCannotServeError;
    const floor = (len + 19n) / 20n;
    expect([e.endpoint, e.method, e.window, e.floor, e.projectedRequests]).toEqual([
      p.url,
      'eth_getLogs',
      10n,
      floor,
      (len + 9n) / 10n,
    ]);
    expect(e.message).toContain(`use an endpoint that allows ≥ ${floor} blocks per eth_getLogs`);
    expect(p.stats().calls.eth_getLogs).toBe(1);
  });

  it('a permanent answer (invalid params) stops at once with endpoint, method and answer', async () => {
    const p = await proxy(['flaky:error5xx=0;hang=0']);
    const err = await httpEndpoint(p.url, fast)
      .request('eth_getLogs', [{ address: 'not-an-address', fromBlock: '0x0', toBlock: '0x1' }])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RpcPermanentError);
    const e = err as RpcPermanentError;
    expect([e.endpoint, e.method]).toEqual([p.url, 'eth_getLogs']);
    expect(e.message).toContain(`${p.url} refused eth_getLogs: code`);
    expect(p.stats().calls.eth_getLogs).toBe(1);
  });

  it('lagging: logs above its head are refused as "behind" (transient), retried, then reported', async () => {
    const p = await proxy(['lagging:blocks=5']);
    const err = await getLogsAdaptive(
      httpEndpoint(p.url, { ...fast, attempts: 3 }),
      { address: EMITTER },
      0n,
      chain.head,
      { memory: new InMemoryLogWindows(), initialWindow: 100_000n },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EndpointUnavailableError);
    expect((err as EndpointUnavailableError).reason).toBe('head-behind');
    expect(p.stats().calls.eth_getLogs).toBe(3);
  });
});
