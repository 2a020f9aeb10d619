import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlockHashDisagreementError } from '../../../src/l1/errors.js';
import { MultiRpc } from '../../../src/l1/multi-rpc.js';
import { createStarkExReader, type StarkExL1Reader } from '../../../src/l1/starkex-reader.js';
import { pedersenMany } from '../../../src/crypto/pedersen.js';
import type { Position } from '../../../src/state/position.js';
import { treeRoot } from '../../../src/sync/apply-batch.js';
import { SyncEngine, type SyncConfig } from '../../../src/sync/engine.js';
import { MemorySyncStore, type SyncCommit } from '../../../src/sync/sync-store.js';
import type { NodeStoreBatch } from '../../../src/tree/node-store.js';
import { startSyncDevnet, type SyncDevnet } from './sync-devnet.js';

// Issue 15 "Sync at scale": catch-up applies diffs and hashes the tree at checkpoints, bisects a
// bad root to its batch, survives kills at any commit, and rolls a reorg back instead of breaking.

const rpc = async (url: string, method: string, params: unknown[] = []) => {
  const r = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const body = (await r.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(body.error.message);
  return body.result;
};

/** A hasher that counts the Pedersen hashes it is asked for. */
const counting = () => {
  const c = {
    hashes: 0,
    hashMany: async (a: readonly bigint[], b: readonly bigint[]) => ((c.hashes += a.length), pedersenMany(a, b)),
  };
  return c;
};

/**
 * A memory store that tells its own chunk writes from the write inside a commit (IndexedDB commits
 * atomically, so a test may die at a chunk write or at a commit, never half-way through one).
 */
class WatchedStore extends MemorySyncStore {
  #inCommit = false;
  onCommit: (c: SyncCommit) => void | Promise<void> = () => undefined;
  onChunkWrite: (b: NodeStoreBatch) => void = () => undefined;
  override async commit(c: SyncCommit) {
    await this.onCommit(c);
    this.#inCommit = true;
    try {
      return await super.commit(c);
    } finally {
      this.#inCommit = false;
    }
  }
  override async write(b: NodeStoreBatch) {
    if (!this.#inCommit) this.onChunkWrite(b);
    return super.write(b);
  }
}

/** Dies at its `dieAt`-th commit or chunk write. */
class DyingStore extends WatchedStore {
  commits = 0;
  dieAt = Infinity;
  constructor() {
    super();
    const die = () => {
      if (++this.commits === this.dieAt) throw new Error('offscreen document closed');
    };
    this.onCommit = die;
    this.onChunkWrite = die;
  }
}

const sorted = (m: Map<bigint, Position>) => [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

describe('catch-up mode on an honest history', () => {
  let dn: SyncDevnet;
  let reader: StarkExL1Reader;
  const BATCHES = 12;
  const config = (extra: Partial<SyncConfig> = {}): SyncConfig => ({
    deployment: dn.deployment,
    initialSharedState: dn.genesis,
    maxBlockRange: 4n,
    ...extra,
  });

  beforeAll(async () => {
    dn = await startSyncDevnet();
    // Overlapping ids, so a checkpoint hashes a leaf once for several batches that changed it.
    for (let i = 0; i < BATCHES; i++) await dn.postBatch({ ids: [1n, 2n, 3n, 10n + BigInt(i)] });
    reader = createStarkExReader(
      dn.deployment,
      MultiRpc.fromUrls([dn.net.anvil.rpcUrl], { attempts: 2, baseDelayMs: 10 }),
      { maxBlockRange: 4n },
    );
  });
  afterAll(async () => {
    await dn?.stop();
  });

  it('hashes only at checkpoints, fewer hashes than one root per batch, the same final state', async () => {
    const perBatch = counting();
    const follow = new MemorySyncStore();
    await new SyncEngine(config({ checkpointEveryBatches: 1, hashMany: perBatch.hashMany }), reader, follow).run();
    const deferred = counting();
    const store = new MemorySyncStore();
    const hashedAt: bigint[] = [];
    await new SyncEngine(config({ checkpointEveryBatches: 5, hashMany: deferred.hashMany }), reader, store).run({
      onProgress: () => undefined,
    });
    for (const v of await store.verdicts()) if (v.computedRoot !== undefined) hashedAt.push(v.sequenceNumber);
    // Checkpoints every 5 batches; the last window reaches the head, where follow mode hashes
    // each batch (its window holds batches 11 and 12 with maxBlockRange 4).
    expect(hashedAt).toEqual([5n, 10n, 11n, 12n]);
    expect((await store.verdicts()).map((v) => [v.status, v.rootCheckedAt])).toEqual(
      Array.from({ length: BATCHES }, (_, i) => ['verified', i < 5 ? 5n : i < 10 ? 10n : BigInt(i + 1)]),
    );
    expect(deferred.hashes).toBeLessThan(perBatch.hashes);
    expect(await treeRoot(store)).toBe(dn.state().positionsRoot);
    expect(await store.allPositions()).toEqual(sorted(dn.positions));
    expect(await store.checkpoint()).toMatchObject({ sequenceNumber: 12n, hashedSequenceNumber: 12n });
    expect(await store.dirtyPositionIds()).toEqual([]);
  });

  it("a batch's evidence is let go once it is applied: one window of many batches does not hold them all", async () => {
    setFlagsFromString('--expose_gc');
    const gc = runInNewContext('gc') as () => void;
    const wide = createStarkExReader(
      dn.deployment,
      MultiRpc.fromUrls([dn.net.anvil.rpcUrl], { attempts: 2, baseDelayMs: 10 }),
    );
    // Each batch's updateState calldata, weakly: alive only while the engine still refers to it.
    const calls: WeakRef<object>[] = [];
    const watched = new Proxy(wide, {
      get(target, p) {
        const v = Reflect.get(target, p) as unknown;
        if (p === 'updateStateCall')
          return (hash: `0x${string}`) => {
            const r = target.updateStateCall(hash);
            void r.then(
              (c) => calls.push(new WeakRef(c as object)),
              () => undefined,
            );
            return r;
          };
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const aliveAt = new Map<bigint, number>();
    const store = new WatchedStore();
    store.onCommit = async (c) => {
      if (!c.verdict) return;
      // A WeakRef created or dereferenced in this job keeps its target alive until the job ends
      // (ECMA-262 AddToKeptObjects / ClearKeptObjects). The engine's awaits can chain one commit
      // into the next within one job, so the previous commit's count would hold its targets:
      // let the job end (a macrotask) before collecting and counting.
      await new Promise<void>((resolve) => setImmediate(resolve));
      gc();
      aliveAt.set(c.verdict.sequenceNumber, calls.filter((w) => w.deref() !== undefined).length);
    };
    await new SyncEngine(config({ maxBlockRange: 10_000n }), watched, store).run();
    expect(calls.length).toBe(BATCHES);
    // At batch 11's commit: its own evidence (still in scope) and batch 12's, fetched ahead; not
    // the ten applied before it.
    expect(aliveAt.get(11n)).toBeLessThanOrEqual(2);
  });

  it('a step whose one window reaches the head hashes once before the newest batch, then the newest alone', async () => {
    // The whole history in one window at the head (a user a few hundred blocks behind, or the
    // mainnet-shaped devnet): batches 1–11 are caught up together, batch 12 is followed.
    const wide = createStarkExReader(
      dn.deployment,
      MultiRpc.fromUrls([dn.net.anvil.rpcUrl], { attempts: 2, baseDelayMs: 10 }),
    );
    const perBatch = counting();
    await new SyncEngine(
      config({ checkpointEveryBatches: 1, hashMany: perBatch.hashMany }),
      reader,
      new MemorySyncStore(),
    ).run();
    const once = counting();
    const store = new MemorySyncStore();
    const last = await new SyncEngine(config({ maxBlockRange: 10_000n, hashMany: once.hashMany }), wide, store).run();
    expect(last.phase).toBe('caught-up');
    const verdicts = await store.verdicts();
    expect(verdicts.filter((v) => v.computedRoot !== undefined).map((v) => v.sequenceNumber)).toEqual([11n, 12n]);
    expect(verdicts.map((v) => [v.status, v.rootCheckedAt])).toEqual(
      Array.from({ length: BATCHES }, (_, i) => ['verified', i < 11 ? 11n : 12n]),
    );
    expect(once.hashes).toBeLessThan(perBatch.hashes / 2);
    expect(await treeRoot(store)).toBe(dn.state().positionsRoot);
  });

  it('one-block windows: every batch finds its page registrations and page hashes in the index of earlier windows', async () => {
    const oneBlock = createStarkExReader(
      dn.deployment,
      MultiRpc.fromUrls([dn.net.anvil.rpcUrl], { attempts: 2, baseDelayMs: 10 }),
    );
    const looked: string[] = [];
    const spy = new (class extends MemorySyncStore {
      override pageRegistration(h: string) {
        looked.push(`r:${h}`);
        return super.pageRegistration(h);
      }
      override pagesHashesOf(h: string) {
        looked.push(`f:${h}`);
        return super.pagesHashesOf(h);
      }
    })();
    const last = await new SyncEngine(config({ maxBlockRange: 1n }), oneBlock, spy).run();
    expect(last.phase).toBe('caught-up');
    expect((await spy.verdicts()).map((v) => v.status)).toEqual(Array(BATCHES).fill('verified'));
    expect(await treeRoot(spy)).toBe(dn.state().positionsRoot);
    // Each batch's page hashes and its data page came from the index.
    expect(looked.filter((l) => l.startsWith('f:')).length).toBeGreaterThanOrEqual(BATCHES);
    expect(looked.filter((l) => l.startsWith('r:')).length).toBeGreaterThanOrEqual(BATCHES);
  });

  it('a checkpoint hashes the dirty positions in chunks: each store write and position read holds at most one chunk, and no position is rewritten', async () => {
    const writes: Array<{ leaves: number; positions: number }> = [];
    const reads: number[] = [];
    const dirtyReads: Array<number | undefined> = [];
    const store = new (class extends WatchedStore {
      override dirtyPositionIds(page?: { after?: bigint; limit?: number }) {
        dirtyReads.push(page?.limit);
        return super.dirtyPositionIds(page);
      }
      override onChunkWrite = (b: NodeStoreBatch) =>
        void writes.push({ leaves: b.nodes.filter(([k]) => k.height === 0).length, positions: b.positions.length });
      override getPositions(ids: readonly bigint[]) {
        reads.push(ids.length);
        return super.getPositions(ids);
      }
    })();
    // One checkpoint over 14 dirty positions (ids 1, 2, 3 and 10 + i), 4 leaves per chunk.
    await new SyncEngine(config({ checkpointEveryBatches: 11, checkpointChunk: 4 }), reader, store).run();
    expect((await store.verdicts()).map((v) => v.status)).toEqual(Array(BATCHES).fill('verified'));
    expect(await treeRoot(store)).toBe(dn.state().positionsRoot);
    expect(writes.length).toBeGreaterThanOrEqual(4); // ⌈14 / 4⌉ chunks
    expect(Math.max(...writes.map((w) => w.leaves))).toBe(4);
    expect(writes.every((w) => w.positions === 0)).toBe(true);
    expect(Math.max(...reads)).toBeLessThanOrEqual(4);
    // The dirty set itself is read a chunk at a time, never whole (bounded memory at dYdX scale).
    expect(dirtyReads.length).toBeGreaterThanOrEqual(5); // ⌈14 / 4⌉ pages and the empty one after
    expect(dirtyReads.every((limit) => limit !== undefined && limit <= 4)).toBe(true);
  });

  it('the dirty set pages in id order: ids above `after`, at most `limit`', async () => {
    const store = new MemorySyncStore();
    await store.commit({
      checkpoint: await new SyncEngine(config(), reader, store).checkpoint(),
      dirty: { add: [9n, 2n, 300n, 5n, 2n ** 63n] },
    });
    expect(await store.dirtyPositionIds()).toEqual([2n, 5n, 9n, 300n, 2n ** 63n]);
    expect(await store.dirtyPositionIds({ limit: 2 })).toEqual([2n, 5n]);
    expect(await store.dirtyPositionIds({ after: 5n, limit: 2 })).toEqual([9n, 300n]);
    expect(await store.dirtyPositionIds({ after: 300n })).toEqual([2n ** 63n]);
    expect(await store.dirtyPositionIds({ after: 2n ** 63n, limit: 2 })).toEqual([]);
  });

  it('killed at every commit and every chunk write, catch-up with checkpoints resumes and ends in the same state, each batch applied once', async () => {
    const reference = new MemorySyncStore();
    await new SyncEngine(config({ checkpointEveryBatches: 3 }), reader, reference).run();
    const settings = config({ checkpointEveryBatches: 3, checkpointChunk: 3 });
    const probe = new DyingStore();
    await new SyncEngine(settings, reader, probe).run();
    for (let dieAt = 1; dieAt < probe.commits; dieAt++) {
      const store = new DyingStore();
      store.dieAt = dieAt;
      await expect(new SyncEngine(settings, reader, store).run()).rejects.toThrow('offscreen document closed');
      const applied = (await store.checkpoint())?.sequenceNumber ?? 0n;
      const fetched: string[] = [];
      const r: StarkExL1Reader = { ...reader, updateStateCall: (h) => (fetched.push(h), reader.updateStateCall(h)) };
      expect((await new SyncEngine(settings, r, store).run()).phase).toBe('caught-up');
      expect(fetched.length).toBe(BATCHES - Number(applied));
      expect(await store.allPositions()).toEqual(await reference.allPositions());
      expect(await treeRoot(store)).toBe(dn.state().positionsRoot);
      expect((await store.verdicts()).map((v) => v.status)).toEqual(Array(BATCHES).fill('verified'));
      expect(await store.dirtyPositionIds()).toEqual([]);
    }
  });
});

describe('catch-up mode with a bad batch in the middle', () => {
  let dn: SyncDevnet;
  const before: Array<Map<bigint, Position>> = [];
  const roots: bigint[] = [];

  beforeAll(async () => {
    dn = await startSyncDevnet();
    for (let i = 1; i <= 9; i++) {
      before.push(new Map(dn.positions));
      await dn.postBatch(i === 6 ? { tamper: 'data-page' } : {});
      roots.push(dn.state().positionsRoot);
    }
  });
  afterAll(async () => {
    await dn?.stop();
  });

  it('bisects to the first batch whose root does not reproduce, restores the state before it and halts', async () => {
    const store = new MemorySyncStore();
    const reader = createStarkExReader(
      dn.deployment,
      MultiRpc.fromUrls([dn.net.anvil.rpcUrl], { attempts: 2, baseDelayMs: 10 }),
      { maxBlockRange: 3n },
    );
    const result = await new SyncEngine(
      {
        deployment: dn.deployment,
        initialSharedState: dn.genesis,
        maxBlockRange: 3n,
        checkpointEveryBatches: 100,
        checkpointChunk: 2, // every probe and the restore hash in chunks
      },
      reader,
      store,
    ).run();
    expect(result.phase).toBe('halted');
    const verdicts = await store.verdicts();
    expect(verdicts.map((v) => v.status)).toEqual([
      'verified',
      'verified',
      'verified',
      'verified',
      'verified',
      'failed',
    ]);
    expect(verdicts.slice(0, 5).every((v) => v.rootCheckedAt === 5n)).toBe(true);
    expect(verdicts[5]).toMatchObject({ sequenceNumber: 6n, failure: 'root-mismatch' });
    expect(verdicts[5]!.checks.at(-1)!.detail).toContain('bisecting');
    expect((await store.alarms()).map((a) => [a.kind, a.sequenceNumber])).toEqual([['root-mismatch', 6n]]);
    // The store holds exactly the verified state before batch 6: positions, tree, checkpoint.
    expect(await store.allPositions()).toEqual(sorted(before[5]!));
    expect(await treeRoot(store)).toBe(roots[4]);
    expect(await store.checkpoint()).toMatchObject({
      sequenceNumber: 5n,
      hashedSequenceNumber: 5n,
      halted: { sequenceNumber: 6n, failure: 'root-mismatch' },
    });
    expect(await store.dirtyPositionIds()).toEqual([]);
    expect((await store.diffs()).every((d) => d.sequenceNumber <= 5n)).toBe(true);
  });
});

describe('a reorg at the head', () => {
  let dn: SyncDevnet;
  afterAll(async () => {
    await dn?.stop();
  });

  it('rolls back the batch whose block left the chain, records it as info and goes on, never a chain break', async () => {
    dn = await startSyncDevnet();
    const url = dn.net.anvil.rpcUrl;
    await dn.postBatch();
    await dn.postBatch();
    const afterTwo = new Map(dn.positions);
    const rootTwo = dn.state().positionsRoot;
    const snapshot = await rpc(url, 'evm_snapshot');
    await dn.postBatch();
    const reader = createStarkExReader(dn.deployment, MultiRpc.fromUrls([url], { attempts: 2, baseDelayMs: 10 }));
    const store = new MemorySyncStore();
    const engine = new SyncEngine(
      { deployment: dn.deployment, initialSharedState: dn.genesis, checkpointChunk: 1 },
      reader,
      store,
    );
    expect(await engine.run()).toMatchObject({ phase: 'caught-up', sequenceNumber: 3n });
    const third = (await store.verdicts())[2]!;
    expect(third.blockHash).toMatch(/^0x[0-9a-f]{64}$/);

    // The chain drops the block of batch 3: the same heights come back without it.
    await rpc(url, 'evm_revert', [snapshot]);
    await rpc(url, 'anvil_mine', ['0x5']);
    expect(await reader.blockHash(third.blockNumber)).not.toBe(third.blockHash);

    const after = await engine.run();
    expect(after).toMatchObject({ phase: 'caught-up', sequenceNumber: 2n });
    const alarms = await store.alarms();
    expect(alarms.map((a) => [a.kind, a.severity])).toEqual([['reorg', 'info']]);
    expect((await store.verdicts()).map((v) => v.sequenceNumber)).toEqual([1n, 2n]);
    expect(await store.allPositions()).toEqual(sorted(afterTwo));
    expect(await treeRoot(store)).toBe(rootTwo);
    expect((await store.checkpoint())!.halted).toBeUndefined();
  });

  it('a rollback killed between its chunk writes, then the block is canonical after all: the next run re-hashes what the rollback left, never a false failure', async () => {
    const net = await startSyncDevnet();
    try {
      for (let i = 0; i < 3; i++) await net.postBatch();
      const url = net.net.anvil.rpcUrl;
      const honest = createStarkExReader(net.deployment, MultiRpc.fromUrls([url], { attempts: 2, baseDelayMs: 10 }));
      const store = new DyingStore();
      const settings = { deployment: net.deployment, initialSharedState: net.genesis, checkpointChunk: 1 };
      expect(await new SyncEngine(settings, honest, store).run()).toMatchObject({ phase: 'caught-up' });
      const last = (await store.verdicts()).at(-1)!;
      // A provider that briefly says the last batch's block changed: the rollback starts, and the
      // offscreen document dies after its first chunk write.
      const flapping: StarkExL1Reader = {
        ...honest,
        blockHash: async (b) => (b === last.blockNumber ? `0x${'ab'.repeat(32)}` : honest.blockHash(b)),
      };
      store.dieAt = store.commits + 2; // the rollback marks its positions dirty, then writes chunk 1
      await expect(new SyncEngine(settings, flapping, store).run()).rejects.toThrow('offscreen document closed');
      expect((await store.dirtyPositionIds()).length).toBeGreaterThan(0);
      // The block was canonical all along: the next batch follows on the stored tree.
      await net.postBatch();
      expect(await new SyncEngine(settings, honest, store).run()).toMatchObject({ phase: 'caught-up' });
      expect((await store.verdicts()).map((v) => v.status)).toEqual(Array(4).fill('verified'));
      expect(await treeRoot(store)).toBe(net.state().positionsRoot);
      expect(await store.dirtyPositionIds()).toEqual([]);
      expect(await store.alarms()).toEqual([]);
    } finally {
      await net.stop();
    }
  });
});

describe('the anchor at the head', () => {
  it('RPCs that disagree on the head block for a moment (one already past a one-block reorg): asked again, no alarm; a lasting disagreement still stops the step', async () => {
    const net = await startSyncDevnet();
    try {
      await net.postBatch();
      const honest = createStarkExReader(
        net.deployment,
        MultiRpc.fromUrls([net.net.anvil.rpcUrl], { attempts: 2, baseDelayMs: 10 }),
      );
      let disagreements = 0;
      const racing = (times: number): StarkExL1Reader => ({
        ...honest,
        provenStateAt: async (b) => {
          if (disagreements < times) {
            disagreements++;
            throw new BlockHashDisagreementError(typeof b === 'bigint' ? b : 0n, [
              { url: 'http://a.example', hash: `0x${'aa'.repeat(32)}` },
              { url: 'http://b.example', hash: `0x${'bb'.repeat(32)}` },
            ]);
          }
          return honest.provenStateAt(b);
        },
      });
      const settings = { deployment: net.deployment, initialSharedState: net.genesis, anchorRetryDelayMs: 10 };
      const store = new MemorySyncStore();
      expect(await new SyncEngine(settings, racing(1), store).run()).toMatchObject({ phase: 'caught-up' });
      expect(disagreements).toBe(1);
      expect(await store.alarms()).toEqual([]);
      expect((await store.verdicts()).map((v) => v.status)).toEqual(['verified']);

      disagreements = 0;
      const lasting = await new SyncEngine(settings, racing(Infinity), store).run();
      expect(lasting.phase).not.toBe('caught-up');
      expect(disagreements).toBe(3); // the first ask and two more
    } finally {
      await net.stop();
    }
  });
});
