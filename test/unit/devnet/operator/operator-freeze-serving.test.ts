import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generatePrivateKey } from 'viem/accounts';
import { startExchangeDevnet, type ExchangeDevnet } from '../../../../devnet/exchange-devnet.js';
import { devnetClients, type DevnetClients } from '../../../../devnet/deploy.js';
import { receiptOf } from '../../../../devnet/lib/receipt.js';
import { ADVANCE_TIME_MAX_SECONDS } from '../../../../devnet/operator/api.js';
import { FAUCET_ETH } from '../../../../devnet/operator/operator.js';
import { starkKeyPair } from '../../../../src/keys/stark-key.js';
import { checkEscapeProof, parseEscapeInput } from '../../../../src/exit/escape-file.js';
import { finalSharedState } from '../../../../src/exit/final-state.js';
import { devnetDeployment } from '../../../../src/l1/deployment.js';
import { MultiRpc } from '../../../../src/l1/multi-rpc.js';
import { createStarkExReader } from '../../../../src/l1/starkex-reader.js';

// Issue 17 item 5, in one process: a user connects (test ETH for gas + test USDC), the operator
// ignores the user's forced withdrawal, the admin moves time past the grace period, the user
// freezes the exchange — even while a batch is being posted — and the operator keeps serving:
// nothing posted after, trading refused, API/admin/demo answer, the escape file proves against L1.

let net: ExchangeDevnet;
const logs: string[] = [];
const user = starkKeyPair(0x5e12e1n);
let eth: DevnetClients;
let userPositionId: bigint;

const api = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${net.server!.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: (res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as any,
  };
};
const sp = () => ({ address: net.deployment.addresses.starkPerpetual, abi: net.deployment.abis.starkPerpetual });
const read = (functionName: string, args: unknown[] = []) =>
  net.operator.l1.c.client.readContract({ ...sp(), functionName, args }) as Promise<any>;
const head = () => net.operator.l1.c.client.getBlock();
/** A transaction from the user's own Ethereum key, paying its own gas. */
const userSends = async (functionName: string, args: unknown[]) => {
  const hash = await eth.wallet.writeContract({
    ...sp(),
    functionName,
    args,
    account: eth.account,
    chain: net.deployment.chain,
    gas: 1_000_000n,
  } as never);
  const r = await receiptOf(eth.client, hash);
  if (r.status !== 'success') throw new Error(`${functionName} reverted`);
};

beforeAll(async () => {
  net = await startExchangeDevnet({ port: 0, bots: 1, seed: 17, log: (l) => logs.push(l) });
  eth = devnetClients(net.anvil.rpcUrl, net.deployment.chain, generatePrivateKey());
  for (let i = 0; i < 10; i++) net.operator.bots!.step();
  expect((await api('POST', '/admin/close-batch', {})).body.batch.batchId).toBe('1');
}, 120_000);
afterAll(async () => {
  await net?.stop();
});

describe('POST /admin/advance-time: bad input', () => {
  it('answers 400 naming the field, the value and the allowed range; the chain clock does not move', async () => {
    const before = await head();
    const range = `1..${ADVANCE_TIME_MAX_SECONDS}`;
    for (const [body, value] of [
      [{ seconds: -5 }, '-5'],
      [{ seconds: 0 }, '0'],
      [{ seconds: 1.5 }, '1.5'],
      [{ seconds: '60' }, '"60"'],
      [{ seconds: ADVANCE_TIME_MAX_SECONDS + 1 }, String(ADVANCE_TIME_MAX_SECONDS + 1)],
    ] as const) {
      const r = await api('POST', '/admin/advance-time', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.field).toBe('seconds');
      expect(r.body.error.message).toContain(`got ${value}`);
      expect(r.body.error.message).toContain(range);
    }
    const typo = await api('POST', '/admin/advance-time', { secs: 60 });
    expect(typo).toMatchObject({ status: 400, body: { error: { field: 'secs' } } });
    const after = await head();
    expect(after.number).toBe(before.number);
    expect(after.timestamp).toBe(before.timestamp);
  });
});

describe('POST /admin/advance-time during a batch', () => {
  // Past PERPETUAL_SYSTEM_TIME_LAG_BOUND (7 days): a batch whose time was read before the move would revert.
  it('waits for the batch: the batch posts with its own time, then the clock moves', async () => {
    const before = net.operator.batches.length;
    for (let i = 0; i < 10; i++) net.operator.bots!.step();
    // The batch has read the block time and is about to post (held 1 s there) when the clock is moved.
    const post = net.operator.l1.postBatch.bind(net.operator.l1);
    const held = vi.spyOn(net.operator.l1, 'postBatch').mockImplementationOnce(async (...args) => {
      await new Promise((r) => setTimeout(r, 1000));
      return post(...args);
    });
    const closing = api('POST', '/admin/close-batch', {});
    while (held.mock.calls.length === 0) await new Promise((r) => setTimeout(r, 10));
    const moved = await api('POST', '/admin/advance-time', { seconds: 8 * 86_400 });
    expect(moved.status).toBe(200);
    const closed = await closing;
    expect(closed.status).toBe(200);
    expect(closed.body.batch.batchId).toBe(String(before + 1));
    expect(net.operator.failure).toBeUndefined();
    expect(BigInt(moved.body.advanced.toTimestamp)).toBeGreaterThanOrEqual(
      BigInt(moved.body.advanced.fromTimestamp) + 8n * 86_400n,
    );
    held.mockRestore();
    expect((await api('POST', '/admin/close-batch', {})).body.batch.batchId).toBe(String(before + 2));
  });
});

describe('connect (POST /v3/onboarding)', () => {
  it('funds the connected L1 address with test ETH and deposits test USDC into its position', async () => {
    expect(await eth.client.getBalance({ address: eth.account.address })).toBe(0n);
    const r = await api('POST', '/v3/onboarding', {
      starkKey: `0x${user.publicKey.toString(16)}`,
      ethereumAddress: eth.account.address,
    });
    expect(r.status).toBe(200);
    expect(r.body.created).toBe(true);
    expect(r.body.ethBalanceWei).toBe(FAUCET_ETH.toString());
    expect(await eth.client.getBalance({ address: eth.account.address })).toBe(FAUCET_ETH);
    userPositionId = BigInt(r.body.account.positionId);
    await api('POST', '/admin/close-batch', {});
    expect(net.operator.exchange.ledger.position(userPositionId).collateral).toBe(100_000n * 1_000_000n);
  });
});

describe('a freeze', () => {
  it('advance-time moves the chain past the grace period; after the freeze the operator keeps serving and posts nothing', async () => {
    const amount = 1_000_000n;
    expect(await api('POST', '/admin/misbehaviour', { ignoreForcedActions: true })).toMatchObject({ status: 200 });
    // The user's own forced withdrawal, gas paid with the faucet's ETH; the operator ignores it.
    await userSends('forcedWithdrawalRequest', [user.publicKey, userPositionId, amount, false]);
    const requested = (await head()).timestamp;
    await api('POST', '/admin/close-batch', {});
    await expect(userSends('freezeRequest', [user.publicKey, userPositionId, amount])).rejects.toThrow();

    const grace = (await read('FREEZE_GRACE_PERIOD')) as bigint;
    const moved = await api('POST', '/admin/advance-time');
    expect(moved.status).toBe(200);
    expect(BigInt(moved.body.advanced.freezeGracePeriod)).toBe(grace);
    expect((await head()).timestamp).toBeGreaterThan(requested + grace);
    expect(BigInt(moved.body.advanced.toTimestamp)).toBe((await head()).timestamp);

    // The freeze lands while the operator is posting a batch: its isFrozen() check still saw
    // false, then updateState reverts on L1 (STATE_IS_FROZEN). That revert is the freeze, not a crash.
    const posted = net.operator.batches.length;
    const sequence = (await read('getSequenceNumber')) as bigint;
    const isFrozen = net.operator.l1.isFrozen.bind(net.operator.l1);
    const check = vi.spyOn(net.operator.l1, 'isFrozen').mockImplementationOnce(async () => {
      await userSends('freezeRequest', [user.publicKey, userPositionId, amount]);
      return false;
    });
    // The batch that reverts changes the positions tree (a new position funded by the insurance fund).
    expect((await api('POST', '/admin/airdrop', { count: 1 })).status).toBe(200);
    const closed = await api('POST', '/admin/close-batch', {});
    expect(closed.status).toBe(200);
    expect(closed.body.batch).toBeNull();
    expect(closed.body.frozen.seenBy).toMatch(/reverted/);
    expect(await isFrozen()).toBe(true);
    expect(net.operator.failure).toBeUndefined();
    expect(logs.filter((l) => /FROZEN/.test(l))).toHaveLength(1);

    // Nothing is posted after the freeze, however often a batch is asked for.
    const postBatch = vi.spyOn(net.operator.l1, 'postBatch');
    for (let i = 0; i < 2; i++) expect((await api('POST', '/admin/close-batch', {})).body.batch).toBeNull();
    expect(postBatch).not.toHaveBeenCalled();
    expect(net.operator.batches.length).toBe(posted);
    expect(await read('getSequenceNumber')).toBe(sequence);
    check.mockRestore();
    postBatch.mockRestore();

    // The API, admin endpoint and demo page keep answering; the status says FROZEN.
    const status = await api('GET', '/v3/status');
    expect(status).toMatchObject({ status: 200, body: { status: 'FROZEN' } });
    expect(status.body.frozen.lastBatchId).toBe(String(posted));
    expect((await api('GET', '/v3/markets')).status).toBe(200);
    expect((await api('GET', '/admin/misbehaviour')).body.frozen).not.toBeNull();
    expect((await api('GET', '/')).status).toBe(200);
    // No matching: open orders were cancelled, new ones refused, the bots place none.
    const ex = net.operator.exchange;
    expect([...ex.orders.values()].filter((o) => o.status === 'OPEN')).toHaveLength(0);
    const orders = ex.orders.size;
    net.operator.bots!.step();
    expect(ex.orders.size).toBe(orders);
    expect(await api('POST', '/v3/orders', {})).toMatchObject({
      status: 409,
      body: { error: { code: 'EXCHANGE_FROZEN' } },
    });
    // A new key cannot deposit any more (409, nothing changes); the connected user still gets gas.
    const accounts = ex.accounts.size;
    const late = await api('POST', '/v3/onboarding', {
      starkKey: `0x${starkKeyPair(0x1a7en).publicKey.toString(16)}`,
      ethereumAddress: eth.account.address,
    });
    expect(late).toMatchObject({ status: 409, body: { error: { code: 'EXCHANGE_FROZEN' } } });
    expect(ex.accounts.size).toBe(accounts);
    const again = await api('POST', '/v3/onboarding', {
      starkKey: `0x${user.publicKey.toString(16)}`,
      ethereumAddress: eth.account.address,
    });
    expect(again).toMatchObject({ status: 200, body: { created: false } });

    // The operator's tree went back to the last posted batch: its escape file proves against L1.
    const deployment = devnetDeployment({ ...net.deployment, chainId: net.deployment.chain.id });
    const reader = createStarkExReader(
      deployment,
      MultiRpc.fromUrls([net.anvil.rpcUrl], { attempts: 2, baseDelayMs: 10 }),
    );
    const final = await finalSharedState(reader, deployment);
    const file = await api('GET', `/v3/escape-proof?positionId=${userPositionId}`);
    const checked = checkEscapeProof(parseEscapeInput(JSON.stringify(file.body)), final, {
      deployment,
      positionId: userPositionId,
      starkKey: user.publicKey,
    });
    expect(checked.amount).toBeGreaterThan(0n);
  });
});
