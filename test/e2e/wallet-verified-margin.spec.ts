import type { Hex } from 'viem';
import { toTaggedJson } from '../../src/codec/tagged-json.js';
import { devnetDeployment } from '../../src/l1/deployment.js';
import { startExchangeDevnet, type ExchangeDevnet } from '../../devnet/exchange-devnet.js';
import { DAPP, connect, expect, extensionOp, start, test } from './fixtures.js';
import { equityOf, expectGaugeAndLiquidationLine, expectPopupGlance, expectPopupTabOrder } from './glance-checks.js';

/**
 * Issue 8, approval page: the margin impact comes from Vigil's verified state when it has one.
 * The wallet's position lives on the devnet; the verifier follows it; the approval of an order for
 * that position then shows total value, total risk, margin ratio and liquidation price before and
 * after, and checks the limit price against the verified oracle price.
 */
let net: ExchangeDevnet;
test.describe.configure({ mode: 'serial' });
test.beforeAll(async () => {
  net = await startExchangeDevnet({ bots: 0, port: null, seed: 11 });
});
test.afterAll(async () => {
  await net?.stop();
});

/** Not the devnet operator's 0.03: a figure that can only come from the settings form. */
const ETH_MMF = '0.1';

const ui = (page: import('@playwright/test').Page, type: string, op: string, args: Record<string, unknown>) =>
  extensionOp(page, op, args, type);

test('an order for a verified position shows its margin before and after', async ({
  context,
  extensionId,
  siteA,
  wallet,
}) => {
  test.setTimeout(120_000);
  const popup = await wallet.importPhrase(
    'legal winner thank year wave sausage worth useful legal winner thank yellow',
    'verified margin password',
  );
  const account = (await ui(popup, 'vigil/op', 'status', {})).account as { address: string; starkKey: string };
  const { positionId } = await net.operator.onboard(BigInt(account.starkKey), account.address as Hex);
  await net.operator.closeBatch(); // the deposit is credited in a verified batch

  // Follow the devnet and give Vigil the deployment's risk configuration.
  const exit = await context.newPage();
  await exit.goto(`chrome-extension://${extensionId}/ui/exit.html`);
  const deployment = devnetDeployment({ ...net.deployment, chainId: net.deployment.chain.id, firstBlock: 0n });
  await ui(exit, 'vigil/op', 'syncConfigure', {
    settings: toTaggedJson({
      deployment,
      initialSharedState: net.deployment.initialSharedState,
      rpcUrls: [net.anvil.rpcUrl],
      periodMinutes: 0.5,
    }),
  });
  await ui(exit, 'vigil/op', 'exitConfigure', { settings: toTaggedJson({ positionId }) });
  // The risk parameters from the dashboard's settings form (issue 17): this deployment ships none,
  // so ETH-USD's maintenance margin fraction typed there is the one approval uses.
  const dashboard = await context.newPage();
  await dashboard.goto(`chrome-extension://${extensionId}/ui/dashboard.html`);
  await dashboard.getByTestId('settings').click();
  const risk = dashboard.getByTestId('risk-form');
  await expect(risk.getByTestId('risk-source')).toHaveText('In use: none configured (margin figures are not shown)');
  await risk.locator('[data-testid=risk-row][data-market="ETH-USD"]').getByTestId('risk-mine').fill(ETH_MMF);
  await risk.getByTestId('save-risk').click();
  await expect(risk.getByTestId('risk-source')).toHaveText('In use: your values');
  await expect(exit.getByTestId('margin-view')).toBeVisible({ timeout: 45_000 });

  // Issue 17, the popup at a glance: the batch Vigil verified (the devnet posts batches only on
  // closeBatch here, so it is the operator's last) and the equity src/risk computes for the
  // position in that batch's committed state.
  const ledger = net.operator.exchange.ledger;
  await expectPopupGlance(popup, {
    deploymentName: deployment.name,
    batchId: net.operator.batches.at(-1)!.batchId,
    equity: equityOf(ledger.position(positionId), ledger.committed),
    positions: /^No open position: collateral only\.$/,
  });
  await expectPopupTabOrder(context, popup);

  siteA.setPage('/dapp', DAPP);
  const page = await context.newPage();
  await page.goto(siteA.url('/dapp'));
  await connect(page, wallet);
  const expiration = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000 + 10 * 86_400_000).toISOString();
  await start(page, {
    method: 'stark_signOrder',
    params: [
      {
        market: 'ETH-USD',
        side: 'BUY',
        size: '1',
        price: '1000',
        limitFee: '0.001',
        clientId: 'verified-margin',
        positionId: String(positionId),
        expiration,
      },
    ],
  });
  const approval = await wallet.approval();
  const impact = approval.getByTestId('margin-impact');
  await expect(impact).toBeVisible({ timeout: 20_000 });
  await expect(approval.getByTestId('margin-not-verified')).toHaveCount(0);
  // The verified oracle price is known now: the "no verified price" warning is gone.
  await expect(approval.getByTestId('warnings')).not.toContainText('No verified oracle price');
  // Before: the deposit, no risk. After buying 1 ETH: more value at the verified oracle price, some risk.
  const cells = async (label: string) =>
    (await impact.locator('tr', { hasText: label }).locator('td').allInnerTexts()).map((t) =>
      Number(t.replace('−', '-').replace(/[$,]/g, '')),
    );
  const [tvBefore, tvAfter] = await cells('Total value');
  const [trBefore, trAfter] = await cells('Total risk');
  expect(tvBefore).toBeGreaterThan(0);
  expect(tvAfter).not.toBe(tvBefore);
  expect(trBefore).toBe(0);
  expect(trAfter).toBeGreaterThan(0);
  // Total risk after = 1 ETH at the oracle price × the fraction saved in Settings. The oracle price
  // is the value gained: total value after − before = price − 1000 USDC paid − the fee (≤ 1 USDC).
  const price = tvAfter! - tvBefore! + 1000;
  expect(trAfter! / price).toBeGreaterThan(Number(ETH_MMF) * 0.99);
  expect(trAfter! / (price + 1)).toBeLessThan(Number(ETH_MMF) * 1.01);
  // Issue 17: the gauge (before: no risk held; after: the table's ratio) and the liquidation sentence.
  await expectGaugeAndLiquidationLine(approval);
  await expect(approval.getByTestId('liquidation-line')).toHaveText(
    'After the order, no ETH-USD price (other prices held) makes the position liquidatable.',
  );

  // A large short at the oracle price: the liquidation price is a figure, above the oracle price.
  await approval.getByTestId('reject').click();
  const oracle = Number(net.operator.exchange.priceUsd(net.operator.exchange.markets.get('ETH-USD')!));
  await start(page, {
    method: 'stark_signOrder',
    params: [
      {
        market: 'ETH-USD',
        side: 'SELL',
        size: '100',
        price: oracle.toFixed(1),
        limitFee: '0.001',
        clientId: 'verified-margin-short',
        positionId: String(positionId),
        expiration,
      },
    ],
  });
  const short = await wallet.approval();
  await expect(short.getByTestId('liquidation-line')).toHaveText(
    /^Liquidation at \$[\d,]+\.\d\d, [\d.]+ % above the oracle price \$[\d,]+\.\d\d\.$/,
    { timeout: 20_000 },
  );
  await expectGaugeAndLiquidationLine(short);
  await short.screenshot({ path: 'test-results/screens/approval-gauge.png', fullPage: true });
});

test('an order for a position Vigil has not verified says so', async ({ context, siteA, wallet }) => {
  siteA.setPage('/dapp', DAPP);
  await wallet.importPhrase(
    'test test test test test test test test test test test junk',
    'unverified margin password',
  );
  const page = await context.newPage();
  await page.goto(siteA.url('/dapp'));
  await connect(page, wallet);
  const expiration = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000 + 10 * 86_400_000).toISOString();
  await start(page, {
    method: 'stark_signOrder',
    params: [
      {
        market: 'ETH-USD',
        side: 'BUY',
        size: '1',
        price: '1000',
        limitFee: '0.001',
        clientId: 'unverified',
        positionId: '7',
        expiration,
      },
    ],
  });
  const approval = await wallet.approval();
  await expect(approval.getByTestId('margin-not-verified')).toContainText('Not verified yet');
});
