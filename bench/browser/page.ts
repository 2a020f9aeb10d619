// Node side of the bench/test pages (bench/browser/*.html): builds them into dist-bench/
// (`node scripts/build.mjs --bench`, never part of the extension's dist/), serves that folder on
// loopback HTTP (module workers need an http(s) origin: file:// pages cannot start them) and
// opens the tree-root page in a headless Debian Chromium.
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from '@playwright/test';
import { browserLaunchArgs, chromiumPath } from '../../test/helpers/chromium.js';
import type { TreeRootRequest, TreeRootResponse } from './tree-root.js';

export const BENCH_PAGES_DIR = fileURLToPath(new URL('../../dist-bench', import.meta.url));

/** Builds the bench/test pages into dist-bench/; returns that folder. */
export function buildBenchPages(): string {
  const script = fileURLToPath(new URL('../../scripts/build.mjs', import.meta.url));
  const res = spawnSync(process.execPath, [script, '--bench'], { encoding: 'utf8', env: { ...process.env, CI: '1' } });
  if (res.status !== 0) throw new Error(`bench page build failed: ${res.stderr || res.error}`);
  return BENCH_PAGES_DIR;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.css': 'text/css',
};

export type DirServer = { origin: string; close(): Promise<void> };

/** Serves the files of `dir` (GET only, nothing outside it) on 127.0.0.1, a fresh port. */
export async function serveDir(dir: string): Promise<DirServer> {
  const root = resolve(dir);
  const server = createServer((req, res) => {
    const path = resolve(root, `.${decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)}`);
    if (req.method !== 'GET' || !path.startsWith(root + sep)) {
      res.writeHead(404).end();
      return;
    }
    readFile(path).then(
      (body) =>
        res
          .writeHead(200, {
            'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
            'cache-control': 'no-store',
          })
          .end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

export type TreeRootPage = {
  browser: Browser;
  page: Page;
  run(request: unknown): Promise<TreeRootResponse>;
  close(): Promise<void>;
};

/** A fresh headless Chromium showing dist-bench/tree-root.html, ready for `run`. */
export async function openTreeRootPage(dir = BENCH_PAGES_DIR): Promise<TreeRootPage> {
  const server = await serveDir(dir);
  const browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: browserLaunchArgs() });
  try {
    const page = await browser.newPage();
    await page.goto(`${server.origin}/tree-root.html`);
    await page.waitForFunction(() => typeof (globalThis as { vigilTreeRoot?: unknown }).vigilTreeRoot === 'function');
    return {
      browser,
      page,
      // `unknown`: the self-check also sends malformed requests, as any caller could.
      run: (request) =>
        page.evaluate(
          (r) =>
            (
              globalThis as unknown as { vigilTreeRoot: (r: TreeRootRequest) => Promise<TreeRootResponse> }
            ).vigilTreeRoot(r as TreeRootRequest),
          request,
        ),
      close: async () => {
        await browser.close();
        await server.close();
      },
    };
  } catch (err) {
    await browser.close();
    await server.close();
    throw err;
  }
}
