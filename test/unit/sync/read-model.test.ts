import { describe, expect, it } from 'vitest';
import { pedersenMany } from '../../../src/crypto/pedersen.js';
import { RangeCheckError } from '../../../src/errors.js';
import { EscapeNotPossibleError, escapeSourceFromStore, verifiedPositionIdOf } from '../../../src/exit/index.js';
import { DYDX_V3_MAINNET } from '../../../src/l1/deployment.js';
import { encodeSharedState, sharedStateHash } from '../../../src/starkex/shared-state.js';
import type { Position } from '../../../src/state/position.js';
import { dirtyLeaves, rootWith } from '../../../src/sync/checkpoint-hash.js';
import { ReadModelError } from '../../../src/sync/errors.js';
import { readModel, type ReadModel } from '../../../src/sync/index.js';
import { hashCheckpoint, restoreBefore } from '../../../src/sync/rollback.js';
import { importSnapshot, SNAPSHOT_FORMAT } from '../../../src/sync/snapshot.js';
import { MemorySyncStore } from '../../../src/sync/sync-store.js';
import type { BatchDiff, BatchVerdict, SyncAlarm, SyncCheckpoint } from '../../../src/sync/types.js';
import { emptySubtreeRoot } from '../../../src/tree/empty-subtrees.js';
import { positionLeafHash } from '../../../src/tree/position-leaf.js';
import { PositionTree } from '../../../src/tree/position-tree.js';
import { verifyEscapeProof } from '../../../src/tree/escape-verifier.js';
import { MultiRpc } from '../../../src/l1/multi-rpc.js';
import { createStarkExReader, type StarkExL1Reader } from '../../../src/l1/starkex-reader.js';
import { SyncEngine } from '../../../src/sync/engine.js';
import { GENESIS } from './evidence.js';
import { startSyncDevnet } from './sync-devnet.js';

// Issue 14: the verified-state read model over the memory store (the IndexedDB store runs in the
// real browser only: test/e2e/verifier-devnet.spec.ts checks its index there).

const H = 8; // a small tree: every case hashes for real, in milliseconds
const OPTS = { treeHeight: H };
const A = 0xa11cen;
const B = 0xb0bn;
const C = 0xca201n;
const pos = (starkKey: bigint, collateral = 100n): Position => ({ starkKey, collateral, assets: [] });
const words = (root: bigint) => encodeSharedState({ ...GENESIS, positionsRoot: root, positionsTreeHeight: BigInt(H) });
const cpAt = (seq: bigint, root: bigint, extra: Partial<SyncCheckpoint> = {}): SyncCheckpoint => ({
  deploymentId: 'read-model-test',
  sequenceNumber: seq,
  batchId: seq * 10n,
  blockNumber: 100n + seq,
  scannedTo: 100n + seq,
  sharedState: words(root),
  pendingForced: [],
  frozen: false,
  ...extra,
});

async function genesisStore(): Promise<MemorySyncStore> {
  const store = new MemorySyncStore();
  await store.commit({ checkpoint: cpAt(0n, emptySubtreeRoot(H), { hashedSequenceNumber: 0n }) });
  return store;
}

/**
 * One batch committed as the engine commits it (apply-batch.ts): in follow mode with the tree
 * nodes, in catch-up with the positions only, marked dirty. `wrongRoot`: the batch commits to
 * another root than its positions give (a bad batch that bisection finds).
 */
async function batch(store: MemorySyncStore, changes: Array<[bigint, Position | undefined]>, mode: 'follow' | 'catch-up' = 'follow', wrongRoot = false): Promise<void> {
  const before = (await store.checkpoint())!;
  const seq = before.sequenceNumber + 1n;
  const olds = await store.getPositions(changes.map(([id]) => id));
  const leaves = await dirtyLeaves(store, await store.dirtyPositionIds());
  for (const [id, p] of changes) leaves.set(id, p);
  const { root, nodes } = await rootWith(store, leaves, OPTS);
  const committed = wrongRoot ? root ^ 1n : root;
  const diff: BatchDiff = { sequenceNumber: seq, blockNumber: 100n + seq, committedRoot: committed, before, changes: changes.map(([id, p], i) => [id, olds[i], p]) };
  if (mode === 'follow') {
    await store.commit({ nodes, checkpoint: cpAt(seq, committed, { hashedSequenceNumber: seq }), diff });
  } else {
    const hashed = before.hashedSequenceNumber ?? before.sequenceNumber;
    await store.commit({ nodes: { nodes: [], positions: changes }, checkpoint: cpAt(seq, committed, { hashedSequenceNumber: hashed }), diff, dirty: { add: changes.map(([id]) => id) } });
  }
}

/** The store's index for each key; the read model (which checks each record) must say the same. */
async function keyIndex(rm: ReadModel, keys: bigint[], store: MemorySyncStore): Promise<Record<string, bigint[]>> {
  const out: Record<string, bigint[]> = {};
  for (const k of keys) {
    out[k.toString(16)] = await store.positionIdsOfStarkKey(k);
    expect((await rm.positionsOfStarkKey(k)).map((v) => v.positionId), `key ${k.toString(16)}`).toEqual(out[k.toString(16)]);
  }
  return out;
}

async function expectAllMatch(rm: ReadModel, ids: bigint[]) {
  for (const id of ids) expect((await rm.checkPosition(id)).matches, `position ${id}`).toBe(true);
}

describe('the stark-key index', () => {
  it('follows commits: a position moved to another key and a position emptied leave their old key', async () => {
    const store = await genesisStore();
    const rm = readModel(store);
    await batch(store, [[1n, pos(A)], [2n, pos(A)], [3n, pos(B)]]);
    expect(await keyIndex(rm, [A, B, C], store)).toEqual({ a11ce: [1n, 2n], b0b: [3n], ca201: [] });
    await batch(store, [[2n, pos(C, 7n)], [1n, undefined], [4n, pos(A)]]);
    expect(await keyIndex(rm, [A, B, C], store)).toEqual({ a11ce: [4n], b0b: [3n], ca201: [2n] });
    expect((await rm.positionsOfStarkKey(C))[0]).toMatchObject({ positionId: 2n, position: { starkKey: C, collateral: 7n }, basis: { sequenceNumber: 2n }, halted: false });
    expect(await rm.positionIdOfStarkKey(A)).toBe(4n);
    expect(await rm.positionIdOfStarkKey(0x5n)).toBeUndefined();
    expect(await verifiedPositionIdOf(store, C)).toBe(2n);
  });

  it('is rolled back with the positions (a reorg: restoreBefore)', async () => {
    const store = await genesisStore();
    const rm = readModel(store);
    await batch(store, [[1n, pos(A)], [2n, pos(A)], [3n, pos(B)]]);
    await batch(store, [[2n, pos(C)], [1n, undefined], [4n, pos(A)]]);
    const cp = await restoreBefore(store, await store.diffs(), 1, OPTS);
    expect(cp.sequenceNumber).toBe(1n);
    expect(await keyIndex(rm, [A, B, C], store)).toEqual({ a11ce: [1n, 2n], b0b: [3n], ca201: [] });
    await expectAllMatch(rm, [1n, 2n, 3n, 4n]);
  });

  it('is rolled back when a catch-up checkpoint bisects to a bad batch (hashCheckpoint → restoreBefore)', async () => {
    const store = await genesisStore();
    const rm = readModel(store);
    await batch(store, [[1n, pos(A)], [2n, pos(A)]], 'catch-up');
    await batch(store, [[3n, pos(B)]], 'catch-up');
    await batch(store, [[2n, pos(B)], [1n, undefined]], 'catch-up', true);
    // In catch-up the stored positions are ahead of the last root: the read model refuses them.
    await expect(rm.positionsOfStarkKey(B)).rejects.toMatchObject({ reason: 'catching-up' });
    const result = await hashCheckpoint(store, (await store.checkpoint())!, { ...OPTS, now: 1 });
    expect(result.ok).toBe(false);
    expect(result.checkpoint).toMatchObject({ sequenceNumber: 2n, halted: { sequenceNumber: 3n } });
    expect(await keyIndex(rm, [A, B], store)).toEqual({ a11ce: [1n, 2n], b0b: [3n] });
    expect((await rm.position(1n)).halted).toBe(true);
    await expectAllMatch(rm, [1n, 2n, 3n]);
  });

  it('is replaced by a snapshot import (reset and the snapshot positions in one commit)', async () => {
    const store = await genesisStore();
    const rm = readModel(store);
    await batch(store, [[1n, pos(A)], [7n, pos(B)]]);
    const positions: Array<[bigint, Position]> = [[1n, pos(C)], [5n, pos(A)]];
    const tree = await PositionTree.create(undefined, { height: H });
    await tree.update(positions);
    const sharedState = words(await tree.root());
    const reader = { sharedStateHashAt: async () => sharedStateHash(sharedState), sequenceNumberAt: async () => 9n } as unknown as StarkExL1Reader;
    const d = DYDX_V3_MAINNET;
    const snapshot = { format: SNAPSHOT_FORMAT, deploymentId: d.id, chainId: d.chainId, starkPerpetual: d.starkPerpetual, sequenceNumber: 9n, batchId: 90n, blockNumber: 500n, sharedState, positions } as const;
    await importSnapshot(snapshot, { deployment: d, reader, store });
    expect(await keyIndex(rm, [A, B, C], store)).toEqual({ a11ce: [5n], b0b: [], ca201: [1n] });
    await expectAllMatch(rm, [1n, 5n, 7n]);
  });

  it('a stale entry is never shown as the key holder: the record is checked', async () => {
    // An index that lies (as a store bug would): the read model drops what the record contradicts.
    class LyingStore extends MemorySyncStore {
      override async positionIdsOfStarkKey() {
        return [1n];
      }
    }
    const store = new LyingStore();
    await store.commit({ checkpoint: cpAt(0n, emptySubtreeRoot(H), { hashedSequenceNumber: 0n }) });
    await batch(store, [[1n, pos(A)]]);
    expect(await readModel(store).positionsOfStarkKey(B)).toEqual([]);
    expect((await readModel(store).positionsOfStarkKey(A)).map((v) => v.positionId)).toEqual([1n]);
  });
});

describe('verdicts and alarms by page', () => {
  const verdict = (seq: bigint): BatchVerdict => ({ sequenceNumber: seq, batchId: seq, blockNumber: seq, txHash: '0x', status: 'verified', checks: [], positionsChanged: 0 });
  const alarm = (id: string, severity: SyncAlarm['severity'], raisedAt: number): SyncAlarm => ({ id, kind: 'no-new-batch', severity, message: id, raisedAt });

  it('verdicts come newest first; `next` pages back until the oldest; `total` counts them all', async () => {
    const store = await genesisStore();
    await store.commit({ checkpoint: cpAt(7n, 0n), verdicts: [1n, 2n, 3n, 4n, 5n, 6n, 7n].map(verdict) });
    const rm = readModel(store);
    const seqs: bigint[][] = [];
    let before: bigint | undefined;
    for (;;) {
      const page = await rm.verdicts({ limit: 3, ...(before === undefined ? {} : { before }) });
      expect(page.total).toBe(7);
      seqs.push(page.items.map((v) => v.sequenceNumber));
      if (page.next === undefined) break;
      before = page.next;
    }
    expect(seqs).toEqual([[7n, 6n, 5n], [4n, 3n, 2n], [1n]]);
    expect(await rm.verdicts({ limit: 7 })).toEqual({ items: [7n, 6n, 5n, 4n, 3n, 2n, 1n].map(verdict), total: 7 });
    expect((await rm.verdicts({ limit: 5, before: 1n })).items).toEqual([]);
  });

  it('alarms: critical, then warning, then info; newest first within each; pages by cursor; filtered by severity', async () => {
    const store = await genesisStore();
    const all = [alarm('w-old', 'warning', 10), alarm('c-old', 'critical', 5), alarm('i-1', 'info', 50), alarm('c-new', 'critical', 20), alarm('w-new', 'warning', 30), alarm('c-tie-a', 'critical', 20)];
    await store.commit({ checkpoint: cpAt(1n, 0n), alarms: all });
    const rm = readModel(store);
    const ids: string[][] = [];
    let page = await rm.alarms({ limit: 2 });
    ids.push(page.items.map((a) => a.id));
    while (page.next) {
      page = await rm.alarms({ limit: 2, after: page.next });
      ids.push(page.items.map((a) => a.id));
      expect(page.total).toBe(6);
    }
    expect(ids).toEqual([['c-tie-a', 'c-new'], ['c-old', 'w-new'], ['w-old', 'i-1']]);
    const raised = await rm.alarms({ limit: 10, severities: ['critical', 'warning'] });
    expect(raised.items.map((a) => a.id)).toEqual(['c-tie-a', 'c-new', 'c-old', 'w-new', 'w-old']);
    expect(raised.total).toBe(5);
    expect(raised.next).toBeUndefined();
    const history = await rm.alarms({ limit: 10, severities: ['info'] });
    expect([history.items.map((a) => a.id), history.total]).toEqual([['i-1'], 1]);
  });

  it('refuses a bad page request, naming the field, the value and the range', async () => {
    const rm = readModel(await genesisStore());
    await expect(async () => rm.verdicts({ limit: 0 })).rejects.toThrow('limit: 0 is out of range; expected an integer 1 <= limit <= 500');
    await expect(async () => rm.verdicts({ limit: 501 })).rejects.toThrow(RangeCheckError);
    await expect(async () => rm.verdicts({ limit: 5, before: -1n })).rejects.toThrow('before: -1 is out of range; expected 0 <= before < 2^64');
    await expect(async () => rm.alarms({ limit: 5, severities: ['loud' as 'info'] })).rejects.toThrow('severities[0]: "loud" is out of range; expected critical | warning | info');
    await expect(async () => rm.alarms({ limit: 5, after: { severity: 'info', raisedAt: Number.NaN, id: 'x' } })).rejects.toThrow('after.raisedAt');
    await expect(rm.positionsOfStarkKey(-1n)).rejects.toThrow('starkKey: -1 is out of range; expected 0 <= starkKey < P');
  });
});

describe('checkPosition: the leaf from the stored record, hashed up the stored siblings, against the committed root', () => {
  async function honest() {
    const store = await genesisStore();
    await batch(store, [[1n, pos(A)], [2n, { starkKey: B, collateral: -5n, assets: [{ assetId: 7n, balance: 3n, cachedFundingIndex: 1n << 32n }] }], [200n, pos(C)]]);
    return { store, rm: readModel(store), committedRoot: (await store.checkpoint())!.sharedState![0]! };
  }

  it('the honest state matches, for stored and empty positions alike', async () => {
    const { store, rm, committedRoot } = await honest();
    const check = await rm.checkPosition(2n);
    const [stored] = await store.getPositions([2n]);
    expect(check).toEqual({ positionId: 2n, leaf: positionLeafHash(stored!), root: committedRoot, committedRoot, pathLength: H, matches: true });
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
    await expect(readModel(store).checkPosition(1n)).rejects.toMatchObject({ reason: 'nothing-verified', message: 'no verified batch yet: sync (or import a snapshot) first' });
    const { rm, store: s } = await honest();
    await expect(rm.checkPosition(256n)).rejects.toThrow('positionId: 256 is out of range; expected 0 <= positionId < 2^8');
    await batch(s, [[9n, pos(A)]], 'catch-up');
    await expect(rm.checkPosition(1n)).rejects.toBeInstanceOf(ReadModelError);
  });
});

describe('escapeSource', () => {
  it('by stark key: the proof verifies against the committed state, for the key’s position', async () => {
    const store = await genesisStore();
    await batch(store, [[1n, pos(A, 5000n)], [6n, pos(B, 42n)]]);
    const rm = readModel(store);
    const m = await rm.escapeSource({ starkKey: B });
    expect(m).toMatchObject({ positionId: 6n, nAssets: 0, basis: { sequenceNumber: 1n } });
    expect(m.merkleProof.length).toBe(2 * (2 + H) + 2);
    expect(verifyEscapeProof(m.merkleProof, m.nAssets, m.sharedState)).toEqual({ positionId: 6n, starkKey: B, amount: 42n });
    await expect(rm.escapeSource({ starkKey: C })).rejects.toMatchObject({ reason: 'no-position' });
  });

  it('refuses a tree whose sibling was altered (the stored root still matches), and the exit names it proof-invalid', async () => {
    const store = await genesisStore();
    await batch(store, [[1n, pos(A, 5000n)], [6n, pos(B, 42n)]]);
    await store.write({ nodes: [[{ height: 2, index: (6n >> 2n) ^ 1n }, 999n]], positions: [] });
    await expect(readModel(store).escapeSource({ positionId: 6n })).rejects.toMatchObject({ reason: 'tree-mismatch' });
    const err = await escapeSourceFromStore(store, 6n)().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EscapeNotPossibleError);
    expect(err).toMatchObject({ reason: 'proof-invalid' });
    expect((err as Error).message).toContain('position 6: its stored record hashed up its stored Merkle path gives root');
  });
});

describe('over the verifier state of a devnet sync', () => {
  it('every position the operator holds checks against the committed root, and its key finds it', async () => {
    const dn = await startSyncDevnet();
    try {
      for (let i = 0; i < 3; i++) await dn.postBatch();
      const reader = createStarkExReader(dn.deployment, MultiRpc.fromUrls([dn.net.anvil.rpcUrl], { attempts: 2, baseDelayMs: 10 }), { maxBlockRange: 50n });
      const store = new MemorySyncStore();
      expect((await new SyncEngine({ deployment: dn.deployment, initialSharedState: dn.genesis, maxBlockRange: 50n, now: () => Date.now() }, reader, store).run()).phase).toBe('caught-up');
      const rm = readModel(store);
      expect(dn.positions.size).toBeGreaterThan(3);
      for (const [id, p] of dn.positions) {
        const check = await rm.checkPosition(id);
        expect(check, `position ${id}`).toMatchObject({ matches: true, committedRoot: dn.state().positionsRoot, pathLength: 64 });
        expect((await rm.positionsOfStarkKey(p.starkKey)).map((v) => [v.positionId, v.position])).toEqual([[id, p]]);
      }
      expect((await rm.verdicts({ limit: 2 })).items.map((v) => [v.sequenceNumber, v.status])).toEqual([[3n, 'verified'], [2n, 'verified']]);
    } finally {
      await dn.stop();
    }
  });
});
