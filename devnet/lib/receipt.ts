import type { Hex, PublicClient, TransactionReceipt } from 'viem';

/**
 * The receipt of a sent transaction, asked for every `intervalMs` until it exists.
 *
 * Not viem's waitForTransactionReceipt: that one looks for the receipt only when it sees a new
 * block number, and drops a block number that arrives while it is still checking for a replaced
 * transaction (its `retrying` flag). anvil answers eth_sendRawTransaction before it mines, so the
 * block that holds the transaction can be exactly the one dropped; on a devnet where nothing else
 * is mined (the operator stopped before a freeze) no later block comes, and the wait ends in
 * WaitForTransactionReceiptTimeoutError after 180 s with the transaction mined long before. Asking
 * for the receipt itself does not depend on any later block.
 */
export async function receiptOf(
  client: Pick<PublicClient, 'getTransactionReceipt'>,
  hash: Hex,
  { intervalMs = 50, timeoutMs = 60_000 }: { intervalMs?: number; timeoutMs?: number } = {},
): Promise<TransactionReceipt> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const receipt = await client.getTransactionReceipt({ hash }).catch(() => null); // not mined yet
    if (receipt) return receipt;
    if (Date.now() > deadline) throw new Error(`no receipt for transaction ${hash} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
