import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MultiRpc } from '../../../src/l1/multi-rpc.js';
import { createStarkExReader } from '../../../src/l1/starkex-reader.js';
import type { Position } from '../../../src/state/position.js';
import { treeRoot } from '../../../src/sync/apply-batch.js';
import { SyncEngine, type StepResult } from '../../../src/sync/engine.js';
import { MemorySyncStore } from '../../../src/sync/sync-store.js';
import {
  startMainnetShapedDevnet,
  MAINNET_START_BLOCK,
  type MainnetShapedHistory,
} from '../../../devnet/history/generate.js';
import { startRpcProxy, type RpcProxy } from '../../../devnet/rpc-proxy/index.js';
import { checkEscapeProof, escapeFile, parseEscapeInput, serializeEscapeFile } from '../../../src/exit/escape-file.js';
import { finalSharedState } from '../../../src/exit/final-state.js';
import { encodeSharedState, sharedStateHash } from '../../../src/starkex/shared-state.js';
import { readModel } from '../../../src/sync/read-model.js';

// Issue 15 "A mainnet-shaped rehearsal": a dYdX-v3-shaped history on anvil (mainnet heights, a
// shared page registry with another application's pages, multi-page batches with pages registered
// long before, a GPS proxy upgrade early, a freeze at the end), synced with default settings.

const sorted = (m: Map<bigint, Position>) => [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

describe('sync of a mainnet-shaped devnet history', () => {
  let h: MainnetShapedHistory & { stop(): Promise<void> };
  const store = new MemorySyncStore();
  let result: StepResult;
  let steps = 0;
  let proxy: RpcProxy;

  beforeAll(async () => {
    h = await startMainnetShapedDevnet({
      seed: 15,
      batches: 30,
      positions: 300,
      pagesPerBatch: [2, 10],
      earlyShare: 0.3,
      earlyByBatches: [4, 15],
      foreignPagesPerBatch: [0, 3],
      gapBlocks: [0, 4],
      // Three long gaps: the history spans more than one 2000-block window, so early pages and
      // foreign pages live in earlier windows than their batch.
      longGap: { every: 8, blocks: 750 },
    });
    // Through the project's proxy with no limits: it counts every JSON-RPC call (batch members one by one).
    proxy = await startRpcProxy({ upstream: h.rpcUrl, profiles: [], seed: 1 });
    const reader = createStarkExReader(h.deployment, MultiRpc.fromUrls([proxy.url]));
    result = await new SyncEngine({ deployment: h.deployment, initialSharedState: h.genesis }, reader, store).run({
      onProgress: () => void steps++,
    });
  }, 120_000);
  afterAll(async () => {
    await proxy?.stop();
    await h?.stop();
  });

  it('generates the shape asked for', () => {
    expect(h.firstBlock).toBeGreaterThan(MAINNET_START_BLOCK);
    expect(h.lastBlock - h.firstBlock).toBeGreaterThan(2000n);
    expect(h.batches).toHaveLength(30);
    for (const b of h.batches) expect(b.dataPages.length).toBeGreaterThanOrEqual(2);
    expect(Math.max(...h.batches.map((b) => b.dataPages.length))).toBeLessThanOrEqual(10);
    expect(h.finalPositions.size).toBe(300);
    // Some pages were registered long before their batch, in an earlier 2000-block window (the
    // engine's default window) than their batch: found through the page index.
    const window = (block: bigint) => (block - h.firstBlock) / 2000n;
    const early = h.batches.flatMap((b) =>
      b.dataPages.filter((p) => p.registeredAt < b.blockNumber).map((p) => ({ b, p })),
    );
    expect(early.some(({ b, p }) => b.blockNumber - p.registeredAt > 750n)).toBe(true);
    expect(early.some(({ b, p }) => window(p.registeredAt) < window(b.blockNumber))).toBe(true);
    // The other application registered pages, some in the very blocks of our batches.
    expect(h.foreignPages.count).toBeGreaterThan(10);
    expect(h.foreignPages.blocks.some((f) => h.batches.some((b) => b.blockNumber === f))).toBe(true);
    expect(h.proxy.upgradeBlocks).toHaveLength(2);
    expect(h.proxy.upgradeBlocks[0]!).toBeLessThan(h.batches[3]!.blockNumber);
    expect(h.freeze!.freezeBlock).toBe(h.lastBlock);
  });

  it('catches up: every batch verified, the roots equal the generated roots', async () => {
    expect(result.phase).toBe('caught-up');
    expect(steps).toBeGreaterThan(1);
    const verdicts = await store.verdicts();
    expect(verdicts.map((v) => [v.sequenceNumber, v.status])).toEqual(
      h.batches.map((b) => [b.sequenceNumber, 'verified']),
    );
    const checked = verdicts.filter((v) => v.computedRoot !== undefined);
    expect(checked.length).toBeGreaterThan(0);
    for (const v of checked) expect(v.computedRoot).toBe(h.batches[Number(v.sequenceNumber) - 1]!.positionsRoot);
    for (const v of verdicts) expect(v.committedRoot).toBe(h.batches[Number(v.sequenceNumber) - 1]!.positionsRoot);
    expect(await treeRoot(store)).toBe(h.batches.at(-1)!.positionsRoot);
    expect(await treeRoot(store)).toBe(h.finalRoot);
    expect(await store.allPositions()).toEqual(sorted(h.finalPositions));
  });

  it("reads a block holding several of a batch's transactions once: ≤ 4 requests per batch, log windows included", () => {
    const { calls, totalCalls } = proxy.stats();
    // Without the block plan every updateState and every data page is one eth_getTransactionByHash:
    // 30 + the pages (2–10 per batch), ≈ 7 requests per batch.
    const needed = h.batches.length + h.batches.reduce((n, b) => n + b.dataPages.length, 0);
    // With it, only pages registered in blocks of their own (long before their batch) are fetched alone.
    expect(calls.eth_getTransactionByHash ?? 0).toBeLessThan(needed / 10);
    expect(calls.eth_getTransactionByHash ?? 0).toBeLessThan(h.batches.length / 3);
    expect(calls.eth_getBlockByNumber ?? 0).toBeGreaterThan(0);
    expect(totalCalls / h.batches.length).toBeLessThanOrEqual(4);
  });

  it('a second endpoint that lies in the blocks it serves whole: a disagreement alarm, no batch verified from it', async () => {
    const liar = await startRpcProxy({
      upstream: h.rpcUrl,
      profiles: [{ name: 'lying', methods: ['eth_getBlockByNumber'] }],
      seed: 2,
    });
    try {
      const honest = createStarkExReader(h.deployment, MultiRpc.fromUrls([h.rpcUrl, liar.url]));
      const s = new MemorySyncStore();
      const r = await new SyncEngine({ deployment: h.deployment, initialSharedState: h.genesis }, honest, s).run();
      expect(r.phase).toBe('error');
      expect(liar.stats().lies).toBeGreaterThan(0);
      expect((await s.alarms()).map((a) => a.kind)).toContain('rpc-disagreement');
      expect((await s.verdicts()).length).toBeLessThan(h.batches.length);
    } finally {
      await liar.stop();
    }
  });

  it("the frozen exchange's final state from L1 alone, through two providers with real limits; an escape proof from the synced tree checks against it", async () => {
    // No sync needed (issue 16): proven slots at the head, the last update found by a backward log
    // search, its calldata's shared state equal to the slot. Through two endpoints imitating real
    // providers, each with 1,000-block log ranges, a result cap, 25 req/s and a few 5xx and hangs.
    const limits = (seed: number) =>
      startRpcProxy({
        upstream: h.rpcUrl,
        profiles: [
          'range-1000',
          { name: 'results-10k', max: 50 },
          'rate-25rps',
          { name: 'flaky', error5xx: 0.05, hang: 0.02 },
        ],
        seed,
      });
    const [a, b] = await Promise.all([limits(3), limits(4)]);
    try {
      const rpc = MultiRpc.adaptive([a.url, b.url], { timeoutMs: 2_000, backoff: { baseMs: 20, maxMs: 200 } });
      const final = await finalSharedState(createStarkExReader(h.deployment, rpc), h.deployment);
      const last = h.batches.at(-1)!;
      expect(final).toMatchObject({
        sequenceNumber: last.sequenceNumber,
        update: { sequenceNumber: last.sequenceNumber, blockNumber: last.blockNumber, txHash: last.txHash },
        sharedStateHash: sharedStateHash(encodeSharedState(last.sharedState)),
        check: 'calldata-shared-state-keccak-equals-proven-slot',
        proof: { checked: 'storage-proof-against-agreed-block-hash', isFrozen: true },
      });
      expect(final.block).toBeGreaterThanOrEqual(h.freeze!.freezeBlock);
      // A handful of reads, not a replay: both endpoints together.
      const requests = a.stats().totalCalls + b.stats().totalCalls;
      expect(requests).toBeLessThan(60);
      // The escape proof of a position from the synced tree checks against the final state.
      const [positionId, position] = sorted(h.finalPositions).find(([, p]) => p.collateral > 0n)!;
      const input = parseEscapeInput(
        serializeEscapeFile(escapeFile(h.deployment, await readModel(store).escapeSource({ positionId }))),
      );
      const checked = checkEscapeProof(input, final, {
        deployment: h.deployment,
        positionId,
        starkKey: position.starkKey,
      });
      expect(checked).toMatchObject({ positionId, starkKey: position.starkKey });
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('the upgrade is history, the freeze is critical, nothing else is raised', async () => {
    const alarms = await store.alarms();
    const upgrades = alarms.filter((a) => a.kind === 'contract-upgraded');
    // ImplementationAdded, then Upgraded + ImplementationUpgraded, on the GPS verifier's proxy.
    expect(upgrades.map((a) => a.blockNumber)).toEqual([
      h.proxy.upgradeBlocks[0],
      h.proxy.upgradeBlocks[1],
      h.proxy.upgradeBlocks[1],
    ]);
    for (const a of upgrades) expect(a.severity).toBe('info');
    const frozen = alarms.filter((a) => a.kind === 'exchange-frozen');
    expect(frozen).toHaveLength(1);
    expect(frozen[0]).toMatchObject({ severity: 'critical', blockNumber: h.freeze!.freezeBlock });
    expect(alarms.filter((a) => a.severity !== 'info').map((a) => a.kind)).toEqual(['exchange-frozen']);
    expect(await store.checkpoint()).toMatchObject({ sequenceNumber: 30n, frozen: true, scannedTo: h.lastBlock });
  });
});
