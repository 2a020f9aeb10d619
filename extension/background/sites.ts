/**
 * Connected sites and the spam brake, keyed by the exact origin the browser reported
 * (wallet-practice.md §3.3, §3.5).
 */
import { blockOrigin, isOriginBlocked, recordRejection, shouldOfferBlock } from '../../src/index.js';
import type { ConnectedSite } from '../../src/index.js';
import { announce } from './changes.js';
import { walletDb } from './db.js';

export async function connectedSite(origin: string): Promise<ConnectedSite | undefined> {
  return (await walletDb()).get('sites', origin);
}
export async function connectedSites(): Promise<ConnectedSite[]> {
  return (await walletDb()).getAll('sites');
}
export async function connectSite(origin: string, starkKey: string): Promise<void> {
  await (await walletDb()).put('sites', { origin, starkKey, connectedAt: Date.now() });
  announce('sites');
}
export async function revokeSite(origin: string): Promise<boolean> {
  const db = await walletDb();
  const had = (await db.get('sites', origin)) !== undefined;
  await db.delete('sites', origin);
  if (had) announce('sites');
  return had;
}

export async function noteRejection(origin: string): Promise<boolean> {
  const db = await walletDb();
  const next = recordRejection(await db.get('rejections', origin), origin, Date.now());
  await db.put('rejections', next);
  return shouldOfferBlock(next, Date.now());
}
/**
 * One rejection for each distinct origin of a bulk rejection ("Reject all", closing the window):
 * a site that filled the queue is rejected once per user action, not once per request (MetaMask
 * #32162: counting each request blocked sites after one "Reject all").
 */
export async function noteRejections(origins: readonly string[]): Promise<void> {
  for (const origin of new Set(origins)) await noteRejection(origin);
}
export async function offersBlock(origin: string): Promise<boolean> {
  return shouldOfferBlock(await (await walletDb()).get('rejections', origin), Date.now());
}
export async function blockSite(origin: string): Promise<void> {
  const db = await walletDb();
  await db.put('rejections', blockOrigin(await db.get('rejections', origin), origin, Date.now()));
}
export async function isBlocked(origin: string): Promise<boolean> {
  return isOriginBlocked(await (await walletDb()).get('rejections', origin), Date.now());
}
