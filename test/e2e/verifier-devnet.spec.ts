import type { BrowserContext, Page } from '@playwright/test';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hex } from 'viem';
import { toTaggedJson } from '../../src/codec/tagged-json.js';
import { parseSnapshot, serializeSnapshot } from '../../src/sync/snapshot.js';
import { flipByte, startRpcProxy, type RpcProxy } from '../unit/sync/rpc-proxy.js';
import { startLyingRpcProxy } from '../helpers/lying-rpc-proxy.js';
import type { StarkExDeployment } from '../../src/l1/deployment.js';
import { startExchangeDevnet, type ExchangeDevnet } from '../../devnet/exchange-devnet.js';
import type { BatchInfo } from '../../devnet/operator/operator.js';
import {
  EXTENSION_DIR,
  expect,
  extensionOp,
  launchWithExtension,
  openSettings,
  sendExtensionOp,
  stopServiceWorkerFrom,
  test,
} from './fixtures.js';

/**
 * Issue 9 acceptance in the built extension against the devnet (the Devnet II operator with
 * trading bots and its misbehaviour switches): the extension follows the exchange (chrome.alarms
 * + "Sync now"), the dashboard shows verdicts and alarms from IndexedDB.
 */

let net: ExchangeDevnet;
let deployment: StarkExDeployment;
let proxy: RpcProxy;
const txs: Hex[] = [];
const infos: BatchInfo[] = [];
const BATCHES = 10;

test.describe.configure({ mode: 'serial' });
test.beforeAll(async () => {
  net = await startExchangeDevnet({ bots: 2, port: null, seed: 5 });
  // With the devnet's market risk parameters (the settings' risk form shows them as the preset).
  deployment = net.vigilDeployment((await head()) + 1n);
  for (let i = 0; i < BATCHES; i++) {
    net.operator.bots!.step();
    const info = (await net.operator.closeBatch())!;
    infos.push(info);
    txs.push(info.updateStateTx);
  }
  proxy = await startRpcProxy(net.anvil.rpcUrl);
});
test.afterAll(async () => {
  await proxy?.stop();
  await net?.stop();
});

const head = () => net.operator.l1.c.client.getBlockNumber();

async function dashboard(context: BrowserContext, extensionId: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/ui/dashboard.html`);
  return page;
}

const ui = (page: Page, op: string, args?: Record<string, unknown>) => extensionOp(page, op, args);

function settings(extra: Record<string, unknown> = {}) {
  return toTaggedJson({
    deployment,
    initialSharedState: net.deployment.initialSharedState,
    rpcUrls: [net.anvil.rpcUrl],
    maxBlockRange: 6n,
    periodMinutes: 0.5,
    ...extra,
  });
}

/**
 * The verifier database as the extension left it, read with the raw IndexedDB API from one of its
 * pages: the ids the `positionKeys` index holds for `starkKey`, and whether every stored position
 * has exactly its own key's entry.
 */
async function starkKeyIndex(page: Page, starkKey: bigint) {
  return page.evaluate(
    async (key) => {
      const req = <T>(r: IDBRequest<T>) =>
        new Promise<T>(
          (resolve, reject) => ((r.onsuccess = () => resolve(r.result)), (r.onerror = () => reject(r.error))),
        );
      const db = await req(indexedDB.open('vigil-sync'));
      try {
        const tx = db.transaction(['positions', 'positionKeys']);
        const [ids, posKeys, positions, entryKeys, entries] = await Promise.all([
          req(tx.objectStore('positionKeys').index('byStarkKey').getAllKeys(key)),
          req(tx.objectStore('positions').getAllKeys()),
          req(tx.objectStore('positions').getAll()),
          req(tx.objectStore('positionKeys').getAllKeys()),
          req(tx.objectStore('positionKeys').getAll()),
        ]);
        const consistent =
          JSON.stringify(posKeys) === JSON.stringify(entryKeys) &&
          positions.every(
            (p: { starkKey: bigint }, i: number) =>
              (entries[i] as { starkKey: string }).starkKey === p.starkKey.toString(16).padStart(64, '0'),
          );
        return { version: db.version, ids, consistent };
      } finally {
        db.close();
      }
    },
    starkKey.toString(16).padStart(64, '0'),
  );
}

/** The toolbar badge as the service worker set it (chrome.action), read from one of the extension's pages. */
const badge = (page: Page): Promise<string> =>
  page.evaluate(() => (globalThis as any).chrome.action.getBadgeText({}) as Promise<string>);

/** Whole seconds as the dashboard writes them ("42 s", "1 min 5 s"); the devnet's are under an hour. */
const seconds = (s: number) => {
  const w = Math.floor(s);
  if (w >= 3_600) throw new Error(`${s} s: the test expects devnet intervals under an hour`);
  return w < 60 ? `${w} s` : `${Math.floor(w / 60)} min${w % 60 ? ` ${w % 60} s` : ''}`;
};
function spreadOf(values: number[]) {
  const v = [...values].sort((a, b) => a - b);
  const m = v.length >> 1;
  return { min: v[0]!, median: v.length % 2 ? v[m]! : (v[m - 1]! + v[m]!) / 2, max: v.at(-1)! };
}

async function expectVerified(page: Page, n: number) {
  await expect(page.getByTestId('verified-seq')).toHaveText(String(n), { timeout: 45_000 });
  await expect(page.locator('[data-testid=batch-row][data-status=verified]')).toHaveCount(n);
}

test(`follows ${BATCHES} devnet batches, marks each verified and shows them on the dashboard`, async ({
  context,
  extensionId,
}) => {
  const page = await dashboard(context, extensionId);
  await expect(page.getByTestId('not-configured')).toBeVisible();
  const bot = net.operator.bots!.bots[0]!;
  // From block 0, as `npm start` follows the devnet: the deployment's set-up events are read too.
  await ui(page, 'syncConfigure', {
    settings: settings({ watchedStarkKeys: [bot.keys.publicKey], deployment: { ...deployment, firstBlock: 0n } }),
  });
  await expectVerified(page, BATCHES);
  await expect(page.getByTestId('sync-phase')).toHaveText('caught-up');
  // The user's own position, its Merkle path checked against the latest verified root.
  await expect(page.locator(`[data-testid=own-position][data-position="${bot.positionId}"]`)).toHaveAttribute(
    'data-verified',
    'true',
  );
  await expect(page.locator(`[data-testid=own-position][data-position="${bot.positionId}"]`)).toHaveAttribute(
    'data-check',
    'leaf-and-path-hash-to-committed-root',
  );
  // Issue 14: the extension's own sync wrote the stark-key index with the positions (version 4).
  expect(await starkKeyIndex(page, bot.keys.publicKey)).toEqual({
    version: 4,
    ids: [bot.positionId.toString(16).padStart(16, '0')],
    consistent: true,
  });
  await expect(page.getByTestId('verified-batch')).toHaveText(String(BATCHES));
  await expect(page.getByTestId('batch-row')).toHaveCount(BATCHES);
  await expect(page.getByTestId('alarm-banner')).toHaveCount(0);
  // Issue 17 defect 6: the set-up's configuration events (the global one, one per market) are
  // history, folded away, not a warning box; the health view lists them as history.
  await expect(page.getByTestId('alarm-history')).toContainText('History: 4 event(s) recorded, not raised');
  await expect(page.locator('[data-testid=health-change][data-history=true]')).toHaveCount(4);
  await expect(page.locator('[data-testid=health-change][data-history=false]')).toHaveCount(0);
  await expect(page.getByTestId('health-changes')).toContainText('The global configuration changed at block');
  expect(await badge(page)).toBe('');

  // Exchange health from Vigil's own L1 data, compared with what the operator posted.
  await expect(page.getByTestId('health-last-batch')).toHaveText(String(infos.at(-1)!.batchId));
  await expect(page.getByTestId('health-last')).toContainText(`block ${infos.at(-1)!.blockNumber}`);
  await expect(page.getByTestId('health-finality')).toHaveText(
    /^(final: its block is at or below the finalized block \d+|not final yet: its block is above the finalized block \d+)$/,
  );
  const gaps = spreadOf(infos.slice(1).map((b, i) => Number(b.systemTime - infos[i]!.systemTime)));
  await expect(page.getByTestId('health-interval-figures')).toHaveText(
    `${BATCHES - 1} interval(s), min ${seconds(gaps.min)}, median ${seconds(gaps.median)}, max ${seconds(gaps.max)}`,
  );
  await expect(page.getByTestId('interval-chart-bar')).toHaveCount(BATCHES - 1);
  const words = spreadOf(infos.map((b) => b.dataWords));
  await expect(page.getByTestId('health-data-figures')).toHaveText(
    `min ${words.min}, median ${words.median}, max ${words.max} words over ${BATCHES} batch(es)`,
  );
  await expect(page.getByTestId('health-forced')).toHaveText(
    'No forced request of a watched key is waiting to be served.',
  );

  // Importing a genuine snapshot (this state's own, anchored at the head) keeps the alarm list
  // and the batch history (issue 17 defect 6: the import used to empty both).
  const snapshot: string = await ui(page, 'syncExportSnapshot');
  await page
    .getByTestId('snapshot-file')
    .setInputFiles({ name: 'snapshot.json', mimeType: 'application/json', buffer: Buffer.from(snapshot) });
  await expect(page.getByTestId('snapshot-result')).toContainText('Snapshot accepted', { timeout: 30_000 });
  await page.reload();
  await expect(page.getByTestId('verified-seq')).toHaveText(String(BATCHES));
  await expect(page.locator('[data-testid=batch-row][data-status=verified]')).toHaveCount(BATCHES);
  await expect(page.getByTestId('alarm-history')).toContainText('History: 4 event(s) recorded, not raised');
  await expect(page.getByTestId('health-interval-figures')).toContainText(`${BATCHES - 1} interval(s)`);
  // The coordinator runs on chrome.alarms.
  const alarm = await page.evaluate(() => (globalThis as any).chrome.alarms.get('vigil-sync'));
  expect(alarm?.periodInMinutes).toBe(0.5);
});

test('the settings forms: RPC rows with a test, deployment presets, alarms, risk parameters, lock time; saving one keeps the others', async ({
  context,
  extensionId,
}) => {
  const page = await dashboard(context, extensionId);
  // Configured as npm start does it: Vigil then knows the devnet and offers it as a preset.
  await ui(page, 'syncConfigure', { settings: settings() });
  await openSettings(page);
  const rpc = page.getByTestId('rpc-form');
  await expect(rpc.getByTestId('rpc-url')).toHaveValue(net.anvil.rpcUrl);
  // Test: the service worker asks the endpoint for its chain id and head block.
  const before = await head();
  await rpc.getByTestId('rpc-test').click();
  await expect(rpc.getByTestId('rpc-test-result')).toHaveText(/^chain id \d+, head block \d+$/);
  const [, chainId, shownHead] = /^chain id (\d+), head block (\d+)$/.exec(
    (await rpc.getByTestId('rpc-test-result').textContent()) ?? '',
  )!;
  expect(Number(chainId)).toBe(deployment.chainId);
  expect(BigInt(shownHead!)).toBeGreaterThanOrEqual(before);
  // A second row: its test and its save name what is wrong.
  await rpc.getByTestId('rpc-add').click();
  await rpc.getByTestId('rpc-url').nth(1).fill('not a url');
  await rpc.getByTestId('rpc-test').nth(1).click();
  await expect(rpc.getByTestId('rpc-test-result')).toHaveText([
    /^chain id/,
    '✗ url: "not a url" is out of range; expected an http(s) URL',
  ]);
  await rpc.getByTestId('save-rpc').click();
  await expect(rpc.getByTestId('error')).toHaveText('rpcUrls[1]: "not a url" is out of range; expected an http(s) URL');
  await rpc.getByTestId('rpc-remove').nth(1).click();
  // A per-RPC rate outside its range is refused naming the field, the value and the range; a valid one is saved.
  await rpc.getByTestId('rpc-rate').fill('5000');
  await rpc.getByTestId('save-rpc').click();
  await expect(rpc.getByTestId('error')).toHaveText(
    'rpcRates[0]: 5000 is out of range; expected requests per second from 0.1 to 1000, or null',
  );
  await rpc.getByTestId('rpc-rate').fill('25');
  await rpc.getByTestId('save-rpc').click();
  await expect(rpc.getByTestId('error')).toHaveCount(0);

  // Watching: another bot's key; its position is verified.
  const alarms = page.getByTestId('alarm-form');
  const bot = net.operator.bots!.bots[1]!;
  await alarms.getByTestId('watched-keys').fill(`0x${bot.keys.publicKey.toString(16)}`);
  await alarms.getByTestId('stale-hours').fill('12');
  await alarms.getByTestId('save-alarms').click();
  await expect(alarms.getByTestId('error')).toHaveCount(0);
  await expectVerified(page, BATCHES);
  await expect(page.locator(`[data-testid=own-position][data-position="${bot.positionId}"]`)).toHaveAttribute(
    'data-verified',
    'true',
  );

  // The deployment by name; a custom one's addresses are checked field by field.
  const dep = page.getByTestId('deployment-form');
  await expect(dep.getByTestId('deployment-preset').locator('option')).toHaveText([
    'dYdX v3 (Ethereum mainnet)',
    `Vigil devnet (chain ${deployment.chainId})`,
    'Custom',
  ]);
  await expect(dep.getByTestId('deployment-preset')).toHaveValue('devnet');
  await dep.getByTestId('deployment-preset').selectOption('custom');
  await expect(dep.getByTestId('custom-starkPerpetual')).toHaveValue(deployment.starkPerpetual);
  // One letter's case changed: a mixed-case address whose EIP-55 checksum is wrong.
  const i = deployment.starkPerpetual.search(/[a-fA-F]/);
  const c = deployment.starkPerpetual[i]!;
  const typo = `${deployment.starkPerpetual.slice(0, i)}${c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()}${deployment.starkPerpetual.slice(i + 1)}`;
  await dep.getByTestId('custom-starkPerpetual').fill(typo);
  await dep.getByTestId('save-deployment').click();
  await expect(dep.getByTestId('error')).toHaveText(
    `starkPerpetual: "${typo}" is out of range; expected 0x followed by 40 hex digits (EIP-55 checksummed if it mixes upper and lower case); this one's checksum is wrong`,
  );
  await dep.getByTestId('custom-starkPerpetual').fill(deployment.starkPerpetual);
  await dep.getByTestId('custom-firstBlock').fill('-1');
  await dep.getByTestId('save-deployment').click();
  await expect(dep.getByTestId('error')).toHaveText(
    'firstBlock: "-1" is out of range; expected a block number, 0 to 2^64 - 1',
  );
  // The devnet again: the same deployment, nothing verified is lost.
  await dep.getByTestId('deployment-preset').selectOption('devnet');
  await dep.getByTestId('save-deployment').click();
  await expect(dep.getByTestId('error')).toHaveCount(0);
  await expect(dep.getByTestId('deployment-followed')).toHaveText(
    `Following: Vigil devnet (chain ${deployment.chainId})`,
  );

  // Risk parameters: the devnet's markets with its configured fraction; an override is saved.
  const risk = page.getByTestId('risk-form');
  const eth = risk.locator('[data-testid=risk-row][data-market="ETH-USD"]');
  await expect(risk.getByTestId('risk-source')).toHaveText("In use: the deployment's preset");
  await expect(risk.getByTestId('risk-row')).toHaveCount(3);
  await expect(eth.getByTestId('risk-preset')).toHaveText('0.03');
  await eth.getByTestId('risk-mine').fill('1.5');
  await risk.getByTestId('save-risk').click();
  await expect(risk.getByTestId('error')).toHaveText(
    'risk.ETH-USD: "1.5" is out of range; expected a maintenance margin fraction, a decimal above 0 and below 1 (e.g. 0.03), or empty for the preset',
  );
  await eth.getByTestId('risk-mine').fill('0.07');
  await risk.getByTestId('save-risk').click();
  await expect(risk.getByTestId('risk-source')).toHaveText(
    "In use: your values, the deployment's preset for the other markets",
  );

  // Lock time in minutes, its range named.
  const lock = page.getByTestId('lock-form');
  await lock.getByTestId('auto-lock-minutes').fill('0');
  await lock.getByTestId('save-auto-lock').click();
  await expect(lock.getByTestId('error')).toHaveText(
    'autoLockMinutes: "0" is out of range; expected minutes, 0.1 <= autoLockMinutes <= 10080 (7 days)',
  );
  await lock.getByTestId('auto-lock-minutes').fill('15');
  await lock.getByTestId('save-auto-lock').click();
  await expect(lock.getByTestId('error')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/screens/settings-forms.png', fullPage: true });

  // Saving one setting dropped none: after a reload every form shows what was saved.
  await page.reload();
  await openSettings(page);
  await expect(rpc.getByTestId('rpc-url')).toHaveValue(net.anvil.rpcUrl);
  await expect(rpc.getByTestId('rpc-rate')).toHaveValue('25');
  await expect(alarms.getByTestId('watched-keys')).toHaveValue(`0x${bot.keys.publicKey.toString(16)}`);
  await expect(alarms.getByTestId('stale-hours')).toHaveValue('12');
  await expect(dep.getByTestId('deployment-preset')).toHaveValue('devnet');
  await expect(eth.getByTestId('risk-mine')).toHaveValue('0.07');
  await expect(lock.getByTestId('auto-lock-minutes')).toHaveValue('15');
  await expectVerified(page, BATCHES);
});

test('stopping the service worker (and any offscreen document) mid-sync loses nothing and the sync completes', async ({
  context,
  extensionId,
}) => {
  proxy.rewrite = undefined;
  proxy.delayMs = 40; // a slow RPC, so the stop lands mid-sync
  try {
    const page = await dashboard(context, extensionId);
    await ui(page, 'syncConfigure', { settings: settings({ rpcUrls: [proxy.url], maxBlockRange: 2n }) });
    await expect
      .poll(async () => Number(await page.getByTestId('verified-seq').textContent()), {
        timeout: 45_000,
        intervals: [50],
      })
      .toBeGreaterThanOrEqual(2);
    await page.evaluate(async () => {
      const c = (globalThis as any).chrome;
      if ((await c.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT'] })).length)
        await c.offscreen.closeDocument();
    });
    await stopServiceWorkerFrom(context, page, extensionId);
    const stoppedAt = Number(await page.getByTestId('verified-seq').textContent());
    expect(stoppedAt).toBeLessThan(BATCHES);
    // Waking the worker (any message) resumes from the IndexedDB checkpoint.
    await ui(page, 'syncNow');
    await expectVerified(page, BATCHES);
    await expect(page.getByTestId('batch-row')).toHaveCount(BATCHES);
    await expect(page.getByTestId('alarm-banner')).toHaveCount(0);
    // The run happened in the verifier's sync worker (hosted by the offscreen document): the one sync host.
    expect(readdirSync(join(EXTENSION_DIR, 'assets')).some((f) => f.startsWith('sync.worker'))).toBe(true);
    await expect(page.getByTestId('sync-host')).toHaveText('sync worker');
  } finally {
    proxy.delayMs = 0;
  }
});

test("when the verifier's offscreen document cannot start, the status says so and the service worker does not sync by itself", async ({
  context,
  extensionId,
  serviceWorker,
}) => {
  // The service worker's own chrome.offscreen, made to fail as a browser that refuses the document would.
  await serviceWorker.evaluate(() => {
    (globalThis as any).chrome.offscreen.createDocument = () => Promise.reject(new Error('refused by the test'));
  });
  const page = await dashboard(context, extensionId);
  await ui(page, 'syncConfigure', { settings: settings() });
  await expect(page.getByTestId('sync-phase')).toHaveText('error', { timeout: 20_000 });
  await expect(page.getByTestId('verifier')).toContainText(
    "the verifier's offscreen document did not start: refused by the test",
  );
  await expect(page.getByTestId('verified-seq')).toHaveText('0');
  await expect(page.getByTestId('batch-row')).toHaveCount(0);
  // A snapshot import is refused with the same reason rather than run in the service worker.
  const reply = await sendExtensionOp(page, 'syncImportSnapshot', { text: '{}' });
  expect(reply).toMatchObject({
    ok: false,
    error: { message: expect.stringContaining("the verifier's offscreen document did not start: refused by the test") },
  });
  expect(
    await page.evaluate(
      async () =>
        (await (globalThis as any).chrome.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT'] })).length,
    ),
  ).toBe(0);
});

test('a snapshot exported in one profile verifies against the anchor in a fresh profile; one changed balance is rejected', async ({
  context,
  extensionId,
}) => {
  const a = await dashboard(context, extensionId);
  await ui(a, 'syncConfigure', { settings: settings() });
  await expectVerified(a, BATCHES);
  const text: string = await ui(a, 'syncExportSnapshot');

  const profile = mkdtempSync(join(tmpdir(), 'vigil-profile-b-'));
  const { context: other, extensionId: otherId } = await launchWithExtension(profile);
  try {
    const b = await dashboard(other, otherId);
    // Profile B follows from the head on: it learns the past only from the snapshot.
    await ui(b, 'syncConfigure', {
      settings: toTaggedJson({
        deployment: { ...deployment, firstBlock: (await head()) + 1n },
        rpcUrls: [net.anvil.rpcUrl],
      }),
    });
    await expect(b.getByTestId('verified-seq')).toHaveText('0');

    // One changed balance: the collateral, which every position has (a position without synthetic
    // assets left the old tamper, the first asset's balance, a no-op, and the file was accepted).
    const changed = parseSnapshot(text);
    const [id, p] = changed.positions[1]!;
    changed.positions[1] = [id, { ...p, collateral: p.collateral + 1n }];
    expect(serializeSnapshot(changed)).not.toBe(text);
    await b.getByTestId('snapshot-file').setInputFiles({
      name: 'changed.json',
      mimeType: 'application/json',
      buffer: Buffer.from(serializeSnapshot(changed)),
    });
    await expect(b.getByTestId('snapshot-result')).toContainText('rejected (root)', { timeout: 30_000 });
    await expect(b.getByTestId('verified-seq')).toHaveText('0');

    await b
      .getByTestId('snapshot-file')
      .setInputFiles({ name: 'snapshot.json', mimeType: 'application/json', buffer: Buffer.from(text) });
    await expect(b.getByTestId('snapshot-result')).toContainText('Snapshot accepted', { timeout: 30_000 });
    await expect(b.getByTestId('verified-seq')).toHaveText(String(BATCHES));
    expect(await ui(b, 'syncExportSnapshot')).toBe(text);
    // The import wrote the stark-key index in the same commit as the positions.
    const [firstId, first] = parseSnapshot(text).positions[0]!;
    expect(await starkKeyIndex(b, first.starkKey)).toMatchObject({
      version: 4,
      ids: expect.arrayContaining([firstId.toString(16).padStart(16, '0')]),
      consistent: true,
    });
  } finally {
    await other.close();
    rmSync(profile, { recursive: true, force: true });
  }
});

test('an RPC that sends no CORS headers, on a host that is not loopback, serves the whole sync', async ({
  context,
  extensionId,
}) => {
  // Many public and self-hosted nodes send no CORS headers. rpc.test resolves to loopback here
  // (the launch's host rules), so the browser treats it as any remote host. Vigil reaches it with
  // its host access to http(s) sites (its content scripts' matches, granted at install): with the
  // content scripts removed from the manifest, this sync read nothing (verified sequence 0).
  const bare = await startLyingRpcProxy(net.anvil.rpcUrl, undefined, { cors: false });
  try {
    const url = bare.url.replace('127.0.0.1', 'rpc.test');
    expect(url).toMatch(/^http:\/\/rpc\.test:\d+/);
    const page = await dashboard(context, extensionId);
    await ui(page, 'syncConfigure', {
      settings: settings({ rpcUrls: [url], deployment: { ...deployment, id: 'devnet-no-cors' } }),
    });
    await expectVerified(page, BATCHES);
    // Every read went through it, from the extension, and none got a CORS header back.
    expect(bare.calls.map((c) => c.method)).toEqual(expect.arrayContaining(['eth_chainId', 'eth_getLogs']));
    expect(new Set(bare.origins)).toEqual(new Set([`chrome-extension://${extensionId}`]));
  } finally {
    await bare.close();
  }
});

test('an RPC proxy that alters one calldata byte or one log is detected', async ({ context, extensionId }) => {
  const page = await dashboard(context, extensionId);
  proxy.rewrite = (method, _params, result) => {
    const tx = result as { hash: Hex; input: string } | null;
    return method === 'eth_getTransactionByHash' && tx && tx.hash === txs[2]
      ? { ...tx, input: flipByte(tx.input, 4 + 32 * 3 + 32 * 5 + 31) }
      : result;
  };
  await ui(page, 'syncConfigure', { settings: settings({ rpcUrls: [proxy.url] }) });
  await expect(page.locator('[data-testid=batch-row][data-seq="3"]')).toHaveAttribute('data-status', 'failed', {
    timeout: 45_000,
  });
  await expect(page.locator('[data-testid=batch-row][data-status=verified]')).toHaveCount(2);
  await expect(page.locator('[data-testid=alarm][data-kind=fact-mismatch]')).toBeVisible();

  // Two RPCs, one of which alters a LogStateTransitionFact: a disagreement alarm, nothing applied.
  proxy.rewrite = (method, _params, result) =>
    method === 'eth_getLogs'
      ? (result as Array<{ data: string; topics: string[] }>).map((l) =>
          l.topics[0]?.startsWith('0x9866f8dd') ? { ...l, data: flipByte(l.data, -1) } : l,
        )
      : result;
  await ui(page, 'syncConfigure', {
    settings: settings({ rpcUrls: [net.anvil.rpcUrl, proxy.url], deployment: { ...deployment, id: 'devnet-2rpc' } }),
  });
  await expect(page.locator('[data-testid=alarm][data-kind=rpc-disagreement]')).toBeVisible({ timeout: 45_000 });
  await expect(page.getByTestId('batch-row')).toHaveCount(0);
  proxy.rewrite = undefined;
});

test('the operator switched to a tampered data page: that batch fails with an alarm at once; the batches before stay verified; the table shows one page; an acknowledged alarm leaves the toolbar badge', async ({
  context,
  extensionId,
}) => {
  test.setTimeout(150_000);
  const page = await dashboard(context, extensionId);
  await ui(page, 'syncConfigure', { settings: settings() });
  await expectVerified(page, BATCHES);
  // More honest batches than one page of the table holds (20 rows).
  const EXTRA = 12;
  for (let i = 0; i < EXTRA; i++) {
    net.operator.bots!.step();
    await net.operator.closeBatch();
  }
  const HONEST = BATCHES + EXTRA;
  await ui(page, 'syncNow');
  await expect(page.getByTestId('verified-seq')).toHaveText(String(HONEST), { timeout: 45_000 });
  await expect(page.getByTestId('batch-row')).toHaveCount(20);
  await expect(page.getByTestId('batch-row').first()).toHaveAttribute('data-seq', String(HONEST));
  await page.getByTestId('batches-older').click();
  await expect(page.getByTestId('batch-row')).toHaveCount(HONEST - 20);
  await expect(page.getByTestId('batch-row').first()).toHaveAttribute('data-seq', String(HONEST - 20));
  await expect(page.getByTestId('batches-older')).toHaveCount(0);
  await page.getByTestId('batches-newer').click();
  await expect(page.getByTestId('batch-row')).toHaveCount(20);
  await expect(page.getByTestId('batch-row').first()).toHaveAttribute('data-seq', String(HONEST));

  net.operator.misbehaviour.tamperDataPage = true;
  await net.operator.closeBatch();
  await net.operator.closeBatch();
  await ui(page, 'syncNow');
  await expect(page.locator(`[data-testid=batch-row][data-seq="${HONEST + 1}"]`)).toHaveAttribute(
    'data-status',
    'failed',
    { timeout: 45_000 },
  );
  const missingPage = page.locator('[data-testid=alarm][data-kind=missing-page]');
  await expect(missingPage).toBeVisible();
  await expect(page.getByTestId('halted')).toBeVisible();
  await expect(page.locator('[data-testid=batch-row][data-status=verified]')).toHaveCount(19);
  await expect(page.getByTestId('batch-row')).toHaveCount(20); // the batch after it is not applied; one page shown

  // The badge counts the unacknowledged critical alarms; acknowledging one takes it off.
  const critical = page.locator('[data-testid=alarm][data-severity=critical][data-acknowledged=false]');
  const before = await critical.count();
  expect(before).toBeGreaterThanOrEqual(1);
  await expect.poll(() => badge(page)).toBe(String(before));
  await missingPage.getByTestId('alarm-ack').click();
  await expect(missingPage).toHaveAttribute('data-acknowledged', 'true');
  await expect(missingPage.getByTestId('alarm-acknowledged')).toContainText('acknowledged');
  await expect.poll(() => badge(page)).toBe(before > 1 ? String(before - 1) : '');
  await expect(page.getByTestId('alarm-banner')).toContainText(
    before > 1 ? 'Alarm: do not trust this exchange' : 'Alarms, all acknowledged',
  );
});
