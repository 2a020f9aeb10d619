import { createServer, type Server } from 'node:http';
import { listenOnLoopback } from '../../devnet/lib/http.js';

/**
 * A loopback HTTP server for test pages. Each server has its own port, so two servers are two
 * origins (http://127.0.0.1:A and http://127.0.0.1:B) as far as the browser is concerned.
 */
export type TestSite = {
  origin: string;
  url(path?: string): string;
  setPage(path: string, html: string): void;
  close(): Promise<void>;
};

export async function startTestSite(pages: Record<string, string> = {}): Promise<TestSite> {
  const routes = new Map(Object.entries(pages));
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const body = routes.get(path);
    if (body === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(body);
  });
  const { url: origin, close } = await listenOnLoopback(server); // close also ends the browser's keep-alive sockets
  return {
    origin,
    url: (path = '/') => `${origin}${path}`,
    setPage: (path, html) => void routes.set(path, html),
    close,
  };
}

export const BLANK_PAGE =
  '<!doctype html><html><head><meta charset="utf-8"><title>dapp</title></head><body><h1>test dapp</h1></body></html>';
