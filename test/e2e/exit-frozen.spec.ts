import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeFunctionData, type Hex } from 'viem';
import { toTaggedJson } from '../../src/codec/tagged-json.js';
import { finalSharedState } from '../../src/exit/final-state.js';
import { perpetualEscapeVerifierAbi } from '../../src/l1/abi.js';
import { devnetDeployment, type StarkExDeployment } from '../../src/l1/deployment.js';
import { MultiRpc } from '../../src/l1/multi-rpc.js';
import { createStarkExReader } from '../../src/l1/starkex-reader.js';
import { startExchangeDevnet, type ExchangeDevnet } from '../../devnet/exchange-devnet.js';
import { DEFAULT_MARKETS, riskParamsOf } from '../../devnet/operator/config.js';
import { freezeDevnet } from '../../devnet/operator/freeze.js';
import { exitFlow as flow, sendExitStep as sendStep } from '../helpers/exit-page.js';
import type { BrowserContext, Page } from '@playwright/test';
import { walletKeysFromSecret } from '../../src/wallet/index.js';
import { expect, extensionOp, sendExtensionOp, test, type WalletDriver } from './fixtures.js';

const PASSWORD = 'frozen exit password';
const PHRASE = 'letter advice cage absurd amount doctor acoustic avoid letter advice cage above';
/** A second trader, whose way out is pasted verifyEscape calldata. */
const PHRASE_2 = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
/** A third, whose way out is a positions snapshot file the operator published. */
const PHRASE_3 = 'legal winner thank year wave sausage worth useful legal winner thank yellow';

/**
 * Issue 16 acceptance in the built extension: the devnet in dYdX v3's situation (history, then the
 * operator stops, a forced withdrawal goes unserved, frozen). A fresh profile whose verifier has
 * synced nothing opens the exit page, loads the escape file the operator's API serves (an untrusted
 * third party), Vigil checks it against the final state it reads from L1 and shows the amount; a
 * proof with one changed word and a proof for another key are refused before any transaction; then
 * verifyEscape → escape → withdraw, and the wallet's USDC grows by exactly the amount shown.
 */
let net: ExchangeDevnet;
/** The traders' positions, onboarded before the freeze. */
const positions = new Map<string, bigint>();
test.describe.configure({ mode: 'serial' });
test.beforeAll(async () => {
  net = await startExchangeDevnet({ bots: 2, port: 0, seed: 16 });
  for (const mnemonic of [PHRASE, PHRASE_2, PHRASE_3]) {
    const keys = await walletKeysFromSecret({ kind: 'mnemonic', mnemonic, starkDerivation: 'dydx', chainId: 1 });
    await rpc('anvil_setBalance', [keys.address, '0x3635c9adc5dea00000']);
    positions.set(mnemonic, (await net.operator.onboard(keys.stark.publicKey, keys.address as Hex)).positionId);
  }
  for (let i = 0; i < 40; i++) net.operator.bots!.step();
  await net.operator.closeBatch(); // credits the deposits; bots trade
  await freezeDevnet(net.operator);
});
test.afterAll(async () => {
  await net?.stop();
});

/** anvil's JSON-RPC, through the operator's client. */
const rpc = <T>(method: string, params: unknown[] = []) => net.operator.l1.rpc<T>(method, params);
const usdcOf = (who: string) => net.operator.l1.usdcBalance(who as Hex);
const escapeFileOf = async (positionId: bigint) =>
  (await fetch(`${net.server!.url}/v3/escape-proof?positionId=${positionId}`)).text();

/** The input of a verifyEscape transaction for an escape file's proof, as any tool builds it from the final shared state. */
async function verifyEscapeCalldata(
  deployment: StarkExDeployment,
  file: { merkleProof: string[]; nAssets: number },
): Promise<Hex> {
  const final = await finalSharedState(
    createStarkExReader(deployment, MultiRpc.fromUrls([net.anvil.rpcUrl])),
    deployment,
  );
  return encodeFunctionData({
    abi: perpetualEscapeVerifierAbi,
    functionName: 'verifyEscape',
    args: [file.merkleProof.map((w) => BigInt(w)), BigInt(file.nAssets), final.sharedState],
  });
}

/** The amount the checked proof shows, for this position: the faucet deposit, untouched by trading. */
async function checkedAmount(page: Page, positionId: bigint): Promise<bigint> {
  const checked = page.getByTestId('escape-checked');
  await expect(checked).toBeVisible({ timeout: 60_000 });
  await expect(checked).toHaveAttribute('data-position', String(positionId));
  const amount = BigInt((await checked.getAttribute('data-amount'))!);
  expect(amount).toBe(100_000n * 1_000_000n);
  return amount;
}

/** Starts the checked escape and sends verifyEscape → escape → withdraw: the wallet's USDC grows by exactly `amount`. */
async function escapeAndWithdraw(page: Page, address: string, amount: bigint): Promise<void> {
  await page.getByTestId('escape-start').click();
  await sendStep(page, 'verify-escape', 'escape');
  const before = await usdcOf(address);
  await sendStep(page, 'escape', 'withdraw');
  await sendStep(page, 'withdraw', 'done');
  await expect(flow(page).getByTestId('flow-outcome')).toContainText('withdrawn');
  expect(await usdcOf(address)).toBe(before + amount);
}

/**
 * A fresh profile with `mnemonic` imported, whose verifier follows from the current head on: it
 * has verified nothing (and never will here), and the escape needs nothing of it. The exit page is
 * open and shows the exchange frozen.
 */
async function openFreshExitPage(
  mnemonic: string,
  { context, extensionId, wallet }: { context: BrowserContext; extensionId: string; wallet: WalletDriver },
) {
  const popup = await wallet.importPhrase(mnemonic, PASSWORD);
  const account = (await extensionOp(popup, 'status')).account as { address: string; starkKey: string };
  const positionId = positions.get(mnemonic)!;
  const head = BigInt(await rpc<Hex>('eth_blockNumber'));
  const deployment = devnetDeployment({ ...net.deployment, chainId: net.deployment.chain.id, firstBlock: head + 1n });
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/ui/exit.html`);
  await extensionOp(page, 'syncConfigure', {
    settings: toTaggedJson({ deployment, rpcUrls: [net.anvil.rpcUrl], periodMinutes: 60 }),
  });
  await extensionOp(page, 'exitConfigure', {
    settings: toTaggedJson({ riskParams: riskParamsOf(DEFAULT_MARKETS) }), // the default fee cap: 16,777,216 gas
  });
  await page.reload();
  await expect(page.getByTestId('frozen')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('unverified')).toBeVisible();
  await expect(page.getByTestId('margin-view')).toHaveCount(0);
  return { account, page, deployment, positionId };
}

test('frozen exchange, nothing synced: an escape file from the operator, checked against L1, then verifyEscape → escape → withdraw', async ({
  context,
  extensionId,
  wallet,
}) => {
  test.setTimeout(180_000);
  const { account, page, deployment, positionId } = await openFreshExitPage(PHRASE, { context, extensionId, wallet });

  const nonce = await rpc<Hex>('eth_getTransactionCount', [account.address, 'latest']);
  const file = await escapeFileOf(positionId);
  // Refused before any transaction: one changed word of the proof; the proof of another position (another key).
  const parsed = JSON.parse(file) as { merkleProof: string[]; nAssets: number };
  const changed = JSON.stringify({
    ...parsed,
    merkleProof: parsed.merkleProof.map((w, i) => (i === 8 ? `0x${(BigInt(w) ^ (1n << 40n)).toString(16)}` : w)),
  });
  await page.getByTestId('escape-proof').fill(changed);
  await page.getByTestId('escape-check').click();
  await expect(page.getByTestId('escape-with-proof').getByTestId('error')).toContainText(
    'does not verify against the final state',
    { timeout: 60_000 },
  );
  await expect(page.getByTestId('escape-start')).toHaveCount(0);
  const bot = net.operator.bots!.bots[1]!;
  await page.getByTestId('escape-proof').fill(await escapeFileOf(bot.positionId));
  await page.getByTestId('escape-check').click();
  await expect(page.getByTestId('escape-with-proof').getByTestId('error')).toContainText(
    `is for position ${bot.positionId}`,
    { timeout: 60_000 },
  );
  expect(await rpc<Hex>('eth_getTransactionCount', [account.address, 'latest'])).toBe(nonce);
  // No forced-trade offer is signed on a frozen exchange: L1 would refuse the trade.
  expect(
    await sendExtensionOp(page, 'exitOfferCreate', {
      form: {
        starkKeyA: `0x${bot.keys.publicKey.toString(16)}`,
        positionIdA: String(bot.positionId),
        positionIdB: String(positionId),
        market: 'ETH-USD',
        amountSynthetic: '0.1',
        amountCollateral: '100',
        direction: 'a-buys',
        nonce: '',
        validHours: '24',
      },
    }),
  ).toMatchObject({
    ok: false,
    error: {
      message: 'The exchange is frozen: L1 takes no forced trade any more, only the escape. No offer was signed.',
    },
  });

  // The operator's file, loaded from disk: checked against L1, the amount shown.
  const path = join(mkdtempSync(join(tmpdir(), 'vigil-escape-')), 'escape.json');
  writeFileSync(path, file);
  await page.getByTestId('escape-proof-file').setInputFiles(path);
  const checked = page.getByTestId('escape-checked');
  await expect(checked).toBeVisible({ timeout: 60_000 });
  await expect(checked).toHaveAttribute('data-position', String(positionId));
  await expect(page.getByTestId('escape-basis')).toHaveAttribute(
    'data-check',
    'calldata-shared-state-keccak-equals-proven-slot',
  );
  const amount = BigInt((await checked.getAttribute('data-amount'))!);
  expect(amount).toBe(100_000n * 1_000_000n); // the faucet deposit, untouched by trading

  // The same proof as the input data of a verifyEscape transaction (as copied from an explorer): the same amount.
  const calldata = await verifyEscapeCalldata(deployment, parsed);
  await page.getByTestId('escape-proof').fill(calldata);
  await page.getByTestId('escape-check').click();
  await expect(checked).toHaveAttribute('data-amount', String(amount), { timeout: 60_000 });
  await expect(page.getByTestId('escape-proof')).toHaveValue(calldata);

  // The escape runs from the operator's file, loaded again.
  await page.getByTestId('escape-proof-file').setInputFiles([]);
  await page.getByTestId('escape-proof-file').setInputFiles(path);
  await expect(page.getByTestId('escape-proof')).toHaveValue(file, { timeout: 60_000 });
  await expect(checked).toBeVisible({ timeout: 60_000 });
  await escapeAndWithdraw(page, account.address, amount);

  // The same position as pasted verifyEscape calldata, now: it has escaped; refused before any transaction.
  const nonceAfter = await rpc<Hex>('eth_getTransactionCount', [account.address, 'latest']);
  await page.reload();
  await page.getByTestId('escape-proof').fill(calldata);
  await page.getByTestId('escape-check').click();
  await expect(page.getByTestId('escape-with-proof').getByTestId('error')).toContainText('has escaped already', {
    timeout: 60_000,
  });
  expect(await rpc<Hex>('eth_getTransactionCount', [account.address, 'latest'])).toBe(nonceAfter);
});

test('frozen exchange, nothing synced: verifyEscape calldata pasted as copied from an explorer, checked against L1, then verifyEscape → escape → withdraw', async ({
  context,
  extensionId,
  wallet,
}) => {
  test.setTimeout(180_000);
  const { account, page, deployment, positionId } = await openFreshExitPage(PHRASE_2, { context, extensionId, wallet });
  // The calldata of a verifyEscape transaction for this position, as any tool would build it from
  // the operator's proof and the final shared state.
  const calldata = await verifyEscapeCalldata(deployment, JSON.parse(await escapeFileOf(positionId)));
  await page.getByTestId('escape-proof').fill(calldata);
  await page.getByTestId('escape-check').click();
  const amount = await checkedAmount(page, positionId);

  await escapeAndWithdraw(page, account.address, amount);
});

test('frozen exchange, nothing synced: a positions snapshot file streamed from disk, its root checked against L1, the proof from it, then verifyEscape → escape → withdraw', async ({
  context,
  extensionId,
  wallet,
}) => {
  test.setTimeout(180_000);
  const { account, page, positionId } = await openFreshExitPage(PHRASE_3, { context, extensionId, wallet });
  const lines = net.operator.positionsSnapshotLines();
  const dir = mkdtempSync(join(tmpdir(), 'vigil-snapshot-'));
  // One changed balance: the root does not match the anchored state; nothing is offered.
  const changed = [...lines];
  changed[1] = changed[1]!.replace(/"collateral":"(-?\d+)"/, (_m, c: string) => `"collateral":"${BigInt(c) + 1n}"`);
  writeFileSync(join(dir, 'changed.ndjson'), `${changed.join('\n')}\n`);
  await page.getByTestId('snapshot-file').setInputFiles(join(dir, 'changed.ndjson'));
  await expect(page.getByTestId('snapshot-stream').getByTestId('error')).toContainText('snapshot rejected (root)', {
    timeout: 60_000,
  });
  await expect(page.getByTestId('escape-checked')).toHaveCount(0);

  // 2.5 MB of blank lines (skipped by the format) after the header: the page sends the file in at
  // least three chunk messages of 1 MiB, and a line may be cut between two of them.
  writeFileSync(join(dir, 'snapshot.ndjson'), `${lines[0]}\n${'\r\n'.repeat(1_250_000)}${lines.slice(1).join('\n')}\n`);
  await page.getByTestId('snapshot-file').setInputFiles(join(dir, 'snapshot.ndjson'));
  await expect(page.getByTestId('snapshot-verified')).toHaveAttribute(
    'data-sequence',
    String(net.operator.batches.at(-1)!.sequenceNumber),
    { timeout: 60_000 },
  );
  // The proof of the wallet's position from the snapshot, checked against the final state read from L1.
  const amount = await checkedAmount(page, positionId);
  await escapeAndWithdraw(page, account.address, amount);
});
