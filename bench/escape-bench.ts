// `npm run bench -- --only=escape` (issue 16): the escape from a frozen exchange, timed end to end
// in headless Chromium through the built extension. The devnet is brought to dYdX v3's situation
// (history, the operator stops, a forced withdrawal unserved, frozen); a fresh profile whose verifier
// has synced nothing opens the exit page, loads the escape file the operator's API serves, checks
// it against the final state it reads from L1, and sends verifyEscape → escape → withdraw. Prints the
// time from opening the exit page to the withdrawal mined, and the L1 requests the extension made
// (counted by a pass-through proxy in front of anvil, batch members one by one). Not a test: the
// e2e spec test/e2e/exit-frozen.spec.ts checks the same path.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hex } from 'viem';
import { startExchangeDevnet } from '../devnet/exchange-devnet.js';
import { DEFAULT_MARKETS, riskParamsOf } from '../devnet/operator/config.js';
import { freezeDevnet } from '../devnet/operator/freeze.js';
import { startRpcProxy } from '../devnet/rpc-proxy/index.js';
import { devnetDeployment, toTaggedJson } from '../src/index.js';
import { exitFlow, sendExitStep } from '../test/helpers/exit-page.js';
import { extensionOp, launchWithExtension } from '../test/helpers/extension-browser.js';
import { formatTable } from './common.js';
import { buildExtension } from './sync-chromium.js';

const PHRASE = 'legal winner thank year wave sausage worth useful legal winner thank yellow';

export async function runEscapeBench(opts: {
  quick: boolean;
  log: (line: string) => void;
  argv: readonly string[];
}): Promise<Record<string, unknown>> {
  const { log, argv } = opts;
  if (!argv.includes('--no-build')) buildExtension(log);
  const net = await startExchangeDevnet({ bots: 2, port: 0, seed: 16 });
  const proxy = await startRpcProxy({ upstream: net.anvil.rpcUrl, profiles: [] });
  const profile = mkdtempSync(join(tmpdir(), 'vigil-escape-bench-'));
  const { context, extensionId } = await launchWithExtension(profile);
  try {
    const base = `chrome-extension://${extensionId}/ui`;
    const popup = await context.newPage();
    await popup.goto(`${base}/popup.html`);
    const account = (await extensionOp(popup, 'createVault', {
      secret: { kind: 'mnemonic', mnemonic: PHRASE, starkDerivation: 'dydx', chainId: 1 },
      password: 'escape bench password',
    })) as { address: Hex; starkKey: string };
    await net.operator.l1.rpc('anvil_setBalance', [account.address, '0x3635c9adc5dea00000']);
    const { positionId } = await net.operator.onboard(BigInt(account.starkKey), account.address);
    for (let batch = 0; batch < 3; batch++) {
      for (let i = 0; i < 40; i++) net.operator.bots!.step();
      await net.operator.closeBatch();
    }
    await freezeDevnet(net.operator);
    const head = BigInt(await net.operator.l1.rpc<Hex>('eth_blockNumber'));
    // The verifier follows from the head on (it syncs nothing); the exit reads L1 through the proxy.
    const deployment = devnetDeployment({ ...net.deployment, chainId: net.deployment.chain.id, firstBlock: head + 1n });
    const setup = await context.newPage();
    await setup.goto(`${base}/exit.html`);
    await extensionOp(setup, 'syncConfigure', {
      settings: toTaggedJson({ deployment, rpcUrls: [proxy.url], periodMinutes: 60 }),
    });
    await extensionOp(setup, 'exitConfigure', {
      settings: toTaggedJson({ riskParams: riskParamsOf(DEFAULT_MARKETS) }), // the default fee cap
    });
    const file = join(profile, 'escape.json');
    writeFileSync(file, await (await fetch(`${net.server!.url}/v3/escape-proof?positionId=${positionId}`)).text());
    await setup.close();
    await new Promise((r) => setTimeout(r, 2000)); // let the configure-time sync attempt end
    proxy.resetStats();

    const t0 = performance.now();
    const page = await context.newPage();
    await page.goto(`${base}/exit.html`);
    await page.getByTestId('escape-proof-file').setInputFiles(file);
    await page.getByTestId('escape-checked').waitFor({ timeout: 120_000 });
    const tChecked = performance.now();
    const amount = BigInt((await page.getByTestId('escape-checked').getAttribute('data-amount'))!);
    await page.getByTestId('escape-start').click();
    await sendExitStep(page, 'verify-escape', 'escape');
    await sendExitStep(page, 'escape', 'withdraw');
    await sendExitStep(page, 'withdraw', 'done');
    const t1 = performance.now();
    const outcome = await exitFlow(page).getByTestId('flow-outcome').textContent();
    const stats = proxy.stats();
    const seconds = (t1 - t0) / 1000;
    log(
      formatTable(
        ['figure', 'value'],
        [
          ['devnet', `${net.operator.batches.length} batches, frozen; position ${positionId}, escape amount ${amount}`],
          ['exit page opened → proof checked against L1', `${((tChecked - t0) / 1000).toFixed(1)} s`],
          ['exit page opened → withdraw mined', `${seconds.toFixed(1)} s (outcome: ${outcome?.trim()})`],
          [
            'L1 requests by the extension (proxy count, batch members one by one)',
            `${stats.totalCalls} (${Object.entries(stats.calls as Record<string, number>)
              .sort(([, a], [, b]) => b - a)
              .map(([m, n]) => `${m} ${n}`)
              .join(', ')})`,
          ],
        ],
      ),
    );
    log(
      '  the exit page polls the chain every 2 s while it is open: the count grows with the time the steps take to mine.',
    );
    return { seconds, checkSeconds: (tChecked - t0) / 1000, requests: stats.totalCalls, calls: stats.calls };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
    await proxy.stop();
    await net.stop();
  }
}
