/**
 * Bundled by sync-db.spec.ts into one script for a plain page: the extension's IndexedDB store
 * (extension/shared/sync-db.ts) and the read-model scenario, run in Chromium's real IndexedDB.
 */
import { IdbSyncStore, SYNC_DB_NAME, syncDb } from '../../extension/shared/sync-db.js';
import { readModel } from '../../src/sync/read-model.js';
import type { SyncAlarm } from '../../src/sync/types.js';
import { A, alarm, B, C, pos, readModelScenario } from '../unit/sync/read-model-scenario.js';

const req = <T>(r: IDBRequest<T>) =>
  new Promise<T>((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });

/** The database as version 3 left it (before issue 14): same stores, no positionKeys, no alarm index. */
async function createVersion3(): Promise<void> {
  const open = indexedDB.open(SYNC_DB_NAME, 3);
  open.onupgradeneeded = () => {
    const db = open.result;
    for (const s of ['settings', 'status', 'checkpoint', 'nodes', 'positions', 'verdicts', 'alarms', 'diffs', 'dirty'])
      db.createObjectStore(s);
    db.createObjectStore('pages').createIndex('byBlock', 'block');
  };
  const db = await req(open);
  const tx = db.transaction(['positions', 'alarms'], 'readwrite');
  const idKey = (id: bigint) => id.toString(16).padStart(16, '0');
  tx.objectStore('positions').put(pos(A), idKey(1n));
  tx.objectStore('positions').put(pos(B), idKey(2n));
  tx.objectStore('positions').put(pos(A), idKey(0x1_0000_0000n));
  const alarms: SyncAlarm[] = [
    alarm('w', 'warning', 3),
    alarm('i', 'info', 9),
    alarm('c1', 'critical', 1),
    alarm('c2', 'critical', 2),
  ];
  for (const a of alarms) tx.objectStore('alarms').put(a, a.id);
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
  db.close();
}

/** Version 3 data, then the current code opens it: the upgrade builds both indexes from that data. */
async function upgradeFromVersion3() {
  await createVersion3();
  const db = await syncDb();
  const store = new IdbSyncStore();
  const ids = async (k: bigint) => (await store.positionIdsOfStarkKey(k)).map((id) => id.toString(16));
  const page = await store.alarmsPage({ limit: 10 });
  const upgraded = {
    version: db.version,
    stores: [...db.objectStoreNames],
    a: await ids(A),
    b: await ids(B),
    alarms: page.items.map((x) => x.id),
    total: page.total,
  };
  // A write after the upgrade keeps the rebuilt index right (a key change leaves the old key).
  await store.write({ nodes: [], positions: [[2n, pos(C)]] });
  return { ...upgraded, afterWrite: { b: await ids(B), c: await ids(C) } };
}

async function scenario() {
  return readModelScenario(new IdbSyncStore());
}

/** The read model over the IndexedDB store refuses bad pages as over the memory store. */
async function badLimit() {
  return readModel(new IdbSyncStore())
    .verdicts({ limit: 0 })
    .then(
      () => 'accepted',
      (e: Error) => e.message,
    );
}

/**
 * Reads and writes on the raw stores (issue 15 memory): positions 1..300 but every 7th, then
 * `getPositions` over a dense ascending run (one key-range read), the same ids shuffled, a sparse
 * set and an empty one (one request per id), each compared with what was written; then a write
 * holding a value that cannot be cloned is refused whole: none of its earlier records land.
 */
async function rawReadsAndWrites() {
  const store = new IdbSyncStore();
  const written = new Map<bigint, ReturnType<typeof pos>>();
  for (let id = 1n; id <= 300n; id++) if (id % 7n !== 0n) written.set(id, pos(A, id));
  await store.write({ nodes: [], positions: [...written] });
  const expected = (ids: bigint[]) => ids.map((id) => written.get(id));
  const range = (from: bigint, to: bigint) => Array.from({ length: Number(to - from) + 1 }, (_, i) => from + BigInt(i));
  const sets: Record<string, bigint[]> = {
    dense: range(5n, 290n),
    denseFromOutside: range(290n, 360n),
    shuffled: range(1n, 100n).sort((a, b) => Number(((a * 37n) % 101n) - ((b * 37n) % 101n))),
    sparse: [1n, 150n, 299n, 5000n],
    empty: [],
  };
  const same: Record<string, boolean> = {};
  for (const [name, ids] of Object.entries(sets)) {
    const got = await store.getPositions(ids);
    same[name] =
      JSON.stringify(got, (_k, v) => (typeof v === 'bigint' ? String(v) : v)) ===
      JSON.stringify(expected(ids), (_k, v) => (typeof v === 'bigint' ? String(v) : v));
  }
  let refused = '';
  try {
    await store.write({
      nodes: [],
      positions: [
        [1000n, pos(A, 1n)],
        [1001n, { ...pos(A, 2n), extra: () => 0 } as unknown as ReturnType<typeof pos>],
      ],
    });
  } catch (e) {
    refused = (e as Error).name;
  }
  const [afterRefused] = await store.getPositions([1000n]);
  // The dirty set read a page at a time in id order (checkpoint-hash.ts hashDirtyInChunks):
  // 0x10 sorts after 0x9 only because keys are fixed-width.
  const checkpoint = {
    deploymentId: 'test',
    sequenceNumber: 0n,
    batchId: 0n,
    blockNumber: 0n,
    scannedTo: 0n,
    pendingForced: [],
    frozen: false,
  };
  await store.commit({ checkpoint, dirty: { add: [0x10n, 9n, 2n ** 63n, 1n, 0x100n] } });
  const dirtyPages = [
    await store.dirtyPositionIds({ limit: 2 }),
    await store.dirtyPositionIds({ after: 9n, limit: 2 }),
    await store.dirtyPositionIds({ after: 0x100n, limit: 2 }),
    await store.dirtyPositionIds({ after: 2n ** 63n, limit: 2 }),
  ].map((ids) => ids.map(String));
  return { same, refused, afterRefused: afterRefused ?? null, dirtyPages };
}

(globalThis as unknown as { vigilSyncDbTest: unknown }).vigilSyncDbTest = {
  upgradeFromVersion3,
  scenario,
  badLimit,
  rawReadsAndWrites,
};
