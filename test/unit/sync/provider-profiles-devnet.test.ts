import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRpcProxy, type ProfileInput, type RpcProxy } from '../../../devnet/rpc-proxy/index.js';
import { createExitChainReader } from '../../../src/l1/exit-reader.js';
import { exitRpc } from '../../../extension/background/exit-rpc.js';
import type { SyncSettings } from '../../../extension/shared/sync-db.js';
import { MultiRpc } from '../../../src/l1/multi-rpc.js';
import { createStarkExReader } from '../../../src/l1/starkex-reader.js';
import { treeRoot } from '../../../src/sync/apply-batch.js';
import { SyncEngine, type SyncConfig } from '../../../src/sync/engine.js';
import { MemorySyncStore } from '../../../src/sync/sync-store.js';
import { startSyncDevnet, type SyncDevnet } from './sync-devnet.js';

// Issue 15 acceptance: through a loopback proxy imitating real providers, the sync completes with
// default settings and matches every root; an endpoint that can never serve the scan is named with
// the projected request count; an endpoint that stops answering degrades the cross-check visibly.

let dn: SyncDevnet;
const BATCHES = 8;
const roots: bigint[] = [];
const proxies: RpcProxy[] = [];

const rpc = async (url: string, method: string, params: unknown[] = []) => {
  const r = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  return ((await r.json()) as { result: unknown }).result;
};

async function proxy(profiles: ProfileInput[]): Promise<RpcProxy> {
  const p = await startRpcProxy({ upstream: dn.net.anvil.rpcUrl, profiles, seed: 7 });
  proxies.push(p);
  return p;
}

/** Default engine settings; only the deployment and its genesis are given. */
async function sync(urls: string[], extra: Partial<SyncConfig> = {}, timeoutMs = 2_000) {
  const store = new MemorySyncStore();
  const reader = createStarkExReader(
    dn.deployment,
    MultiRpc.adaptive(urls, { timeoutMs, backoff: { baseMs: 20, maxMs: 200 } }),
  );
  const result = await new SyncEngine(
    { deployment: dn.deployment, initialSharedState: dn.genesis, ...extra },
    reader,
    store,
  ).run();
  return { store, result };
}

async function expectAllVerified(store: MemorySyncStore) {
  const verdicts = await store.verdicts();
  expect(verdicts.map((v) => v.status)).toEqual(Array(BATCHES).fill('verified'));
  // Each checkpoint's computed root equals the committed root it covers; the last one the operator's.
  for (const v of verdicts)
    expect(verdicts.find((w) => w.sequenceNumber === v.rootCheckedAt)!.computedRoot).toBe(
      roots[Number(v.rootCheckedAt) - 1],
    );
  expect(await treeRoot(store)).toBe(roots.at(-1));
}

beforeAll(async () => {
  dn = await startSyncDevnet();
  for (let i = 0; i < BATCHES; i++) {
    // Batches spread over 3,000 blocks: the engine's 2,000-block windows, which 1,000-block log
    // limits split.
    await rpc(dn.net.anvil.rpcUrl, 'anvil_mine', ['0x177']);
    await dn.postBatch();
    roots.push(dn.state().positionsRoot);
  }
}, 240_000); // 3,000 blocks mined on a loaded 2-core machine can take a minute
afterAll(async () => {
  for (const p of proxies) await p.stop();
  await dn?.stop();
});

describe('the sync through provider profiles (default settings)', () => {
  for (const [name, profiles] of [
    ['range-1000 (common public endpoints)', ['range-1000']],
    [
      'results-10k with a cap of 3 results (Infura-style -32005 with a suggested range)',
      [{ name: 'results-10k', max: 3 }],
    ],
    ['rate-25rps (HTTP 429 with Retry-After)', ['rate-25rps']],
    ['latency 20 ms', [{ name: 'latency', ms: 20 }]],
    ['no-batch (JSON-RPC batches refused: probed once, then one call per request)', ['no-batch']],
    ['flaky: 10% 5xx and 3% hung requests', [{ name: 'flaky', error5xx: 0.1, hang: 0.03 }]],
    [
      'all of them at once',
      [
        'range-1000',
        { name: 'results-10k', max: 3 },
        'rate-25rps',
        { name: 'flaky', error5xx: 0.05, hang: 0.02 },
        'no-batch',
      ],
    ],
  ] as Array<[string, ProfileInput[]]>) {
    it(`${name}: completes and every root matches`, async () => {
      const p = await proxy(profiles);
      const { store, result } = await sync([p.url]);
      expect(result.phase).toBe('caught-up');
      await expectAllVerified(store);
      expect((await store.alarms()).filter((a) => a.severity !== 'info')).toEqual([]);
    });
  }

  it('the exit reads issue 17 added (getSystemAssetType for a forced trade, isFrozen, the grace period, the head) answer through every profile at once, as the extension builds its exit RPC', async () => {
    const p = await proxy([
      'range-1000',
      { name: 'results-10k', max: 3 },
      'rate-25rps',
      { name: 'flaky', error5xx: 0.05, hang: 0.02 },
      'no-batch',
    ]);
    // The extension's own exit RPC (extension/background/exit-rpc.ts), as the exit page and the popup use it.
    const settings = { deployment: dn.deployment, rpcUrls: [p.url] } as unknown as SyncSettings;
    const chain = createExitChainReader(dn.deployment, exitRpc(settings).client());
    for (let i = 0; i < 10; i++) {
      expect(await chain.systemAssetType()).toBe(dn.net.d.usdcAssetType);
      expect(await chain.isFrozen()).toBe(false);
      expect(await chain.freezeGracePeriod()).toBe(dn.net.d.freezeGracePeriod);
      expect((await chain.head()).timestamp).toBeGreaterThan(0n);
    }
  }, 120_000);

  it('a second endpoint that lags: the first serves, the comparison covers what both can answer', async () => {
    const honest = await proxy([]);
    const lagging = await proxy([{ name: 'lagging', blocks: 3 }]);
    // The lowest head wins: blocks past the last batch, so both can serve every batch.
    await rpc(dn.net.anvil.rpcUrl, 'anvil_mine', ['0x5']);
    const { store, result } = await sync([honest.url, lagging.url]);
    expect(result.phase).toBe('caught-up');
    await expectAllVerified(store);
  });

  it('a second endpoint that lies about a log: the disagreement is an alarm, nothing is verified from it', async () => {
    const honest = await proxy([]);
    const liar = await proxy([{ name: 'lying', methods: ['eth_getLogs'] }]);
    const { store, result } = await sync([honest.url, liar.url]);
    expect(result.phase).toBe('error');
    expect((await store.alarms()).map((a) => a.kind)).toContain('rpc-disagreement');
    expect(await store.verdicts()).toEqual([]);
  });

  it('an endpoint that stops answering: the sync completes on the other, and the cross-check is shown degraded', async () => {
    const honest = await proxy([]);
    const silent = await proxy([{ name: 'flaky', error5xx: 1, hang: 0 }]);
    const { store, result } = await sync([honest.url, silent.url]);
    expect(result.phase).toBe('caught-up');
    await expectAllVerified(store);
    const degraded = (await store.alarms()).filter((a) => a.kind === 'rpc-degraded');
    expect(degraded.map((a) => a.severity)).toEqual(['warning']);
    expect(degraded[0]!.message).toContain(new URL(silent.url).host);
    expect(degraded[0]!.message).toContain('not compared');
  });

  it('tiny-range-10 cannot serve the scan: a clear message with the projection, not a retry loop', async () => {
    const p = await proxy(['tiny-range-10']);
    // A job of ~3,000 blocks allowed 100 log queries needs ≥ 30 blocks per query.
    const { store, result } = await sync([p.url], { maxLogRequests: 100 });
    expect(result.phase).toBe('rpc-unreachable');
    expect(result.message).toMatch(/eth_getLogs/);
    expect(result.message).toMatch(/requests/);
    expect(result.message).toMatch(/≥ \d+ blocks per eth_getLogs/);
    expect(p.stats().calls.eth_getLogs ?? 0).toBeLessThan(5);
    expect(await store.verdicts()).toEqual([]);
  });
});
