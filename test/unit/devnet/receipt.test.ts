import { afterAll, beforeAll, expect, test } from 'vitest';
import { createPublicClient, createWalletClient, custom, http, type PublicClient } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { ANVIL_DEV_PRIVATE_KEYS, startAnvil, type AnvilInstance } from '../../../devnet/lib/anvil.js';
import { devnetChain } from '../../../devnet/deploy.js';
import { receiptOf } from '../../../devnet/lib/receipt.js';

/**
 * The approval-frozen flake (freezeRequest never got its receipt): on a chain where one block is
 * mined after the send and then none, viem's waitForTransactionReceipt drops that block when it
 * arrives while viem is still reading a block to look for a replacement (slowed here to 400 ms, as
 * a loaded machine may), and waits for a next block that never comes. receiptOf asks for the
 * receipt itself and gets it.
 */
let anvil: AnvilInstance;
beforeAll(async () => {
  anvil = await startAnvil();
});
afterAll(async () => {
  await anvil?.stop();
});

test('a transaction mined in the last block a quiet chain mines: receiptOf returns its receipt; viem waits past it', async () => {
  const chain = devnetChain(anvil.rpcUrl, anvil.chainId);
  const account = privateKeyToAccount(ANVIL_DEV_PRIVATE_KEYS[1]);
  const plain = createPublicClient({ chain, transport: http(anvil.rpcUrl) });
  const slowBlocks = createPublicClient({
    chain,
    pollingInterval: 50,
    transport: custom({
      async request({ method, params }) {
        if (method === 'eth_getBlockByNumber') await new Promise((r) => setTimeout(r, 400));
        return plain.request({ method, params } as never);
      },
    }),
  }) as PublicClient;
  const wallet = createWalletClient({ account, chain, transport: http(anvil.rpcUrl) });

  await plain.request({ method: 'evm_setAutomine' as never, params: [false] as never });
  const hash = await wallet.sendTransaction({ account, chain, to: account.address, value: 1n });
  const viemWait = slowBlocks.waitForTransactionReceipt({ hash, timeout: 3_000 }).then(
    () => 'receipt',
    (e: Error) => e.name,
  );
  const ours = receiptOf(slowBlocks, hash, { timeoutMs: 3_000 });
  // Mined while viem reads block N-1 for a replacement; then the chain is quiet.
  await new Promise((r) => setTimeout(r, 200));
  await plain.request({ method: 'evm_mine' as never });

  expect((await ours).status).toBe('success');
  expect(await viemWait).toBe('WaitForTransactionReceiptTimeoutError');
});
