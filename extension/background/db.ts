/**
 * Vigil's wallet database (IndexedDB through idb; DESIGN.md §4): the encrypted vault, public
 * account metadata and settings, the approval queue, connected sites and rejection counters.
 * Only ciphertext and public data live here.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { ConnectedSite, OriginRejections, PendingRequest, VaultEnvelope, WalletAccount } from '../../src/index.js';

export type WalletMeta = {
  account: WalletAccount;
  autoLockMs: number;
  unlockFailures: { count: number; lastAt: number };
};

interface WalletDB extends DBSchema {
  /** The raw stored vault under key "main": kept as stored, so a damaged one is never rewritten. */
  vault: { key: 'main'; value: unknown };
  meta: { key: keyof WalletMeta; value: WalletMeta[keyof WalletMeta] };
  requests: { key: string; value: PendingRequest };
  sites: { key: string; value: ConnectedSite };
  rejections: { key: string; value: OriginRejections };
}

export const DB_NAME = 'vigil-wallet';
const DB_VERSION = 1;
let dbPromise: Promise<IDBPDatabase<WalletDB>> | null = null;

export function walletDb(): Promise<IDBPDatabase<WalletDB>> {
  dbPromise ??= openDB<WalletDB>(DB_NAME, DB_VERSION, {
    upgrade(db) {
      db.createObjectStore('vault');
      db.createObjectStore('meta');
      db.createObjectStore('requests', { keyPath: 'id' });
      db.createObjectStore('sites', { keyPath: 'origin' });
      db.createObjectStore('rejections', { keyPath: 'origin' });
    },
  });
  return dbPromise;
}

export async function getMeta<K extends keyof WalletMeta>(key: K): Promise<WalletMeta[K] | undefined> {
  return (await (await walletDb()).get('meta', key)) as WalletMeta[K] | undefined;
}
export async function setMeta<K extends keyof WalletMeta>(key: K, value: WalletMeta[K]): Promise<void> {
  await (await walletDb()).put('meta', value, key);
}

export async function storedVault(): Promise<unknown> {
  return (await walletDb()).get('vault', 'main');
}

/** Writes the first vault; refuses if one exists (a vault is never overwritten by onboarding). */
export async function insertVault(envelope: VaultEnvelope, account: WalletAccount): Promise<boolean> {
  const db = await walletDb();
  const tx = db.transaction(['vault', 'meta'], 'readwrite');
  if ((await tx.objectStore('vault').get('main')) !== undefined) {
    tx.abort();
    await tx.done.catch(() => undefined);
    return false;
  }
  await tx.objectStore('vault').put(envelope, 'main');
  await tx.objectStore('meta').put(account, 'account');
  await tx.done;
  return true;
}

/**
 * Restore from the recovery phrase (issue 17 item 7): the new vault, its public account and a
 * cleared wrong-password count in ONE transaction, so a stopped worker leaves either the old vault
 * or the new one, never a vault with another vault's account. Sites, settings and the approval
 * queue are other records and stay as they are.
 */
export async function restoreVaultRecords(envelope: VaultEnvelope, account: WalletAccount): Promise<void> {
  const db = await walletDb();
  const tx = db.transaction(['vault', 'meta'], 'readwrite');
  await tx.objectStore('vault').put(envelope, 'main');
  await tx.objectStore('meta').put(account, 'account');
  await tx.objectStore('meta').put({ count: 0, lastAt: 0 }, 'unlockFailures');
  await tx.done;
}

/** Replaces a vault that was just opened successfully (KDF upgrade on unlock). */
export async function replaceVault(envelope: VaultEnvelope): Promise<void> {
  await (await walletDb()).put('vault', envelope, 'main');
}
