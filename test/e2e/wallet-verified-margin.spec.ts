import type { Hex } from 'viem';
import { toTaggedJson } from '../../src/codec/tagged-json.js';
import { devnetDeployment } from '../../src/l1/deployment.js';
import { startExchangeDevnet, type ExchangeDevnet } from '../../devnet/exchange-devnet.js';
import { DEFAULT_MARKETS, riskParamsOf } from '../../devnet/operator/config.js';
import { DAPP, connect, expect, extensionOp, openSettings, start, test } from './fixtures.js';
import { equityOf, expectGaugeAndLiquidationLine, expectPopupGlance, expectPopupTabOrder } from './glance-checks.js';
import { marginFigures } from '../../extension/ui/exit/figures.js';
import { decodeForcedTradeOffer } from '../../src/exit/forced-trade-offer.js';
import { stressView } from '../../src/exit/stress-view.js';
import { dydxMarketTable } from '../../src/messages/dydx-markets.js';
import { readOffer, signOfferForm } from '../helpers/exit-page.js';

/**
 * Issue 8, approval page: the margin impact comes from Vigil's verified state when it has one.
 * The wallet's position lives on the devnet; the verifier follows it; the approval of an order for
 * that position then shows total value, total risk, margin ratio and liquidation price before and
 * after, and checks the limit price against the verified oracle price.
 */
let net: ExchangeDevnet;
test.describe.configure({ mode: 'serial' });
test.beforeAll(async () => {
  net = await startExchangeDevnet({ bots: 2, port: null, seed: 11 }); // bots act only when stepped (the exit page test)
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
  await openSettings(dashboard);
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

/**
 * Issue 17, the exit page for people, on the same devnet: reached from the popup's link; the
 * picker offers the wallet's verified position and refuses a bad typed id naming the field, the
 * text and the range; a typed id shows that position (a bot's, holding synthetics) with figures
 * equal to src/risk's on the batch Vigil verified, formatted by the one formatter; the stress view
 * moved by a typed price and by the slider shows src/risk's figures for the moved state; party B's
 * forced-trade form refuses a bad field, produces an offer, and the offer pasted back is read with
 * its signer checked against L1.
 */
test('the exit page: picker, figures equal to src/risk, stress view, forced-trade form round trip', async ({
  context,
  wallet,
}) => {
  test.setTimeout(150_000);
  await net.operator.closeBatch(); // the bots' deposits credited (when this test runs alone)
  // The bots trade until one of them holds a synthetic (their orders match at random: 40 steps
  // once left both flat in CI).
  const holds = (b: { positionId: bigint }) => net.operator.exchange.ledger.position(b.positionId).assets.length > 0;
  for (let i = 0; i < 2_000 && !net.operator.bots!.bots.some(holds); i++) net.operator.bots!.step();
  const popup = await wallet.importPhrase(
    'letter advice cage absurd amount doctor acoustic avoid letter advice cage above',
    'exit page password',
  );
  const account = (await ui(popup, 'vigil/op', 'status', {})).account as { address: string; starkKey: string };
  const { positionId } = await net.operator.onboard(BigInt(account.starkKey), account.address as Hex);
  await net.operator.closeBatch();
  const last = net.operator.batches.at(-1)!;

  // Reachable from the popup.
  const opened = context.waitForEvent('page');
  await popup.getByTestId('exit-link').click();
  const exit = await opened;
  await exit.waitForLoadState();
  expect(exit.url()).toMatch(/\/ui\/exit\.html$/);
  const deployment = devnetDeployment({ ...net.deployment, chainId: net.deployment.chain.id, firstBlock: 0n });
  await ui(exit, 'vigil/op', 'syncConfigure', {
    settings: toTaggedJson({
      deployment,
      initialSharedState: net.deployment.initialSharedState,
      rpcUrls: [net.anvil.rpcUrl],
      periodMinutes: 0.5,
    }),
  });
  const riskParams = riskParamsOf(DEFAULT_MARKETS);
  await ui(exit, 'vigil/op', 'exitConfigure', { settings: toTaggedJson({ riskParams }) });
  await exit.reload();
  await expect(exit.getByTestId('basis')).toContainText(`sequence ${last.sequenceNumber}`, { timeout: 60_000 });
  // The picker: the wallet's own verified position, shown by default.
  await expect(exit.getByTestId('margin-view').locator('h2')).toHaveText(`Position ${positionId}`);
  await expect(
    exit.getByTestId('position-select').locator('option', { hasText: 'your stark key, in the verified tree' }),
  ).toHaveText(`${positionId} (your stark key, in the verified tree)`);
  await exit.getByTestId('position-id').fill('12x');
  await exit.getByTestId('position-show').click();
  await expect(exit.getByTestId('position-picker').getByTestId('error')).toHaveText(
    'positionId: "12x" is out of range; expected an integer 0 <= positionId < 2^64',
  );

  // A bot's position, typed: its figures equal src/risk's on the verified batch's state.
  const bot = net.operator.bots!.bots.find(holds)!;
  const ledger = net.operator.exchange.ledger;
  const position = ledger.position(bot.positionId);
  expect(position.assets.length).toBeGreaterThan(0);
  const input = {
    positionId: bot.positionId,
    position,
    sharedState: ledger.committed,
    riskParams,
    basis: { batchId: last.batchId, sequenceNumber: last.sequenceNumber, blockNumber: last.blockNumber },
  };
  await exit.getByTestId('position-id').fill(String(bot.positionId));
  await exit.getByTestId('position-show').click();
  await expect(exit.getByTestId('margin-view').locator('h2')).toHaveText(`Position ${bot.positionId}`);
  const want = marginFigures(stressView({ ...input, moves: [] }).view);
  const view = exit.getByTestId('margin-view');
  await expect(view.getByTestId('total-value')).toHaveText(want.totalValue);
  await expect(view.getByTestId('total-risk')).toHaveText(want.totalRisk);
  await expect(view.getByTestId('margin-ratio')).toHaveText(want.marginRatio);
  await expect(view.getByTestId('collateral')).toHaveText(want.collateral);
  await expect(view.getByTestId('max-withdrawal')).toHaveText(want.maxWithdrawal);
  await expect(view.getByTestId('liquidation-price')).toHaveText(want.synthetics.map((s) => s.liquidationPrice));
  expect(want.collateral).toMatch(/^−?\d{1,3}(,\d{3})+\.\d{2,6}$/); // grouped in thousands

  // Stress: the market the bot holds, moved by a typed price, then by the slider.
  const market = Object.values(dydxMarketTable(1).markets).find(
    (m) => m.syntheticAssetId === position.assets[0]!.assetId,
  )!.market;
  await exit.getByTestId('stress-view').locator('summary').click();
  const row = exit.locator(`[data-testid="stress-market"][data-market="${market}"]`);
  const verified = Number((await row.getByTestId('stress-price').inputValue()).replace(/,/g, ''));
  const typed = String(Math.round(verified * 0.8));
  await row.getByTestId('stress-price').fill(typed);
  await row.getByTestId('stress-price').blur();
  await expect(row).toHaveAttribute('data-moved', 'true');
  const typedWant = marginFigures(stressView({ ...input, moves: [{ market, priceUsd: typed }] }).view);
  await expect(exit.getByTestId('stress-margin-ratio')).toHaveText(typedWant.marginRatio);
  await expect(exit.getByTestId('stress-total-value')).toHaveText(typedWant.totalValue);
  await expect(exit.getByTestId('stress-total-risk')).toHaveText(typedWant.totalRisk);
  await expect(exit.getByTestId('stress-max-withdrawal')).toHaveText(typedWant.maxWithdrawal);
  await expect(exit.getByTestId('stress-liquidation-price')).toHaveText(
    typedWant.synthetics.map((s) => s.liquidationPrice),
  );
  expect(typedWant.marginRatio).not.toBe(want.marginRatio);
  await row.getByTestId('stress-slider').fill('25');
  await expect(row.getByTestId('stress-move')).toHaveText('+25.0 %');
  const slid = marginFigures(stressView({ ...input, moves: [{ market, movePercent: '25' }] }).view);
  await expect(exit.getByTestId('stress-margin-ratio')).toHaveText(slid.marginRatio);
  await expect(exit.getByTestId('stress-total-value')).toHaveText(slid.totalValue);
  // The current figures above did not move.
  await expect(view.getByTestId('margin-ratio')).toHaveText(want.marginRatio);

  // Party B (this wallet) offers a forced trade to party A (the bot) through the form.
  const fields = {
    starkKeyA: `0x${bot.keys.publicKey.toString(16)}`,
    positionIdA: String(bot.positionId),
    positionIdB: String(positionId),
    market: 'ETH-USD',
    direction: 'a-sells',
    amountSynthetic: '0.25',
  } as const;
  await signOfferForm(exit, { ...fields, amountCollateral: '0' });
  await expect(exit.getByTestId('offer-form').getByTestId('error')).toHaveText(
    'amountCollateral: "0" is out of range; expected a USDC amount > 0 with at most 6 decimals, below 18446744073709.551616 USDC',
  );
  await signOfferForm(exit, { ...fields, amountCollateral: '1,250.5' });
  const text = (await exit.getByTestId('offer-text').textContent({ timeout: 20_000 }))!;
  const offer = decodeForcedTradeOffer(text);
  const eth = dydxMarketTable(1).markets['ETH-USD']!;
  expect(offer.trade).toMatchObject({
    starkKeyA: bot.keys.publicKey,
    starkKeyB: BigInt(account.starkKey),
    positionIdA: bot.positionId,
    positionIdB: positionId,
    syntheticAssetId: eth.syntheticAssetId,
    amountSynthetic: 25n * 10n ** BigInt(eth.resolution - 2),
    amountCollateral: 1_250_500_000n,
    aIsBuyingSynthetic: false,
  });
  // Pasted back as party A would: the signer is the Ethereum key L1 registered for party B's stark key.
  await exit.getByTestId('offer-submit').locator('summary').click();
  await readOffer(exit, text, account.address);
  // Only party A's wallet submits it: this one is party B.
  await exit.getByTestId('offer-start').click();
  await expect(exit.getByTestId('offer-submit').getByTestId('error')).toHaveText('This offer names another party A.');

  // The picker back to the wallet's own position, chosen from the list: the page shows it again.
  await exit.getByTestId('position-select').selectOption(String(positionId));
  await expect(exit.getByTestId('margin-view').locator('h2')).toHaveText(`Position ${positionId}`);
  await expect(exit.getByTestId('margin-view').getByTestId('collateral')).toHaveText('100,000.00');
});
