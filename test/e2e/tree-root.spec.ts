import { bulkPositionTreeRoot } from '../../src/tree/bulk-build.js';
import { syntheticPositions } from '../../workers/synthetic-positions.js';
import { expect, test } from './fixtures.js';

/**
 * Runs in the extension's service worker: makes sure the offscreen document exists (as
 * background/offscreen-client.ts does) and sends it one message.
 */
async function askOffscreen(serviceWorker: import('@playwright/test').Worker, message: unknown): Promise<any> {
  return serviceWorker.evaluate(async (msg) => {
    const c = (globalThis as any).chrome;
    const url = c.runtime.getURL('offscreen/offscreen.html');
    const existing = await c.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT'], documentUrls: [url] });
    if (existing.length === 0) await c.offscreen.createDocument({ url: 'offscreen/offscreen.html', reasons: ['WORKERS'], justification: 'e2e: tree root' });
    return c.runtime.sendMessage(msg);
  }, message);
}

test("the offscreen document's worker pool builds the same tree root as Node", async ({ serviceWorker }) => {
  const count = 300;
  const firstId = 2n ** 40n + 1n; // odd start: both ends of every level have an empty neighbour
  const expected = await bulkPositionTreeRoot(syntheticPositions(count, 77, firstId));
  for (const workers of [1, 2]) {
    const answer = await askOffscreen(serviceWorker, { target: 'offscreen', type: 'treeRoot', count, workers, seed: 77, firstId: `0x${firstId.toString(16)}` });
    expect(answer).toMatchObject({ ok: true, result: { root: `0x${expected.toString(16)}` } });
    expect(answer.result.hashes).toBeGreaterThan(count * 3);
  }
});

test('the offscreen document refuses a malformed treeRoot request', async ({ serviceWorker }) => {
  const bad = await askOffscreen(serviceWorker, { target: 'offscreen', type: 'treeRoot', count: 10, workers: 0 });
  expect(bad).toMatchObject({ ok: false, error: { name: 'RangeCheckError', message: expect.stringMatching(/^workers: 0 is out of range/) } });
  const badId = await askOffscreen(serviceWorker, { target: 'offscreen', type: 'treeRoot', count: 10, workers: 1, firstId: '12' });
  expect(badId).toMatchObject({ ok: false, error: { name: 'RangeCheckError', message: expect.stringMatching(/^firstId/) } });
  const badCount = await askOffscreen(serviceWorker, { target: 'offscreen', type: 'treeRoot', count: '10', workers: 1 });
  expect(badCount).toMatchObject({ ok: false, error: { name: 'TypeError', message: expect.stringMatching(/^count/) } });
});
