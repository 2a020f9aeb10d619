import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxUint256 } from 'viem';
import { forcedTradeDigest } from '../../../../src/messages/forced-trade.js';
import { decodeProgramOutput } from '../../../../src/starkex/program-output.js';
import { dydxMarket } from '../../../../src/messages/dydx-markets.js';
import { startExchangeDevnet, type ExchangeDevnet } from '../../../../devnet/exchange-devnet.js';
import { replayDevnetFromL1, type ReplayedBatch } from '../../../../devnet/l1-replay.js';

// Acceptance (issue 7): the operator with bots posts ≥ 20 batches; each one, rebuilt from L1 alone
// by src/, has the committed root, its facts and its page hashes.

let net: ExchangeDevnet;
let replay: ReplayedBatch[];
const ETH = dydxMarket('ETH-USD').syntheticAssetId;
const VALID_WITHDRAWAL = 1_000_000_000n;
const INVALID_WITHDRAWAL = 1n << 62n;

beforeAll(async () => {
  net = await startExchangeDevnet({ bots: 3, batchIntervalMs: 300, botIntervalMs: 200, port: null, seed: 11 });
  const op = net.operator;
  const sp = { address: net.deployment.addresses.starkPerpetual, abi: net.deployment.abis.starkPerpetual };
  const [bot0, bot1, bot2] = op.bots!.bots;
  await op.waitForBatches(3);
  // > 1000 words of on-chain data in one batch: two data pages.
  op.exchange.airdrop(210, 1_000_000n);
  await op.waitForBatches(5);
  // Forced actions on L1 (the bots' Ethereum key is the operator's account).
  await op.l1.send(sp.address, sp.abi, 'forcedWithdrawalRequest', [
    bot0!.keys.publicKey,
    bot0!.positionId,
    VALID_WITHDRAWAL,
    false,
  ]);
  await op.l1.send(sp.address, sp.abi, 'forcedWithdrawalRequest', [
    bot0!.keys.publicKey,
    bot0!.positionId,
    INVALID_WITHDRAWAL,
    false,
  ]);
  const trade = {
    starkKeyA: bot1!.keys.publicKey,
    starkKeyB: bot2!.keys.publicKey,
    positionIdA: bot1!.positionId,
    positionIdB: bot2!.positionId,
    collateralAssetId: net.deployment.usdcAssetType,
    syntheticAssetId: ETH,
    amountCollateral: 20_000_000n,
    amountSynthetic: 10_000_000n,
    aIsBuyingSynthetic: true,
    nonce: 77n,
    submissionExpirationTime: (await op.l1.blockTime()) / 3600n + 10n,
  };
  // The second one cannot be valid: 2^62 quanta of ETH is far beyond either position's margin.
  for (const t of [trade, { ...trade, amountSynthetic: 1n << 62n, nonce: 78n }]) {
    const signature = await op.l1.c.account.sign({ hash: forcedTradeDigest(t) });
    await op.l1.send(sp.address, sp.abi, 'forcedTradeRequest', [
      t.starkKeyA,
      t.starkKeyB,
      t.positionIdA,
      t.positionIdB,
      t.collateralAssetId,
      t.syntheticAssetId,
      t.amountCollateral,
      t.amountSynthetic,
      t.aIsBuyingSynthetic,
      t.submissionExpirationTime,
      t.nonce,
      signature,
      false,
    ]);
  }
  await op.waitForBatches(22, 90_000);
  await op.stop();
  replay = await replayDevnetFromL1(
    op.l1.c.client,
    net.deployment.addresses,
    net.deployment.abis,
    net.deployment.programHash,
  );
}, 150_000);

afterAll(async () => {
  await net?.stop();
});

describe('the operator with bots, checked from L1 alone', () => {
  it('posts at least 20 batches, each with a root computed by src/ equal to the committed one', () => {
    expect(replay.length).toBe(net.operator.batches.length);
    expect(replay.length).toBeGreaterThanOrEqual(20);
    for (const [i, b] of replay.entries()) {
      expect(b.problems, `batch ${b.batchId}`).toEqual([]);
      expect(b.sequenceNumber).toBe(BigInt(i + 1));
      expect(b.computedRoot).toBe(b.committedRoot);
      // …and equal to the operator's own tree.
      expect(b.computedRoot).toBe(net.operator.batches[i]!.trueRoot);
    }
  });

  it('splits on-chain data at 1000 words and the multi-page batch checks too', () => {
    const multi = replay.filter((b) => b.dataPages.length > 1);
    expect(multi.length).toBeGreaterThan(0);
    expect(multi[0]!.dataPages[0]!.length).toBe(1000);
    expect(multi[0]!.positionIds.length).toBeGreaterThan(200);
  });

  it('matched bot orders: their positions change in the batches', () => {
    expect(net.operator.exchange.fills.length).toBeGreaterThan(10);
    const botIds = new Set(net.operator.bots!.bots.map((b) => b.positionId));
    expect(replay.filter((b) => b.positionIds.some((id) => botIds.has(id))).length).toBeGreaterThan(10);
  });

  it('serves forced withdrawals (valid and invalid) and the forced trade, clearing them on L1', async () => {
    const outputs = replay.map((b) => decodeProgramOutput(b.programOutput));
    const forced = outputs.flatMap((o) => o.forcedActions);
    const [bot0] = net.operator.bots!.bots;
    expect(
      forced
        .filter((a) => a.type === 'withdrawal')
        .map((a) => a.type === 'withdrawal' && a.quantizedAmount)
        .sort(),
    ).toEqual([VALID_WITHDRAWAL, INVALID_WITHDRAWAL].sort());
    const trades = forced.filter((a) => a.type === 'trade');
    expect(trades.map((t) => t.type === 'trade' && t.nonce)).toEqual([77n, 78n]);
    // Only the valid withdrawal is paid out.
    const withdrawals = outputs
      .flatMap((o) => o.modifications)
      .filter((m) => m.delta < 0n && m.positionId === bot0!.positionId);
    expect(withdrawals.map((m) => m.delta)).toEqual([-VALID_WITHDRAWAL]);
    const c = net.operator.l1.c.client;
    const sp = { address: net.deployment.addresses.starkPerpetual, abi: net.deployment.abis.starkPerpetual };
    for (const amount of [VALID_WITHDRAWAL, INVALID_WITHDRAWAL]) {
      expect(
        await c.readContract({
          ...sp,
          functionName: 'getForcedWithdrawalRequest',
          args: [bot0!.keys.publicKey, bot0!.positionId, amount],
        }),
      ).toBe(0n);
    }
    expect(
      await c.readContract({
        ...sp,
        functionName: 'getWithdrawalBalance',
        args: [bot0!.keys.publicKey, net.deployment.usdcAssetType],
      }),
    ).toBe(VALID_WITHDRAWAL);
    // Valid or not, a served forced trade is cleared (marked 2^256 − 1) on L1.
    for (const t of trades) {
      if (t.type !== 'trade') throw new Error('unreachable');
      const args = [
        t.starkKeyA,
        t.starkKeyB,
        t.positionIdA,
        t.positionIdB,
        net.deployment.usdcAssetType,
        t.syntheticAssetId,
        t.amountCollateral,
        t.amountSynthetic,
        t.aIsBuyingSynthetic,
        t.nonce,
      ];
      expect(await c.readContract({ ...sp, functionName: 'getForcedTradeRequest', args })).toBe(maxUint256);
    }
  });

  it('writes a snapshot of the last batch whose positions hash to its root', async () => {
    const snap = net.operator.snapshot() as {
      batchId: string;
      positionsRoot: string;
      positions: { positionId: string }[];
    };
    expect(snap.batchId).toBe(replay.at(-1)!.batchId.toString());
    expect(BigInt(snap.positionsRoot)).toBe(replay.at(-1)!.computedRoot);
    expect(snap.positions.length).toBeGreaterThan(210);
  });
});
