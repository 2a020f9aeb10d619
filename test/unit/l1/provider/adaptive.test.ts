import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  AdaptiveEndpoint,
  EndpointCannotServeError,
  EndpointUnavailableError,
  getLogsAdaptive,
  InMemoryLogWindows,
  mapConcurrent,
  RequestBudget,
  redactUrl,
  RpcPermanentError,
  type Clock,
  type RpcLog,
} from '../../../../src/l1/provider/index.js';

// The adaptive layer's rules on an in-memory chain and a virtual clock (no time passes): splitting
// on limit answers, growth, memory, the floor, retries, Retry-After. The same rules against anvil
// through the proxy are in adaptive-anvil.test.ts.

/** A clock whose sleeps only advance virtual time (and are recorded). */
function virtualClock(): Clock & { slept: number[]; t: number } {
  const c = {
    t: 0,
    slept: [] as number[],
    now: () => c.t,
    sleep: async (ms: number) => {
      c.slept.push(ms);
      c.t += ms;
    },
  };
  return c;
}

type FakeChain = { logs: RpcLog[] };
function fakeChain(counts: number[]): FakeChain {
  const logs: RpcLog[] = [];
  counts.forEach((n, b) => {
    for (let i = 0; i < n; i++)
      logs.push({
        blockNumber: `0x${b.toString(16)}`,
        logIndex: `0x${i.toString(16)}`,
        data: `0x${b.toString(16)}${i}`,
      });
  });
  return { logs };
}

type Limits = {
  maxRange?: number;
  rangeMessage?: (max: number) => string;
  maxResults?: number;
  suggestResults?: boolean;
};
type Call = { method: string; from?: bigint; to?: bigint; refused?: boolean };

/** A raw request over the fake chain that answers like a provider with the given limits. */
function fakeRaw(chain: FakeChain, limits: Limits, calls: Call[]) {
  return async ({ method, params }: { method: string; params?: unknown }) => {
    const f = (params as Array<{ fromBlock: string; toBlock: string }>)[0]!;
    const from = BigInt(f.fromBlock);
    const to = BigInt(f.toBlock);
    const call: Call = { method, from, to };
    calls.push(call);
    if (limits.maxRange !== undefined && to - from + 1n > BigInt(limits.maxRange)) {
      call.refused = true;
      throw {
        code: -32000,
        message: (limits.rangeMessage ?? ((m) => `exceed maximum block range: ${m}`))(limits.maxRange),
      };
    }
    const logs = chain.logs.filter((l) => BigInt(l.blockNumber) >= from && BigInt(l.blockNumber) <= to);
    if (limits.maxResults !== undefined && logs.length > limits.maxResults) {
      const over = BigInt(logs[limits.maxResults]!.blockNumber);
      const sTo = over - 1n < from ? from : over - 1n;
      call.refused = true;
      throw limits.suggestResults
        ? {
            code: -32005,
            message: `query returned more than ${limits.maxResults} results. Try with this block range [0x${from.toString(16)}, 0x${sTo.toString(16)}].`,
            data: { from: `0x${from.toString(16)}`, to: `0x${sTo.toString(16)}` },
          }
        : { code: -32005, message: `query returned more than ${limits.maxResults} results` };
    }
    return logs;
  };
}

const endpointOver = (raw: ReturnType<typeof fakeRaw>, clock = virtualClock(), url = 'http://fake.test/rpc') =>
  new AdaptiveEndpoint({ url, request: raw, clock, backoff: { random: () => 0.5 } });
const expectedLogs = (chain: FakeChain, from: bigint, to: bigint) =>
  chain.logs.filter((l) => BigInt(l.blockNumber) >= from && BigInt(l.blockNumber) <= to);

describe('getLogsAdaptive on a fake provider', () => {
  it('returns exactly the logs of [from, to], in order, each block answered once — whatever the limits and concurrency (property)', async () => {
    await fc.assert(
      fc
        .asyncProperty(
          fc.array(fc.nat({ max: 6 }), { minLength: 1, maxLength: 400 }),
          fc.option(fc.integer({ min: 3, max: 300 }), { nil: undefined }),
          fc.option(fc.integer({ min: 6, max: 60 }), { nil: undefined }),
          fc.boolean(),
          fc.boolean(),
          fc.nat({ max: 399 }),
          fc.integer({ min: 1, max: 4 }),
          async (counts, maxRange, maxResults, suggestResults, statedRange, start, concurrency) => {
            const chain = fakeChain(counts);
            const to = BigInt(counts.length - 1);
            const from = BigInt(Math.min(start, counts.length - 1));
            const calls: Call[] = [];
            const limits: Limits = {
              maxRange,
              maxResults,
              suggestResults,
              rangeMessage: statedRange ? undefined : () => 'block range is too wide',
            };
            const ranges: Array<[bigint, bigint]> = [];
            const got = await getLogsAdaptive(endpointOver(fakeRaw(chain, limits, calls)), {}, from, to, {
              memory: new InMemoryLogWindows(),
              initialWindow: 64n,
              maxWindow: 512n,
              concurrency,
              onRange: (a, b) => ranges.push([a, b]),
            });
            expect(got).toEqual(expectedLogs(chain, from, to));
            // The requests that were answered (not refused) partition [from, to] too.
            const answered = calls
              .filter((c) => !c.refused)
              .map((c) => [c.from!, c.to!] as [bigint, bigint])
              .sort((x, y) => (x[0] < y[0] ? -1 : 1));
            expect(answered).toEqual(ranges);
            expect(ranges[0]![0]).toBe(from);
            expect(ranges.at(-1)![1]).toBe(to);
            ranges.forEach(([a, b], i) => {
              expect(a <= b).toBe(true);
              if (i > 0) expect(a).toBe(ranges[i - 1]![1] + 1n);
            });
          },
        )
        .beforeEach(() => {}),
      { numRuns: 150 },
    );
  });

  it('results limit: the next request is exactly the suggested range', async () => {
    const chain = fakeChain(Array.from({ length: 100 }, () => 3));
    const calls: Call[] = [];
    await getLogsAdaptive(endpointOver(fakeRaw(chain, { maxResults: 20, suggestResults: true }, calls)), {}, 0n, 99n, {
      memory: new InMemoryLogWindows(),
      initialWindow: 50n,
    });
    expect(calls[0]).toMatchObject({ from: 0n, to: 49n });
    expect(calls[1]).toMatchObject({ from: 0n, to: 5n }); // 3 logs per block: blocks 0..5 hold 18 ≤ 20
  });

  it('range limit with a stated maximum: the next request uses it, and the endpoint remembers it', async () => {
    const chain = fakeChain(Array.from({ length: 5000 }, (_, i) => (i % 97 === 0 ? 1 : 0)));
    const calls: Call[] = [];
    const memory = new InMemoryLogWindows();
    const ep = endpointOver(fakeRaw(chain, { maxRange: 1000 }, calls));
    const got = await getLogsAdaptive(ep, {}, 0n, 4999n, { memory, initialWindow: 2000n });
    expect(got).toEqual(chain.logs);
    expect(calls.map((c) => [c.from, c.to])).toEqual([
      [0n, 1999n], // refused: "exceed maximum block range: 1000"
      [0n, 999n],
      [1000n, 1999n],
      [2000n, 2999n],
      [3000n, 3999n],
      [4000n, 4999n],
    ]);
    expect(memory.get(ep.url)).toEqual({ window: 1000n, cap: 1000n });
    calls.length = 0;
    await getLogsAdaptive(ep, {}, 0n, 4999n, { memory, initialWindow: 2000n });
    expect(calls.length).toBe(5); // no refused request on the second job
  });

  it('range limit without a number and no suggestion: halves, and growth stops at the learned cap (no repeated refusals)', async () => {
    const chain = fakeChain(Array.from({ length: 3000 }, () => 0));
    const calls: Call[] = [];
    await getLogsAdaptive(
      endpointOver(fakeRaw(chain, { maxRange: 300, rangeMessage: () => 'block range is too wide' }, calls)),
      {},
      0n,
      2999n,
      {
        memory: new InMemoryLogWindows(),
        initialWindow: 1000n,
        growAfter: 2,
      },
    );
    const sizes = calls.map((c) => Number(c.to! - c.from! + 1n));
    // 1000 ✗ (cap ≤ 500), 500 ✗ (cap ≤ 250), then 250 every time: growth stops at the learned cap.
    expect(sizes).toEqual([1000, 500, ...Array(11).fill(250), 250]);
  });

  it('grows after successes when nothing limits it', async () => {
    const chain = fakeChain(Array.from({ length: 20_000 }, () => 0));
    const calls: Call[] = [];
    await getLogsAdaptive(endpointOver(fakeRaw(chain, {}, calls)), {}, 0n, 19_999n, {
      memory: new InMemoryLogWindows(),
      initialWindow: 1000n,
      maxWindow: 4000n,
      growAfter: 1,
    });
    expect(calls.map((c) => Number(c.to! - c.from! + 1n))).toEqual([1000, 2000, 4000, 4000, 4000, 4000, 1000]);
  });

  it('an endpoint whose window is below the floor: one clear error with the projection, no crawl', async () => {
    const chain = fakeChain(Array.from({ length: 10_000 }, () => 0));
    const calls: Call[] = [];
    const memory = new InMemoryLogWindows();
    const ep = endpointOver(
      fakeRaw(
        chain,
        {
          maxRange: 10,
          rangeMessage: () =>
            'Under the Free tier plan, you can make eth_getLogs requests with up to a 10 block range.',
        },
        calls,
      ),
    );
    const err = await getLogsAdaptive(ep, {}, 0n, 9_999n, { memory, maxRequests: 100 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EndpointCannotServeError);
    const e = err as EndpointCannotServeError;
    expect([e.window, e.floor, e.projectedRequests, e.endpoint, e.method]).toEqual([
      10n,
      100n,
      1000n,
      'http://fake.test/rpc',
      'eth_getLogs',
    ]);
    expect(e.message).toContain('use an endpoint that allows ≥ 100 blocks per eth_getLogs');
    expect(e.message).toContain('about 1000 requests');
    expect(calls.length).toBe(1);
    // The cap is remembered: the next job on this endpoint is refused before any request;
    // a short range (follow mode) on the same endpoint is still served.
    await expect(getLogsAdaptive(ep, {}, 0n, 9_999n, { memory, maxRequests: 100 })).rejects.toBeInstanceOf(
      EndpointCannotServeError,
    );
    expect(calls.length).toBe(1);
    expect(await getLogsAdaptive(ep, {}, 100n, 129n, { memory, maxRequests: 100 })).toEqual([]);
    expect(calls.length).toBe(4);
  });

  it('one block with more logs than the endpoint returns is reported, not retried forever', async () => {
    const chain = fakeChain([1, 50, 1]);
    const calls: Call[] = [];
    const err = await getLogsAdaptive(
      endpointOver(fakeRaw(chain, { maxResults: 10, suggestResults: true }, calls)),
      {},
      0n,
      2n,
      { memory: new InMemoryLogWindows() },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EndpointCannotServeError);
    expect((err as Error).message).toContain('block 1 alone has more logs');
    expect(calls.length).toBeLessThanOrEqual(4);
  });
});

describe('redactUrl (endpoint names in messages)', () => {
  it('keeps scheme, host and path shape; hides keys in the path, query values and credentials', () => {
    expect(redactUrl('https://eth-mainnet.g.alchemy.com/v2/AbCdEfGhIjKlMnOpQrStUvWx')).toBe(
      'https://eth-mainnet.g.alchemy.com/v2/…',
    );
    expect(redactUrl('https://rpc.example.org/?apikey=secret123&x=1')).toBe('https://rpc.example.org/?apikey=…&x=…');
    expect(redactUrl('https://user:pass@node.example.org:8545/rpc')).toBe('https://node.example.org:8545/rpc');
    expect(redactUrl('http://127.0.0.1:8545')).toBe('http://127.0.0.1:8545');
  });
});

describe('AdaptiveEndpoint retry policy', () => {
  const failing = (answers: unknown[]) => {
    let i = 0;
    const seen: number[] = [];
    return {
      seen,
      request: async () => {
        seen.push(i);
        const a = answers[Math.min(i++, answers.length - 1)];
        if (
          a instanceof Error ||
          (a && typeof a === 'object' && 'code' in a) ||
          (a && typeof a === 'object' && 'status' in a)
        )
          throw a;
        return a;
      },
    };
  };

  it('a permanent answer stops at once, naming endpoint, method and answer', async () => {
    const f = failing([{ code: -32602, message: 'invalid argument 0: hex string without 0x prefix' }]);
    const ep = new AdaptiveEndpoint({
      url: 'https://mainnet.example.io/v3/0123456789abcdef0123456789abcdef',
      request: f.request,
      clock: virtualClock(),
    });
    const err = await ep.request('eth_getStorageAt', []).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RpcPermanentError);
    const e = err as RpcPermanentError;
    expect([e.endpoint, e.method, e.answer.code]).toEqual([
      'https://mainnet.example.io/v3/0123456789abcdef0123456789abcdef',
      'eth_getStorageAt',
      -32602,
    ]);
    expect(e.message).toContain(
      'https://mainnet.example.io/v3/… refused eth_getStorageAt: code -32602, "invalid argument 0',
    );
    expect(f.seen.length).toBe(1);
  });

  it('transient failures back off with jitter and succeed; too many give EndpointUnavailableError', async () => {
    const clock = virtualClock();
    const f = failing([{ status: 503, message: 'Service Unavailable' }, new Error('fetch failed'), '0x1']);
    const ep = new AdaptiveEndpoint({
      url: 'u',
      request: f.request,
      clock,
      backoff: { baseMs: 100, random: () => 0.5 },
    });
    expect(await ep.request('eth_blockNumber')).toBe('0x1');
    expect(clock.slept).toEqual([75, 150]); // d/2 + 0.5·d/2 with d = 100, 200
    const g = failing([{ status: 502, message: 'Bad Gateway' }]);
    const ep2 = new AdaptiveEndpoint({ url: 'u', request: g.request, clock, attempts: 3 });
    await expect(ep2.request('eth_blockNumber')).rejects.toBeInstanceOf(EndpointUnavailableError);
    expect(g.seen.length).toBe(3);
  });

  it('a rate limit pauses the whole endpoint for Retry-After before the next request', async () => {
    const clock = virtualClock();
    const sentAt: number[] = [];
    let n = 0;
    const ep = new AdaptiveEndpoint({
      url: 'u',
      clock,
      request: async () => {
        sentAt.push(clock.t);
        if (n++ === 0)
          throw {
            status: 429,
            headers: { get: (k: string) => (k === 'retry-after' ? '2' : null) },
            message: 'Too Many Requests',
          };
        return 'ok';
      },
    });
    expect(await ep.request('eth_call')).toBe('ok');
    expect(sentAt).toEqual([0, 2000]);
    expect(ep.budget.pausedUntil).toBe(2000);
  });
});

describe('RequestBudget and mapConcurrent', () => {
  it('a user-set rate spaces requests after the burst', async () => {
    const clock = virtualClock();
    const b = new RequestBudget({ ratePerSecond: 10, burst: 2, clock });
    for (let i = 0; i < 12; i++) await b.acquire();
    expect(clock.t).toBe(1000); // 2 from the burst, then one per 100 ms
  });

  it('keeps input order, caps concurrency, and stops starting tasks after the first failure', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapConcurrent(
      [5, 1, 4, 2, 3],
      async (x) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, x));
        inFlight--;
        return x * 10;
      },
      2,
    );
    expect([out, peak]).toEqual([[50, 10, 40, 20, 30], 2]);
    const started: number[] = [];
    await expect(
      mapConcurrent(
        [1, 2, 3, 4, 5, 6],
        async (x) => {
          started.push(x);
          if (x === 2) throw new Error('boom');
          return x;
        },
        1,
      ),
    ).rejects.toThrow('boom');
    expect(started).toEqual([1, 2]);
  });
});
