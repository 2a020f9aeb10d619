import type { Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { toTaggedJson } from '../../src/codec/tagged-json.js';
import { startExchangeDevnet, type ExchangeDevnet } from '../../devnet/exchange-devnet.js';
import { DAPP, connect, expect, extensionOp, outcome, start, test } from './fixtures.js';
import { expectGaugeAndLiquidationLine, expectGlanceOfVerifiedHolding } from './glance-checks.js';

/**
 * Issue 17 items 1 and 3 on the devnet, read off the approval window: with no risk parameters
 * configured by the user, an order after a verified fill shows margin figures from the devnet's own
 * market config and can be signed; an order whose margin impact cannot be computed says why in one
 * line and can still be signed; a verifier halted on a wrong root puts a banner on the approval.
 */
const PHRASE = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
const PASSWORD = 'approval risk password';
const SCREENS = 'test-results/screens';

let net: ExchangeDevnet;
let positionId: bigint;
test.describe.configure({ mode: 'serial' });

/**
 * Clicks Connect until the approval window closes: the button disarms while the window has no
 * focus (extension/ui/approval.tsx useArmed), so a click that lands just as another page takes the
 * focus does nothing; seen once in CI, the connection then never came.
 */
async function approveUntilClosed(approval: Page): Promise<void> {
  for (let i = 0; i < 5 && !approval.isClosed(); i++) {
    await approval
      .getByTestId('approve')
      .click({ timeout: 10_000 })
      .catch(() => undefined);
    await approval.waitForEvent('close', { timeout: 5_000 }).catch(() => undefined);
  }
  expect(approval.isClosed()).toBe(true);
}
test.beforeAll(async () => {
  net = await startExchangeDevnet({ bots: 1, batchIntervalMs: 2000, botIntervalMs: 400, port: 0 });
  mkdirSync(SCREENS, { recursive: true });
});
test.afterAll(async () => {
  await net?.stop();
});

/** The dashboard, with Vigil's verifier following the devnet as `npm start` configures it (no risk parameters). */
async function followDevnet(page: Page, extensionId: string) {
  await page.goto(`chrome-extension://${extensionId}/ui/dashboard.html`);
  await extensionOp(page, 'syncConfigure', {
    settings: toTaggedJson({
      deployment: net.vigilDeployment(0n),
      initialSharedState: net.deployment.initialSharedState,
      rpcUrls: [net.anvil.rpcUrl],
      periodMinutes: 0.5,
    }),
  });
}

const expiration = () => new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000 + 10 * 86_400_000).toISOString();
const oracleUsd = (market: string) =>
  Number(net.operator.exchange.priceUsd(net.operator.exchange.markets.get(market)!));
/** "$1,234.50" / "−$3.20" → number. */
const money = (s: string) => Number(s.replace('−', '-').replace(/[$,%+\s]/g, ''));

async function marginCells(approval: Page, row: string) {
  return approval.getByTestId(`margin-${row}`).locator('td').allInnerTexts();
}

test('(a, b, c) no risk parameters configured: after a verified fill, the next order shows margin before/after and signs; one it cannot compute says why and signs; a verifier halted on a wrong root puts a banner on the approval', async ({
  context,
  extensionId,
  siteA,
  wallet,
}) => {
  test.setTimeout(480_000);
  const popup = await wallet.importPhrase(PHRASE, PASSWORD);
  const starkKey = BigInt((await extensionOp(popup, 'status')).account.starkKey);
  const dashboard = await context.newPage();
  await followDevnet(dashboard, extensionId);

  // The demo page: connect (the operator registers the key and deposits 100 000 USDC), then buy 0.01 ETH.
  const demo = await context.newPage();
  await demo.goto(net.server!.url);
  await demo.getByTestId('connect').click();
  await approveUntilClosed(await wallet.approval());
  await expect(demo.getByTestId('account-usdc-balance')).toHaveText('100000.000000', { timeout: 90_000 });
  positionId = net.operator.exchange.accountOfKey(starkKey)!.positionId;
  await expect
    .poll(() => net.operator.exchange.books.get('ETH-USD')!.asks.length, { timeout: 20_000 })
    .toBeGreaterThan(0);
  await demo.getByTestId('order-side').selectOption('BUY');
  await demo.getByTestId('order-size').fill('0.01');
  await demo.getByTestId('order-price').fill((oracleUsd('ETH-USD') * 1.03).toFixed(1));
  await demo.getByTestId('place-order').click();
  await (await wallet.approval()).getByTestId('approve').click();
  await expect(demo.getByTestId('order-status')).toHaveAttribute('data-status', 'FILLED', { timeout: 20_000 });

  // Vigil verifies the fill: its own position holds ETH in the last verified batch.
  await expect
    .poll(
      async () => {
        await extensionOp(dashboard, 'syncNow').catch(() => {});
        const mine = await extensionOp(dashboard, 'verifierMyPositions');
        const p = mine.positions[0];
        return p?.matches === true ? p.position.assets.length : 0;
      },
      { timeout: 90_000, intervals: [3_000] },
    )
    .toBe(1);
  // Issue 17: the popup's equity of this verified holding is src/risk's total value of it.
  await expectGlanceOfVerifiedHolding(net, dashboard, popup, /^ETH-USD long 0\.01 at \$[\d,]+\.\d\d = \$[\d,]+\.\d\d$/);

  // (a) The second order: a large short resting above the market, so the liquidation price is a figure.
  await demo.getByTestId('order-side').selectOption('SELL');
  await demo.getByTestId('order-size').fill('60');
  await demo.getByTestId('order-price').fill((oracleUsd('ETH-USD') * 1.02).toFixed(1));
  await demo.getByTestId('place-order').click();
  const approval = await wallet.approval();
  await expect(approval.getByTestId('margin-impact')).toBeVisible({ timeout: 20_000 });
  await expect(approval.getByTestId('margin-not-verified')).toHaveCount(0);
  await expect(approval.locator('p.error')).toHaveCount(0);
  await expect(approval.getByTestId('order-summary')).toHaveText(
    /^Sell 60 ETH-USD at ≥ \$[\d,]+\.\d\d?, max fee \$[\d,.]+, expires \d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d UTC$/,
  );
  const [tvBefore = 0, tvAfter = 0] = (await marginCells(approval, 'total-value')).map(money);
  const [trBefore = 0, trAfter = 0] = (await marginCells(approval, 'total-risk')).map(money);
  const [liqBefore, liqAfter] = await marginCells(approval, 'liquidation-price');
  const [, distanceAfter] = await marginCells(approval, 'liquidation-distance');
  // Before: ~100 000 USDC and 0.01 ETH at risk 3% (the devnet's market config); after: short 59.99 ETH.
  expect(tvBefore).toBeGreaterThan(99_000);
  expect(trBefore).toBeGreaterThan(0);
  expect(trBefore).toBeCloseTo(0.01 * oracleUsd('ETH-USD') * 0.03, 0);
  expect(trAfter).toBeGreaterThan(trBefore * 1000);
  expect(tvAfter).toBeGreaterThan(tvBefore); // sold 2% above the verified oracle price, less the fee
  expect(liqBefore).toBe('—');
  expect(money(liqAfter!)).toBeGreaterThan(oracleUsd('ETH-USD'));
  expect(distanceAfter).toMatch(/^\+[\d,.]+ %$/);
  await expect(approval.getByTestId('risk-source')).toHaveText(
    "Risk factors: the deployment's published market parameters.",
  );
  await expectGaugeAndLiquidationLine(approval); // issue 17: the margin gauge and the liquidation sentence
  await approval.screenshot({ path: `${SCREENS}/approval-margin.png`, fullPage: true });
  await approval.getByTestId('approve').click();
  await expect(demo.getByTestId('order-status')).toHaveAttribute('data-status', /OPEN|FILLED|PARTIALLY_FILLED/, {
    timeout: 20_000,
  });

  // (b) An order for a market the devnet does not list: no risk factor, so no figures — one line, and Sign.
  siteA.setPage('/dapp', DAPP);
  const dapp = await context.newPage();
  await dapp.goto(siteA.url('/dapp'));
  await connect(dapp, wallet);
  const key = await start(dapp, {
    method: 'stark_signOrder',
    params: [
      {
        market: 'LINK-USD',
        side: 'BUY',
        size: '10',
        price: '15',
        limitFee: '0.001',
        clientId: 'no-risk-factor',
        positionId: String(positionId),
        expiration: expiration(),
      },
    ],
  });
  const second = await wallet.approval();
  await expect(second.getByTestId('margin-not-verified')).toHaveText(
    /^Margin impact not shown: no risk factor for LINK-USD \(asset 0x[0-9a-f]{4}…\)\.$/,
    { timeout: 20_000 },
  );
  await expect(second.getByTestId('order-summary')).toContainText('Buy 10 LINK-USD at ≤ $15.00');
  await second.screenshot({ path: `${SCREENS}/approval-no-risk-factor.png`, fullPage: true });
  await second.getByTestId('approve').click();
  const signed = await outcome(dapp, key);
  expect(signed.result?.signature).toMatch(/^[0-9a-f]{128}$/);

  // (c) The operator posts a batch with a wrong positions root: the verifier halts, the approval says so.
  net.operator.misbehaviour.wrongPositionsRoot = true;
  await net.operator.closeBatch();
  await expect
    .poll(
      async () => {
        await extensionOp(dashboard, 'syncNow').catch(() => {});
        return (await extensionOp(dashboard, 'verifierOverview')).checkpoint?.halted?.failure ?? null;
      },
      { timeout: 240_000, intervals: [3_000] },
    )
    .toBe('root-mismatch');

  const haltedKey = await start(dapp, {
    method: 'stark_signOrder',
    params: [
      {
        market: 'ETH-USD',
        side: 'BUY',
        size: '0.01',
        price: (oracleUsd('ETH-USD') * 0.9).toFixed(1),
        limitFee: '0.001',
        clientId: 'halted',
        positionId: String(positionId),
        expiration: expiration(),
      },
    ],
  });
  const third = await wallet.approval();
  const banners = third.getByTestId('alarm-banner');
  await expect(banners.first()).toHaveText(/^Verifier halted: Wrong positions root at sequence \d+\./, {
    timeout: 20_000,
  });
  await expect(third.getByTestId('alarm-banners')).toContainText('Wrong positions root: Batch');
  await expect(third.getByTestId('margin-impact').locator('caption')).toContainText('before its verifier halted');
  await third.screenshot({ path: `${SCREENS}/approval-halted-banner.png`, fullPage: true });
  // A halt is a warning, not a refusal: the order can still be signed.
  await third.getByTestId('approve').click();
  expect((await outcome(dapp, haltedKey)).result?.signature).toMatch(/^[0-9a-f]{128}$/);
});
