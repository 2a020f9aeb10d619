import type { BrowserContext, Page } from '@playwright/test';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Hex } from 'viem';
import { fromTagged } from '../../src/codec/tagged-json.js';
import { collateralQuantaOf } from '../../src/exit/collateral-amount.js';
import { eth, usdc, usdcFigure } from '../../extension/ui/format.js';
import { startExchangeDevnet, type ExchangeDevnet } from '../../devnet/exchange-devnet.js';
import { configureVigil } from '../../scripts/configure-vigil.mjs';
import type { TestSite } from '../helpers/static-server.js';
import { exitFlow as flow, sendExitStep as sendStep } from '../helpers/exit-page.js';
import {
  DAPP,
  call,
  connect,
  expect,
  extensionOp,
  launchWithExtension,
  outcome,
  sendExtensionOp,
  start,
  test,
  walletDriver,
} from './fixtures.js';

/**
 * Issue 17, the newcomer's path, one serial walk through the screens a user of `npm start` sees:
 * the devnet with Vigil configured by npm start's own code (scripts/configure-vigil.mjs) → create a
 * wallet in the onboarding tab → connect on the demo page → two orders, each approval showing its
 * margin impact from verified state → a forced withdrawal the operator ignores → time moved with
 * `npm run devnet -- advance-time` → the freeze, behind its warning (an order waiting for approval
 * is then refused, and new ones get 4100: approval-frozen's assertions, folded in here) →
 * verifyEscape → the browser restarted (the lock screen; the exit flow resumes) → escape → withdraw,
 * the address's L1 USDC growing by exactly the escape amount the exit page showed. It also carries
 * what exit-escape's censored-withdrawal test checked (the refused amounts, the freeze sheet, the
 * escape file of Vigil's own tree, the resume after a restart), folded in here to keep e2e time.
 *
 * Every page it visits is saved to test-results/screenshots/<name>.png (outside Playwright's
 * output dir, which is emptied on each run); README "Using Vigil" describes them. Regenerate with
 * `npm run build && npx playwright test test/e2e/newcomer.spec.ts` (the full path: a bare
 * "newcomer" also matches any checkout whose directory name contains it).
 */
const SHOTS = 'test-results/screenshots';
const PASSWORD = 'newcomer password';

let net: ExchangeDevnet;
/** The browser of the walk, once restarted. */
let current: BrowserContext | undefined;
test.describe.configure({ mode: 'serial' });
test.beforeAll(async () => {
  // npm start's exchange (devnet/start.ts), with one bot and quicker batches so the walk is short.
  net = await startExchangeDevnet({ bots: 1, batchIntervalMs: 2000, botIntervalMs: 400, port: 0 });
  mkdirSync(SHOTS, { recursive: true });
});
test.afterAll(async () => {
  await net?.stop();
});

/** An element's text as shown, trimmed. */
const text = (t: string | null) => (t ?? '').trim();
const shot = (page: Page, name: string) => page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
const oracleUsd = (market: string) =>
  Number(net.operator.exchange.priceUsd(net.operator.exchange.markets.get(market)!));
/** "$1,234.50" / "−$3.20" → number. */
const money = (s: string) => Number(s.replace('−', '-').replace(/[$,%+\s]/g, ''));
/** The exit page's USDC figure ("99,999.60088": grouped, 0–6 decimals, > 0) → collateral quanta. */
const quantaOf = (figure: string) => collateralQuantaOf(figure, 6, 'figure');
const expiration = () => new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000 + 10 * 86_400_000).toISOString();
const order = (clientId: string, positionId: string) => ({
  method: 'stark_signOrder',
  params: [
    {
      market: 'ETH-USD',
      side: 'BUY',
      size: '0.1',
      price: '1500',
      limitFee: '0.001',
      clientId,
      positionId,
      expiration: expiration(),
    },
  ],
});

async function marginCells(approval: Page, row: string) {
  return approval.getByTestId(`margin-${row}`).locator('td').allInnerTexts();
}

/** Clicks Approve until the window closes (the button disarms while the window lacks focus). */
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

/** The dashboard's line for the wallet's position once Vigil has verified it with `assets` synthetic assets. */
async function verifiedOwnPosition(dashboard: Page, assets: number) {
  const own = dashboard.getByTestId('own-position').first();
  await expect
    .poll(
      async () => {
        await dashboard
          .getByTestId('sync-now')
          .click({ timeout: 5_000 })
          .catch(() => undefined);
        return (await own.isVisible()) ? ((await own.textContent()) ?? '') : '';
      },
      { timeout: 120_000, intervals: [1_000] },
    )
    .toMatch(
      new RegExp(
        `^Position \\d+: collateral −?[\\d,]+\\.\\d+ USDC, ${assets} asset\\(s\\) — ✓ leaf and Merkle path hash`,
      ),
    );
  return own;
}

test('a newcomer: create a wallet, connect, two orders with margin impact, an ignored forced withdrawal, time, freeze, escape across a browser restart, withdraw', async ({
  siteA,
}) => {
  test.setTimeout(480_000);
  // A profile of its own, kept across the browser restart before the escape.
  const profile = mkdtempSync(join(tmpdir(), 'vigil-newcomer-'));
  const { context, extensionId } = await launchWithExtension(profile);
  current = undefined;
  try {
    await walk(context, extensionId, profile, siteA);
  } finally {
    await (current ?? context).close();
    rmSync(profile, { recursive: true, force: true });
  }
});

async function walk(launched: BrowserContext, extensionId: string, profile: string, siteA: TestSite) {
  let context = launched;
  const wallet = walletDriver(context, extensionId);
  const ui = `chrome-extension://${extensionId}/ui`;

  // npm start's configuration: the dashboard follows the devnet (the same code npm start runs).
  const dashboard = await context.newPage();
  expect((await configureVigil(dashboard, extensionId, net.vigilSettings()))?.ok).toBe(true);
  await expect(dashboard.locator('h2').first()).toContainText('Vigil devnet');

  // Onboarding: the tab Vigil opens on install; a new wallet, its phrase hidden until the checklist.
  await expect
    .poll(() => context.pages().some((p) => p.url() === `${ui}/onboarding.html`), { timeout: 15_000 })
    .toBe(true);
  const onboarding = context.pages().find((p) => p.url() === `${ui}/onboarding.html`)!;
  await expect(onboarding.getByTestId('onboarding-tab')).toContainText('Create a new wallet');
  await shot(onboarding, '01-onboarding');
  await onboarding.getByTestId('create-wallet').click();
  await expect(onboarding.getByTestId('mnemonic-hidden')).toHaveText('12 words, hidden');
  await expect(onboarding.getByTestId('reveal-phrase')).toBeDisabled();
  for (const i of [1, 2, 3]) await onboarding.getByTestId(`never-share-${i}`).check();
  await shot(onboarding, '02-onboarding-checklist');
  await onboarding.getByTestId('reveal-phrase').click();
  const words = await onboarding.getByTestId('mnemonic').locator('li').allInnerTexts();
  expect(words).toHaveLength(12);
  await onboarding.getByTestId('mnemonic-written').click();
  for (const input of await onboarding.locator('[data-testid^=confirm-word-]').all()) {
    const n = Number((await input.getAttribute('data-testid'))!.slice('confirm-word-'.length));
    await input.fill(words[n - 1]!);
  }
  await onboarding.getByTestId('new-password').fill(PASSWORD);
  await onboarding.getByTestId('repeat-password').fill(PASSWORD);
  await shot(onboarding, '03-onboarding-confirm');
  await onboarding.getByTestId('finish-create').click();
  await expect(onboarding.getByTestId('onboarding-done')).toContainText('Your wallet is set up.', { timeout: 20_000 });
  const starkKey = text(await onboarding.getByTestId('stark-key').textContent());
  const address = text(await onboarding.getByTestId('address').textContent()) as Hex;
  expect(starkKey).toMatch(/^0x[0-9a-f]{1,64}$/);
  expect(address).toMatch(/^0x[0-9a-fA-F]{40}$/);
  await shot(onboarding, '04-onboarding-done');

  // The toolbar popup shows the same account.
  const popup = await wallet.popup();
  await expect(popup.getByTestId('unlocked')).toBeVisible();
  await expect(popup.getByTestId('stark-key')).toHaveText(starkKey);
  await expect(popup.getByTestId('address')).toHaveText(address);
  await shot(popup, '05-popup');

  // The demo page: Connect (approval window) → the operator registers the key and deposits 100 000 USDC.
  const demo = await context.newPage();
  await demo.goto(net.server!.url);
  await demo.getByTestId('connect').click();
  const connecting = await wallet.approval();
  await expect(connecting.getByTestId('request-method')).toHaveText('stark_requestAccounts');
  await expect(connecting.getByTestId('request-origin')).toContainText(new URL(net.server!.url).host);
  await shot(connecting, '06-approval-connect');
  await approveUntilClosed(connecting);
  await expect(demo.getByTestId('account-usdc-balance')).toHaveText('100000.000000', { timeout: 90_000 });

  // The dashboard: Vigil verified the deposit in its own tree of positions.
  await dashboard.bringToFront();
  const own = await verifiedOwnPosition(dashboard, 0);
  await expect(own).toContainText('collateral 100,000.00 USDC,');
  await dashboard.reload(); // the connected sites are read when the page opens
  await expect(dashboard.getByTestId('sites')).toContainText(new URL(net.server!.url).origin);
  const positionId = (await own.getAttribute('data-position'))!;
  await expect(dashboard.getByTestId('sync-phase')).not.toHaveText('');
  expect(Number(text(await dashboard.getByTestId('verified-seq').textContent()))).toBeGreaterThan(0);
  await shot(dashboard, '07-dashboard');

  // Order 1: buy 0.01 ETH. The approval shows the margin impact from the verified deposit.
  await expect
    .poll(() => net.operator.exchange.books.get('ETH-USD')!.asks.length, { timeout: 20_000 })
    .toBeGreaterThan(0);
  await demo.bringToFront();
  await demo.getByTestId('order-side').selectOption('BUY');
  await demo.getByTestId('order-size').fill('0.01');
  await demo.getByTestId('order-price').fill((oracleUsd('ETH-USD') * 1.03).toFixed(1));
  await demo.getByTestId('place-order').click();
  const first = await wallet.approval();
  await expect(first.getByTestId('margin-impact')).toBeVisible({ timeout: 20_000 });
  await expect(first.getByTestId('margin-not-verified')).toHaveCount(0);
  await expect(first.getByTestId('order-summary')).toHaveText(/^Buy 0\.01 ETH-USD at ≤ \$[\d,]+\.\d\d?, max fee/);
  {
    const [tvBefore = 0] = (await marginCells(first, 'total-value')).map(money);
    const [trBefore = -1, trAfter = 0] = (await marginCells(first, 'total-risk')).map(money);
    expect(tvBefore).toBe(100_000); // the deposit, nothing else yet
    expect(trBefore).toBe(0);
    expect(trAfter).toBeCloseTo(0.01 * oracleUsd('ETH-USD') * 0.03, 0); // the devnet's 3% risk factor
  }
  await shot(first, '08-approval-order-1');
  await first.getByTestId('approve').click();
  await expect(demo.getByTestId('order-status')).toHaveAttribute('data-status', 'FILLED', { timeout: 20_000 });

  // Order 2, after Vigil verified the fill: a large short resting above the market (approval-risk (a)'s figures).
  await dashboard.bringToFront();
  await verifiedOwnPosition(dashboard, 1);
  await demo.bringToFront();
  await demo.getByTestId('order-side').selectOption('SELL');
  await demo.getByTestId('order-size').fill('60');
  await demo.getByTestId('order-price').fill((oracleUsd('ETH-USD') * 1.02).toFixed(1));
  await demo.getByTestId('place-order').click();
  const second = await wallet.approval();
  await expect(second.getByTestId('margin-impact')).toBeVisible({ timeout: 20_000 });
  await expect(second.getByTestId('margin-not-verified')).toHaveCount(0);
  await expect(second.getByTestId('order-summary')).toHaveText(
    /^Sell 60 ETH-USD at ≥ \$[\d,]+\.\d\d?, max fee \$[\d,.]+, expires \d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d UTC$/,
  );
  {
    const [tvBefore = 0, tvAfter = 0] = (await marginCells(second, 'total-value')).map(money);
    const [trBefore = 0, trAfter = 0] = (await marginCells(second, 'total-risk')).map(money);
    const [liqBefore, liqAfter] = await marginCells(second, 'liquidation-price');
    expect(tvBefore).toBeGreaterThan(99_000);
    expect(trBefore).toBeCloseTo(0.01 * oracleUsd('ETH-USD') * 0.03, 0);
    expect(trAfter).toBeGreaterThan(trBefore * 1000);
    expect(tvAfter).toBeGreaterThan(tvBefore); // sold 2% above the verified oracle price, less the fee
    expect(liqBefore).toBe('—');
    expect(money(liqAfter!)).toBeGreaterThan(oracleUsd('ETH-USD'));
    const [, distanceAfter] = await marginCells(second, 'liquidation-distance');
    expect(distanceAfter).toMatch(/^\+[\d,.]+ %$/);
  }
  await expect(second.locator('p.error')).toHaveCount(0);
  await expect(second.getByTestId('risk-source')).toHaveText(
    "Risk factors: the deployment's published market parameters.",
  );
  await shot(second, '09-approval-order-2');
  await second.getByTestId('approve').click();
  await expect(demo.getByTestId('order-status')).toHaveAttribute('data-status', /OPEN|FILLED|PARTIALLY_FILLED/, {
    timeout: 20_000,
  });

  // The exit page: the margin view from the last verified batch.
  const exit = await context.newPage();
  await exit.goto(`${ui}/exit.html`);
  await expect(exit.getByTestId('margin-view')).toBeVisible({ timeout: 45_000 });
  await expect(exit.getByTestId('margin-view').locator('h2')).toHaveText(`Position ${positionId}`);
  await expect(exit.getByTestId('grace-period')).toHaveText('14d 0h 0m 0s');
  await expect(exit.getByTestId('synthetic').first()).toContainText('ETH-USD');
  await shot(exit, '10-exit-margin');

  // The operator now ignores forced requests (the admin switch README "Rehearsing a freeze" gives).
  const admin = await fetch(`${net.server!.url}/admin/misbehaviour`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ignoreForcedActions: true }),
  });
  expect(admin.status).toBe(200);

  // The amount is typed in USDC; text that is not an amount, or more than the position can pay, is
  // refused with the reason, and nothing is sent.
  const nonce = await net.operator.l1.rpc<Hex>('eth_getTransactionCount', [address, 'latest']);
  for (const bad of ['abc', '', '1.0000001']) {
    await exit.getByTestId('fw-amount').fill(bad);
    await exit.getByTestId('fw-plan').click();
    await expect(exit.getByTestId('fw-refused')).toHaveText(
      `amount: ${JSON.stringify(bad)} is out of range; expected a USDC amount > 0 with at most 6 decimals, below 18446744073709.551616 USDC`,
    );
  }
  const max = quantaOf(text(await exit.getByTestId('max-withdrawal').textContent()));
  await exit.getByTestId('fw-amount').fill(usdc(max + 1_000_000n)); // 1 USDC more than the largest valid one
  await exit.getByTestId('fw-plan').click();
  await expect(exit.getByTestId('fw-refused')).toContainText(`forced withdrawal of ${max + 1_000_000n}: `);
  await expect(exit.getByTestId('fw-start')).toHaveCount(0);
  expect(await net.operator.l1.rpc<Hex>('eth_getTransactionCount', [address, 'latest'])).toBe(nonce);

  // The safe amount (Safe fills it in), premium; its transaction sheet shown before sending.
  // (A new verified batch every 2 s moves the figure with the oracle: compare within one view.)
  await expect
    .poll(async () => {
      await exit.getByTestId('fw-safe').click();
      const safe = text(await exit.getByTestId('safe-withdrawal').textContent());
      return quantaOf(safe) > 0n && (await exit.getByTestId('fw-amount').inputValue()) === safe;
    })
    .toBe(true);
  await exit.getByTestId('fw-premium').check();
  await exit.getByTestId('fw-plan').click();
  await expect(exit.getByTestId('fw-gas')).toHaveText(/^\d+$/, { timeout: 30_000 });
  await expect(exit.getByTestId('fw-preview').getByTestId('tx-effect')).toHaveText(
    /^forcedWithdrawalRequest: Asks the exchange on L1 to pay this amount out of your position/,
  );
  await expect(exit.getByTestId('fw-preview').getByTestId('tx-from')).toHaveText(address);
  await expect(exit.getByTestId('fw-preview').getByTestId('tx-balance')).toHaveText(/ ETH — enough$/); // Connect's 10 test ETH
  await shot(exit, '11-exit-forced-withdrawal');
  await exit.getByTestId('fw-start').click();
  await sendStep(exit, 'forced-request', 'tracking');
  // Batches go by without it: the countdown to the freeze runs on L1 time.
  const countdown = flow(exit).getByTestId('countdown');
  await expect(countdown).toHaveText(
    /^Freeze possible in 1[34]d \d+h \d+m \d+s \(grace period read from the chain\)$/,
    {
      timeout: 60_000,
    },
  );
  await shot(exit, '12-exit-waiting');
  // The popup counts the request against the contract's grace period, once a sync has read it.
  const pendingLine = async () => {
    await dashboard
      .getByTestId('sync-now')
      .click({ timeout: 5_000 })
      .catch(() => undefined);
    await popup.reload();
    return (await popup.getByTestId('glance-pending').textContent({ timeout: 5_000 })) ?? '';
  };
  await expect
    .poll(pendingLine, { timeout: 90_000, intervals: [1_000] })
    .toMatch(
      /^1 forced request pending, the oldest \d+ (s|min)( \d+ s)? old; freeze possible in 13 d 23 h \(grace period 14 d\)\.$/,
    );

  // Time moved: the command npm start prints.
  const { stdout } = await promisify(execFile)('npm', [
    'run',
    '--silent',
    'devnet',
    '--',
    'advance-time',
    '--api',
    net.server!.url,
  ]);
  const { advanced } = JSON.parse(stdout) as { advanced: Record<string, string | number> };
  expect(Number(advanced.seconds)).toBe(14 * 86_400 + 60); // the contract's grace period + 60 s
  expect(Number(BigInt(advanced.toTimestamp!)) - Number(BigInt(advanced.fromTimestamp!))).toBeGreaterThanOrEqual(
    14 * 86_400 + 60,
  );

  // The dashboard raises the alarm for the wallet's own unserved request (its key is always watched).
  await dashboard.bringToFront();
  await expect
    .poll(
      async () => {
        await dashboard
          .getByTestId('sync-now')
          .click({ timeout: 5_000 })
          .catch(() => undefined);
        return dashboard.getByTestId('alarm-banner').allInnerTexts();
      },
      { timeout: 90_000, intervals: [1_000] },
    )
    .toContainEqual(expect.stringMatching(new RegExp(`Your forced withdrawal for position ${positionId} `)));
  await shot(dashboard, '13-dashboard-alarm');
  // The popup counts on L1 time too: the grace period is over there, as the alarm says.
  await expect
    .poll(pendingLine, { timeout: 30_000, intervals: [1_000] })
    .toMatch(/^1 forced request pending, the oldest 14 d old; grace period of 14 d over: a freeze can be requested\.$/);
  // The dashboard's alarm box leads to the exit page (issue 17).
  const exitLink = dashboard.getByTestId('alarm-banner').getByTestId('exit-link');
  await expect(exitLink).toHaveText('Open the exit page');
  const [linked] = await Promise.all([context.waitForEvent('page'), exitLink.click()]);
  await linked.waitForLoadState();
  expect(linked.url()).toMatch(/\/ui\/exit\.html$/);
  await linked.close();

  // A dapp's order is waiting for approval when the exchange freezes (approval-frozen, folded in).
  siteA.setPage('/dapp', DAPP);
  const dapp = await context.newPage();
  await dapp.goto(siteA.url('/dapp'));
  await connect(dapp, wallet);
  const waiting = await start(dapp, order('before-freeze', positionId));
  const approval = await wallet.approval();
  await expect(approval.getByTestId('approve')).toBeVisible();
  await expect(approval.getByTestId('refusal')).toHaveCount(0);

  // The freeze: its sheet says what it does; Send stays disabled until the warning is ticked.
  await exit.bringToFront();
  await exit.getByTestId('exit-refresh').click();
  await expect(flow(exit).getByTestId('step-send')).toHaveAttribute('data-tx', 'freeze', { timeout: 30_000 });
  await expect(flow(exit).getByTestId('tx-effect')).toHaveText(
    'freezeRequest: Freezes the exchange for everyone, for good: no more trading, deposits or normal withdrawals; users can only escape with a proof of their position.',
    { timeout: 30_000 },
  );
  await expect(flow(exit).getByTestId('tx-from')).toHaveText(address);
  const balance = await net.operator.l1.rpc<Hex>('eth_getBalance', [address, 'latest']).then(BigInt);
  await expect(flow(exit).getByTestId('tx-balance')).toHaveText(`${eth(balance)} ETH — enough`);
  await expect(flow(exit).getByTestId('freeze-warning')).toContainText(
    'I understand: freezing halts the exchange for every user, for good.',
  );
  await expect(flow(exit).getByTestId('step-send')).toBeDisabled();
  await shot(exit, '14-exit-freeze-warning');
  // Ticks the warning, then sends. The escape is prepared as soon as Vigil has verified L1's last
  // state: a sync is asked for at once (it once waited for the next period, ~30 s).
  await sendStep(exit, 'freeze', 'verify-escape', 20_000);
  await expect(exit.getByTestId('frozen')).toContainText('The exchange is frozen: only the escape remains.', {
    timeout: 30_000,
  });

  // The waiting order is refused, with the reason on screen and to the dapp; a new one gets 4100.
  await expect(approval.getByTestId('refusal')).toHaveText(
    /^Vigil does not sign orders now: Vigil devnet \(chain \d+\) is frozen .*: it processes no more orders, withdrawals or transfers, only escapes\.$/,
    { timeout: 45_000 },
  );
  await expect(approval.getByTestId('alarm-banner').first()).toContainText('Exchange frozen');
  // Every alarm banner leads to the exit page (issue 17).
  await expect(approval.getByTestId('alarm-banner').first().getByTestId('exit-link')).toHaveText('Open the exit page');
  await expect(approval.getByTestId('alarm-banner').first().getByTestId('exit-link')).toHaveAttribute(
    'href',
    './exit.html',
  );
  await expect(approval.getByTestId('approve')).toHaveCount(0);
  await shot(approval, '15-approval-frozen');
  const id = await approval.getByTestId('request-origin').getAttribute('data-request-id');
  // (The window closes as the request is answered: the reply may not come back to it.)
  const reply = await sendExtensionOp(approval, 'approve', { id }).catch(() => null);
  if (reply) expect(reply.error?.message).toMatch(/^Vigil does not sign orders now: .* is frozen/);
  const refused = await outcome(dapp, waiting);
  expect(refused.code).toBe(4100);
  expect(refused.message).toMatch(/Vigil does not sign orders now: Vigil devnet \(chain \d+\) is frozen/);
  const again = await call(dapp, order('after-freeze', positionId));
  expect(again.code).toBe(4100);
  expect(again.message).toMatch(/Vigil does not sign orders now: Vigil devnet \(chain \d+\) is frozen/);
  // Nor any other L2 request: a withdrawal or a transfer signed now would stay valid to its expiry.
  const withdrawal = await call(dapp, {
    method: 'stark_signWithdrawal',
    params: [{ positionId, amount: '10', clientId: 'w-after-freeze', expiration: expiration() }],
  });
  expect(withdrawal.code).toBe(4100);
  expect(withdrawal.message).toMatch(/^Vigil does not sign withdrawals now: Vigil devnet \(chain \d+\) is frozen/);
  const transfer = await call(dapp, {
    method: 'stark_signTransfer',
    params: [
      {
        positionId,
        receiverPositionId: '67890',
        receiverPublicKey: '05135ef87716b0faecec3ba672d145a6daad0aa46437c365d490022115aba674',
        amount: '1.5',
        clientId: 't-after-freeze',
        expiration: expiration(),
      },
    ],
  });
  expect(transfer.code).toBe(4100);
  expect(transfer.message).toMatch(/^Vigil does not sign transfers now: Vigil devnet \(chain \d+\) is frozen/);
  await demo.bringToFront();
  await expect(demo.getByTestId('exchange-status')).toContainText('The exchange is FROZEN on L1', { timeout: 30_000 });

  // The escape amount from Vigil's own verified tree, and the position's escape file from it (one
  // that another Vigil checks against L1).
  await exit.bringToFront();
  // The margin view's escape value, once it is the final verified batch's: the flow's amount.
  let amount = 0n;
  await expect
    .poll(
      async () => {
        amount = quantaOf(text(await exit.getByTestId('escape-amount').textContent()));
        return (await flow(exit).textContent())?.includes(`Escape amount computed here ${usdcFigure(amount)} USDC`);
      },
      { timeout: 30_000 },
    )
    .toBe(true);
  expect(amount).toBeGreaterThan(0n);
  // The freeze's step is over: no error line of it stays on the escape's step.
  await expect(flow(exit).getByTestId('error')).toHaveCount(0);
  await shot(exit, '16-exit-frozen');
  await exit.getByTestId('escape-file').click();
  const href = (await exit.getByTestId('escape-file-link').getAttribute('href'))!;
  const file = decodeURIComponent(href.slice('data:application/json,'.length));
  expect(JSON.parse(file)).toMatchObject({
    format: 'vigil-escape-proof/1',
    positionId: `0x${BigInt(positionId).toString(16)}`,
  });
  expect(fromTagged(await extensionOp(exit, 'exitCheckEscape', { proof: file }))).toMatchObject({
    positionId: BigInt(positionId),
    amount,
  });
  const before = await net.operator.l1.usdcBalance(address);
  await sendStep(exit, 'verify-escape', 'escape');
  await expect(flow(exit).locator('[data-testid=flow-tx][data-kind=verify-escape]')).toHaveAttribute(
    'data-status',
    'success',
  );

  // The browser closes between verifyEscape and escape; reopened, Vigil is locked, and the exit
  // flow resumes where it was.
  await context.close();
  ({ context } = await launchWithExtension(profile));
  current = context;
  const reopened = await walletDriver(context, extensionId).popup();
  await expect(reopened.getByTestId('locked')).toContainText(`Stark key ${starkKey.slice(0, 10)}…`);
  await expect(reopened.getByTestId('forgot-password')).toHaveText(
    'Forgot password? Restore from your recovery phrase',
  );
  await shot(reopened, '17-popup-locked');
  await reopened.getByTestId('unlock-password').fill(PASSWORD);
  await reopened.getByTestId('unlock').click();
  await expect(reopened.getByTestId('unlocked')).toBeVisible({ timeout: 20_000 });
  const resumed = await context.newPage();
  await resumed.goto(`${ui}/exit.html`);
  await expect(flow(resumed)).toHaveAttribute('data-step', 'escape', { timeout: 30_000 });
  await sendStep(resumed, 'escape', 'withdraw');
  await shot(resumed, '18-exit-withdraw');
  await sendStep(resumed, 'withdraw', 'done');
  await expect(flow(resumed).getByTestId('flow-outcome')).toContainText('withdrawn');
  expect(await net.operator.l1.usdcBalance(address)).toBe(before + amount);
  await expect(flow(resumed).locator('[data-testid=flow-tx][data-kind=verify-escape]')).toHaveCount(1);
  await shot(resumed, '19-exit-done');
}
