import { describe, expect, it } from 'vitest';
import { pedersenMany } from '../../../src/crypto/pedersen.js';
import { RangeCheckError } from '../../../src/errors.js';
import { EscapeNotPossibleError, escapeSourceFromStore, verifiedPositionIdOf } from '../../../src/exit/index.js';
import { ReadModelError } from '../../../src/sync/errors.js';
import { readModel, type ReadModel } from '../../../src/sync/index.js';
import { MemorySyncStore } from '../../../src/sync/sync-store.js';
import { emptySubtreeRoot } from '../../../src/tree/empty-subtrees.js';
import { positionLeafHash } from '../../../src/tree/position-leaf.js';
import { PositionTree } from '../../../src/tree/position-tree.js';
import { verifyEscapeProof } from '../../../src/tree/escape-verifier.js';
import { MultiRpc } from '../../../src/l1/multi-rpc.js';
import { createStarkExReader } from '../../../src/l1/starkex-reader.js';
import { SyncEngine } from '../../../src/sync/engine.js';
import {
  A,
  alarm,
  B,
  batch,
  C,
  cpAt,
  EXPECTED_TRACE,
  genesis,
  H,
  pos,
  readModelScenario,
  verdict,
} from './read-model-scenario.js';
import { startSyncDevnet } from './sync-devnet.js';

// Issue 14: the verified-state read model over the memory store. The IndexedDB store runs in the
// real browser only: test/e2e/sync-db.spec.ts runs the same scenario (read-model-scenario.ts) on it.

async function genesisStore(): Promise<MemorySyncStore> {
  const store = new MemorySyncStore();
  await genesis(store);
  return store;
}

async function expectAllMatch(rm: ReadModel, ids: bigint[]) {
  for (const id of ids) expect((await rm.checkPosition(id)).matches, `position ${id}`).toBe(true);
}

describe('the stark-key index', () => {
  it('follows commits (a key change, an emptied position), reorg and bisect rollbacks and a snapshot import', async () => {
    expect(await readModelScenario(new MemorySyncStore())).toEqual(EXPECTED_TRACE);
  });

  it('answers the verified view of the key holder, and refuses while catching up', async () => {
    const store = await genesisStore();
    const rm = readModel(store);
    await batch(store, [
      [1n, pos(A)],
      [2n, pos(A)],
      [3n, pos(B)],
    ]);
    await batch(store, [
      [2n, pos(C, 7n)],
      [1n, undefined],
      [4n, pos(A)],
    ]);
    expect((await rm.positionsOfStarkKey(C))[0]).toMatchObject({
      positionId: 2n,
      position: { starkKey: C, collateral: 7n },
      basis: { sequenceNumber: 2n },
      halted: false,
    });
    expect(await rm.positionIdOfStarkKey(A)).toBe(4n);
    expect(await rm.positionIdOfStarkKey(0x5n)).toBeUndefined();
    expect(await verifiedPositionIdOf(store, C)).toBe(2n);
    await batch(store, [[3n, pos(A)]], 'catch-up');
    // In catch-up the stored positions are ahead of the last root: the read model refuses them.
    await expect(rm.positionsOfStarkKey(A)).rejects.toMatchObject({ reason: 'catching-up' });
    expect(await store.positionIdsOfStarkKey(A)).toEqual([3n, 4n]);
  });

  it('a stale entry is never shown as the key holder: the record is checked', async () => {
    // An index that lies (as a store bug would): the read model drops what the record contradicts.
    class LyingStore extends MemorySyncStore {
      override async positionIdsOfStarkKey() {
        return [1n];
      }
    }
    const store = new LyingStore();
    await genesis(store);
    await batch(store, [[1n, pos(A)]]);
    expect(await readModel(store).positionsOfStarkKey(B)).toEqual([]);
    expect((await readModel(store).positionsOfStarkKey(A)).map((v) => v.positionId)).toEqual([1n]);
  });
});

describe('verdicts and alarms by page', () => {
  it('the scenario pages (see read-model-scenario.ts); a page that reaches the oldest has no `next`', async () => {
    const store = await genesisStore();
    await store.commit({ checkpoint: cpAt(7n, 0n), verdicts: [1n, 2n, 3n, 4n, 5n, 6n, 7n].map(verdict) });
    const rm = readModel(store);
    expect(await rm.verdicts({ limit: 7 })).toEqual({ items: [7n, 6n, 5n, 4n, 3n, 2n, 1n].map(verdict), total: 7 });
    expect(await rm.verdicts({ limit: 5, before: 1n })).toEqual({ items: [], total: 7 });
    expect(await rm.verdicts({ limit: 2, before: 4n })).toEqual({
      items: [verdict(3n), verdict(2n)],
      next: 2n,
      total: 7,
    });
    await store.commit({ checkpoint: cpAt(7n, 0n), alarms: [alarm('a', 'warning', 1), alarm('b', 'warning', 1)] });
    expect(await rm.alarms({ limit: 2 })).toEqual({
      items: [alarm('b', 'warning', 1), alarm('a', 'warning', 1)],
      total: 2,
    });
  });

  it('refuses a bad page request, naming the field, the value and the range', async () => {
    const rm = readModel(await genesisStore());
    await expect(rm.verdicts({ limit: 0 })).rejects.toThrow(
      'limit: 0 is out of range; expected an integer 1 <= limit <= 500',
    );
    await expect(rm.verdicts({ limit: 501 })).rejects.toThrow(RangeCheckError);
    await expect(rm.verdicts({ limit: 5, before: -1n })).rejects.toThrow(
      'before: -1 is out of range; expected 0 <= before < 2^64',
    );
    await expect(rm.alarms({ limit: 5, severities: ['loud' as 'info'] })).rejects.toThrow(
      'severities[0]: "loud" is out of range; expected critical | warning | info',
    );
    await expect(rm.alarms({ limit: 5, after: { severity: 'info', raisedAt: Number.NaN, id: 'x' } })).rejects.toThrow(
      'after.raisedAt',
    );
    await expect(rm.positionsOfStarkKey(-1n)).rejects.toThrow(
      'starkKey: -1 is out of range; expected 0 <= starkKey < P',
    );
  });
});

describe('checkPosition: the leaf from the stored record, hashed up the stored siblings, against the committed root', () => {
  async function honest() {
    const store = await genesisStore();
    await batch(store, [
      [1n, pos(A)],
      [2n, { starkKey: B, collateral: -5n, assets: [{ assetId: 7n, balance: 3n, cachedFundingIndex: 1n << 32n }] }],
      [200n, pos(C)],
    ]);
    return { store, rm: readModel(store), committedRoot: (await store.checkpoint())!.sharedState![0]! };
  }

  it('the honest state matches, for stored and empty positions alike', async () => {
    const { store, rm, committedRoot } = await honest();
    const check = await rm.checkPosition(2n);
    const [stored] = await store.getPositions([2n]);
    expect(check).toEqual({
      positionId: 2n,
      leaf: positionLeafHash(stored!),
      root: committedRoot,
      committedRoot,
      pathLength: H,
      matches: true,
    });
    await expectAllMatch(rm, [1n, 3n, 200n, 255n]);
    expect((await rm.checkPosition(3n)).leaf).toBe(emptySubtreeRoot(0));
  });

  it('a stored position altered without updating the tree does not match (the stored-path check the dashboard uses would)', async () => {
    const { store, rm, committedRoot } = await honest();
    await store.write({ nodes: [], positions: [[2n, { starkKey: B, collateral: 1_000_000n, assets: [] }]] });
    const check = await rm.checkPosition(2n);
    expect(check.matches).toBe(false);
    expect(check.root).not.toBe(committedRoot);
    // extension/ui/verifier-panel.tsx ownPositions: stored nodes against the root, blind to the record.
    expect((await (await PositionTree.create(store, { height: H })).merklePath(2n)).root).toBe(committedRoot);
    await expectAllMatch(rm, [1n, 200n]); // the others are untouched
  });

  it('a stored sibling altered does not match; a stored position deleted does not match either', async () => {
    const { store, rm } = await honest();
    await store.write({ nodes: [[{ height: 3, index: (200n >> 3n) ^ 1n }, 12345n]], positions: [] });
    expect((await rm.checkPosition(200n)).matches).toBe(false);
    const again = await honest();
    await again.store.write({ nodes: [], positions: [[1n, undefined]] });
    expect((await again.rm.checkPosition(1n)).matches).toBe(false);
  });

  it('hashes through the hasher it is given (a worker pool), one pair per level after the leaf chain', async () => {
    const { rm } = await honest();
    let pairs = 0;
    const counting = (a: readonly bigint[], b: readonly bigint[]) => ((pairs += a.length), pedersenMany(a, b));
    expect((await rm.checkPosition(2n, counting)).matches).toBe(true);
    expect(pairs).toBe(1 + 2 + H); // one asset, key, collateral word; H levels
    const short = () => [];
    await expect(rm.checkPosition(2n, short)).rejects.toThrow();
  });

  it('answers only for a verified state that is level with the tree, and a position id inside the tree', async () => {
    const store = new MemorySyncStore();
    await expect(readModel(store).checkPosition(1n)).rejects.toMatchObject({
      reason: 'nothing-verified',
      message: 'no verified batch yet: sync (or import a snapshot) first',
    });
    const { rm, store: s } = await honest();
    await expect(rm.checkPosition(256n)).rejects.toThrow(
      'positionId: 256 is out of range; expected 0 <= positionId < 2^8',
    );
    await batch(s, [[9n, pos(A)]], 'catch-up');
    await expect(rm.checkPosition(1n)).rejects.toBeInstanceOf(ReadModelError);
  });
});

describe('escapeSource', () => {
  it('by stark key: the proof verifies against the committed state, for the key’s position', async () => {
    const store = await genesisStore();
    await batch(store, [
      [1n, pos(A, 5000n)],
      [6n, pos(B, 42n)],
    ]);
    const rm = readModel(store);
    const m = await rm.escapeSource({ starkKey: B });
    expect(m).toMatchObject({ positionId: 6n, nAssets: 0, basis: { sequenceNumber: 1n } });
    expect(m.merkleProof.length).toBe(2 * (2 + H) + 2);
    expect(verifyEscapeProof(m.merkleProof, m.nAssets, m.sharedState)).toEqual({
      positionId: 6n,
      starkKey: B,
      amount: 42n,
    });
    await expect(rm.escapeSource({ starkKey: C })).rejects.toMatchObject({ reason: 'no-position' });
  });

  it('refuses a tree whose sibling was altered (the stored root still matches), and the exit names it proof-invalid', async () => {
    const store = await genesisStore();
    await batch(store, [
      [1n, pos(A, 5000n)],
      [6n, pos(B, 42n)],
    ]);
    await store.write({ nodes: [[{ height: 2, index: (6n >> 2n) ^ 1n }, 999n]], positions: [] });
    await expect(readModel(store).escapeSource({ positionId: 6n })).rejects.toMatchObject({ reason: 'tree-mismatch' });
    const err = await escapeSourceFromStore(store, 6n)().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EscapeNotPossibleError);
    expect(err).toMatchObject({ reason: 'proof-invalid' });
    expect((err as Error).message).toContain(
      'position 6: its stored record hashed up its stored Merkle path gives root',
    );
  });
});

describe('over the verifier state of a devnet sync', () => {
  it('every position the operator holds checks against the committed root, and its key finds it', async () => {
    const dn = await startSyncDevnet();
    try {
      for (let i = 0; i < 3; i++) await dn.postBatch();
      const reader = createStarkExReader(
        dn.deployment,
        MultiRpc.fromUrls([dn.net.anvil.rpcUrl], { attempts: 2, baseDelayMs: 10 }),
        { maxBlockRange: 50n },
      );
      const store = new MemorySyncStore();
      expect(
        (
          await new SyncEngine(
            { deployment: dn.deployment, initialSharedState: dn.genesis, maxBlockRange: 50n, now: () => Date.now() },
            reader,
            store,
          ).run()
        ).phase,
      ).toBe('caught-up');
      const rm = readModel(store);
      expect(dn.positions.size).toBeGreaterThan(3);
      for (const [id, p] of dn.positions) {
        const check = await rm.checkPosition(id);
        expect(check, `position ${id}`).toMatchObject({
          matches: true,
          committedRoot: dn.state().positionsRoot,
          pathLength: 64,
        });
        expect((await rm.positionsOfStarkKey(p.starkKey)).map((v) => [v.positionId, v.position])).toEqual([[id, p]]);
      }
      expect((await rm.verdicts({ limit: 2 })).items.map((v) => [v.sequenceNumber, v.status])).toEqual([
        [3n, 'verified'],
        [2n, 'verified'],
      ]);
    } finally {
      await dn.stop();
    }
  });
});
