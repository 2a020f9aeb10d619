import { DAPP, call, connect, expect, outcome, start, test } from './fixtures.js';

const PASSWORD = 'correct horse battery';
const PHRASE = 'test test test test test test test test test test test junk';
const withdrawal = (clientId: string) => ({
  positionId: '12345',
  amount: '10',
  clientId,
  expiration: new Date(Date.now() + 5 * 86_400_000).toISOString(),
});

test('one approval window, reused; the queue count; "reject all" answers every request with 4001', async ({
  context,
  siteA,
  wallet,
}) => {
  siteA.setPage('/dapp', DAPP);
  await wallet.importPhrase(PHRASE, PASSWORD);
  const page = await context.newPage();
  await page.goto(siteA.url('/dapp'));
  await connect(page, wallet);
  const keys = [await start(page, { method: 'stark_signWithdrawal', params: [withdrawal('a')] })];
  const approval = await wallet.approval();
  keys.push(await start(page, { method: 'stark_signWithdrawal', params: [withdrawal('b')] }));
  keys.push(await start(page, { method: 'stark_signWithdrawal', params: [withdrawal('c')] }));
  await expect(approval.getByTestId('queue-count')).toContainText('2 more waiting');
  await expect(approval.getByTestId('field-amount')).toHaveText('10 USDC');
  const windows = context.pages().filter((p) => p.url().includes('/ui/approval.html'));
  expect(windows).toHaveLength(1);
  await approval.getByTestId('reject-all').click();
  for (const k of keys) expect(await outcome(page, k)).toMatchObject({ code: 4001 });
});

test('closing the approval window rejects the pending requests', async ({ context, siteA, wallet }) => {
  siteA.setPage('/dapp', DAPP);
  await wallet.importPhrase(PHRASE, PASSWORD);
  const page = await context.newPage();
  await page.goto(siteA.url('/dapp'));
  const key = await start(page, { method: 'stark_requestAccounts' });
  await (await wallet.approval()).close();
  expect(await outcome(page, key)).toMatchObject({ code: 4001 });
  expect(await call(page, { method: 'stark_account' })).toMatchObject({ code: 4100 });
});

test('after 3 rejections in a minute the site can be blocked for 10 minutes: then 4100 without a prompt', async ({
  context,
  siteA,
  siteB,
  wallet,
}) => {
  siteA.setPage('/dapp', DAPP);
  siteB.setPage('/dapp', DAPP);
  await wallet.importPhrase(PHRASE, PASSWORD);
  const page = await context.newPage();
  await page.goto(siteA.url('/dapp'));
  for (let i = 0; i < 3; i++) {
    const key = await start(page, { method: 'stark_requestAccounts' });
    const approval = await wallet.approval();
    await expect(approval.getByTestId('block-offer')).toHaveCount(0);
    await approval.getByTestId('reject').click();
    expect(await outcome(page, key)).toMatchObject({ code: 4001 });
  }
  const key = await start(page, { method: 'stark_requestAccounts' });
  const approval = await wallet.approval();
  await expect(approval.getByTestId('block-offer')).toContainText(siteA.origin);
  await approval.getByTestId('block-site').click();
  expect(await outcome(page, key)).toMatchObject({ code: 4001 });
  expect(await call(page, { method: 'stark_requestAccounts' })).toMatchObject({
    code: 4100,
    message: expect.stringContaining('blocked'),
  });
  // Other sites are not affected.
  const other = await context.newPage();
  await other.goto(siteB.url('/dapp'));
  const otherKey = await start(other, { method: 'stark_requestAccounts' });
  await (await wallet.approval()).getByTestId('approve').click();
  expect(await outcome(other, otherKey)).toMatchObject({
    result: { starkKey: expect.stringMatching(/^0x[0-9a-f]{64}$/) },
  });
});

test('"Reject all" and closing the approval window count toward the spam brake, once per site and action', async ({
  context,
  siteA,
  wallet,
}) => {
  siteA.setPage('/dapp', DAPP);
  await wallet.importPhrase(PHRASE, PASSWORD);
  const page = await context.newPage();
  await page.goto(siteA.url('/dapp'));
  const round = async (end: 'reject-all' | 'close') => {
    const keys = [await start(page, { method: 'stark_requestAccounts' })];
    const approval = await wallet.approval();
    await expect(approval.getByTestId('block-offer')).toHaveCount(0);
    keys.push(await start(page, { method: 'stark_requestAccounts' }));
    await expect(approval.getByTestId('queue-count')).toContainText('1 more waiting');
    if (end === 'close') await approval.close();
    else await approval.getByTestId('reject-all').click();
    for (const k of keys) expect(await outcome(page, k)).toMatchObject({ code: 4001 });
  };
  await round('reject-all');
  await round('close');
  await round('reject-all');
  // Three user rejections within a minute: the next prompt offers to block the site.
  const key = await start(page, { method: 'stark_requestAccounts' });
  const approval = await wallet.approval();
  await expect(approval.getByTestId('block-offer')).toContainText(siteA.origin);
  await approval.getByTestId('block-site').click();
  expect(await outcome(page, key)).toMatchObject({ code: 4001 });
  expect(await call(page, { method: 'stark_requestAccounts' })).toMatchObject({
    code: 4100,
    message: expect.stringContaining('blocked'),
  });
});

test('connected sites: listed on the dashboard; revoking one sends accountsChanged and then 4100', async ({
  context,
  siteA,
  extensionId,
  wallet,
}) => {
  siteA.setPage('/dapp', DAPP);
  await wallet.importPhrase(PHRASE, PASSWORD);
  const page = await context.newPage();
  await page.goto(siteA.url('/dapp'));
  await page.evaluate(() =>
    (window as any).vigil.on('accountsChanged', (a: unknown) => (window as any).__events.push({ accountsChanged: a })),
  );
  await connect(page, wallet);
  const dashboard = await context.newPage();
  await dashboard.goto(`chrome-extension://${extensionId}/ui/dashboard.html`);
  const row = dashboard.locator(`[data-origin="${siteA.origin}"]`);
  await expect(row).toBeVisible();
  await row.getByTestId('revoke').click();
  await expect(dashboard.getByTestId('no-sites')).toBeVisible();
  await page.waitForFunction(() => (window as any).__events.some((e: any) => e.accountsChanged === null));
  expect(await call(page, { method: 'stark_account' })).toMatchObject({ code: 4100 });
  expect(await call(page, { method: 'stark_signWithdrawal', params: [withdrawal('x')] })).toMatchObject({ code: 4100 });
});

test('a locked wallet: lock event to the page; a request is answered after unlocking in the approval window', async ({
  context,
  siteA,
  wallet,
}) => {
  siteA.setPage('/dapp', DAPP);
  const popup = await wallet.importPhrase(PHRASE, PASSWORD);
  const page = await context.newPage();
  await page.goto(siteA.url('/dapp'));
  await page.evaluate(() => (window as any).vigil.on('lock', () => (window as any).__events.push('lock')));
  await connect(page, wallet);
  await popup.getByTestId('lock').click();
  await page.waitForFunction(() => (window as any).__events.includes('lock'));
  expect(await call(page, { method: 'stark_account' })).toMatchObject({
    code: 4100,
    message: expect.stringContaining('locked'),
  });
  expect(await call(page, { method: 'eth_accounts' })).toEqual({ result: [] });

  const key = await start(page, { method: 'stark_signWithdrawal', params: [withdrawal('locked')] });
  const approval = await wallet.approval();
  await approval.getByTestId('unlock-password').fill(PASSWORD);
  await approval.getByTestId('unlock').click();
  await approval.getByTestId('approve').click();
  expect((await outcome(page, key)).result.signature).toMatch(/^[0-9a-f]{128}$/);
});

test('wallet methods are refused to a sandboxed (opaque-origin) frame', async ({ context, siteA, wallet }) => {
  siteA.setPage('/dapp', DAPP.replace('<h1>dapp</h1>', `<iframe sandbox="allow-scripts" src="/inner"></iframe>`));
  siteA.setPage('/inner', DAPP);
  await wallet.importPhrase(PHRASE, PASSWORD);
  const page = await context.newPage();
  await page.goto(siteA.url('/dapp'));
  const frame = page.frames().find((f) => f.url().endsWith('/inner'))!;
  await frame.waitForFunction(() => (window as any).vigil !== undefined);
  const answer = await frame.evaluate(() =>
    (window as any).vigil.request({ method: 'stark_requestAccounts' }).then(
      () => 'ok',
      (e: any) => e.code,
    ),
  );
  expect(answer).toBe(4100);
});
