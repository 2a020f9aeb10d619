import type { Hex } from 'viem';
import { mkdirSync } from 'node:fs';
import { toTaggedJson } from '../../src/codec/tagged-json.js';
import { startExchangeDevnet, type ExchangeDevnet } from '../../devnet/exchange-devnet.js';
import { freezeDevnet } from '../../devnet/operator/freeze.js';
import { DAPP, call, connect, expect, extensionOp, outcome, sendExtensionOp, start, test } from './fixtures.js';

/**
 * Issue 17 item 3: a frozen exchange processes no more orders, so Vigil signs none. An order that
 * was waiting for approval when the exchange froze shows why it cannot be signed (and the service
 * worker refuses it even if asked directly); a new order request gets 4100 with the reason.
 */
const PHRASE = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
const SCREENS = 'test-results/screens';

// One retry, on a fresh devnet (a failed test's worker is replaced, so beforeAll runs again): in one of
// four clean-clone runs the devnet operator's freezeRequest never got its receipt (viem
// WaitForTransactionReceiptTimeoutError inside freezeDevnet), an operator-side flake not yet
// understood; a refusal rule that is broken fails both attempts.
test.describe.configure({ retries: 1 });

let net: ExchangeDevnet;
test.beforeAll(async () => {
  net = await startExchangeDevnet({ bots: 1, batchIntervalMs: 2000, botIntervalMs: 1000, port: null });
  mkdirSync(SCREENS, { recursive: true });
});
test.afterAll(async () => {
  await net?.stop();
});

const order = (clientId: string, positionId: bigint) => ({
  method: 'stark_signOrder',
  params: [
    {
      market: 'ETH-USD',
      side: 'BUY',
      size: '0.1',
      price: '1500',
      limitFee: '0.001',
      clientId,
      positionId: String(positionId),
      expiration: new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000 + 10 * 86_400_000).toISOString(),
    },
  ],
});

test('(d) the exchange freezes: the waiting order is refused with the reason on screen and to the dapp; new orders get 4100', async ({
  context,
  extensionId,
  siteA,
  wallet,
}) => {
  test.setTimeout(240_000);
  const popup = await wallet.importPhrase(PHRASE, 'approval frozen password');
  const account = (await extensionOp(popup, 'status')).account as { address: string; starkKey: string };
  const { positionId } = await net.operator.onboard(BigInt(account.starkKey), account.address as Hex);
  await net.operator.closeBatch();
  const dashboard = await context.newPage();
  await dashboard.goto(`chrome-extension://${extensionId}/ui/dashboard.html`);
  await extensionOp(dashboard, 'syncConfigure', {
    settings: toTaggedJson({
      deployment: net.vigilDeployment(0n),
      initialSharedState: net.deployment.initialSharedState,
      rpcUrls: [net.anvil.rpcUrl],
      periodMinutes: 0.5,
    }),
  });

  siteA.setPage('/dapp', DAPP);
  const dapp = await context.newPage();
  await dapp.goto(siteA.url('/dapp'));
  await connect(dapp, wallet);
  const waiting = await start(dapp, order('before-freeze', positionId));
  const approval = await wallet.approval();
  await expect(approval.getByTestId('approve')).toBeVisible();
  await expect(approval.getByTestId('refusal')).toHaveCount(0);

  await freezeDevnet(net.operator);
  await expect(approval.getByTestId('refusal')).toHaveText(
    /^Vigil does not sign orders now: Vigil devnet \(chain \d+\) is frozen .*: it processes no more orders, only escapes\.$/,
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
  await approval.screenshot({ path: `${SCREENS}/approval-frozen.png`, fullPage: true });

  // The service worker refuses it too, asked directly; the dapp gets the reason.
  const id = await approval.getByTestId('request-origin').getAttribute('data-request-id');
  // (The window closes as the request is answered: the reply may not come back to it.)
  const reply = await sendExtensionOp(approval, 'approve', { id }).catch(() => null);
  if (reply) expect(reply.error?.message).toMatch(/^Vigil does not sign orders now: .* is frozen/);
  const refused = await outcome(dapp, waiting);
  expect(refused.code).toBe(4100);
  expect(refused.message).toMatch(/Vigil does not sign orders now: Vigil devnet \(chain \d+\) is frozen/);

  // A new order request never reaches the approval window.
  const again = await call(dapp, order('after-freeze', positionId));
  expect(again.code).toBe(4100);
  expect(again.message).toMatch(/Vigil does not sign orders now: Vigil devnet \(chain \d+\) is frozen/);
});
