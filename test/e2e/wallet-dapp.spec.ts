import { dydx } from '../../src/messages/dydx.js';
import { verifyHash } from '../../src/crypto/ecdsa.js';
import { walletKeysFromSecret } from '../../src/wallet/index.js';
import { DAPP, call, connect, expect, outcome, start, test } from './fixtures.js';

const PASSWORD = 'correct horse battery';
const PHRASE = 'test test test test test test test test test test test junk';
const SECRET = { kind: 'mnemonic', mnemonic: PHRASE, starkDerivation: 'dydx', chainId: 1 } as const;

function orderFor(clientId: string) {
  // Whole seconds, ten days ahead: the same ISO string goes to the page and to src/.
  const expiration = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000 + 10 * 86_400_000).toISOString();
  return {
    market: 'BTC-USD',
    side: 'BUY',
    size: '0.01',
    price: '30000.5',
    limitFee: '0.0015',
    clientId,
    positionId: '12345',
    expiration,
  } as const;
}

test('a page on 127.0.0.1 connects and gets an order signed; the signature equals src/ and verifies', async ({
  context,
  siteA,
  wallet,
}) => {
  siteA.setPage('/dapp', DAPP);
  await wallet.importPhrase(PHRASE, PASSWORD);
  const keys = await walletKeysFromSecret(SECRET);
  const page = await context.newPage();
  await page.goto(siteA.url('/dapp'));
  await page.evaluate(() =>
    (window as any).vigil.on('accountsChanged', (a: unknown) => (window as any).__events.push(a)),
  );

  const connected = await connect(page, wallet);
  expect(connected.result).toEqual({
    starkKey: `0x${keys.stark.publicKey.toString(16).padStart(64, '0')}`,
    starkKeyY: expect.any(String),
    address: keys.address,
  });
  expect(await call(page, { method: 'stark_account' })).toEqual(connected);
  expect(await call(page, { method: 'eth_accounts' })).toEqual({ result: [keys.address] });
  await page.waitForFunction(() => (window as any).__events.length > 0);

  const order = orderFor('vigil-e2e-1');
  const key = await start(page, { method: 'stark_signOrder', params: [order] });
  const approval = await wallet.approval();
  // The decoded order, from the fields that are hashed.
  await expect(approval.getByTestId('field-market')).toHaveText('BTC-USD');
  await expect(approval.getByTestId('field-side')).toHaveText('BUY');
  await expect(approval.getByTestId('field-size')).toHaveText('0.01');
  await expect(approval.getByTestId('field-price')).toHaveText('30000.500000');
  await expect(approval.getByTestId('field-notional')).toHaveText('300.005 USDC');
  await expect(approval.getByTestId('field-max-fee')).toHaveText('0.450008 USDC');
  await expect(approval.getByTestId('field-position')).toHaveText('12345');
  await expect(approval.getByTestId('margin-not-verified')).toContainText('Not verified yet');
  await expect(approval.getByTestId('warnings')).toContainText('No verified oracle price');
  await approval.getByTestId('approve').click();
  const signed = await outcome(page, key);

  const expected = dydx.signOrder(
    {
      positionId: order.positionId,
      humanSize: order.size,
      humanPrice: order.price,
      limitFee: order.limitFee,
      market: order.market,
      side: order.side,
      expirationIsoTimestamp: order.expiration,
      clientId: order.clientId,
    },
    1,
    keys.stark.privateKey,
  );
  expect(BigInt(signed.result.hash)).toBe(expected.hash);
  expect(signed.result.signature).toBe(expected.signatureHex);
  expect(
    verifyHash(expected.hash, { r: BigInt(signed.result.r), s: BigInt(signed.result.s) }, keys.stark.publicKey),
  ).toBe(true);
  // Nothing left to approve: the one approval window closed itself.
  await expect.poll(() => approval.isClosed()).toBe(true);
});

test('reject → 4001; a site that is not connected → 4100; malformed order → -32602 at once', async ({
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
  await connect(page, wallet);

  const key = await start(page, { method: 'stark_signOrder', params: [orderFor('vigil-e2e-2')] });
  const approval = await wallet.approval();
  await approval.getByTestId('reject').click();
  expect(await outcome(page, key)).toMatchObject({ code: 4001 });

  expect(
    await call(page, { method: 'stark_signOrder', params: [{ ...orderFor('x'), market: 'NOPE-USD' }] }),
  ).toMatchObject({ code: -32602, message: expect.stringContaining('market') });
  expect(await call(page, { method: 'stark_signOrder', params: [{ ...orderFor('x'), size: '-1' }] })).toMatchObject({
    code: -32602,
  });

  const other = await context.newPage();
  await other.goto(siteB.url('/dapp'));
  for (const method of ['stark_signOrder', 'stark_account', 'stark_signWithdrawal', 'personal_sign']) {
    expect(await call(other, { method, params: [orderFor('y')] })).toMatchObject({ code: 4100 });
  }
  expect(await call(other, { method: 'eth_accounts' })).toEqual({ result: [] });
});

test('the worker is stopped while a request waits for approval; after restart it is still there and the page gets its answer', async ({
  context,
  siteA,
  wallet,
  stopServiceWorker,
}) => {
  siteA.setPage('/dapp', DAPP);
  await wallet.importPhrase(PHRASE, PASSWORD);
  const keys = await walletKeysFromSecret(SECRET);
  const page = await context.newPage();
  await page.goto(siteA.url('/dapp'));
  await connect(page, wallet);

  const order = orderFor('vigil-e2e-restart');
  const key = await start(page, { method: 'stark_signOrder', params: [order] });
  const before = await wallet.approval();
  await expect(before.getByTestId('field-market')).toHaveText('BTC-USD');
  await stopServiceWorker();

  // Reload the approval window: a fresh worker reads the request back from IndexedDB.
  const approval = before;
  await approval.reload();
  await expect(approval.getByTestId('field-market')).toHaveText('BTC-USD');
  await approval.getByTestId('approve').click();
  const signed = await outcome(page, key);
  const expected = dydx.signOrder(
    {
      positionId: order.positionId,
      humanSize: order.size,
      humanPrice: order.price,
      limitFee: order.limitFee,
      market: order.market,
      side: order.side,
      expirationIsoTimestamp: order.expiration,
      clientId: order.clientId,
    },
    1,
    keys.stark.privateKey,
  );
  expect(signed.result.signature).toBe(expected.signatureHex);
});

test('a second tab never receives an answer meant for the first', async ({ context, siteA, wallet }) => {
  siteA.setPage('/dapp', DAPP);
  await wallet.importPhrase(PHRASE, PASSWORD);
  const first = await context.newPage();
  await first.goto(siteA.url('/dapp'));
  const second = await context.newPage();
  await second.goto(siteA.url('/dapp'));
  await connect(first, wallet);

  // The second tab (same origin, connected) waits with a forged request using the first tab's id.
  const key = await start(first, { method: 'stark_signOrder', params: [orderFor('vigil-e2e-tab')] });
  const approval = await wallet.approval();
  await approval.getByTestId('approve').click();
  const signed = await outcome(first, key);
  expect(signed.result.signature).toMatch(/^[0-9a-f]{128}$/);
  const firstSaw = await first.evaluate(() => (window as any).__messages as string[]);
  const secondSaw = await second.evaluate(() => (window as any).__messages as string[]);
  expect(firstSaw.some((m) => m.includes(signed.result.signature))).toBe(true);
  expect(secondSaw.some((m) => m.includes(signed.result.signature))).toBe(false);
  expect(secondSaw.filter((m) => m.includes('"kind":"response"'))).toEqual([]);
});

test('the private key is nowhere in the page: provider object and a heap snapshot after signing', async ({
  context,
  siteA,
  wallet,
}) => {
  siteA.setPage('/dapp', DAPP);
  await wallet.importPhrase(PHRASE, PASSWORD);
  const keys = await walletKeysFromSecret(SECRET);
  const page = await context.newPage();
  await page.goto(siteA.url('/dapp'));
  await connect(page, wallet);
  const key = await start(page, { method: 'stark_signOrder', params: [orderFor('vigil-e2e-heap')] });
  await (await wallet.approval()).getByTestId('approve').click();
  expect((await outcome(page, key)).result.signature).toMatch(/^[0-9a-f]{128}$/);

  // The provider exposes only its API.
  expect(await page.evaluate(() => Object.keys((window as any).vigil).sort())).toEqual([
    'isVigil',
    'off',
    'on',
    'removeListener',
    'request',
  ]);

  const cdp = await context.newCDPSession(page);
  const chunks: string[] = [];
  cdp.on('HeapProfiler.addHeapSnapshotChunk', ({ chunk }) => void chunks.push(chunk));
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  const snapshot = chunks.join('').toLowerCase();
  expect(snapshot.length).toBeGreaterThan(100_000);
  // The snapshot does contain what the page legitimately holds: the public stark key.
  expect(snapshot).toContain(keys.stark.publicKey.toString(16));
  const secrets = [
    keys.stark.privateKey.toString(16),
    keys.stark.privateKey.toString(16).padStart(64, '0'),
    keys.stark.privateKey.toString(10),
    keys.ethPrivateKey!.slice(2),
    BigInt(keys.ethPrivateKey!).toString(10),
    PHRASE,
  ];
  for (const s of secrets) expect(snapshot.includes(s), `secret of length ${s.length} in the page heap`).toBe(false);
  await cdp.detach();
});

test('the dashboard follows the wallet and the sites without a reload (issue 17 defect 6)', async ({
  context,
  extensionId,
  siteA,
  wallet,
}) => {
  siteA.setPage('/dapp', DAPP);
  const dashboard = await context.newPage();
  await dashboard.goto(`chrome-extension://${extensionId}/ui/dashboard.html`);
  await expect(dashboard.getByTestId('wallet-state')).toHaveText(
    'Wallet: none yet — create or import one from Vigil’s toolbar button.',
  );
  await expect(dashboard.getByTestId('no-sites')).toHaveText('No site is connected.');

  // The wallet is imported in the popup: the open dashboard shows it, unlocked, with its key.
  const popup = await wallet.importPhrase(PHRASE, PASSWORD);
  const starkKey = (await popup.getByTestId('stark-key').textContent()) ?? '';
  expect(starkKey).toMatch(/^0x[0-9a-f]+$/);
  await expect(dashboard.getByTestId('wallet-state')).toHaveText(`Wallet: unlocked, Stark key ${starkKey}`);

  // A site connects on its own page: the dashboard lists it.
  const page = await context.newPage();
  await page.goto(siteA.url('/dapp'));
  await connect(page, wallet);
  const origin = new URL(siteA.url('/dapp')).origin;
  await expect(dashboard.getByTestId('sites')).toContainText(origin);

  // Locked from the popup: the dashboard says so.
  await popup.getByTestId('lock').click();
  await expect(dashboard.getByTestId('wallet-state')).toHaveText(`Wallet: locked, Stark key ${starkKey}`);

  // Revoked from another dashboard: this one lists no site again.
  const other = await context.newPage();
  await other.goto(`chrome-extension://${extensionId}/ui/dashboard.html`);
  await other.getByTestId('revoke').click();
  await expect(dashboard.getByTestId('no-sites')).toHaveText('No site is connected.');
  await dashboard.screenshot({ path: 'test-results/screens/dashboard-refreshed.png', fullPage: true });
});
