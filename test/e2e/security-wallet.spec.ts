import type { Page } from '@playwright/test';
import { UNLOCK_FREE_ATTEMPTS } from '../../src/wallet/lock-policy.js';
import {
  DAPP,
  call,
  connect,
  deliveries,
  expect,
  knownDocuments,
  outcome,
  recordDeliveries,
  start,
  test,
  sendExtensionOp,
} from './fixtures.js';

/**
 * Security review of the wallet (issue 8; DESIGN.md §4): the attacks each test tries, and what
 * must hold.
 */
const PASSWORD = 'correct horse battery';
const PHRASE = 'test test test test test test test test test test test junk';
const withdrawal = (clientId: string) => ({
  positionId: '12345',
  amount: '10',
  clientId,
  expiration: new Date(Date.now() + 5 * 86_400_000).toISOString(),
});

const ui = (page: Page, op: string, args?: Record<string, unknown>) => sendExtensionOp(page, op, args);
/** The reply, or null if the worker answered nothing (no listener responded). */
const reply = (page: Page, op: string, args: Record<string, unknown> = {}, type = 'vigil/op') =>
  page.evaluate(
    ([t, o, a]) =>
      (globalThis as any).chrome.runtime.sendMessage({ type: t, op: o, args: a }).then(
        (r: unknown) => r ?? null,
        () => null,
      ),
    [type, op, args] as const,
  );

test('unlock attempts fired in parallel still meet the policy: the free wrong guesses, then the rest throttled, the right password too', async ({
  wallet,
}) => {
  const page = await wallet.importPhrase(PHRASE, PASSWORD);
  await page.getByTestId('lock').click();
  await page.getByTestId('locked').waitFor();
  // Six guesses and then the right password, all at once: were the attempts not serialised, every
  // one would read a count of 0 and each guess would get its PBKDF2 run (and the password unlock).
  const replies: any[] = await page.evaluate(
    ([password]) =>
      Promise.all(
        [...Array.from({ length: 6 }, (_, i) => `guess ${i}`), password].map((p) =>
          (globalThis as any).chrome.runtime.sendMessage({ type: 'vigil/op', op: 'unlock', args: { password: p } }),
        ),
      ),
    [PASSWORD] as const,
  );
  const names = replies.map((r) => r.error?.name);
  // src/wallet/lock-policy.ts: UNLOCK_FREE_ATTEMPTS (3) wrong passwords cost no wait, then 1 s.
  expect(names.slice(0, 6).filter((n) => n === 'WrongPasswordError')).toHaveLength(UNLOCK_FREE_ATTEMPTS);
  expect(names.slice(0, 6).filter((n) => n === 'UnlockThrottledError')).toHaveLength(6 - UNLOCK_FREE_ATTEMPTS);
  // The right password, queued behind them, must wait too.
  expect(names[6]).toBe('UnlockThrottledError');
});

test('a content script can neither read storage.session (the cached vault key) nor call UI-only operations', async ({
  context,
  siteA,
  wallet,
}) => {
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
    (
      await cdp.send('Runtime.evaluate', {
        expression,
        contextId: isolated.id,
        awaitPromise: true,
        returnByValue: true,
      })
    ).result.value;

  expect(await run(`typeof chrome.runtime.sendMessage`)).toBe('function');
  const read = await run(
    `(async () => { try { return JSON.stringify(await chrome.storage.session.get(null)); } catch (e) { return 'refused: ' + e.message; } })()`,
  );
  expect(read).toMatch(/^refused: /);
  for (const op of ['lock', 'status', 'approvals', 'rejectAll', 'setAutoLock']) {
    const reply = await run(
      `chrome.runtime.sendMessage({ type: 'vigil/op', op: ${JSON.stringify(op)}, args: { ms: 5000 } }).then((r) => JSON.stringify(r ?? null), (e) => 'error: ' + e.message)`,
    );
    expect(reply, op).not.toContain('"ok"');
  }
  // Nor the exit wizard's operations: the gate answers a content script nothing.
  for (const op of ['exitStatus', 'exitConfigure']) {
    const reply = await run(
      `chrome.runtime.sendMessage({ type: 'vigil/op', op: ${JSON.stringify(op)}, args: {} }).then((r) => JSON.stringify(r ?? null), (e) => 'error: ' + e.message)`,
    );
    expect(reply, op).not.toContain('"ok"');
  }
  // Still unlocked, settings unchanged.
  const status = (await ui(popup, 'status')).result;
  expect(status.unlocked).toBe(true);
  expect(status.autoLockMs).toBe(15 * 60_000);
  await cdp.detach();
});

test('each Vigil page may use only its own operations; other extension pages none', async ({
  context,
  extensionId,
  wallet,
}) => {
  const popup = await wallet.importPhrase(PHRASE, PASSWORD);
  const base = `chrome-extension://${extensionId}`;
  const open = async (path: string) => {
    const p = await context.newPage();
    await p.goto(`${base}/${path}`);
    return p;
  };
  // The popup unlocks and locks, but cannot answer approvals nor reach the exit operations.
  for (const op of ['approve', 'rejectAll', 'approvals', 'revokeSite'])
    expect((await ui(popup, op, { id: 'x', origin: 'http://x' })).error?.name, op).toBe('ForbiddenError');
  // One channel, one policy (issue 14): one of Vigil's pages asking for an op outside its list is
  // refused by name, the exit ops like any other (before, the exit listener answered nothing).
  const refusedExit = await reply(popup, 'exitStatus', {}, 'vigil/op');
  expect(refusedExit?.ok ?? false).toBe(false);
  expect(refusedExit?.error?.name).toBe('ForbiddenError');
  // The dashboard lists sites but cannot unlock or approve.
  const dashboard = await open('ui/dashboard.html');
  expect((await ui(dashboard, 'sites')).ok).toBe(true);
  for (const op of ['unlock', 'approve', 'createVault'])
    expect((await ui(dashboard, op, { password: PASSWORD, id: 'x' })).error?.name, op).toBe('ForbiddenError');
  // An extension resource that is not one of the pages (no script of ours runs there, but a
  // compromised page would look the same): nothing at all.
  const other = await open('manifest.json');
  for (const op of ['status', 'lock', 'unlock'])
    expect((await reply(other, op, { password: PASSWORD }))?.ok ?? false, op).toBe(false);
  // The exit wizard reaches the exit operations (answered, whatever the answer).
  const exit = await open('ui/exit.html');
  expect(await reply(exit, 'exitStatus', {}, 'vigil/op')).toHaveProperty('ok');
  expect((await ui(popup, 'status')).result.unlocked).toBe(true);
});

test('a flood of concurrent requests cannot overrun the per-origin limit', async ({ context, siteA, wallet }) => {
  siteA.setPage('/dapp', DAPP);
  await wallet.importPhrase(PHRASE, PASSWORD);
  const page = await context.newPage();
  await page.goto(siteA.url('/dapp'));
  await connect(page, wallet);
  const keys = await page.evaluate(
    (ws) => {
      const w = window as any;
      w.__r ??= {};
      return ws.map((p: unknown, i: number) => {
        const key = `flood-${i}`;
        w.vigil.request({ method: 'stark_signWithdrawal', params: [p] }).then(
          (result: unknown) => (w.__r[key] = { result }),
          (e: any) => (w.__r[key] = { code: e.code, message: String(e.message) }),
        );
        return key;
      });
    },
    Array.from({ length: 25 }, (_, i) => withdrawal(`flood-${i}`)),
  );
  // Everything over the limit is refused at once with 4100.
  await expect
    .poll(() => page.evaluate((ks) => ks.filter((k: string) => (window as any).__r[k]?.code === 4100).length, keys), {
      timeout: 20_000,
    })
    .toBe(15);
  // Nor can one request fill storage: oversized data to sign is refused at once.
  const huge = await call(page, {
    method: 'personal_sign',
    params: [`0x${'ab'.repeat(40_000)}`, `0x${'00'.repeat(20)}`],
  });
  expect(huge).toMatchObject({ code: -32602, message: expect.stringContaining('params[0]') });
  const approval = await wallet.approval();
  await expect(approval.getByTestId('queue-count')).toContainText('9 more waiting');
  await approval.getByTestId('reject-all').click();
  for (const k of keys) expect(await outcome(page, k)).toMatchObject({ code: expect.any(Number) });
});

test('a double click on Sign does not also approve the request queued behind it', async ({
  context,
  siteA,
  wallet,
}) => {
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

test('a page that navigates while its request waits: the request is settled to nobody and leaves the approval window', async ({
  context,
  serviceWorker,
  siteA,
  wallet,
}) => {
  siteA.setPage('/dapp', DAPP);
  siteA.setPage('/next', DAPP);
  await wallet.importPhrase(PHRASE, PASSWORD);
  const page = await context.newPage();
  await page.goto(siteA.url('/dapp'));
  await connect(page, wallet);
  await start(page, { method: 'stark_signWithdrawal', params: [withdrawal('nav')] });
  const approval = await wallet.approval();
  const [old] = (await knownDocuments(serviceWorker)).filter((d) => d.origin === siteA.origin);
  expect(old?.documentId).toBeTruthy();
  await recordDeliveries(serviceWorker);
  // Same tab, same frame, same origin: only the document changes.
  await page.goto(siteA.url('/next'));
  await page.waitForFunction(() => (window as any).vigil !== undefined);
  // Nothing is left to approve: the window closes by itself.
  await expect.poll(() => approval.isClosed(), { timeout: 15_000 }).toBe(true);
  // The worker answered 4001 to the old document, which no longer exists: the browser delivered it nowhere.
  const sent = (await deliveries(serviceWorker)).filter((d) => d.type === 'vigil/dapp-answer');
  expect(sent).toHaveLength(1);
  expect(sent[0]).toMatchObject({ tabId: old!.tabId, documentId: old!.documentId, error: true });
  await expect
    .poll(async () => (await deliveries(serviceWorker)).find((d) => d.type === 'vigil/dapp-answer')?.delivered)
    .toBe(false);
  // The new document works as usual.
  expect(await page.evaluate(() => (window as any).vigil.request({ method: 'eth_chainId' }))).toBe('0x1');
});

test("a closed tab: its waiting request is settled and leaves the approval window; another tab's stays", async ({
  context,
  siteA,
  siteB,
  wallet,
}) => {
  siteA.setPage('/dapp', DAPP);
  siteB.setPage('/dapp', DAPP);
  await wallet.importPhrase(PHRASE, PASSWORD);
  const a = await context.newPage();
  await a.goto(siteA.url('/dapp'));
  await connect(a, wallet);
  const b = await context.newPage();
  await b.goto(siteB.url('/dapp'));
  await connect(b, wallet);
  await start(a, { method: 'stark_signWithdrawal', params: [withdrawal('closed')] });
  const approval = await wallet.approval();
  const keyB = await start(b, { method: 'stark_signWithdrawal', params: [withdrawal('stays')] });
  await expect(approval.getByTestId('queue-count')).toContainText('1 more waiting');
  await a.close();
  await expect(approval.getByTestId('request-origin')).toHaveText(siteB.origin);
  await expect(approval.getByTestId('queue-count')).toHaveCount(0);
  const listed = (await ui(approval, 'approvals')).result.requests;
  expect(listed.map((r: { origin: string }) => r.origin)).toEqual([siteB.origin]);
  await approval.getByTestId('approve').click();
  expect((await outcome(b, keyB)).result.signature).toMatch(/^[0-9a-f]{128}$/);
});

test("a second tab that reuses the first tab's request id: each answer is delivered to the document that asked, and only there", async ({
  context,
  serviceWorker,
  siteA,
  siteB,
  wallet,
}) => {
  siteA.setPage('/dapp', DAPP);
  siteB.setPage('/dapp', DAPP);
  await wallet.importPhrase(PHRASE, PASSWORD);
  const a = await context.newPage();
  await a.goto(siteA.url('/dapp'));
  await connect(a, wallet);
  const b = await context.newPage();
  await b.goto(siteB.url('/dapp'));
  await connect(b, wallet);
  const keyA = await start(a, { method: 'stark_signWithdrawal', params: [withdrawal('victim')] });
  const approval = await wallet.approval();
  // The page's own request id, as its provider posted it on the window.
  const id: string = await a.evaluate(
    () =>
      (window as any).__messages
        .map((m: string) => JSON.parse(m))
        .find((m: any) => m.kind === 'request' && m.request?.method === 'stark_signWithdrawal').id,
  );
  await recordDeliveries(serviceWorker);
  // Tab B forges a request with that id, below the provider (as any page script can).
  await b.evaluate(
    ([forged, p]) =>
      window.postMessage(
        {
          channel: 'vigil-provider',
          kind: 'request',
          id: forged,
          request: { method: 'stark_signWithdrawal', params: [p] },
        },
        location.origin,
      ),
    [id, withdrawal('forged')] as const,
  );
  await expect(approval.getByTestId('queue-count')).toContainText('1 more waiting');
  const docs = await knownDocuments(serviceWorker);
  const docA = docs.find((d) => d.origin === siteA.origin)!;
  const docB = docs.find((d) => d.origin === siteB.origin)!;
  // Sign B's request first, while A still waits for the same id.
  const listed = (await ui(approval, 'approvals')).result.requests as { id: string; origin: string }[];
  expect((await ui(approval, 'approve', { id: listed.find((r) => r.origin === siteB.origin)!.id })).ok).toBe(true);
  await expect
    .poll(
      async () =>
        (await deliveries(serviceWorker)).filter((d) => d.type === 'vigil/dapp-answer' && d.delivered !== null).length,
    )
    .toBe(1);
  const signed = (await deliveries(serviceWorker)).filter((d) => d.type === 'vigil/dapp-answer');
  expect(signed).toEqual([
    expect.objectContaining({ id, tabId: docB.tabId, documentId: docB.documentId, result: true, delivered: true }),
  ]);
  // B's page got its signature; A's did not, and A's request is still waiting.
  await b.waitForFunction(
    (i) =>
      (window as any).__messages.some(
        (m: string) => m.includes('"response"') && m.includes(i) && m.includes('signature'),
      ),
    id,
  );
  expect(
    await a.evaluate(
      (i) => (window as any).__messages.filter((m: string) => m.includes('"response"') && m.includes(i)),
      id,
    ),
  ).toEqual([]);
  expect(await a.evaluate((k) => (window as any).__r[k], keyA)).toBeUndefined();
  await approval.getByTestId('reject').click();
  expect(await outcome(a, keyA)).toMatchObject({ code: 4001 });
  const toA = (await deliveries(serviceWorker)).filter((d) => d.type === 'vigil/dapp-answer' && d.tabId === docA.tabId);
  expect(toA).toEqual([expect.objectContaining({ documentId: docA.documentId, error: true })]);
});

test('events (accountsChanged, lock, unlock) never reach a frame whose origin is not connected', async ({
  context,
  serviceWorker,
  siteA,
  siteB,
  wallet,
}) => {
  siteA.setPage('/dapp', DAPP);
  siteB.setPage('/dapp', DAPP);
  const popup = await wallet.importPhrase(PHRASE, PASSWORD);
  const a = await context.newPage();
  await a.goto(siteA.url('/dapp'));
  const b = await context.newPage();
  await b.goto(siteB.url('/dapp'));
  for (const p of [a, b])
    await p.evaluate(() =>
      ['accountsChanged', 'lock', 'unlock'].forEach((e) =>
        (window as any).vigil.on(e, () => (window as any).__events.push(e)),
      ),
    );
  // B makes requests (so the worker knows its document) but never connects.
  expect(await call(b, { method: 'eth_accounts' })).toEqual({ result: [] });
  await recordDeliveries(serviceWorker);
  await connect(a, wallet);
  await popup.getByTestId('lock').click();
  await a.waitForFunction(() => (window as any).__events.includes('lock'));
  await popup.getByTestId('unlock-password').fill(PASSWORD);
  await popup.getByTestId('unlock').click();
  await a.waitForFunction(() => (window as any).__events.includes('unlock'));
  const docB = (await knownDocuments(serviceWorker)).find((d) => d.origin === siteB.origin)!;
  const events = (await deliveries(serviceWorker)).filter((d) => d.type === 'vigil/dapp-event');
  expect(events.map((e) => e.event)).toEqual(expect.arrayContaining(['accountsChanged', 'lock', 'unlock']));
  expect(events.filter((e) => e.tabId === docB.tabId)).toEqual([]);
  expect(await b.evaluate(() => (window as any).__events)).toEqual([]);
});

test('every signing method is refused with 4100 to a site that is not connected, before anything is queued', async ({
  context,
  serviceWorker,
  siteA,
  wallet,
}) => {
  siteA.setPage('/dapp', DAPP);
  await wallet.importPhrase(PHRASE, PASSWORD);
  const page = await context.newPage();
  await page.goto(siteA.url('/dapp'));
  await recordDeliveries(serviceWorker);
  const address = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266';
  const transfer = {
    senderPositionId: '12345',
    receiverPositionId: '67890',
    receiverPublicKey: '0x1234',
    amount: '10',
    clientId: 'x',
    expiration: new Date(Date.now() + 5 * 86_400_000).toISOString(),
  };
  const cases: [string, unknown[]][] = [
    [
      'stark_signOrder',
      [
        {
          positionId: '12345',
          humanSize: '0.01',
          humanPrice: '100000',
          limitFee: '0',
          market: 'BTC-USD',
          side: 'BUY',
          expiration: new Date(Date.now() + 5 * 86_400_000).toISOString(),
          clientId: 'x',
        },
      ],
    ],
    ['stark_signWithdrawal', [withdrawal('x')]],
    ['stark_signTransfer', [transfer]],
    [
      'stark_signConditionalTransfer',
      [{ ...transfer, fact: `0x${'11'.repeat(32)}`, factRegistryAddress: `0x${'22'.repeat(20)}` }],
    ],
    ['personal_sign', ['0x68656c6c6f', address]],
    [
      'eth_signTypedData_v4',
      [
        address,
        JSON.stringify({
          types: { EIP712Domain: [{ name: 'name', type: 'string' }], M: [{ name: 'a', type: 'string' }] },
          primaryType: 'M',
          domain: { name: 'x' },
          message: { a: 'b' },
        }),
      ],
    ],
    ['stark_account', []],
  ];
  for (const [method, params] of cases)
    expect(await call(page, { method, params }), method).toMatchObject({
      code: 4100,
      message: expect.stringContaining('not connected'),
    });
  // Nothing was queued: no approval window, nothing to answer later.
  expect(context.pages().filter((p) => p.url().includes('/ui/approval.html'))).toEqual([]);
  expect((await deliveries(serviceWorker)).filter((d) => d.type === 'vigil/dapp-answer')).toEqual([]);
});

test('revoking a site refuses what it still has waiting (4100), instead of leaving it signable', async ({
  context,
  siteA,
  wallet,
}) => {
  siteA.setPage('/dapp', DAPP);
  const popup = await wallet.importPhrase(PHRASE, PASSWORD);
  const page = await context.newPage();
  await page.goto(siteA.url('/dapp'));
  await connect(page, wallet);
  const key = await start(page, { method: 'stark_signWithdrawal', params: [withdrawal('revoked')] });
  const approval = await wallet.approval();
  const dashboard = await context.newPage();
  await dashboard.goto(popup.url().replace('popup.html', 'dashboard.html'));
  expect((await ui(dashboard, 'revokeSite', { origin: siteA.origin })).ok).toBe(true);
  expect(await outcome(page, key)).toMatchObject({ code: 4100 });
  await expect.poll(() => approval.isClosed()).toBe(true);
});

test('a request the approval cannot decode is never signed: no Sign button, and the approve operation refuses it', async ({
  context,
  siteA,
  wallet,
}) => {
  siteA.setPage('/dapp', DAPP);
  await wallet.importPhrase(PHRASE, PASSWORD);
  const page = await context.newPage();
  await page.goto(siteA.url('/dapp'));
  await connect(page, wallet);
  // A raw order buying 0 BTC for 1000 USDC: in range for each field, but no price can be shown.
  const { dydx } = await import('../../src/messages/dydx.js');
  const o = dydx.orderToStark(
    {
      positionId: '12345',
      humanSize: '0.01',
      humanPrice: '100000',
      limitFee: '0',
      market: 'BTC-USD',
      side: 'BUY',
      expirationIsoTimestamp: new Date(Date.now() + 10 * 86_400_000).toISOString(),
      clientId: 'zero',
    },
    1,
  );
  const raw = Object.fromEntries(
    Object.entries(o).map(([k, v]) => [
      k,
      typeof v === 'bigint' ? (k.startsWith('assetId') ? `0x${v.toString(16)}` : v.toString()) : v,
    ]),
  );
  const key = await start(page, { method: 'stark_signOrder', params: [{ ...raw, quantumsAmountSynthetic: '0' }] });
  const approval = await wallet.approval();
  await expect(approval.locator('.error').first()).toContainText('zero denominator');
  await expect(approval.getByTestId('approve')).toHaveCount(0);
  // A second approval page, so the reply is read before the window closes on the empty queue.
  const asker = await context.newPage();
  await asker.goto(approval.url());
  const id = (await ui(asker, 'approvals')).result.requests[0].id;
  expect((await ui(asker, 'approve', { id })).ok).toBe(false);
  expect(await outcome(page, key)).toMatchObject({
    code: -32602,
    message: expect.stringContaining('does not sign it'),
  });
});

/** Fires `n` requests at once from the page; their outcomes land in window.__r under the returned keys. */
async function burst(page: Page, n: number, args: (i: number) => unknown): Promise<string[]> {
  return page.evaluate(
    (all) => {
      const w = window as any;
      w.__r ??= {};
      return all.map((a: unknown) => {
        const key = `b${(w.__n = (w.__n ?? 0) + 1)}`;
        w.vigil.request(a).then(
          (result: unknown) => (w.__r[key] = { result }),
          (e: any) => (w.__r[key] = { code: e.code, message: String(e.message), data: e.data }),
        );
        return key;
      });
    },
    Array.from({ length: n }, (_, i) => args(i)),
  );
}
const settled = (page: Page, keys: string[]) =>
  page.evaluate((ks) => ks.map((k: string) => (window as any).__r[k]).filter(Boolean), keys);

test('the global cap holds under many origins, and a connect prompt still gets through it', async ({
  context,
  siteA,
  wallet,
}) => {
  siteA.setPage('/dapp', DAPP);
  await wallet.importPhrase(PHRASE, PASSWORD);
  // Four registrable domains on one loopback server (fixtures map *.test to 127.0.0.1).
  const at = (host: string) => `http://${host}:${new URL(siteA.origin).port}/dapp`;
  const pages: Page[] = [];
  for (const host of ['one.test', 'two.test', 'three.test', 'four.test']) {
    const p = await context.newPage();
    await p.goto(at(host));
    await connect(p, wallet);
    pages.push(p);
  }
  // Three sites fill the global cap (30) with 10 requests each, the per-origin cap.
  for (const [i, p] of pages.slice(0, 3).entries())
    await burst(p, 10, (j) => ({ method: 'stark_signWithdrawal', params: [withdrawal(`cap-${i}-${j}`)] }));
  const approval = await wallet.approval();
  await expect.poll(async () => (await ui(approval, 'approvals')).result.requests.length, { timeout: 20_000 }).toBe(30);
  // The fourth site, under its own per-origin limit, is refused by the global one.
  const refused = await burst(pages[3]!, 5, (j) => ({
    method: 'stark_signWithdrawal',
    params: [withdrawal(`over-${j}`)],
  }));
  await expect.poll(async () => (await settled(pages[3]!, refused)).length).toBe(5);
  for (const r of await settled(pages[3]!, refused))
    expect(r).toMatchObject({ code: 4100, message: expect.stringContaining('30 requests are already waiting') });
  // A site the user wants to connect is not locked out by the flood: its prompt is queued.
  const fresh = await context.newPage();
  await fresh.goto(at('five.test'));
  const [connectKey] = await burst(fresh, 1, () => ({ method: 'stark_requestAccounts' }));
  await expect
    .poll(async () => (await ui(approval, 'approvals')).result.requests.map((r: { origin: string }) => r.origin))
    .toContain(new URL(at('five.test')).origin);
  expect(await fresh.evaluate((k) => (window as any).__r[k], connectKey!)).toBeUndefined();
  await approval.getByTestId('reject-all').click();
});

test('subdomains of one site draw from one token bucket; another site is not slowed down', async ({
  context,
  siteA,
  wallet,
}) => {
  siteA.setPage('/dapp', DAPP);
  await wallet.importPhrase(PHRASE, PASSWORD);
  const at = (host: string) => `http://${host}:${new URL(siteA.origin).port}/dapp`;
  const pages: Page[] = [];
  for (const host of ['a.six.test', 'b.six.test', 'c.six.test']) {
    const p = await context.newPage();
    await p.goto(at(host));
    await p.waitForFunction(() => (window as any).vigil !== undefined);
    pages.push(p);
  }
  // Connect prompts from three origins of six.test, one after the other, each within the per-origin limit (10).
  const keys: string[][] = [];
  keys.push(await burst(pages[0]!, 10, () => ({ method: 'stark_requestAccounts' })));
  const approval = await wallet.approval();
  const queued = async () => (await ui(approval, 'approvals')).result.requests.length;
  await expect.poll(queued).toBe(10);
  keys.push(await burst(pages[1]!, 10, () => ({ method: 'stark_requestAccounts' })));
  await expect.poll(queued).toBe(20);
  keys.push(await burst(pages[2]!, 10, () => ({ method: 'stark_requestAccounts' })));
  await expect
    .poll(async () => (await settled(pages[2]!, keys[2]!)).length + (await queued()), { timeout: 20_000 })
    .toBe(30);
  // The bucket holds 20, refilled by one every 3 s: the third origin, though it alone sent only 10,
  // got at most the few tokens that refilled meanwhile. The bucket is the site's, not the origin's.
  const limited = await settled(pages[2]!, keys[2]!);
  expect(limited.length).toBeGreaterThanOrEqual(7);
  for (const r of limited)
    expect(r).toMatchObject({
      code: -32005,
      message: expect.stringContaining('six.test sent requests for approval too fast'),
      data: { retryAfterMs: expect.any(Number) },
    });
  const n = await queued();
  // Another site is served at once.
  const other = await context.newPage();
  await other.goto(at('seven.test'));
  const [k] = await burst(other, 1, () => ({ method: 'stark_requestAccounts' }));
  await expect.poll(queued).toBe(n + 1);
  expect(await other.evaluate((key) => (window as any).__r[key], k!)).toBeUndefined();
  await approval.getByTestId('reject-all').click();
});
