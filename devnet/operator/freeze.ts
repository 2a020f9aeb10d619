import type { OperatorCore } from './operator.js';

/**
 * Brings the devnet to dYdX v3's situation today (issue 16): some history, then the operator stops,
 * a forced withdrawal goes unserved past the freeze grace period, and the exchange is frozen
 * (l1-data-tree.md §5.3–§5.4). The operator's API keeps running: it then plays the untrusted third
 * party that serves escape files (`GET /v3/escape-proof`). Used by `npm start -- --frozen` and tests.
 */
export type FrozenDevnet = {
  /** The position whose forced withdrawal went unserved (a bot's: the operator's account holds its Ethereum key). */
  requester: { starkKey: bigint; positionId: bigint };
  /** The last batch posted before the operator stopped: the final state. */
  lastSequenceNumber: bigint;
  freezeTx: `0x${string}`;
};

export async function freezeDevnet(op: OperatorCore): Promise<FrozenDevnet> {
  const bot = op.bots?.bots[0];
  if (!bot) throw new Error('freezeDevnet: the devnet needs at least one bot (its forced withdrawal goes unserved)');
  // The last batch: whatever is pending is in the final state; then the operator posts nothing more.
  await op.closeBatch();
  op.misbehaviour.stopBatches = true;
  op.misbehaviour.ignoreForcedActions = true;
  const { starkPerpetual } = op.opts.deployment.addresses;
  const abi = op.opts.deployment.abis.starkPerpetual;
  const amount = 1_000_000n;
  await op.l1.send(starkPerpetual, abi, 'forcedWithdrawalRequest', [bot.keys.publicKey, bot.positionId, amount, false]);
  // Past the grace period (read from the chain), then anyone may freeze the exchange.
  // (What POST /admin/advance-time does by default.)
  await op.advanceTime(Number(await op.l1.freezeGracePeriod()) + 60);
  const receipt = await op.l1.send(starkPerpetual, abi, 'freezeRequest', [bot.keys.publicKey, bot.positionId, amount]);
  const frozen = (await op.l1.c.client.readContract({
    address: starkPerpetual,
    abi,
    functionName: 'isFrozen',
  })) as boolean;
  if (!frozen) throw new Error('freezeDevnet: freezeRequest succeeded but isFrozen() is false');
  return {
    requester: { starkKey: bot.keys.publicKey, positionId: bot.positionId },
    lastSequenceNumber: op.batches.at(-1)?.sequenceNumber ?? 0n,
    freezeTx: receipt.transactionHash,
  };
}
