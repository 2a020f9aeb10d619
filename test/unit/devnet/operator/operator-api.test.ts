import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { privateKeyToAddress } from 'viem/accounts';
import { starkKeyPair } from '../../../../src/keys/stark-key.js';
import { dydx } from '../../../../src/messages/dydx.js';
import { startExchangeDevnet, type ExchangeDevnet } from '../../../../devnet/exchange-devnet.js';
import { replayDevnetFromL1 } from '../../../../devnet/l1-replay.js';
import { toJson } from '../../../../devnet/operator/operator.js';
import { checkEscapeProof, parseEscapeInput } from '../../../../src/exit/escape-file.js';
import { finalSharedState } from '../../../../src/exit/final-state.js';
import { devnetDeployment } from '../../../../src/l1/deployment.js';
import { MultiRpc } from '../../../../src/l1/multi-rpc.js';
import { createStarkExReader } from '../../../../src/l1/starkex-reader.js';

// The operator's HTTP API (issue 7): dYdX v3 shapes; bad input → 4xx JSON naming the field, the
// operator keeps running and nothing changes.

let net: ExchangeDevnet;
const alice = starkKeyPair(0xa11ce0001n);
const bob = starkKeyPair(0xb0b0002n);
const mallory = starkKeyPair(0x3a11023n);
const ids: Record<string, string> = {};
let n = 0;

const api = async (method: string, path: string, body?: unknown, raw?: string) => {
  const res = await fetch(`${net.server!.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  return { status: res.status, body: (await res.json()) as any };
};
const expiration = (ms = 3 * 86_400_000) => new Date(Math.floor((Date.now() + ms) / 1000) * 1000).toISOString();

function order(
  who: { privateKey: bigint },
  positionId: string,
  fields: Partial<Record<string, string>> = {},
  signer = who,
) {
  const o = {
    market: 'ETH-USD',
    side: 'SELL',
    size: '0.5',
    price: '2100',
    limitFee: '0.001',
    expiration: expiration(),
    clientId: `c-${++n}`,
    positionId,
    ...fields,
  };
  let signature: string;
  try {
    signature = dydx.signOrder(
      {
        positionId: o.positionId,
        humanSize: o.size,
        humanPrice: o.price,
        limitFee: o.limitFee,
        market: o.market,
        side: o.side as 'SELL',
        expirationIsoTimestamp: o.expiration,
        clientId: o.clientId,
      },
      1,
      signer.privateKey,
    ).signatureHex;
  } catch {
    // src/ refuses to sign what it cannot convert: any well-formed signature does for the operator to refuse it.
    signature = `${'1'.repeat(64)}${'2'.repeat(64)}`;
  }
  return { ...o, signature };
}

/** Everything a refused request must leave untouched. */
const fingerprint = () => {
  const ex = net.operator.exchange;
  return JSON.stringify(
    toJson({
      positions: [...ex.ledger.positions],
      orders: [...ex.orders.values()].map((o) => [o.id, o.status, o.remaining]),
      fills: ex.fills.length,
      touched: ex.ledger.touched(),
      accounts: [...ex.accounts.keys()],
    }),
  );
};

beforeAll(async () => {
  net = await startExchangeDevnet({ bots: 0, port: 0 });
  for (const [name, k] of [
    ['alice', alice],
    ['bob', bob],
  ] as const) {
    const r = await api('POST', '/v3/onboarding', {
      starkKey: `0x${k.publicKey.toString(16)}`,
      ethereumAddress: privateKeyToAddress(`0x${(k.privateKey + 1n).toString(16).padStart(64, '0')}`),
    });
    expect(r.status).toBe(200);
    expect(r.body.created).toBe(true);
    ids[name] = r.body.account.positionId;
  }
  // The faucet deposits are credited by the next batch.
  await api('POST', '/admin/close-batch', {});
});
afterAll(async () => {
  await net?.stop();
});

describe('accounts and markets', () => {
  it('onboarding is idempotent and the faucet deposit is credited by a batch', async () => {
    const again = await api('POST', '/v3/onboarding', {
      starkKey: `0x${alice.publicKey.toString(16)}`,
      ethereumAddress: privateKeyToAddress(`0x${'11'.repeat(32)}`),
    });
    expect(again.body).toMatchObject({ created: false, account: { positionId: ids.alice } });
    const acct = await api('GET', `/v3/accounts/${ids.alice}`);
    expect(acct.body.account).toMatchObject({
      positionId: ids.alice,
      quoteBalance: '100000.000000',
      starkKey: `0x${alice.publicKey.toString(16)}`,
    });
    expect((await api('GET', `/v3/accounts?starkKey=0x${bob.publicKey.toString(16)}`)).body.account.positionId).toBe(
      ids.bob,
    );
    const markets = (await api('GET', '/v3/markets')).body.markets;
    expect(Object.keys(markets)).toEqual(['BTC-USD', 'ETH-USD', 'SOL-USD']);
    expect(Number(markets['ETH-USD'].oraclePrice)).toBeGreaterThan(1000);
  });

  it('bad onboarding input: 400 naming starkKey / ethereumAddress', async () => {
    expect(
      await api('POST', '/v3/onboarding', {
        starkKey: '0x1234',
        ethereumAddress: privateKeyToAddress(`0x${'22'.repeat(32)}`),
      }),
    ).toMatchObject({ status: 400, body: { error: { field: 'starkKey' } } });
    expect(
      await api('POST', '/v3/onboarding', { starkKey: `0x${mallory.publicKey.toString(16)}`, ethereumAddress: '0x12' }),
    ).toMatchObject({ status: 400, body: { error: { field: 'ethereumAddress' } } });
  });
});

describe('orders', () => {
  it('rejects bad input with a 4xx JSON error naming the field and changes nothing', async () => {
    const before = fingerprint();
    const cases: [string, { status: number; body: any }][] = [
      ['signature', await api('POST', '/v3/orders', order(alice, ids.alice!, {}, mallory))],
      ['signature', await api('POST', '/v3/orders', { ...order(alice, ids.alice!), signature: 'zz' })],
      ['expiration', await api('POST', '/v3/orders', order(alice, ids.alice!, { expiration: expiration(-60_000) }))],
      ['market', await api('POST', '/v3/orders', order(alice, ids.alice!, { market: 'NOPE-USD' }))],
      ['market', await api('POST', '/v3/orders', order(alice, ids.alice!, { market: 'LINK-USD' }))],
      ['size', await api('POST', '/v3/orders', order(alice, ids.alice!, { side: 'BUY', size: '1000' }))],
      ['size', await api('POST', '/v3/orders', order(alice, ids.alice!, { size: '99999999999999999999' }))],
      ['size', await api('POST', '/v3/orders', order(alice, ids.alice!, { size: '-1' }))],
      ['price', await api('POST', '/v3/orders', order(alice, ids.alice!, { price: 'cheap' }))],
      ['side', await api('POST', '/v3/orders', order(alice, ids.alice!, { side: 'HOLD' }))],
      ['clientId', await api('POST', '/v3/orders', { ...order(alice, ids.alice!), clientId: undefined })],
      ['positionId', await api('POST', '/v3/orders', order(alice, '999999'))],
      ['body', await api('POST', '/v3/orders', undefined, '{"market": "ETH-USD",')],
      ['body', await api('POST', '/v3/orders', [1, 2])],
    ];
    for (const [field, r] of cases) {
      expect(r.status, JSON.stringify(r.body)).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      expect(r.body.error, JSON.stringify(r.body)).toMatchObject({
        field,
        message: expect.any(String),
        code: expect.any(String),
      });
    }
    expect(cases.find(([f]) => f === 'body')![1].body.error.code).toBe('MALFORMED_JSON');
    expect(cases[5]![1].body.error.code).toBe('INSUFFICIENT_MARGIN');
    expect(fingerprint()).toBe(before);
  });

  it('matches a crossing order at the maker price with maker/taker fees; the fill is in the next batch', async () => {
    const ask = order(alice, ids.alice!, { side: 'SELL', size: '0.5', price: '2100' });
    const placed = await api('POST', '/v3/orders', ask);
    expect(placed).toMatchObject({
      status: 200,
      body: { order: { status: 'OPEN', remainingSize: '0.500000000', price: '2100.000000' } },
    });
    // The same order again, or the same clientId: refused.
    expect(await api('POST', '/v3/orders', ask)).toMatchObject({ status: 400, body: { error: { field: 'clientId' } } });
    const worse = await api(
      'POST',
      '/v3/orders',
      order(alice, ids.alice!, { side: 'SELL', size: '0.5', price: '2150' }),
    );
    expect(worse.status).toBe(200);
    const book = (await api('GET', '/v3/orderbook/ETH-USD')).body;
    expect(book.asks.map((l: any) => l.price)).toEqual(['2100.000000', '2150.000000']);
    const bid = await api('POST', '/v3/orders', order(bob, ids.bob!, { side: 'BUY', size: '0.7', price: '2200' }));
    // Price-time priority: all of the 2100 ask, then 0.2 of the 2150 ask; the taker pays the makers' prices.
    expect(bid.body.order).toMatchObject({ status: 'FILLED', remainingSize: '0.000000000' });
    expect((await api('GET', `/v3/orders/${placed.body.order.id}`)).body.order.status).toBe('FILLED');
    expect((await api('GET', `/v3/orders/${worse.body.order.id}`)).body.order).toMatchObject({
      status: 'OPEN',
      remainingSize: '0.300000000',
    });
    const fills = (await api('GET', `/v3/fills?positionId=${ids.bob}`)).body.fills;
    expect(fills.map((f: any) => [f.liquidity, f.size, f.collateral])).toEqual([
      ['TAKER', '200000000', '430000000'],
      ['TAKER', '500000000', '1050000000'],
    ]);
    // Taker fee 5 bp, maker fee 2 bp of the fill's collateral.
    expect(fills.map((f: any) => f.fee)).toEqual(['215000', '525000']);
    const makerFills = (await api('GET', `/v3/fills?positionId=${ids.alice}`)).body.fills;
    expect(makerFills.map((f: any) => f.fee)).toEqual(['86000', '210000']);
    const bobAccount = (await api('GET', `/v3/accounts/${ids.bob}`)).body.account;
    expect(bobAccount.openPositions['ETH-USD']).toMatchObject({ side: 'LONG', size: '0.700000000' });
    expect(bobAccount.quoteBalance).toBe('98519.260000');
    // Cancel the rest.
    expect((await api('DELETE', `/v3/orders/${worse.body.order.id}`)).body.cancelOrder.status).toBe('CANCELED');
    expect(await api('DELETE', `/v3/orders/${worse.body.order.id}`)).toMatchObject({
      status: 409,
      body: { error: { field: 'id' } },
    });
    expect((await api('GET', '/v3/orderbook/ETH-USD')).body.asks).toEqual([]);
    const batch = (await api('POST', '/admin/close-batch', {})).body.batch;
    expect(batch.positionIds).toEqual(expect.arrayContaining([ids.alice, ids.bob, '1']));
  });
});

describe('withdrawals and transfers', () => {
  const signWithdrawal = (amount: string, clientId: string, key = alice) => {
    const exp = expiration();
    return {
      amount,
      asset: 'USDC',
      expiration: exp,
      clientId,
      positionId: ids.alice,
      signature: dydx.signWithdrawal(
        { positionId: ids.alice!, humanAmount: amount, expirationIsoTimestamp: exp, clientId },
        1,
        key.privateKey,
      ).signatureHex,
    };
  };

  it('a withdrawal becomes a negative modification and an L1 withdrawal balance; too much is refused', async () => {
    const before = fingerprint();
    expect(await api('POST', '/v3/withdrawals', signWithdrawal('1000000', 'w-big'))).toMatchObject({
      status: 400,
      body: { error: { field: 'amount', code: 'INSUFFICIENT_COLLATERAL' } },
    });
    expect(await api('POST', '/v3/withdrawals', signWithdrawal('10', 'w-bad', mallory))).toMatchObject({
      status: 400,
      body: { error: { field: 'signature' } },
    });
    expect(await api('POST', '/v3/withdrawals', { ...signWithdrawal('10', 'w-x'), asset: 'ETH' })).toMatchObject({
      status: 400,
      body: { error: { field: 'asset' } },
    });
    expect(fingerprint()).toBe(before);
    expect((await api('POST', '/v3/withdrawals', signWithdrawal('10', 'w-1'))).status).toBe(200);
    await api('POST', '/admin/close-batch', {});
    const c = net.operator.l1.c.client;
    expect(
      await c.readContract({
        address: net.deployment.addresses.starkPerpetual,
        abi: net.deployment.abis.starkPerpetual,
        functionName: 'getWithdrawalBalance',
        args: [alice.publicKey, net.deployment.usdcAssetType],
      }),
    ).toBe(10_000_000n);
  });

  it('a transfer moves collateral to a new position of another key', async () => {
    const exp = expiration();
    const t = {
      amount: '25',
      receiverPublicKey: `0x${mallory.publicKey.toString(16)}`,
      receiverPositionId: '4242',
      expiration: exp,
      clientId: 't-1',
      positionId: ids.alice,
    };
    const signature = dydx.signTransfer(
      {
        senderPositionId: ids.alice!,
        receiverPositionId: '4242',
        receiverPublicKey: t.receiverPublicKey,
        humanAmount: '25',
        expirationIsoTimestamp: exp,
        clientId: 't-1',
      },
      1,
      alice.privateKey,
    ).signatureHex;
    expect(
      await api('POST', '/v3/transfers', { ...t, signature: signature.replace(/^./, (c) => (c === '0' ? '1' : '0')) }),
    ).toMatchObject({ status: 400, body: { error: { field: 'signature' } } });
    expect((await api('POST', '/v3/transfers', { ...t, signature })).status).toBe(200);
    expect((await api('GET', '/v3/accounts/4242')).body.account).toMatchObject({
      quoteBalance: '25.000000',
      starkKey: t.receiverPublicKey,
    });
  });

  it('after all of that the operator still runs and every batch checks from L1', async () => {
    await api('POST', '/admin/close-batch', {});
    expect((await api('GET', '/admin/misbehaviour')).body.failure).toBeNull();
    expect(await api('GET', '/v3/nothing')).toMatchObject({ status: 404, body: { error: { field: 'path' } } });
    const replay = await replayDevnetFromL1(
      net.operator.l1.c.client,
      net.deployment.addresses,
      net.deployment.abis,
      net.deployment.programHash,
    );
    expect(replay.length).toBe(net.operator.batches.length);
    for (const b of replay) {
      expect(b.problems).toEqual([]);
      expect(b.computedRoot).toBe(b.committedRoot);
    }
    expect(replay.at(-1)!.positionIds).toContain(4242n);
    // A positions snapshot of the last batch, written on request.
    const path = join(mkdtempSync(join(tmpdir(), 'vigil-snap-')), 'positions.json');
    expect(await api('POST', '/admin/snapshot', {})).toMatchObject({ status: 400, body: { error: { field: 'path' } } });
    expect((await api('POST', '/admin/snapshot', { path })).body.snapshot).toMatchObject({
      path,
      batchId: replay.at(-1)!.batchId.toString(),
    });
    const snap = JSON.parse(readFileSync(path, 'utf8'));
    expect(BigInt(snap.positionsRoot)).toBe(replay.at(-1)!.computedRoot);
    expect(snap.positions.find((p: any) => p.positionId === '4242')).toMatchObject({
      collateral: '25000000',
      assets: [],
    });
  });

  it('serves an escape file for a position at the last posted batch, which checks against the state on L1', async () => {
    expect(await api('GET', '/v3/escape-proof')).toMatchObject({
      status: 400,
      body: { error: { field: 'positionId' } },
    });
    expect(await api('GET', '/v3/escape-proof?positionId=999999')).toMatchObject({
      status: 404,
      body: { error: { field: 'positionId' } },
    });
    const { status, body } = await api('GET', '/v3/escape-proof?positionId=4242');
    expect(status).toBe(200);
    const input = parseEscapeInput(JSON.stringify(body));
    expect(input).toMatchObject({ origin: 'escape-file', positionId: 4242n });
    // The file's state is the one on chain now (read from L1 alone), and the proof verifies against it.
    const deployment = devnetDeployment({ ...net.deployment, chainId: net.deployment.chain.id });
    const reader = createStarkExReader(
      deployment,
      MultiRpc.fromUrls([net.anvil.rpcUrl], { attempts: 2, baseDelayMs: 10 }),
    );
    const final = await finalSharedState(reader, deployment);
    expect(final.update.sequenceNumber).toBe(net.operator.batches.at(-1)!.sequenceNumber);
    expect(input.sharedStateHash).toBe(final.sharedStateHash);
    const checked = checkEscapeProof(input, final, { deployment, positionId: 4242n, starkKey: input.starkKey });
    expect(checked.amount).toBe(25_000_000n);
  });
});
