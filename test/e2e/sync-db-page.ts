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

(globalThis as unknown as { vigilSyncDbTest: unknown }).vigilSyncDbTest = { upgradeFromVersion3, scenario, badLimit };
