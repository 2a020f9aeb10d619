import { test as base } from '@playwright/test';
import { bulkPositionTreeRoot } from '../../src/tree/bulk-build.js';
import { syntheticPositions } from '../../bench/synthetic-positions.js';
import { buildBenchPages, openTreeRootPage, type TreeRootPage } from '../../bench/browser/page.js';

/**
 * The Web Worker pool (workers/pool.ts over hash.worker.ts, as the extension's offscreen document
 * and sync worker run it) in Chromium against Node's root. The pool runs in a bench/test page
 * (bench/browser/tree-root.html), built here into dist-bench/: the tree-root job and its synthetic
 * positions are not part of the extension.
 */
const test = base.extend<{ treeRoot: TreeRootPage }>({
  treeRoot: async ({}, use) => {
    const page = await openTreeRootPage();
    try {
      await use(page);
    } finally {
      await page.close();
    }
  },
});
const { expect } = test;

test.beforeAll(() => {
  buildBenchPages();
});

test('a browser Web Worker pool builds the same tree root as Node', async ({ treeRoot }) => {
  const count = 300;
  const firstId = 2n ** 40n + 1n; // odd start: both ends of every level have an empty neighbour
  const expected = await bulkPositionTreeRoot(syntheticPositions(count, 77, firstId));
  for (const workers of [1, 2]) {
    const answer = await treeRoot.run({ count, workers, seed: 77, firstId: `0x${firstId.toString(16)}` });
    expect(answer).toMatchObject({ ok: true, result: { root: `0x${expected.toString(16)}` } });
    expect(answer.ok && answer.result.hashes).toBeGreaterThan(count * 3);
  }
});

test('the tree-root page refuses a malformed request', async ({ treeRoot }) => {
  const bad = await treeRoot.run({ count: 10, workers: 0 });
  expect(bad).toMatchObject({
    ok: false,
    error: { name: 'RangeCheckError', message: expect.stringMatching(/^workers: 0 is out of range/) },
  });
  const badId = await treeRoot.run({ count: 10, workers: 1, firstId: '12' });
  expect(badId).toMatchObject({
    ok: false,
    error: { name: 'RangeCheckError', message: expect.stringMatching(/^firstId/) },
  });
  const badCount = await treeRoot.run({ count: '10', workers: 1 });
  expect(badCount).toMatchObject({
    ok: false,
    error: { name: 'TypeCheckError', message: expect.stringMatching(/^count: expected an integer number/) },
  });
});
