import { DYDX_V3_MAINNET } from '../../../src/l1/deployment.js';
import type { StarkExL1Reader } from '../../../src/l1/starkex-reader.js';
import { encodeSharedState, sharedStateHash, type SharedState } from '../../../src/starkex/shared-state.js';
import { EMPTY_POSITION, type Position } from '../../../src/state/position.js';
import { readModel } from '../../../src/sync/read-model.js';
import { hashCheckpoint, restoreBefore } from '../../../src/sync/rollback.js';
import { importSnapshot, SNAPSHOT_FORMAT } from '../../../src/sync/snapshot.js';
import { OverlayNodeStore, type SyncStore } from '../../../src/sync/sync-store.js';
import type { BatchDiff, BatchVerdict, SyncAlarm, SyncCheckpoint } from '../../../src/sync/types.js';
import { emptySubtreeRoot } from '../../../src/tree/empty-subtrees.js';
import { PositionTree } from '../../../src/tree/position-tree.js';
import { genesisSharedState } from '../../helpers/shared-state.js';

/*
 * One read-model scenario (issue 14) for any `SyncStore`: the unit test runs it on the memory
 * store, test/e2e/sync-db.spec.ts on the IndexedDB store in Chromium, and both compare with
 * `EXPECTED_TRACE`. Nothing here may import Node or the devnet: it is bundled for the browser.
 */

export const H = 8; // a small tree: every step hashes for real, in milliseconds
export const OPTS = { treeHeight: H };
export const A = 0xa11cen;
export const B = 0xb0bn;
export const C = 0xca201n;

export const pos = (starkKey: bigint, collateral = 100n): Position => ({ starkKey, collateral, assets: [] });

/** Any decodable shared state with the given root and height H. */
const STATE: SharedState = genesisSharedState(H, 0n);
export const words = (root: bigint) => encodeSharedState({ ...STATE, positionsRoot: root });

export const cpAt = (seq: bigint, root: bigint, extra: Partial<SyncCheckpoint> = {}): SyncCheckpoint => ({
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

/** Empties the store and commits the empty tree as verified batch 0. */
export async function genesis(store: SyncStore): Promise<void> {
  await store.clear();
  await store.commit({ checkpoint: cpAt(0n, emptySubtreeRoot(H), { hashedSequenceNumber: 0n }) });
}

/**
 * One batch committed as the engine commits it (apply-batch.ts): in follow mode with the tree
 * nodes, in catch-up with the positions only, marked dirty. `wrongRoot`: the batch commits to
 * another root than its positions give (a bad batch that bisection finds).
 */
export async function batch(
  store: SyncStore,
  changes: Array<[bigint, Position | undefined]>,
  mode: 'follow' | 'catch-up' = 'follow',
  wrongRoot = false,
): Promise<void> {
  const before = (await store.checkpoint())!;
  const seq = before.sequenceNumber + 1n;
  const olds = await store.getPositions(changes.map(([id]) => id));
  // The root with the dirty and changed leaves set, and its nodes to commit, on an overlay of the store.
  const dirty = await store.dirtyPositionIds();
  const leaves = new Map<bigint, Position | undefined>();
  (await store.getPositions(dirty)).forEach((p, i) => leaves.set(dirty[i]!, p));
  for (const [id, p] of changes) leaves.set(id, p);
  const overlay = new OverlayNodeStore(store);
  const tree = await PositionTree.create(overlay, { height: OPTS.treeHeight });
  await tree.update([...leaves].map(([id, p]) => [id, p ?? EMPTY_POSITION] as const));
  const root = await tree.root();
  const nodes = overlay.pending();
  const committed = wrongRoot ? root ^ 1n : root;
  const diff: BatchDiff = {
    sequenceNumber: seq,
    blockNumber: 100n + seq,
    committedRoot: committed,
    before,
    changes: changes.map(([id, p], i) => [id, olds[i], p]),
  };
  if (mode === 'follow') {
    await store.commit({ nodes, checkpoint: cpAt(seq, committed, { hashedSequenceNumber: seq }), diff });
  } else {
    const hashed = before.hashedSequenceNumber ?? before.sequenceNumber;
    await store.commit({
      nodes: { nodes: [], positions: changes },
      checkpoint: cpAt(seq, committed, { hashedSequenceNumber: hashed }),
      diff,
      dirty: { add: changes.map(([id]) => id) },
    });
  }
}

/** A snapshot of `positions` (height H), and a reader whose anchor vouches for it. */
export async function anchoredSnapshot(positions: Array<[bigint, Position]>, sequenceNumber: bigint) {
  const tree = await PositionTree.create(undefined, { height: H });
  await tree.update(positions);
  const sharedState = words(await tree.root());
  const reader = {
    sharedStateHashAt: async () => sharedStateHash(sharedState),
    sequenceNumberAt: async () => sequenceNumber,
    provenStateAt: async (block: bigint) => ({
      sharedStateHash: sharedStateHash(sharedState),
      sequenceNumber,
      isFrozen: false,
      block,
      blockHash: `0x${'ab'.repeat(32)}`,
      stateRoot: `0x${'cd'.repeat(32)}`,
      checked: 'storage-proof-against-agreed-block-hash',
    }),
  } as unknown as StarkExL1Reader;
  const d = DYDX_V3_MAINNET;
  const snapshot = {
    format: SNAPSHOT_FORMAT,
    deploymentId: d.id,
    chainId: d.chainId,
    starkPerpetual: d.starkPerpetual,
    sequenceNumber,
    batchId: sequenceNumber * 10n,
    blockNumber: 500n,
    sharedState,
    positions,
  } as const;
  return { snapshot, reader, deployment: d };
}

export const verdict = (seq: bigint): BatchVerdict => ({
  sequenceNumber: seq,
  batchId: seq,
  blockNumber: seq,
  txHash: '0x',
  status: 'verified',
  checks: [],
  positionsChanged: 0,
});
export const alarm = (id: string, severity: SyncAlarm['severity'], raisedAt: number): SyncAlarm => ({
  id,
  kind: 'no-new-batch',
  severity,
  message: id,
  raisedAt,
});

/** Per step: each key's ids in the store's index (hex), and whether every touched position checks. */
type Step = { step: string; index: Record<string, string[]>; check: boolean };
export type ScenarioTrace = {
  steps: Step[];
  verdictPages: string[][];
  verdictTotal: number;
  alarmPages: string[][];
  raised: string[];
  history: string[];
};

const hex = (v: bigint) => v.toString(16);

/** Runs the scenario on `store` (emptied first); plain strings and booleans, so it crosses page.evaluate. */
export async function readModelScenario(store: SyncStore): Promise<ScenarioTrace> {
  const rm = readModel(store);
  const steps: Step[] = [];
  const record = async (step: string, ids: bigint[]) => {
    const index: Record<string, string[]> = {};
    for (const k of [A, B, C]) {
      const stored = await store.positionIdsOfStarkKey(k);
      const read = (await rm.positionsOfStarkKey(k)).map((v) => v.positionId);
      // The read model checks each record: it must agree with the index, or the index is stale.
      index[hex(k)] = stored
        .map(hex)
        .concat(
          read.length === stored.length && read.every((id, i) => id === stored[i]) ? [] : ['read model disagrees'],
        );
    }
    let check = true;
    for (const id of ids) check &&= (await rm.checkPosition(id)).matches;
    steps.push({ step, index, check });
  };

  await genesis(store);
  await batch(store, [
    [1n, pos(A)],
    [2n, pos(A)],
    [3n, pos(B)],
  ]);
  await record('follow: 1, 2 → A, 3 → B', [1n, 2n, 3n]);
  await batch(store, [
    [2n, pos(C, 7n)],
    [1n, undefined],
    [4n, pos(A)],
  ]);
  await record('follow: 2 moves to C, 1 emptied, 4 → A', [1n, 2n, 3n, 4n]);
  await restoreBefore(store, await store.diffs(), 1, OPTS);
  await record('reorg: the second batch rolled back', [1n, 2n, 3n, 4n]);

  await genesis(store);
  await batch(
    store,
    [
      [1n, pos(A)],
      [2n, pos(A)],
    ],
    'catch-up',
  );
  await batch(store, [[3n, pos(B)]], 'catch-up');
  await batch(
    store,
    [
      [2n, pos(B)],
      [1n, undefined],
      [5n, pos(C)],
    ],
    'catch-up',
    true,
  );
  const result = await hashCheckpoint(store, (await store.checkpoint())!, { ...OPTS, now: 1 });
  if (result.ok || result.checkpoint.sequenceNumber !== 2n)
    throw new Error(
      `expected the bad third batch rolled back, got ${JSON.stringify({ ok: result.ok, seq: String(result.checkpoint.sequenceNumber) })}`,
    );
  await record('catch-up: bisect rolls the bad third batch back', [1n, 2n, 3n, 5n]);

  await batch(store, [[7n, pos(B)]]);
  const s = await anchoredSnapshot(
    [
      [1n, pos(C)],
      [5n, pos(A)],
    ],
    9n,
  );
  await importSnapshot(s.snapshot, { deployment: s.deployment, reader: s.reader, store });
  await record('snapshot import replaces the state; verdicts and alarms stay', [1n, 2n, 3n, 5n, 7n]);

  await store.commit({ checkpoint: (await store.checkpoint())!, verdicts: [1n, 2n, 3n, 4n, 5n, 6n, 7n].map(verdict) });
  const verdictPages: string[][] = [];
  let verdictTotal = 0;
  for (let before: bigint | undefined, more = true; more; ) {
    const page = await rm.verdicts({ limit: 3, ...(before === undefined ? {} : { before }) });
    verdictPages.push(page.items.map((v) => hex(v.sequenceNumber)));
    verdictTotal = page.total;
    before = page.next;
    more = before !== undefined;
  }
  const all = [
    alarm('w-old', 'warning', 10),
    alarm('c-old', 'critical', 5),
    alarm('i-1', 'info', 50),
    alarm('c-new', 'critical', 20),
    alarm('w-new', 'warning', 30),
    alarm('c-tie-a', 'critical', 20),
  ];
  await store.commit({ checkpoint: (await store.checkpoint())!, alarms: all });
  const alarmPages: string[][] = [];
  let page = await rm.alarms({ limit: 2 });
  alarmPages.push(page.items.map((a) => a.id));
  while (page.next) {
    page = await rm.alarms({ limit: 2, after: page.next });
    alarmPages.push(page.items.map((a) => a.id));
  }
  const raised = await rm.alarms({ limit: 10, severities: ['critical', 'warning'] });
  const history = await rm.alarms({ limit: 10, severities: ['info'] });
  return {
    steps,
    verdictPages,
    verdictTotal,
    alarmPages,
    raised: [...raised.items.map((a) => a.id), `total ${raised.total}`],
    history: [...history.items.map((a) => a.id), `total ${history.total}`],
  };
}

export const EXPECTED_TRACE: ScenarioTrace = {
  steps: [
    { step: 'follow: 1, 2 → A, 3 → B', index: { a11ce: ['1', '2'], b0b: ['3'], ca201: [] }, check: true },
    { step: 'follow: 2 moves to C, 1 emptied, 4 → A', index: { a11ce: ['4'], b0b: ['3'], ca201: ['2'] }, check: true },
    { step: 'reorg: the second batch rolled back', index: { a11ce: ['1', '2'], b0b: ['3'], ca201: [] }, check: true },
    {
      step: 'catch-up: bisect rolls the bad third batch back',
      index: { a11ce: ['1', '2'], b0b: ['3'], ca201: [] },
      check: true,
    },
    {
      step: 'snapshot import replaces the state; verdicts and alarms stay',
      index: { a11ce: ['5'], b0b: [], ca201: ['1'] },
      check: true,
    },
  ],
  verdictPages: [['7', '6', '5'], ['4', '3', '2'], ['1']],
  verdictTotal: 7,
  alarmPages: [
    ['c-tie-a', 'c-new'],
    // The bisect's alarm (raised at 1) outlives the snapshot import: the user's history stays.
    ['c-old', 'root-mismatch:3:103:'],
    ['w-new', 'w-old'],
    ['i-1'],
  ],
  raised: ['c-tie-a', 'c-new', 'c-old', 'root-mismatch:3:103:', 'w-new', 'w-old', 'total 6'],
  history: ['i-1', 'total 1'],
};
