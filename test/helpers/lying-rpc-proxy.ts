import { createServer, type IncomingMessage } from 'node:http';
import { listenOnLoopback } from '../../devnet/lib/http.js';

/**
 * A loopback JSON-RPC proxy in front of a real node (anvil) that forwards every request and lets a
 * test alter answers: a lying RPC (e.g. another `isFrozen`, storage word or nonce) or an RPC of
 * another chain (`eth_chainId`). Every request is recorded, so a test can assert what was (not) sent.
 */

export type RpcCall = { method: string; params: unknown[] };
export type RpcAnswer = { result?: unknown; error?: { code: number; message: string; data?: unknown } };
/** Returns the answer to give instead, or undefined to pass the node's answer through. */
export type Lie = (call: RpcCall, answer: RpcAnswer) => RpcAnswer | undefined;

export type LyingRpcProxy = {
  url: string;
  /** Every request seen, in order. */
  calls: RpcCall[];
  /** The Origin header of every HTTP request, in order (a browser's preflight included). */
  origins: string[];
  /** Replaceable at any time. */
  lie: Lie | undefined;
  /** Added latency per HTTP request, ms (replaceable). */
  delayMs: number;
  close(): Promise<void>;
};

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** `cors: false`: an RPC that sends no CORS header at all, and answers a preflight with a bare 204. */
export async function startLyingRpcProxy(
  target: string,
  lie?: Lie,
  opts: { cors?: boolean } = {},
): Promise<LyingRpcProxy> {
  const proxy: LyingRpcProxy = { url: '', calls: [], origins: [], lie, delayMs: 0, close: async () => {} };
  const one = async (msg: { id: unknown; jsonrpc: string; method: string; params?: unknown[] }) => {
    proxy.calls.push({ method: msg.method, params: msg.params ?? [] });
    const res = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(msg),
    });
    const answer = (await res.json()) as RpcAnswer & { id: unknown; jsonrpc: string };
    const told = proxy.lie?.({ method: msg.method, params: msg.params ?? [] }, answer);
    return told ? { jsonrpc: '2.0', id: msg.id, ...told } : answer;
  };
  const server = createServer((req, res) => {
    proxy.origins.push(String(req.headers.origin ?? ''));
    // Browsers (the extension's workers) send a CORS preflight first, as anvil allows.
    if (opts.cors !== false) {
      res.setHeader('access-control-allow-origin', '*');
      res.setHeader('access-control-allow-headers', '*');
      res.setHeader('access-control-allow-methods', 'POST, OPTIONS');
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    void (async () => {
      try {
        if (proxy.delayMs) await new Promise((r) => setTimeout(r, proxy.delayMs));
        const parsed = JSON.parse(await body(req)) as unknown;
        const out = Array.isArray(parsed)
          ? await Promise.all(parsed.map(one))
          : await one(parsed as Parameters<typeof one>[0]);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(out));
      } catch (err) {
        res.writeHead(500).end(String(err));
      }
    })();
  });
  ({ url: proxy.url, close: proxy.close } = await listenOnLoopback(server));
  return proxy;
}
