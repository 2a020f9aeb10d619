import { decodeOnChainData } from '../../src/starkex/onchain-data.js';
import { dydxMarket } from '../../src/messages/dydx-markets.js';
import { walletKeysFromSecret } from '../../src/wallet/index.js';
import { startExchangeDevnet, type ExchangeDevnet } from '../../devnet/exchange-devnet.js';
import { replayDevnetFromL1 } from '../../devnet/l1-replay.js';
import { expect, test } from './fixtures.js';

// Acceptance (issue 7): an order signed through the Vigil provider from the demo page is accepted,
// matched against the bots' book and appears in the next batch's data on L1.

const PASSWORD = 'correct horse battery';
const PHRASE = 'test test test test test test test test test test test junk';
const ETH = dydxMarket('ETH-USD').syntheticAssetId;

let net: ExchangeDevnet;

test.beforeAll(async () => {
  net = await startExchangeDevnet({ bots: 2, batchIntervalMs: 1000, botIntervalMs: 400, port: 0 });
});
test.afterAll(async () => {
  await net?.stop();
});

test('the demo page connects to Vigil, an order signed by Vigil is matched and lands in the next batch on L1', async ({
  context,
  wallet,
}) => {
  test.setTimeout(120_000);
  const keys = await walletKeysFromSecret({ kind: 'mnemonic', mnemonic: PHRASE, starkDerivation: 'dydx', chainId: 1 });
  await wallet.importPhrase(PHRASE, PASSWORD);
  const page = await context.newPage();
  await page.goto(net.server!.url);
  await expect(page.getByTestId('wallets')).toContainText('Vigil');
  await expect(page.getByTestId('markets')).toContainText('ETH-USD');

  await page.getByTestId('connect').click();
  const connect = await wallet.approval();
  await expect(connect.getByTestId('request-method')).toHaveText('stark_requestAccounts');
  await connect.getByTestId('approve').click();
  await expect(page.getByTestId('account-key')).toContainText('position');
  const account = net.operator.exchange.accountOfKey(keys.stark.publicKey)!;
  expect(account.ethAddress?.toLowerCase()).toBe(keys.address?.toLowerCase());
  // The faucet deposit is credited by the next batch.
  await expect(page.getByTestId('account-usdc-balance')).toHaveText('100000.000000', { timeout: 20_000 });

  // Cross the bots' best ask.
  await expect
    .poll(() => net.operator.exchange.books.get('ETH-USD')!.asks.length, { timeout: 20_000 })
    .toBeGreaterThan(0);
  const oracle = Number(net.operator.exchange.priceUsd(net.operator.exchange.markets.get('ETH-USD')!));
  await page.getByTestId('order-side').selectOption('BUY');
  await page.getByTestId('order-size').fill('0.01');
  await page.getByTestId('order-price').fill((oracle * 1.03).toFixed(1));
  await page.getByTestId('place-order').click();
  const approval = await wallet.approval();
  await expect(approval.getByTestId('field-market')).toHaveText('ETH-USD');
  await expect(approval.getByTestId('field-side')).toHaveText('BUY');
  await expect(approval.getByTestId('field-position')).toHaveText(account.positionId.toString());
  await approval.getByTestId('approve').click();
  await expect(page.getByTestId('order-status')).toHaveAttribute('data-status', 'FILLED', { timeout: 20_000 });
  const postedAtFill = net.operator.batches.length;
  const orderId = await page.getByTestId('order-status').getAttribute('data-order-id');
  const order = net.operator.exchange.orders.get(orderId!)!;
  expect(order.starkKey).toBe(keys.stark.publicKey);
  expect(net.operator.exchange.fills.filter((f) => f.orderId === orderId).map((f) => f.liquidity)).toContain('TAKER');

  // Read the batches back from L1 alone: the first one holding the user's ETH is the next batch.
  await net.operator.waitForBatches(postedAtFill + 2, 30_000);
  const replay = await replayDevnetFromL1(
    net.operator.l1.c.client,
    net.deployment.addresses,
    net.deployment.abis,
    net.deployment.programHash,
  );
  for (const b of replay) expect(b.problems).toEqual([]);
  const withEth = replay.filter((b) =>
    decodeOnChainData(b.dataPages.flat()).positions.some(
      (p) => p.positionId === account.positionId && p.assets.some((a) => a.assetId === ETH),
    ),
  );
  expect(withEth.length).toBeGreaterThan(0);
  const first = withEth[0]!;
  expect(first.sequenceNumber).toBeLessThanOrEqual(BigInt(postedAtFill + 1));
  expect(first.sequenceNumber).toBeGreaterThanOrEqual(BigInt(postedAtFill));
  const record = decodeOnChainData(first.dataPages.flat()).positions.find((p) => p.positionId === account.positionId)!;
  expect(record.starkKey).toBe(keys.stark.publicKey);
  expect(record.assets).toEqual([{ assetId: ETH, balance: 10_000_000n }]);
  expect(first.computedRoot).toBe(first.committedRoot);
  // The page shows the position too.
  await expect(page.getByTestId('positions')).toContainText('LONG');
});

test('from the demo page: an order is placed and cancelled, and a withdrawal signed by Vigil is paid out on L1', async ({
  context,
  wallet,
}) => {
  test.setTimeout(120_000);
  const keys = await walletKeysFromSecret({ kind: 'mnemonic', mnemonic: PHRASE, starkDerivation: 'dydx', chainId: 1 });
  await wallet.importPhrase(PHRASE, PASSWORD);
  const page = await context.newPage();
  await page.goto(net.server!.url);
  await page.getByTestId('connect').click();
  await (await wallet.approval()).getByTestId('approve').click();
  await expect(page.getByTestId('account-key')).toContainText('position');
  const account = net.operator.exchange.accountOfKey(keys.stark.publicKey)!;
  await expect
    .poll(async () => Number(await page.getByTestId('account-usdc-balance').textContent()), { timeout: 20_000 })
    .toBeGreaterThan(1000);

  // A bid far below the market rests in the book; cancel it from the page.
  const oracle = Number(net.operator.exchange.priceUsd(net.operator.exchange.markets.get('ETH-USD')!));
  await page.getByTestId('order-side').selectOption('BUY');
  await page.getByTestId('order-size').fill('0.02');
  await page.getByTestId('order-price').fill((oracle * 0.5).toFixed(1));
  await page.getByTestId('place-order').click();
  await (await wallet.approval()).getByTestId('approve').click();
  await expect(page.getByTestId('order-status')).toHaveAttribute('data-status', 'OPEN', { timeout: 20_000 });
  const orderId = (await page.getByTestId('order-status').getAttribute('data-order-id'))!;
  await page.getByTestId(`cancel-${orderId}`).click();
  await expect.poll(() => net.operator.exchange.orders.get(orderId)?.status).toBe('CANCELED');
  await expect(page.locator(`tr[data-order-id="${orderId}"]`)).toContainText('CANCELED');

  // Withdraw 10 USDC: after the next batch it is claimable on L1 by the stark key.
  const sp = { address: net.deployment.addresses.starkPerpetual, abi: net.deployment.abis.starkPerpetual };
  const balance = () =>
    net.operator.l1.c.client.readContract({
      ...sp,
      functionName: 'getWithdrawalBalance',
      args: [keys.stark.publicKey, net.deployment.usdcAssetType],
    }) as Promise<bigint>;
  const before = await balance();
  await page.getByTestId('withdraw-amount').fill('10');
  await page.getByTestId('withdraw').click();
  await (await wallet.approval()).getByTestId('approve').click();
  await expect(page.getByTestId('withdraw-status')).toContainText('accepted', { timeout: 20_000 });
  await expect.poll(balance, { timeout: 20_000 }).toBe(before + 10_000_000n);
  expect(account.positionId).toBeGreaterThan(1n);
});
