/**
 * Provider events (issue 8 "Provider": account changes and lock). Every frame that made a request
 * is remembered with its origin (in storage.session, so a restarted worker still knows it); an
 * event goes only to frames whose origin is connected — or, for a revocation, to the revoked origin.
 */
import type { DappEventMessage, DappEventName } from '../shared/messages.js';
import { connectedSite } from './sites.js';

type Subscriber = { origin: string; tabId: number; frameId: number; documentId?: string };
const KEY = 'subscribers';
const MAX = 200;

async function subscribers(): Promise<Subscriber[]> {
  return ((await chrome.storage.session.get(KEY))[KEY] as Subscriber[] | undefined) ?? [];
}

export async function subscribe(s: Subscriber): Promise<void> {
  const all = await subscribers();
  if (
    all.some(
      (x) => x.tabId === s.tabId && x.frameId === s.frameId && x.documentId === s.documentId && x.origin === s.origin,
    )
  )
    return;
  all.push(s);
  await chrome.storage.session.set({ [KEY]: all.slice(-MAX) });
}

async function send(s: Subscriber, event: DappEventName, data: unknown): Promise<boolean> {
  const message: DappEventMessage = { type: 'vigil/dapp-event', event, data };
  try {
    await chrome.tabs.sendMessage(
      s.tabId,
      message,
      s.documentId ? { documentId: s.documentId } : { frameId: s.frameId },
    );
    return true;
  } catch {
    return false; // gone
  }
}

/** Sends `event` to connected frames (optionally only those of one origin); forgets frames that are gone. */
export async function emit(
  event: DappEventName,
  data: unknown,
  onlyOrigin?: string,
  evenIfNotConnected = false,
): Promise<void> {
  const alive: Subscriber[] = [];
  for (const s of await subscribers()) {
    if (onlyOrigin !== undefined && s.origin !== onlyOrigin) {
      alive.push(s);
      continue;
    }
    if (!evenIfNotConnected && !(await connectedSite(s.origin))) {
      alive.push(s);
      continue;
    }
    if (await send(s, event, data)) alive.push(s);
  }
  await chrome.storage.session.set({ [KEY]: alive });
}
