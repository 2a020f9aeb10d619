import { recoverTypedDataAddress, stringToHex, verifyMessage } from 'viem';
import { dydx } from '../../src/messages/dydx.js';
import { deriveDydxStarkKey } from '../../src/keys/dydx-key.js';
import { dydxStarkKeyTypedData } from '../../src/keys/dydx-onboarding.js';
import { walletKeysFromSecret } from '../../src/wallet/index.js';
import { DAPP, call, connect, expect, outcome, start, test } from './fixtures.js';

const PASSWORD = 'correct horse battery';
const PHRASE = 'test test test test test test test test test test test junk';
const SECRET = { kind: 'mnemonic', mnemonic: PHRASE, starkDerivation: 'dydx', chainId: 1 } as const;
// A valid stark key (starkex-lib's transfer test receiver) and its fact registry example.
const RECEIVER = '05135ef87716b0faecec3ba672d145a6daad0aa46437c365d490022115aba674';
const FACT_REGISTRY = '0x12aa12aa12aa12aa12aa12aa12aa12aa12aa12aa';
const FACT = '0x12ff12ff12ff12ff12ff12ff12ff12ff12ff12ff12ff12ff12ff12ff12ff12ff';

test('a dYdX front end onboards through Vigil: eth_signTypedData_v4 of "dYdX STARK Key" derives the same stark key Vigil holds', async ({ context, siteA, wallet }) => {
  siteA.setPage('/dapp', DAPP);
  await wallet.importPhrase(PHRASE, PASSWORD);
  const page = await context.newPage();
  await page.goto(siteA.url('/dapp'));
  const k = await start(page, { method: 'eth_requestAccounts' });
  await (await wallet.approval()).getByTestId('approve').click();
  const { result: accounts } = await outcome(page, k);
  const address = accounts[0] as `0x${string}`;
  expect(await call(page, { method: 'eth_chainId' })).toEqual({ result: '0x1' });
  const stark = await call(page, { method: 'stark_account' });

  const typedData = dydxStarkKeyTypedData(1);
  const key = await start(page, { method: 'eth_signTypedData_v4', params: [address, JSON.stringify(typedData)] });
  const approval = await wallet.approval();
  await expect(approval.getByTestId('message')).toContainText('dYdX STARK Key');
  await approval.getByTestId('approve').click();
  const { result: signature } = await outcome(page, key);
  expect(await recoverTypedDataAddress({ ...(typedData as any), signature })).toBe(address);
  expect(`0x${deriveDydxStarkKey(signature).publicKey.toString(16).padStart(64, '0')}`).toBe(stark.result.starkKey);
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
  await expect(approval.getByTestId('message')).toHaveText(stringToHex('dYdX API key'));
  await approval.getByTestId('approve').click();
  const { result: signature } = await outcome(page, key);
  expect(await verifyMessage({ address, message: 'dYdX API key', signature })).toBe(true);

  expect(await call(page, { method: 'personal_sign', params: [stringToHex('x'), `0x${'11'.repeat(20)}`] })).toMatchObject({ code: 4100 });
  expect(await call(page, { method: 'personal_sign', params: ['not hex', address] })).toMatchObject({ code: -32602, message: expect.stringContaining('params[0]') });
  expect(await call(page, { method: 'eth_signTypedData_v4', params: [address, '{"types":'] })).toMatchObject({ code: -32602, message: expect.stringContaining('params[1]') });
});

test('withdrawal, transfer and conditional transfer: decoded, signed, equal to src/', async ({ context, siteA, wallet }) => {
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
  expect(ws.result.signature).toBe(dydx.signWithdrawal({ positionId: '12345', humanAmount: w.amount, clientId: w.clientId, expirationIsoTimestamp: expiration }, 1, keys.stark.privateKey).signatureHex);

  const t = { positionId: '12345', receiverPositionId: '67890', receiverPublicKey: RECEIVER, amount: '1.5', clientId: 't-1', expiration };
  const starkT = { senderPositionId: '12345', receiverPositionId: '67890', receiverPublicKey: RECEIVER, humanAmount: '1.5', clientId: 't-1', expirationIsoTimestamp: expiration };
  key = await start(page, { method: 'stark_signTransfer', params: [t] });
  approval = await wallet.approval();
  await expect(approval.getByTestId('field-to')).toHaveText('67890');
  await approval.getByTestId('approve').click();
  expect((await outcome(page, key)).result.signature).toBe(dydx.signTransfer(starkT, 1, keys.stark.privateKey).signatureHex);

  key = await start(page, { method: 'stark_signConditionalTransfer', params: [{ ...t, factRegistryAddress: FACT_REGISTRY, fact: FACT }] });
  approval = await wallet.approval();
  await expect(approval.getByTestId('field-condition')).toHaveText(/^0x[0-9a-f]+$/);
  await approval.getByTestId('approve').click();
  expect((await outcome(page, key)).result.signature).toBe(dydx.signConditionalTransfer({ ...starkT, factRegistryAddress: FACT_REGISTRY, fact: FACT }, 1, keys.stark.privateKey).signatureHex);
});
