import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeProgramOutput } from '../../../../src/starkex/program-output.js';
import { startExchangeDevnet, type ExchangeDevnet } from '../../../../devnet/exchange-devnet.js';
import { replayDevnetFromL1 } from '../../../../devnet/l1-replay.js';

// The misbehaviour switches (issue 7), set over the admin endpoint; each is seen from L1 alone.

let net: ExchangeDevnet;
const admin = async (path: string, body?: unknown) => {
  const res = await fetch(`${net.server!.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
};
const closeBatch = async () => (await admin('/admin/close-batch', {})).body.batch;
const replay = () =>
  replayDevnetFromL1(
    net.operator.l1.c.client,
    net.deployment.addresses,
    net.deployment.abis,
    net.deployment.programHash,
  );
const sp = () => ({ address: net.deployment.addresses.starkPerpetual, abi: net.deployment.abis.starkPerpetual });
const pendingForced = async (key: bigint, id: bigint, amount: bigint) =>
  net.operator.l1.c.client.readContract({
    ...sp(),
    functionName: 'getForcedWithdrawalRequest',
    args: [key, id, amount],
  });

beforeAll(async () => {
  net = await startExchangeDevnet({ bots: 1, port: 0 });
  expect(await closeBatch()).toMatchObject({ batchId: '1', misbehaviour: [] });
});
afterAll(async () => {
  await net?.stop();
});

describe('misbehaviour switches', () => {
  it('lists the switches and refuses unknown ones or non-booleans with 400 naming the field', async () => {
    expect((await admin('/admin/misbehaviour')).body.misbehaviour).toEqual({
      ignoreForcedActions: false,
      tamperDataPage: false,
      wrongPositionsRoot: false,
      stopBatches: false,
    });
    expect(await admin('/admin/misbehaviour', { freeMoney: true })).toMatchObject({
      status: 400,
      body: { error: { field: 'freeMoney' } },
    });
    expect(await admin('/admin/misbehaviour', { stopBatches: 'yes' })).toMatchObject({
      status: 400,
      body: { error: { field: 'stopBatches' } },
    });
    expect((await admin('/admin/misbehaviour')).body.misbehaviour.stopBatches).toBe(false);
  });

  it('ignoreForcedActions: a forced withdrawal stays pending on L1 until switched off', async () => {
    const bot = net.operator.bots!.bots[0]!;
    await admin('/admin/misbehaviour', { ignoreForcedActions: true });
    await net.operator.l1.send(sp().address, sp().abi, 'forcedWithdrawalRequest', [
      bot.keys.publicKey,
      bot.positionId,
      5_000_000n,
      false,
    ]);
    const ignored = await closeBatch();
    expect(ignored.batchId).toBe('2');
    expect(await pendingForced(bot.keys.publicKey, bot.positionId, 5_000_000n)).not.toBe(0n);
    await admin('/admin/misbehaviour', { ignoreForcedActions: false });
    await closeBatch();
    expect(await pendingForced(bot.keys.publicKey, bot.positionId, 5_000_000n)).toBe(0n);
    const outputs = (await replay()).map((b) => decodeProgramOutput(b.programOutput).forcedActions.length);
    expect(outputs.slice(1, 3)).toEqual([0, 1]);
  });

  it('stopBatches: nothing is posted until switched off; the changes then arrive in one batch', async () => {
    await admin('/admin/misbehaviour', { stopBatches: true });
    const before = await net.operator.l1.c.client.readContract({ ...sp(), functionName: 'getSequenceNumber' });
    net.operator.exchange.airdrop(2, 1_000_000n);
    expect(await closeBatch()).toBeNull();
    expect(await net.operator.l1.c.client.readContract({ ...sp(), functionName: 'getSequenceNumber' })).toBe(before);
    await admin('/admin/misbehaviour', { stopBatches: false });
    const b = await closeBatch();
    expect(b.sequenceNumber).toBe(String((before as bigint) + 1n));
    expect(b.positionIds.length).toBeGreaterThanOrEqual(3);
  });

  it("wrongPositionsRoot: one batch commits a root that is not its data's; the next is right again", async () => {
    expect(
      (await admin('/admin/misbehaviour', { wrongPositionsRoot: true })).body.misbehaviour.wrongPositionsRoot,
    ).toBe(true);
    net.operator.exchange.airdrop(1, 1_000_000n);
    const bad = await closeBatch();
    expect(bad.misbehaviour).toEqual(['wrongPositionsRoot']);
    expect((await admin('/admin/misbehaviour')).body.misbehaviour.wrongPositionsRoot).toBe(false);
    net.operator.exchange.airdrop(1, 1_000_000n);
    const good = await closeBatch();
    const r = await replay();
    const badReplay = r.find((b) => b.batchId === BigInt(bad.batchId))!;
    expect(badReplay.problems).toHaveLength(1);
    expect(badReplay.problems[0]).toMatch(/positions root computed from the data .* differs from the committed/);
    expect(badReplay.committedRoot).toBe(BigInt(bad.positionsRoot));
    const goodReplay = r.find((b) => b.batchId === BigInt(good.batchId))!;
    expect(goodReplay.problems).toEqual([]);
    expect(goodReplay.computedRoot).toBe(goodReplay.committedRoot);
    expect(r.filter((b) => b.problems.length > 0).map((b) => b.batchId)).toEqual([BigInt(bad.batchId)]);
  });

  it('tamperDataPage: L1 accepts a batch whose registered page is not the page its fact commits to', async () => {
    await admin('/admin/misbehaviour', { tamperDataPage: true });
    net.operator.exchange.airdrop(1, 1_000_000n);
    const bad = await closeBatch();
    expect(bad.misbehaviour).toEqual(['tamperDataPage']);
    expect(await net.operator.l1.c.client.readContract({ ...sp(), functionName: 'getSequenceNumber' })).toBe(
      BigInt(bad.sequenceNumber),
    );
    const last = (await replay()).at(-1)!;
    expect(last.batchId).toBe(BigInt(bad.batchId));
    expect(last.problems).toEqual([
      expect.stringMatching(/data page 1 \(hash 0x[0-9a-f]+\) was never registered with its data on L1/),
    ]);
    expect(last.computedRoot).toBeUndefined();
  });
});
