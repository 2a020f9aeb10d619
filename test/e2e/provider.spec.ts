import { pedersen as referencePedersen } from '@scure/starknet';
import { expect, test } from './fixtures.js';

const P = 2n ** 251n + 17n * 2n ** 192n + 1n;

/** A dapp page that records, from its very first script, what it sees of Vigil. */
const DAPP = `<!doctype html><html><head><meta charset="utf-8"><title>dapp</title>
<script>
  window.__seenAtFirstScript = typeof window.vigil;
  window.__announced = [];
  window.addEventListener('eip6963:announceProvider', (e) => window.__announced.push(e.detail));
  window.dispatchEvent(new Event('eip6963:requestProvider'));
  window.__messages = [];
  window.addEventListener('message', (e) => window.__messages.push(JSON.stringify(e.data)));
</script></head><body><h1>dapp</h1></body></html>`;

/** Runs provider.request in the page and returns either the result or the error's code/message. */
async function call(page: import('@playwright/test').Page, args: unknown) {
  return page.evaluate(async (a) => {
    try {
      return { result: await (window as any).vigil.request(a) };
    } catch (e: any) {
      return { code: e.code, message: String(e.message) };
    }
  }, args);
}

test('the provider exists before page scripts and is announced through EIP-6963', async ({ context, siteA }) => {
  siteA.setPage('/dapp', DAPP);
  const page = await context.newPage();
  await page.goto(siteA.url('/dapp'));
  expect(await page.evaluate(() => (window as any).__seenAtFirstScript)).toBe('object');
  const announced = await page.evaluate(() =>
    (window as any).__announced.map((d: any) => ({ ...d.info, same: d.provider === (window as any).vigil })),
  );
  expect(announced.length).toBeGreaterThanOrEqual(1);
  expect(announced[0]).toMatchObject({ name: 'Vigil', rdns: 'app.vigil.wallet', same: true });
  expect(announced[0].icon).toMatch(/^data:image\/svg\+xml,/);
  expect(announced[0].uuid).toMatch(/^[0-9a-f-]{36}$/);
  // The provider cannot be replaced by a page script.
  expect(
    await page.evaluate(() => {
      try {
        (window as any).vigil = { fake: true };
      } catch {
        /* strict mode */
      }
      return (window as any).vigil.isVigil === true;
    }),
  ).toBe(true);
});

test('vigil_ping is rate-limited per site: a flood is refused with -32005, and the site is served again after a pause', async ({
  context,
  siteA,
}) => {
  const page = await context.newPage();
  await page.goto(siteA.url('/'));
  await page.waitForFunction(() => (window as any).vigil !== undefined);
  const outcomes: { code?: number; retryAfterMs?: number; ok?: boolean }[] = await page.evaluate(() =>
    Promise.all(
      Array.from({ length: 80 }, (_, i) =>
        (window as any).vigil.request({ method: 'vigil_ping', params: [`0x${(i + 1).toString(16)}`, '0x2'] }).then(
          () => ({ ok: true }),
          (e: any) => ({ code: e.code, retryAfterMs: e.data?.retryAfterMs }),
        ),
      ),
    ),
  );
  const limited = outcomes.filter((o) => o.code === -32005);
  // Each ping is served or refused by the rate limit, nothing else (a race creating the offscreen
  // document once failed one of them with an internal error).
  expect(outcomes.filter((o) => !o.ok && o.code !== -32005)).toEqual([]);
  // A burst of 30, refilled at 10 a second: most of 80 pings sent at once are refused.
  expect(limited.length).toBeGreaterThanOrEqual(30);
  expect(outcomes.filter((o) => o.ok).length).toBeGreaterThanOrEqual(30);
  expect(limited.length + outcomes.filter((o) => o.ok).length).toBe(80);
  expect(limited.every((o) => typeof o.retryAfterMs === 'number' && o.retryAfterMs > 0 && o.retryAfterMs <= 100)).toBe(
    true,
  );
  await page.waitForTimeout(1_000);
  expect(await call(page, { method: 'vigil_ping', params: ['0x1', '0x2'] })).toHaveProperty('result');
});

test('vigil_ping travels page → content → service worker → offscreen → worker and back', async ({
  context,
  siteA,
  serviceWorker,
}) => {
  const page = await context.newPage();
  await page.goto(siteA.url('/'));
  const cases: [bigint, bigint][] = [
    [1n, 2n],
    [0n, 0n],
    [P - 1n, 2n ** 248n + 7n],
  ];
  for (const [a, b] of cases) {
    const answer = await call(page, { method: 'vigil_ping', params: [`0x${a.toString(16)}`, b.toString()] });
    expect(answer).toEqual({ result: `0x${BigInt(referencePedersen(a, b)).toString(16)}` });
  }
  // The hash was computed in the offscreen document's worker pool: that document now exists.
  const contexts = await serviceWorker.evaluate(async () =>
    (await (globalThis as any).chrome.runtime.getContexts({})).map((c: { contextType: string }) => c.contextType),
  );
  expect(contexts).toContain('OFFSCREEN_DOCUMENT');
});

test("an answer reaches only the page that asked: not another origin's tab, not a cross-origin frame", async ({
  context,
  siteA,
  siteB,
}) => {
  siteA.setPage('/dapp', DAPP.replace('<h1>dapp</h1>', `<h1>dapp</h1><iframe src="${siteB.url('/dapp')}"></iframe>`));
  siteB.setPage('/dapp', DAPP);
  const other = await context.newPage();
  await other.goto(siteB.url('/dapp'));
  const page = await context.newPage();
  await page.goto(siteA.url('/dapp'));
  const frame = page.frames().find((f) => f.url().startsWith(siteB.origin));
  expect(frame).toBeTruthy();
  await frame!.waitForFunction(() => (window as any).vigil !== undefined);

  const answer = await call(page, { method: 'vigil_ping', params: ['0x1234', '0x5678'] });
  const expected = `0x${BigInt(referencePedersen(0x1234n, 0x5678n)).toString(16)}`;
  expect(answer).toEqual({ result: expected });
  // The asking page saw the answer on its own window...
  const own = await page.evaluate(() => (window as any).__messages as string[]);
  expect(own.some((m) => m.includes(expected))).toBe(true);
  // ...and neither the other origin's tab nor the cross-origin frame inside the same tab saw anything.
  const seenByOtherTab = await other.evaluate(() => (window as any).__messages as string[]);
  const seenByFrame = await frame!.evaluate(() => (window as any).__messages as string[]);
  expect(seenByOtherTab).toEqual([]);
  expect(seenByFrame).toEqual([]);
  // The frame's own request is answered to the frame, and the top page does not see that answer.
  const frameAnswer = await frame!.evaluate(() =>
    (window as any).vigil.request({ method: 'vigil_ping', params: ['0x9', '0xa'] }),
  );
  expect(frameAnswer).toBe(`0x${BigInt(referencePedersen(9n, 10n)).toString(16)}`);
  const ownAfter = await page.evaluate(() => (window as any).__messages as string[]);
  expect(ownAfter.some((m) => m.includes(frameAnswer as string))).toBe(false);
});

test('errors: 4200 for unknown methods, -32602 naming the bad field for malformed requests', async ({
  context,
  siteA,
}) => {
  const page = await context.newPage();
  await page.goto(siteA.url('/'));
  expect(await call(page, { method: 'eth_doesNotExist', params: [] })).toMatchObject({
    code: 4200,
    message: expect.stringContaining('eth_doesNotExist'),
  });
  expect(await call(page, 'vigil_ping')).toMatchObject({ code: -32602, message: expect.stringMatching(/args/) });
  expect(await call(page, { method: 42 })).toMatchObject({ code: -32602, message: expect.stringMatching(/method/) });
  expect(await call(page, { method: 'vigil_ping', params: 'x' })).toMatchObject({
    code: -32602,
    message: expect.stringMatching(/params/),
  });
  expect(await call(page, { method: 'vigil_ping', params: [1] })).toMatchObject({
    code: -32602,
    message: expect.stringMatching(/params: expected exactly 2/),
  });
  expect(await call(page, { method: 'vigil_ping', params: ['0xzz', 1] })).toMatchObject({
    code: -32602,
    message: expect.stringMatching(/params\[0\]/),
  });
  expect(await call(page, { method: 'vigil_ping', params: [1, `0x${P.toString(16)}`] })).toMatchObject({
    code: -32602,
    message: expect.stringMatching(/params\[1\].*out of range/),
  });

  // The service worker validates again: a message forged straight onto the page channel, skipping
  // the provider's own checks, gets the same answer.
  const forged = await page.evaluate(
    () =>
      new Promise((resolve) => {
        window.addEventListener('message', (e) => {
          if (e.data?.channel === 'vigil-provider' && e.data.kind === 'response' && e.data.id === 'forged-1')
            resolve(e.data.response);
        });
        window.postMessage(
          {
            channel: 'vigil-provider',
            kind: 'request',
            id: 'forged-1',
            request: { method: 'vigil_ping', params: [1, 2, 3] },
          },
          location.origin,
        );
      }),
  );
  expect(forged).toMatchObject({ error: { code: -32602, message: expect.stringMatching(/params/) } });
});

test('requests still work after the service worker is stopped', async ({
  context,
  siteA,
  serviceWorker,
  stopServiceWorker,
}) => {
  const page = await context.newPage();
  await page.goto(siteA.url('/'));
  expect(await call(page, { method: 'vigil_ping', params: [3, 4] })).toEqual({
    result: `0x${BigInt(referencePedersen(3n, 4n)).toString(16)}`,
  });
  await serviceWorker.evaluate(() => {
    (globalThis as any).__beforeStop = true;
  });
  await stopServiceWorker();
  expect(await call(page, { method: 'vigil_ping', params: [5, 6] })).toEqual({
    result: `0x${BigInt(referencePedersen(5n, 6n)).toString(16)}`,
  });
  // A new service worker instance answered: the marker set in the old one is gone.
  const current = context
    .serviceWorkers()
    .filter((w) => w.url().startsWith('chrome-extension://'))
    .at(-1)!;
  expect(await current.evaluate(() => (globalThis as any).__beforeStop ?? false)).toBe(false);
});
