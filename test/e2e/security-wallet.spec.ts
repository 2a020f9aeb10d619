import type { Page } from '@playwright/test';
import { DAPP, call, connect, expect, outcome, start, test, sendExtensionOp } from './fixtures.js';

/**
 * Security review of the wallet (issue 8; DESIGN.md §4): the attacks each test tries, and what
 * must hold.
 */
const PASSWORD = 'correct horse battery';
const PHRASE = 'test test test test test test test test test test test junk';
const withdrawal = (clientId: string) => ({ positionId: '12345', amount: '10', clientId, expiration: new Date(Date.now() + 5 * 86_400_000).toISOString() });

const ui = (page: Page, op: string, args?: Record<string, unknown>) => sendExtensionOp(page, op, args);

test('unlock attempts fired in parallel still meet the growing delay: one wrong guess, the rest throttled', async ({ wallet }) => {
  const page = await wallet.importPhrase(PHRASE, PASSWORD);
  await page.getByTestId('lock').click();
  await page.getByTestId('locked').waitFor();
  const replies: any[] = await page.evaluate(() =>
    Promise.all(Array.from({ length: 6 }, (_, i) => (globalThis as any).chrome.runtime.sendMessage({ type: 'vigil/ui', op: 'unlock', args: { password: `guess ${i}` } }))),
  );
  const names = replies.map((r) => r.error?.name);
  expect(names.filter((n) => n === 'WrongPasswordError')).toHaveLength(1);
  expect(names.filter((n) => n === 'UnlockThrottledError')).toHaveLength(5);
  // The right password must wait too.
  expect((await ui(page, 'unlock', { password: PASSWORD })).error?.name).toBe('UnlockThrottledError');
});

test('a content script can neither read storage.session (the cached vault key) nor call UI-only operations', async ({ context, siteA, wallet }) => {
  siteA.setPage('/dapp', DAPP);
  const popup = await wallet.importPhrase(PHRASE, PASSWORD);
  const page = await context.newPage();
  await page.goto(siteA.url('/dapp'));
  await page.waitForFunction(() => (window as any).vigil !== undefined);
  // Vigil's isolated world in the page: where content.js runs.
  const cdp = await context.newCDPSession(page);
  const contexts: { id: number; name: string; auxData?: { type?: string; frameId?: string } }[] = [];
  cdp.on('Runtime.executionContextCreated', ({ context: c }) => contexts.push(c));
  await cdp.send('Runtime.enable');
  await expect.poll(() => contexts.some((c) => c.auxData?.type === 'isolated' && c.name === 'Vigil')).toBe(true);
  const isolated = contexts.find((c) => c.auxData?.type === 'isolated' && c.name === 'Vigil')!;
  const run = async (expression: string) =>
    (await cdp.send('Runtime.evaluate', { expression, contextId: isolated.id, awaitPromise: true, returnByValue: true })).result.value;

  expect(await run(`typeof chrome.runtime.sendMessage`)).toBe('function');
  const read = await run(`(async () => { try { return JSON.stringify(await chrome.storage.session.get(null)); } catch (e) { return 'refused: ' + e.message; } })()`);
  expect(read).toMatch(/^refused: /);
  for (const op of ['lock', 'status', 'approvals', 'rejectAll', 'setAutoLock']) {
    const reply = await run(`chrome.runtime.sendMessage({ type: 'vigil/ui', op: ${JSON.stringify(op)}, args: { ms: 5000 } }).then((r) => JSON.stringify(r ?? null), (e) => 'error: ' + e.message)`);
    expect(reply, op).not.toContain('"ok"');
  }
  // Still unlocked, settings unchanged.
  const status = (await ui(popup, 'status')).result;
  expect(status.unlocked).toBe(true);
  expect(status.autoLockMs).toBe(15 * 60_000);
  await cdp.detach();
});

test('a flood of concurrent requests cannot overrun the per-origin limit', async ({ context, siteA, wallet }) => {
  siteA.setPage('/dapp', DAPP);
  await wallet.importPhrase(PHRASE, PASSWORD);
  const page = await context.newPage();
  await page.goto(siteA.url('/dapp'));
  await connect(page, wallet);
  const keys = await page.evaluate((ws) => {
    const w = window as any;
    w.__r ??= {};
    return ws.map((p: unknown, i: number) => {
      const key = `flood-${i}`;
      w.vigil.request({ method: 'stark_signWithdrawal', params: [p] }).then((result: unknown) => (w.__r[key] = { result }), (e: any) => (w.__r[key] = { code: e.code, message: String(e.message) }));
      return key;
    });
  }, Array.from({ length: 25 }, (_, i) => withdrawal(`flood-${i}`)));
  // Everything over the limit is refused at once with 4100.
  await expect.poll(() => page.evaluate((ks) => ks.filter((k: string) => (window as any).__r[k]?.code === 4100).length, keys), { timeout: 20_000 }).toBe(15);
  // Nor can one request fill storage: oversized data to sign is refused at once.
  const huge = await call(page, { method: 'personal_sign', params: [`0x${'ab'.repeat(40_000)}`, `0x${'00'.repeat(20)}`] });
  expect(huge).toMatchObject({ code: -32602, message: expect.stringContaining('params[0]') });
  const approval = await wallet.approval();
  await expect(approval.getByTestId('queue-count')).toContainText('9 more waiting');
  await approval.getByTestId('reject-all').click();
  for (const k of keys) expect(await outcome(page, k)).toMatchObject({ code: expect.any(Number) });
});

test('a double click on Sign does not also approve the request queued behind it', async ({ context, siteA, wallet }) => {
  siteA.setPage('/dapp', DAPP);
  await wallet.importPhrase(PHRASE, PASSWORD);
  const page = await context.newPage();
  await page.goto(siteA.url('/dapp'));
  await connect(page, wallet);
  const first = await start(page, { method: 'stark_signWithdrawal', params: [withdrawal('one')] });
  const approval = await wallet.approval();
  const second = await start(page, { method: 'stark_signWithdrawal', params: [withdrawal('two')] });
  await expect(approval.getByTestId('queue-count')).toContainText('1 more waiting');
  await expect(approval.getByTestId('approve')).toBeEnabled();
  const firstId = await approval.getByTestId('approve').getAttribute('data-request-id');
  // A human double click: the second click lands 300 ms after the first, on whatever is there then.
  await approval.evaluate(async () => {
    (document.querySelector('[data-testid="approve"]') as HTMLButtonElement).click();
    await new Promise((r) => setTimeout(r, 300));
    (document.querySelector('[data-testid="approve"]') as HTMLButtonElement | null)?.click();
  });
  expect((await outcome(page, first)).result).toBeDefined();
  // The second request is still waiting, shown on its own; its button arms itself after a moment.
  await expect(approval.getByTestId('approve')).not.toHaveAttribute('data-request-id', firstId!);
  await expect(approval.getByTestId('approve')).toBeEnabled();
  expect(await page.evaluate((k) => (window as any).__r[k], second)).toBeUndefined();
  await approval.getByTestId('approve').click();
  expect((await outcome(page, second)).result).toBeDefined();
});

test('a page that navigates while its request waits: the answer does not reach the new document', async ({ context, siteA, wallet }) => {
  siteA.setPage('/dapp', DAPP);
  siteA.setPage('/next', DAPP);
  await wallet.importPhrase(PHRASE, PASSWORD);
  const page = await context.newPage();
  await page.goto(siteA.url('/dapp'));
  await connect(page, wallet);
  await start(page, { method: 'stark_signWithdrawal', params: [withdrawal('nav')] });
  const approval = await wallet.approval();
  // Same tab, same frame, same origin: only the document changes.
  await page.goto(siteA.url('/next'));
  await page.waitForFunction(() => (window as any).vigil !== undefined);
  await approval.getByTestId('approve').click();
  await expect.poll(() => approval.isClosed()).toBe(true);
  // A later request of the new document round-trips, so anything pushed earlier would have arrived.
  expect(await page.evaluate(() => (window as any).vigil.request({ method: 'eth_chainId' }))).toBe('0x1');
  const seen: string[] = await page.evaluate(() => (window as any).__messages);
  expect(seen.filter((m) => m.includes('"response"') && m.includes('signature'))).toEqual([]);
});

test('revoking a site refuses what it still has waiting (4100), instead of leaving it signable', async ({ context, siteA, wallet }) => {
  siteA.setPage('/dapp', DAPP);
  const popup = await wallet.importPhrase(PHRASE, PASSWORD);
  const page = await context.newPage();
  await page.goto(siteA.url('/dapp'));
  await connect(page, wallet);
  const key = await start(page, { method: 'stark_signWithdrawal', params: [withdrawal('revoked')] });
  await wallet.approval();
  expect((await ui(popup, 'revokeSite', { origin: siteA.origin })).ok).toBe(true);
  expect(await outcome(page, key)).toMatchObject({ code: 4100 });
  expect((await ui(popup, 'approvals')).result.requests).toEqual([]);
});

test('a request the approval cannot decode is never signed: no Sign button, and the approve operation refuses it', async ({ context, siteA, wallet }) => {
  siteA.setPage('/dapp', DAPP);
  const popup = await wallet.importPhrase(PHRASE, PASSWORD);
  const page = await context.newPage();
  await page.goto(siteA.url('/dapp'));
  await connect(page, wallet);
  // A raw order buying 0 BTC for 1000 USDC: in range for each field, but no price can be shown.
  const { dydx } = await import('../../src/messages/dydx.js');
  const o = dydx.orderToStark({ positionId: '12345', humanSize: '0.01', humanPrice: '100000', limitFee: '0', market: 'BTC-USD', side: 'BUY', expirationIsoTimestamp: new Date(Date.now() + 10 * 86_400_000).toISOString(), clientId: 'zero' }, 1);
  const raw = Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'bigint' ? (k.startsWith('assetId') ? `0x${v.toString(16)}` : v.toString()) : v]));
  const key = await start(page, { method: 'stark_signOrder', params: [{ ...raw, quantumsAmountSynthetic: '0' }] });
  const approval = await wallet.approval();
  await expect(approval.locator('.error').first()).toContainText('zero denominator');
  await expect(approval.getByTestId('approve')).toHaveCount(0);
  const id = (await ui(popup, 'approvals')).result.requests[0].id;
  expect((await ui(popup, 'approve', { id })).ok).toBe(false);
  expect(await outcome(page, key)).toMatchObject({ code: -32602, message: expect.stringContaining('does not sign it') });
});
