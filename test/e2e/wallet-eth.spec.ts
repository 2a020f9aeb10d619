import { recoverTypedDataAddress, stringToHex, verifyMessage } from 'viem';
import type { Page } from '@playwright/test';
import { toTaggedJson } from '../../src/codec/tagged-json.js';
import { dydx } from '../../src/messages/dydx.js';
import { dydxStarkKeyPersonalMessage, dydxStarkKeyTypedData } from '../../src/keys/dydx-onboarding.js';
import { walletKeysFromSecret } from '../../src/wallet/index.js';
import { DAPP, call, connect, expect, outcome, start, test } from './fixtures.js';

const PASSWORD = 'correct horse battery';
const PHRASE = 'test test test test test test test test test test test junk';
const SECRET = { kind: 'mnemonic', mnemonic: PHRASE, starkDerivation: 'dydx', chainId: 1 } as const;
// A valid stark key (starkex-lib's transfer test receiver) and its fact registry example.
const RECEIVER = '05135ef87716b0faecec3ba672d145a6daad0aa46437c365d490022115aba674';
const FACT_REGISTRY = '0x12aa12aa12aa12aa12aa12aa12aa12aa12aa12aa';
const FACT = '0x12ff12ff12ff12ff12ff12ff12ff12ff12ff12ff12ff12ff12ff12ff12ff12ff';

// The dYdX API-key action (signing-risk.md A1.1): the one typed data a site may have signed.
const apiKeyTypedData = (chainId: number, onlySignOn: string) => ({
  types: {
    EIP712Domain: [
      { name: 'name', type: 'string' },
      { name: 'version', type: 'string' },
      { name: 'chainId', type: 'uint256' },
    ],
    dYdX: [
      { name: 'action', type: 'string' },
      { name: 'onlySignOn', type: 'string' },
    ],
  },
  domain: { name: 'dYdX', version: '1.0', chainId },
  primaryType: 'dYdX',
  message: { action: 'dYdX Onboarding', onlySignOn },
});

async function noApprovalWindow(context: { pages(): Page[] }) {
  // The window closes once its queue is empty (approvals.ts): wait for that before the next request.
  await expect.poll(() => context.pages().filter((p) => p.url().includes('/ui/approval.html')).length).toBe(0);
}
const approvalWindows = (context: { pages(): Page[] }) =>
  context.pages().filter((p) => p.url().includes('/ui/approval.html')).length;

test('no page can derive the stark key: "dYdX STARK Key" typed data and its personal_sign text → 4100 at once, never shown; the API-key action is signed after a plain approval', async ({
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
  const k = await start(page, { method: 'eth_requestAccounts' });
  await (await wallet.approval()).getByTestId('approve').click();
  const { result: accounts } = await outcome(page, k);
  const address = accounts[0] as `0x${string}`;
  expect(await call(page, { method: 'eth_chainId' })).toEqual({ result: '0x1' });
  await noApprovalWindow(context);

  // The exact messages for every chain dYdX used, a case variant, and the legacy personal_sign text.
  const variants = [1, 3, 5, 11155111].map((c) => dydxStarkKeyTypedData(c)) as unknown[];
  variants.push({
    ...dydxStarkKeyTypedData(1),
    message: { action: 'DYDX  stark key', onlySignOn: 'https://trade.dydx.exchange' },
  });
  for (const td of variants) {
    const reply = await call(page, { method: 'eth_signTypedData_v4', params: [address, JSON.stringify(td)] });
    expect(reply).toMatchObject({ code: 4100, message: expect.stringContaining('stark_account') });
    expect(reply.message).toContain('STARK private key');
  }
  for (const c of [1, 5]) {
    const reply = await call(page, {
      method: 'personal_sign',
      params: [stringToHex(dydxStarkKeyPersonalMessage(c)), address],
    });
    expect(reply).toMatchObject({ code: 4100, message: expect.stringContaining('stark_account') });
  }
  // A site that is not even connected gets the same answer, for the same reason.
  const other = await context.newPage();
  await other.goto(siteB.url('/dapp'));
  expect(
    await call(other, { method: 'eth_signTypedData_v4', params: [address, JSON.stringify(dydxStarkKeyTypedData(1))] }),
  ).toMatchObject({ code: 4100, message: expect.stringContaining('STARK private key') });
  // Never shown: no approval window opened for any of them.
  expect(approvalWindows(context)).toBe(0);

  // The API-key action: allowed for the connected origin, after an approval that says what it grants.
  const typedData = apiKeyTypedData(1, siteA.origin);
  const key = await start(page, { method: 'eth_signTypedData_v4', params: [address, JSON.stringify(typedData)] });
  const approval = await wallet.approval();
  // Alone in the queue: none of the refused requests was queued.
  await expect(approval.getByTestId('queue-count')).toHaveCount(0);
  await expect(approval.getByTestId('typed-grant')).toHaveText(
    `This signature gives ${siteA.origin} your dYdX API key credentials; it cannot move funds.`,
  );
  await expect(approval.getByTestId('typed-fields')).toHaveAttribute('data-kind', 'dydx-api-key');
  // Decoded, not raw JSON: every hashed domain field (salt included), the primary type and each message field.
  await expect(approval.getByTestId('domain-name')).toHaveText('dYdX');
  await expect(approval.getByTestId('domain-version')).toHaveText('1.0');
  await expect(approval.getByTestId('domain-chain-id')).toHaveText('1');
  await expect(approval.getByTestId('domain-salt')).toHaveText('—');
  await expect(approval.getByTestId('typed-primary-type')).toHaveText('dYdX');
  await expect(approval.getByTestId('typed-field-action')).toHaveText('dYdX Onboarding');
  await expect(approval.getByTestId('typed-field-onlySignOn')).toHaveText(siteA.origin);
  await expect(approval.getByTestId('warnings')).toHaveCount(0);
  await expect(approval.getByTestId('message')).toHaveCount(0);
  await approval.getByTestId('approve').click();
  const { result: signature } = await outcome(page, key);
  expect(await recoverTypedDataAddress({ ...(typedData as any), signature })).toBe(address);
  await noApprovalWindow(context);

  // onlySignOn names the site that may ask: the same message from the other (even connected) site is refused.
  await connect(other, wallet);
  expect(
    await call(other, { method: 'eth_signTypedData_v4', params: [address, JSON.stringify(typedData)] }),
  ).toMatchObject({ code: 4100, message: expect.stringContaining(`message.onlySignOn is "${siteA.origin}"`) });
});

test('personal_sign; the wrong address → 4100; malformed typed data → -32602', async ({ context, siteA, wallet }) => {
  siteA.setPage('/dapp', DAPP);
  await wallet.importPhrase(PHRASE, PASSWORD);
  const page = await context.newPage();
  await page.goto(siteA.url('/dapp'));
  const { result: acct } = await connect(page, wallet);
  const address = acct.address as `0x${string}`;
  const key = await start(page, { method: 'personal_sign', params: [stringToHex('dYdX API key'), address] });
  const approval = await wallet.approval();
  await expect(approval.getByTestId('message')).toHaveText('dYdX API key');
  await expect(approval.getByTestId('message-encoding')).toHaveAttribute('data-encoding', 'utf8');
  await expect(approval.getByTestId('warnings')).toHaveCount(0);
  await approval.getByTestId('approve').click();
  const { result: signature } = await outcome(page, key);
  expect(await verifyMessage({ address, message: 'dYdX API key', signature })).toBe(true);

  expect(
    await call(page, { method: 'personal_sign', params: [stringToHex('x'), `0x${'11'.repeat(20)}`] }),
  ).toMatchObject({ code: 4100 });
  expect(await call(page, { method: 'personal_sign', params: ['not hex', address] })).toMatchObject({
    code: -32602,
    message: expect.stringContaining('params[0]'),
  });
  expect(await call(page, { method: 'eth_signTypedData_v4', params: [address, '{"types":'] })).toMatchObject({
    code: -32602,
    message: expect.stringContaining('params[1]'),
  });
});

test('withdrawal, transfer and conditional transfer: decoded, signed, equal to src/', async ({
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
  const expiration = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 + 3 * 86_400_000).toISOString();

  const w = { positionId: '12345', amount: '49.478023', clientId: 'w-1', expiration };
  let key = await start(page, { method: 'stark_signWithdrawal', params: [w] });
  let approval = await wallet.approval();
  await expect(approval.getByTestId('field-amount')).toHaveText('49.478023 USDC');
  await approval.getByTestId('approve').click();
  const ws = await outcome(page, key);
  expect(ws.result.signature).toBe(
    dydx.signWithdrawal(
      { positionId: '12345', humanAmount: w.amount, clientId: w.clientId, expirationIsoTimestamp: expiration },
      1,
      keys.stark.privateKey,
    ).signatureHex,
  );

  const t = {
    positionId: '12345',
    receiverPositionId: '67890',
    receiverPublicKey: RECEIVER,
    amount: '1.5',
    clientId: 't-1',
    expiration,
  };
  const starkT = {
    senderPositionId: '12345',
    receiverPositionId: '67890',
    receiverPublicKey: RECEIVER,
    humanAmount: '1.5',
    clientId: 't-1',
    expirationIsoTimestamp: expiration,
  };
  key = await start(page, { method: 'stark_signTransfer', params: [t] });
  approval = await wallet.approval();
  await expect(approval.getByTestId('field-to')).toHaveText('67890');
  await approval.getByTestId('approve').click();
  expect((await outcome(page, key)).result.signature).toBe(
    dydx.signTransfer(starkT, 1, keys.stark.privateKey).signatureHex,
  );

  key = await start(page, {
    method: 'stark_signConditionalTransfer',
    params: [{ ...t, factRegistryAddress: FACT_REGISTRY, fact: FACT }],
  });
  approval = await wallet.approval();
  await expect(approval.getByTestId('field-condition')).toHaveText(/^0x[0-9a-f]+$/);
  await approval.getByTestId('approve').click();
  expect((await outcome(page, key)).result.signature).toBe(
    dydx.signConditionalTransfer(
      { ...starkT, factRegistryAddress: FACT_REGISTRY, fact: FACT },
      1,
      keys.stark.privateKey,
    ).signatureHex,
  );
});

const USDC = '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48';
const PERMIT2 = '0x000000000022d473030f116ddee9f6b43ac78ba3';
const DOMAIN_TYPE = [
  { name: 'name', type: 'string' },
  { name: 'version', type: 'string' },
  { name: 'chainId', type: 'uint256' },
  { name: 'verifyingContract', type: 'address' },
];

test('typed data is allowlisted: Permit (EIP-2612), Permit2, EIP-3009, spender+value and an unknown type are refused with 4100 naming the primaryType, never queued', async ({
  context,
  siteA,
  wallet,
}) => {
  siteA.setPage('/dapp', DAPP);
  await wallet.importPhrase(PHRASE, PASSWORD);
  const page = await context.newPage();
  await page.goto(siteA.url('/dapp'));
  const { result: acct } = await connect(page, wallet);
  const address = acct.address as `0x${string}`;
  await noApprovalWindow(context);

  const permit = {
    types: {
      EIP712Domain: DOMAIN_TYPE,
      Permit: [
        { name: 'owner', type: 'address' },
        { name: 'spender', type: 'address' },
        { name: 'value', type: 'uint256' },
        { name: 'nonce', type: 'uint256' },
        { name: 'deadline', type: 'uint256' },
      ],
    },
    domain: { name: 'USD Coin', version: '2', chainId: 1, verifyingContract: USDC },
    primaryType: 'Permit',
    message: { owner: address, spender: PERMIT2, value: '1000000000000', nonce: 0, deadline: '9999999999' },
  };
  const permitSingle = {
    types: {
      PermitDetails: [
        { name: 'token', type: 'address' },
        { name: 'amount', type: 'uint160' },
        { name: 'expiration', type: 'uint48' },
        { name: 'nonce', type: 'uint48' },
      ],
      PermitSingle: [
        { name: 'details', type: 'PermitDetails' },
        { name: 'spender', type: 'address' },
        { name: 'sigDeadline', type: 'uint256' },
      ],
    },
    domain: { name: 'Permit2', chainId: 1, verifyingContract: PERMIT2 },
    primaryType: 'PermitSingle',
    message: {
      details: { token: USDC, amount: '1', expiration: 1900000000, nonce: 0 },
      spender: `0x${'22'.repeat(20)}`,
      sigDeadline: 1900000000,
    },
  };
  const transferWithAuthorization = {
    types: {
      EIP712Domain: DOMAIN_TYPE,
      TransferWithAuthorization: [
        { name: 'from', type: 'address' },
        { name: 'to', type: 'address' },
        { name: 'value', type: 'uint256' },
        { name: 'validAfter', type: 'uint256' },
        { name: 'validBefore', type: 'uint256' },
        { name: 'nonce', type: 'bytes32' },
      ],
    },
    domain: { name: 'USD Coin', version: '2', chainId: 1, verifyingContract: USDC },
    primaryType: 'TransferWithAuthorization',
    message: {
      from: address,
      to: PERMIT2,
      value: '1000000000',
      validAfter: 0,
      validBefore: '9999999999',
      nonce: `0x${'42'.repeat(32)}`,
    },
  };
  const disguised = {
    types: {
      Order: [
        { name: 'spender', type: 'address' },
        { name: 'amount', type: 'uint256' },
      ],
    },
    domain: { name: 'Rewards', chainId: 1 },
    primaryType: 'Order',
    message: { spender: PERMIT2, amount: '5' },
  };
  const mail = {
    types: {
      Mail: [
        { name: 'to', type: 'address' },
        { name: 'note', type: 'string' },
      ],
    },
    domain: { name: 'Some App', version: '3', chainId: 5 },
    primaryType: 'Mail',
    message: { to: PERMIT2, note: 'hello' },
  };
  for (const td of [permit, permitSingle, transferWithAuthorization, disguised, mail]) {
    const reply = await call(page, { method: 'eth_signTypedData_v4', params: [address, JSON.stringify(td)] });
    expect(reply).toMatchObject({ code: 4100, message: expect.stringContaining(`primaryType is "${td.primaryType}"`) });
    expect(reply.message).toContain('message.action "dYdX Onboarding"');
  }
  expect(approvalWindows(context)).toBe(0);

  // personal_sign of 32 bytes: shown as hex with a blind-signing warning.
  const hash = `0x${'ab'.repeat(32)}`;
  const k2 = await start(page, { method: 'personal_sign', params: [hash, address] });
  const a2 = await wallet.approval();
  // Alone in the queue: none of the refused typed data was queued.
  await expect(a2.getByTestId('queue-count')).toHaveCount(0);
  await expect(a2.getByTestId('message')).toHaveText(hash);
  await expect(a2.getByTestId('message-encoding')).toHaveAttribute('data-encoding', 'hex');
  await expect(a2.locator('[data-testid=warnings] li[data-code=blind-signing]')).toHaveCount(1);
  await a2.getByTestId('reject').click();
  expect(await outcome(page, k2)).toMatchObject({ code: 4001 });
});

test('eth_chainId follows the deployment the verifier follows; typed data for another chain is flagged', async ({
  context,
  extensionId,
  siteA,
  wallet,
}) => {
  siteA.setPage('/dapp', DAPP);
  const popup = await wallet.importPhrase(PHRASE, PASSWORD);
  const page = await context.newPage();
  await page.goto(siteA.url('/dapp'));
  const { result: acct } = await connect(page, wallet);
  expect(await call(page, { method: 'eth_chainId' })).toEqual({ result: '0x1' });
  await noApprovalWindow(context);

  // Follow a devnet on chain 31337 (nothing listens on the RPC URL: only the settings matter here).
  const a = (n: number) => `0x${n.toString(16).padStart(40, '0')}`;
  const devnet = {
    chainId: 31337,
    addresses: {
      starkPerpetual: a(1),
      memoryPageFactRegistry: a(2),
      gpsStatementVerifier: a(3),
      gpsFactAdapter: a(4),
      escapeVerifier: a(5),
      usdc: a(6),
    },
    programHash: '1',
    usdcAssetType: '1',
  };
  await popup.goto(`chrome-extension://${extensionId}/ui/popup.html`);
  const reply = await popup.evaluate(
    (args) => (globalThis as any).chrome.runtime.sendMessage({ type: 'vigil/op', op: 'syncConfigure', args }),
    { settings: toTaggedJson({ devnet, rpcUrls: ['http://127.0.0.1:9'], periodMinutes: 60 }) },
  );
  expect(reply).toMatchObject({ ok: true });
  expect(await call(page, { method: 'eth_chainId' })).toEqual({ result: '0x7a69' });

  const key = await start(page, {
    method: 'eth_signTypedData_v4',
    params: [acct.address, JSON.stringify(apiKeyTypedData(1, siteA.origin))],
  });
  const approval = await wallet.approval();
  await expect(approval.getByTestId('typed-fields')).toHaveAttribute('data-kind', 'dydx-api-key');
  await expect(approval.locator('[data-testid=warnings] li[data-code=chain-mismatch]')).toContainText('31337');
  await approval.getByTestId('reject').click();
  expect(await outcome(page, key)).toMatchObject({ code: 4001 });
});
