import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseProfiles, ProfileParseError, startRpcProxy } from '../../../../devnet/rpc-proxy/index.js';
import { EMITTER, rpc, rpcProxies, startLogChain, type LogChain } from './log-chain.js';

// Each profile of the devnet RPC proxy against anvil (issue 15). Counts and answers only: the
// rate limiter runs on an injected clock, flaky answers follow the seed.

let chain: LogChain;
const proxies = rpcProxies(() => chain.anvil.rpcUrl);
const proxy = proxies.start;
beforeAll(async () => {
  chain = await startLogChain({ txs: 20, maxLogsPerTx: 20, maxGap: 100 });
});
afterAll(async () => {
  await proxies.stopAll();
  await chain?.stop();
});

type Answer = { status: number; body: any; retryAfter: string | null };
async function post(url: string, body: unknown, timeoutMs?: number): Promise<Answer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    ...(timeoutMs ? { signal: AbortSignal.timeout(timeoutMs) } : {}),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // 5xx pages are not JSON
  }
  return { status: res.status, body: parsed, retryAfter: res.headers.get('retry-after') };
}
const call = (method: string, params: unknown[] = [], id: number = 1) => ({ jsonrpc: '2.0', id, method, params });
const hex = (n: bigint | number) => `0x${n.toString(16)}`;
const logsCall = (from: bigint, to: bigint) =>
  call('eth_getLogs', [{ address: EMITTER, fromBlock: hex(from), toBlock: hex(to) }]);

describe('profile syntax', () => {
  it('parses names with options; rejects unknown names', () => {
    expect(
      parseProfiles('range-1000, results-10k:max=50,lying:field=topics;methods=eth_getLogs|eth_getStorageAt'),
    ).toEqual([
      { name: 'range-1000' },
      { name: 'results-10k', max: 50 },
      { name: 'lying', field: 'topics', methods: ['eth_getLogs', 'eth_getStorageAt'] },
    ]);
    expect(() => parseProfiles('range-999')).toThrow(ProfileParseError);
    expect(() => parseProfiles('latency:ms=abc')).toThrow(ProfileParseError);
  });
});

describe('rpc-proxy profiles against anvil', () => {
  it('no profile: answers as anvil, batches included; counts calls per method', async () => {
    const p = await proxy([]);
    const direct = await rpc(chain.anvil.rpcUrl, 'eth_getLogs', [
      { address: EMITTER, fromBlock: '0x0', toBlock: hex(chain.head) },
    ]);
    const viaProxy = await post(p.url, logsCall(0n, chain.head));
    expect(viaProxy.body.result).toEqual(direct);
    const batch = await post(p.url, [
      call('eth_blockNumber', [], 7),
      call('eth_chainId', [], 8),
      call('eth_blockNumber', [], 9),
    ]);
    expect(batch.body.map((a: { id: number }) => a.id)).toEqual([7, 8, 9]);
    expect(batch.body[0].result).toBe(hex(chain.head));
    expect(p.stats()).toMatchObject({
      httpRequests: 2,
      totalCalls: 4,
      calls: { eth_getLogs: 1, eth_blockNumber: 2, eth_chainId: 1 },
    });
    const viaMethod = await post(p.url, call('proxy_stats'));
    expect(viaMethod.body.result).toEqual(p.stats()); // proxy_* methods are not counted
  });

  it('range-1000: more than 1000 blocks → "exceed maximum block range: 1000"; 1000 pass', async () => {
    const p = await proxy(['range-1000']);
    const refused = await post(p.url, logsCall(0n, 1000n));
    expect(refused.body.error).toEqual({ code: -32000, message: 'exceed maximum block range: 1000' });
    const ok = await post(p.url, logsCall(0n, 999n));
    expect(ok.body.result).toEqual(
      await rpc(chain.anvil.rpcUrl, 'eth_getLogs', [{ address: EMITTER, fromBlock: '0x0', toBlock: hex(999) }]),
    );
    expect(p.stats().rangeRefused).toBe(1);
  });

  it('tiny-range-10: Alchemy free-tier text with a suggested range', async () => {
    const p = await proxy(['tiny-range-10']);
    const refused = await post(p.url, logsCall(100n, 110n));
    expect(refused.body.error.code).toBe(-32600);
    expect(refused.body.error.message).toContain('up to a 10 block range');
    expect(refused.body.error.message).toContain('[0x64, 0x6d]');
    expect((await post(p.url, logsCall(100n, 109n))).body.result).toBeInstanceOf(Array);
  });

  it('results-10k (cap 20): -32005 with a correct suggestion (the longest range from fromBlock that fits)', async () => {
    const p = await proxy([{ name: 'results-10k', max: 20 }]);
    const refused = await post(p.url, logsCall(0n, chain.head));
    const e = refused.body.error;
    expect(e.code).toBe(-32005);
    expect(e.message).toMatch(
      /^query returned more than 20 results\. Try with this block range \[0x0, 0x[0-9a-f]+\]\.$/,
    );
    expect(e.data.from).toBe('0x0');
    const to = BigInt(e.data.to);
    const fits = await rpc<unknown[]>(chain.anvil.rpcUrl, 'eth_getLogs', [
      { address: EMITTER, fromBlock: '0x0', toBlock: hex(to) },
    ]);
    const oneMore = await rpc<unknown[]>(chain.anvil.rpcUrl, 'eth_getLogs', [
      { address: EMITTER, fromBlock: '0x0', toBlock: hex(to + 1n) },
    ]);
    expect(fits.length).toBeLessThanOrEqual(20);
    expect(oneMore.length).toBeGreaterThan(20);
    expect((await post(p.url, logsCall(0n, to))).body.result).toEqual(fits);
  });

  it('rate-25rps: a token bucket per call (batch members count); over it → HTTP 429 with Retry-After', async () => {
    let t = 0;
    const p = await proxy(['rate-25rps'], { now: () => t });
    const statuses: number[] = [];
    for (let i = 0; i < 26; i++) statuses.push((await post(p.url, call('eth_blockNumber'))).status);
    expect(statuses.filter((s) => s === 200).length).toBe(25);
    const limited = await post(p.url, call('eth_blockNumber'));
    expect([limited.status, limited.retryAfter, limited.body.error.code]).toEqual([429, '1', 429]);
    t += 200; // 5 tokens back
    const bigBatch = await post(
      p.url,
      Array.from({ length: 8 }, (_, i) => call('eth_chainId', [], i)),
    );
    expect(bigBatch.status).toBe(429);
    const smallBatch = await post(
      p.url,
      Array.from({ length: 5 }, (_, i) => call('eth_chainId', [], i)),
    );
    expect(smallBatch.status).toBe(200);
    expect(p.stats()).toMatchObject({ rateLimited: 3, rateLimitedCalls: 1 + 1 + 8, totalCalls: 27 + 8 + 5 });
  });

  it('latency: answers unchanged, after at least the injected delay', async () => {
    const p = await proxy(['latency:ms=30']);
    const t0 = performance.now();
    const a = await post(p.url, call('eth_blockNumber'));
    expect(performance.now() - t0).toBeGreaterThanOrEqual(25);
    expect(a.body.result).toBe(hex(chain.head));
  });

  it('flaky: seeded 5xx and hung requests; the same seed gives the same sequence', async () => {
    const outcomes = async (seed: number) => {
      const p = await proxy([{ name: 'flaky', error5xx: 0.25, hang: 0.1 }], { seed });
      const out: string[] = [];
      for (let i = 0; i < 20; i++) {
        try {
          const a = await post(p.url, call('eth_blockNumber'), 1000);
          out.push(a.status === 200 ? 'ok' : String(a.status));
        } catch {
          out.push('hung');
        }
      }
      const s = p.stats();
      expect(out.filter((o) => o === '502' || o === '503').length).toBe(s.injected5xx);
      expect(out.filter((o) => o === 'hung').length).toBe(s.hung);
      return out;
    };
    const a = await outcomes(7);
    expect(a.filter((o) => o !== 'ok').length).toBeGreaterThan(0);
    expect(a.includes('hung')).toBe(true);
    expect(await outcomes(7)).toEqual(a);
  });

  it('lagging: head 5 behind; blocks, state, logs and transactions above it are refused or unknown', async () => {
    const p = await proxy(['lagging:blocks=5']);
    const lh = chain.head - 5n;
    expect((await post(p.url, call('eth_blockNumber'))).body.result).toBe(hex(lh));
    expect((await post(p.url, call('eth_getBlockByNumber', [hex(chain.head), false]))).body.result).toBeNull();
    expect((await post(p.url, call('eth_getBlockByNumber', ['latest', false]))).body.result.number).toBe(hex(lh));
    expect((await post(p.url, call('eth_getStorageAt', [EMITTER, '0x0', hex(chain.head)]))).body.error.message).toBe(
      'header not found',
    );
    expect((await post(p.url, logsCall(lh - 10n, chain.head))).body.error.message).toBe(
      'block range extends beyond current head block',
    );
    expect((await post(p.url, logsCall(lh - 10n, lh))).body.result).toBeInstanceOf(Array);
    const lastBlock = await rpc<{ transactions: string[] }>(chain.anvil.rpcUrl, 'eth_getBlockByNumber', [
      hex(chain.head),
      false,
    ]);
    expect((await post(p.url, call('eth_getTransactionByHash', [lastBlock.transactions[0]]))).body.result).toBeNull();
  });

  it('lying: alters the chosen field of eth_getLogs / eth_getTransactionByHash / eth_getStorageAt answers', async () => {
    const honest = await rpc<Array<Record<string, unknown>>>(chain.anvil.rpcUrl, 'eth_getLogs', [
      { address: EMITTER, fromBlock: '0x0', toBlock: hex(chain.head) },
    ]);
    const p = await proxy(['lying']);
    const lied = (await post(p.url, logsCall(0n, chain.head))).body.result as Array<Record<string, unknown>>;
    expect(lied.slice(1)).toEqual(honest.slice(1));
    expect({ ...lied[0], data: honest[0]!.data }).toEqual(honest[0]);
    expect(lied[0]!.data).not.toBe(honest[0]!.data);
    const txHash = honest[0]!.transactionHash as string;
    const tx = await rpc<Record<string, unknown>>(chain.anvil.rpcUrl, 'eth_getTransactionByHash', [txHash]);
    const liedTx = (await post(p.url, call('eth_getTransactionByHash', [txHash]))).body.result;
    expect({ ...liedTx, input: tx.input }).toEqual(tx);
    expect(liedTx.input).not.toBe(tx.input);
    const slot = (await post(p.url, call('eth_getStorageAt', [EMITTER, '0x0', 'latest']))).body.result;
    expect(slot).not.toBe(await rpc(chain.anvil.rpcUrl, 'eth_getStorageAt', [EMITTER, '0x0', 'latest']));

    const topicsLiar = await proxy(['lying:field=topics;methods=eth_getLogs']);
    const t = (await post(topicsLiar.url, logsCall(0n, chain.head))).body.result as Array<{ topics: string[] }>;
    expect(t[0]!.topics[0]).not.toBe((honest[0]!.topics as string[])[0]);
    expect(t[0]!.topics.slice(1)).toEqual((honest[0]!.topics as string[]).slice(1));
    expect((await post(topicsLiar.url, call('eth_getTransactionByHash', [txHash]))).body.result).toEqual(tx);
  });

  it('lying, named methods only: a header read’s hash (or field), an eth_getProof value, proof node or storageHash', async () => {
    const header = await rpc<Record<string, unknown>>(chain.anvil.rpcUrl, 'eth_getBlockByNumber', ['latest', false]);
    // Not by default: header reads and proofs pass unaltered.
    const plain = await proxy(['lying']);
    expect((await post(plain.url, call('eth_getBlockByNumber', ['latest', false]))).body.result).toEqual(header);
    const hashLiar = await proxy(['lying:methods=eth_getBlockByNumber']);
    const h = (await post(hashLiar.url, call('eth_getBlockByNumber', ['latest', false]))).body.result;
    expect({ ...h, hash: header.hash }).toEqual(header);
    expect(h.hash).not.toBe(header.hash);
    const rootLiar = await proxy(['lying:methods=eth_getBlockByNumber;field=stateRoot']);
    const r = (await post(rootLiar.url, call('eth_getBlockByNumber', ['latest', false]))).body.result;
    expect({ ...r, stateRoot: header.stateRoot }).toEqual(header);
    expect(r.stateRoot).not.toBe(header.stateRoot);

    const params = [EMITTER, [`0x${'00'.repeat(32)}`], 'latest'];
    const proof = await rpc<Record<string, unknown>>(chain.anvil.rpcUrl, 'eth_getProof', params);
    type P = { accountProof: string[]; storageHash: string; storageProof: Array<{ value: string; proof: string[] }> };
    const honest = proof as unknown as P;
    const lie = async (field?: string) =>
      (
        await post(
          (
            await proxy([`lying:methods=eth_getProof${field ? `;field=${field}` : ''}`])
          ).url,
          call('eth_getProof', params),
        )
      ).body.result as P;
    const v = await lie();
    expect(v.storageProof[0]!.value).not.toBe(honest.storageProof[0]!.value);
    expect({ ...v, storageProof: honest.storageProof }).toEqual(proof);
    const a = await lie('accountProof');
    expect(a.accountProof.slice(0, -1)).toEqual(honest.accountProof.slice(0, -1));
    expect(a.accountProof.at(-1)).not.toBe(honest.accountProof.at(-1));
    const sp = await lie('proof');
    expect(sp.storageProof[0]!.proof.at(-1)).not.toBe(honest.storageProof[0]!.proof.at(-1));
    expect((await lie('storageHash')).storageHash).not.toBe(honest.storageHash);
  });

  it('profiles combine: range + results + rate on one proxy', async () => {
    const t = 0;
    const p = await proxy(['range-1000,results-10k:max=20,rate-25rps'], { now: () => t });
    expect((await post(p.url, logsCall(0n, 1500n))).body.error.message).toContain('maximum block range');
    expect((await post(p.url, logsCall(0n, 999n))).body.error.code).toBe(-32005);
    expect(p.stats()).toMatchObject({ rangeRefused: 1, resultsRefused: 1, totalCalls: 2 });
  });

  it('stops cleanly, hung requests included', async () => {
    const p = await startRpcProxy({
      upstream: chain.anvil.rpcUrl,
      profiles: [{ name: 'flaky', error5xx: 0, hang: 1 }],
    });
    const pending = post(p.url, call('eth_blockNumber')).then(
      () => 'answered',
      () => 'closed',
    );
    await new Promise((r) => setTimeout(r, 50));
    await p.stop();
    expect(await pending).toBe('closed');
    await expect(post(p.url, call('eth_blockNumber'))).rejects.toThrow();
  });
});
