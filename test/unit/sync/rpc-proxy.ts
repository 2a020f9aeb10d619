import { createServer, type Server } from 'node:http';

/**
 * A JSON-RPC proxy on loopback in front of anvil that can rewrite answers: the lying RPC of
 * issue 9's acceptance ("alters one log or one calldata byte").
 */
export type RpcRewrite = (method: string, params: unknown[], result: unknown) => unknown;

export type RpcProxy = { url: string; rewrite: RpcRewrite | undefined; /** Added latency per request, ms. */ delayMs: number; stop(): Promise<void> };

export async function startRpcProxy(target: string): Promise<RpcProxy> {
  const proxy: { rewrite: RpcRewrite | undefined; delayMs: number } = { rewrite: undefined, delayMs: 0 };
  const server: Server = createServer((req, res) => {
    // Browsers (the extension's service worker) send a CORS preflight first, as anvil allows.
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-allow-headers', '*');
    res.setHeader('access-control-allow-methods', 'POST, OPTIONS');
    if (req.method === 'OPTIONS') {
      res.writeHead(204);
      res.end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      try {
        if (proxy.delayMs) await new Promise((r) => setTimeout(r, proxy.delayMs));
        const body = Buffer.concat(chunks).toString('utf8');
        const upstream = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        const answer = (await upstream.json()) as unknown;
        const rewriteOne = (request: { method: string; params?: unknown[] }, a: { result?: unknown }) =>
          proxy.rewrite && 'result' in a ? { ...a, result: proxy.rewrite(request.method, request.params ?? [], a.result) } : a;
        const request = JSON.parse(body) as { method: string; params?: unknown[] } | Array<{ method: string; params?: unknown[] }>;
        const out = Array.isArray(request) ? (answer as Array<{ result?: unknown }>).map((a, i) => rewriteOne(request[i]!, a)) : rewriteOne(request, answer as { result?: unknown });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(out));
      } catch (err) {
        res.writeHead(502);
        res.end(String(err));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    get rewrite() {
      return proxy.rewrite;
    },
    set rewrite(f) {
      proxy.rewrite = f;
    },
    get delayMs() {
      return proxy.delayMs;
    },
    set delayMs(ms) {
      proxy.delayMs = ms;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Flips the last hex digit of one byte at `byteOffset` (from the end when negative) of a 0x string. */
export function flipByte(hex: string, byteOffset: number): string {
  const bytes = (hex.length - 2) / 2;
  const at = byteOffset < 0 ? bytes + byteOffset : byteOffset;
  const i = 2 + at * 2 + 1;
  const d = parseInt(hex[i]!, 16) ^ 1;
  return hex.slice(0, i) + d.toString(16) + hex.slice(i + 1);
}
