import type { Page } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { EXPECTED_TRACE } from '../unit/sync/read-model-scenario.js';
import { expect, test } from './fixtures.js';

/**
 * Issue 14 in Chromium's real IndexedDB: the stark-key index, the verdict and alarm pages and the
 * version 4 upgrade of extension/shared/sync-db.ts, through the same scenario the unit test runs
 * on the memory store (test/unit/sync/read-model-scenario.ts). The store module is bundled for a
 * plain page here; each test has a fresh profile, so a fresh database.
 */

let bundle: string;

test.beforeAll(async () => {
  const out = await build({
    configFile: false,
    logLevel: 'warn',
    publicDir: false,
    build: {
      write: false,
      target: 'esnext',
      minify: false,
      lib: {
        entry: fileURLToPath(new URL('./sync-db-page.ts', import.meta.url)),
        formats: ['iife'],
        name: 'vigilSyncDbPage',
        fileName: () => 'sync-db-page.js',
      },
    },
  });
  const first = (Array.isArray(out) ? out[0] : out) as { output: Array<{ type: string; code?: string }> };
  bundle = first.output.find((o) => o.type === 'chunk')!.code!;
});

async function storePage(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.addScriptTag({ content: bundle });
}

test('the version 4 upgrade indexes the positions and alarms a version 3 database holds', async ({
  context,
  siteA,
}) => {
  const page = await context.newPage();
  await storePage(page, siteA.url());
  const got = await page.evaluate(() => (globalThis as any).vigilSyncDbTest.upgradeFromVersion3());
  expect(got).toEqual({
    version: 4,
    stores: expect.arrayContaining(['positions', 'positionKeys', 'alarms', 'pages']),
    a: ['1', '100000000'],
    b: ['2'],
    alarms: ['c2', 'c1', 'w', 'i'],
    total: 4,
    afterWrite: { b: [], c: ['2'] },
  });
});

test('the IndexedDB store gives the read-model scenario the memory store gives', async ({ context, siteA }) => {
  const page = await context.newPage();
  await storePage(page, siteA.url());
  expect(await page.evaluate(() => (globalThis as any).vigilSyncDbTest.scenario())).toEqual(EXPECTED_TRACE);
  expect(await page.evaluate(() => (globalThis as any).vigilSyncDbTest.badLimit())).toBe(
    'limit: 0 is out of range; expected an integer 1 <= limit <= 500',
  );
});

test('raw reads and writes: key-range and per-id reads give what was written; an uncloneable write lands nothing', async ({
  context,
  siteA,
}) => {
  const page = await context.newPage();
  await storePage(page, siteA.url());
  expect(await page.evaluate(() => (globalThis as any).vigilSyncDbTest.rawReadsAndWrites())).toEqual({
    same: { dense: true, denseFromOutside: true, shuffled: true, sparse: true, empty: true },
    refused: 'DataCloneError',
    afterRefused: null,
    dirtyPages: [['1', '9'], ['16', '256'], [String(2n ** 63n)], []],
  });
});
