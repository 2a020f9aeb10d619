import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { CallHandler, type CallCounters, type RpcAnswer, type RpcCall, type Upstream } from './call-handler.js';
import {
  normaliseProfiles,
  PROFILE_DEFAULTS,
  type FlakyProfile,
  type LatencyProfile,
  type Profile,
  type ProfileInput,
  type RateProfile,
} from './profiles.js';
import { seededRandom } from '../lib/rng.js';
import { listenOnLoopback } from '../lib/http.js';
import { ProxyTokenBucket } from './token-bucket.js';

/**
 * A loopback JSON-RPC proxy that imitates real providers in front of an upstream node (anvil):
 * block-range and result caps, rate limits with Retry-After, latency, flaky 5xx and hung requests,
 * a lagging head and lies (see profiles.ts and README.md). It is the test bed of issue 15's adaptive
 * L1 layer, and the `lying` profile serves the multi-RPC comparator. Deterministic for a seed; it
 * counts every call per method (`stats()`, or the JSON-RPC method `proxy_stats`) for benchmarks.
 */

export type RpcProxyOptions = {
  /** Upstream JSON-RPC URL, e.g. anvil's. */
  upstream: string;
  /** Profiles, combined: objects or spec strings (`'range-1000,rate-25rps'`, `'results-10k:max=50'`). */
  profiles?: readonly ProfileInput[];
  /** Seed of the flaky and latency randomness (default 1). */
  seed?: number;
  /** Loopback port (default: a free one). */
  port?: number;
  /** Clock for the rate limiter (tests). */
  now?: () => number;
};

export type RpcProxyStats = CallCounters & {
  /** HTTP requests received (a batch is one). */
  httpRequests: number;
  /** JSON-RPC calls received per method, batch members counted one by one, refused ones included. */
  calls: Record<string, number>;
  /** Total JSON-RPC calls received. */
  totalCalls: number;
  /** HTTP 429 answers, and the calls they carried. */
  rateLimited: number;
  rateLimitedCalls: number;
  /** Injected HTTP 5xx answers and hung (never answered) requests. */
  injected5xx: number;
  hung: number;
  /** Batches refused by the `no-batch` profile (their members are not counted as calls). */
  batchesRefused: number;
};

export type RpcProxy = {
  url: string;
  port: number;
  profiles: readonly Profile[];
  stats(): RpcProxyStats;
  resetStats(): void;
  /** Closes the server and every open connection (hung requests included). */
  stop(): Promise<void>;
};

const emptyStats = (): RpcProxyStats => ({
  httpRequests: 0,
  calls: {},
  totalCalls: 0,
  rateLimited: 0,
  rateLimitedCalls: 0,
  injected5xx: 0,
  hung: 0,
  rangeRefused: 0,
  resultsRefused: 0,
  lagRefused: 0,
  lies: 0,
  batchesRefused: 0,
});

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function startRpcProxy(options: RpcProxyOptions): Promise<RpcProxy> {
  const profiles = normaliseProfiles(options.profiles ?? []);
  const random = seededRandom(options.seed ?? 1);
  // One object for the proxy's life (the call handler counts into it): a reset clears it in place.
  const stats = emptyStats();
  const resetStats = () => void Object.assign(stats, emptyStats());

  const rate = profiles.find((p): p is RateProfile => p.name === 'rate-25rps');
  const bucket = rate
    ? new ProxyTokenBucket(
        rate.rps ?? PROFILE_DEFAULTS['rate-25rps'].rps,
        rate.burst ?? rate.rps ?? PROFILE_DEFAULTS['rate-25rps'].burst,
        options.now,
      )
    : undefined;
  const flaky = profiles.find((p): p is FlakyProfile => p.name === 'flaky');
  const latency = profiles.find((p): p is LatencyProfile => p.name === 'latency');
  const noBatch = profiles.some((p) => p.name === 'no-batch');

  let upstreamId = 0;
  const upstream: Upstream = async (method, params) => {
    const res = await fetch(options.upstream, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: ++upstreamId, method, params }),
    });
    return (await res.json()) as Awaited<ReturnType<Upstream>>;
  };
  const handler = new CallHandler(profiles, upstream, stats);

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };

  async function serve(_req: IncomingMessage, res: ServerResponse, text: string) {
    let parsed: RpcCall | RpcCall[];
    try {
      parsed = JSON.parse(text) as RpcCall | RpcCall[];
    } catch {
      send(res, 400, { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } });
      return;
    }
    const calls = Array.isArray(parsed) ? parsed : [parsed];
    // The proxy's own methods: never counted, never subject to profiles.
    if (!Array.isArray(parsed) && parsed.method === 'proxy_stats')
      return send(res, 200, { jsonrpc: '2.0', id: parsed.id ?? null, result: structuredClone(stats) });
    if (!Array.isArray(parsed) && parsed.method === 'proxy_resetStats') {
      resetStats();
      return send(res, 200, { jsonrpc: '2.0', id: parsed.id ?? null, result: true });
    }

    stats.httpRequests++;
    if (noBatch && Array.isArray(parsed)) {
      stats.batchesRefused++;
      return send(res, 200, {
        jsonrpc: '2.0',
        id: null,
        error: { code: -32600, message: 'Batch requests are not supported' },
      });
    }
    for (const c of calls) {
      stats.calls[c.method] = (stats.calls[c.method] ?? 0) + 1;
      stats.totalCalls++;
    }
    if (bucket) {
      const took = bucket.take(calls.length);
      if (!took.ok) {
        stats.rateLimited++;
        stats.rateLimitedCalls += calls.length;
        const body = {
          jsonrpc: '2.0',
          id: calls[0]?.id ?? null,
          error: { code: 429, message: `Too Many Requests: over ${bucket.rps} requests per second` },
        };
        return send(res, 429, body, { 'retry-after': String(took.retryAfterSeconds) });
      }
    }
    if (flaky) {
      const r = random();
      const p5xx = flaky.error5xx ?? PROFILE_DEFAULTS.flaky.error5xx;
      const pHang = flaky.hang ?? PROFILE_DEFAULTS.flaky.hang;
      if (r < p5xx) {
        stats.injected5xx++;
        const status = random() < 0.5 ? 502 : 503;
        return send(
          res,
          status,
          status === 502 ? '<html><body>502 Bad Gateway</body></html>' : 'upstream unavailable',
          { 'content-type': 'text/html' },
        );
      }
      if (r < p5xx + pHang) {
        stats.hung++;
        return; // never answered; the client times out, stop() closes the socket
      }
    }
    if (latency) {
      const jitter = latency.jitterMs ?? 0;
      const ms = (latency.ms ?? PROFILE_DEFAULTS.latency.ms) + (jitter ? (random() * 2 - 1) * jitter : 0);
      if (ms > 0) await sleep(ms);
    }
    let answers: RpcAnswer[];
    try {
      answers = await Promise.all(calls.map((c) => handler.handle(c)));
    } catch (err) {
      return send(res, 502, {
        jsonrpc: '2.0',
        id: null,
        error: { code: -32603, message: `proxy: upstream failed: ${String(err)}` },
      });
    }
    send(res, 200, Array.isArray(parsed) ? answers : answers[0]);
  }

  const server: Server = createServer((req, res) => {
    // The extension's service worker sends a CORS preflight first, as anvil allows.
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-allow-headers', '*');
    res.setHeader('access-control-allow-methods', 'POST, OPTIONS');
    res.setHeader('access-control-expose-headers', 'retry-after');
    if (req.method === 'OPTIONS') {
      res.writeHead(204);
      res.end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => void serve(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  const { url, port, close } = await listenOnLoopback(server, options.port);
  return { url, port, profiles, stats: () => structuredClone(stats), resetStats, stop: close };
}
