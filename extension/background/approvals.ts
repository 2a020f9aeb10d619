/**
 * The approval queue in IndexedDB, the one approval window, and answer delivery (issue 8
 * "Permissions"; wallet-practice.md §1.5, §3.5). An answer is pushed with chrome.tabs.sendMessage
 * to the exact tab, frame and document that asked, tagged with the page's request id, so it
 * survives a stopped service worker and reaches nobody else.
 */
import { REQUEST_TTL_MS, activeRequests, expiredRequests, type ApprovalKind, type PendingRequest, type RequestRoute } from '../../src/wallet/index.js';
import { UserRejectedRequestError, toRpcErrorPayload } from '../../src/rpc/errors.js';
import type { DappAnswerMessage, DappResponse } from '../shared/messages.js';
import { walletDb } from './db.js';

const WINDOW_KEY = 'approvalWindowId';
const APPROVAL_PATH = 'ui/approval.html';

export async function enqueue(origin: string, route: RequestRoute, method: string, kind: ApprovalKind, payload: unknown): Promise<PendingRequest> {
  const now = Date.now();
  const request: PendingRequest = { id: crypto.randomUUID(), origin, route, method, kind, payload, createdAt: now, expiresAt: now + REQUEST_TTL_MS };
  await (await walletDb()).put('requests', request);
  await openApprovalWindow();
  return request;
}

/** Pending requests, oldest first; expired ones are answered with 4001 and dropped. */
export async function pendingRequests(): Promise<PendingRequest[]> {
  const all = await (await walletDb()).getAll('requests');
  const now = Date.now();
  for (const r of expiredRequests(all, now)) await settle(r, { error: toRpcErrorPayload(new UserRejectedRequestError('The request expired before it was approved.')) });
  return activeRequests(all, now);
}

export async function getRequest(id: string): Promise<PendingRequest | undefined> {
  return (await walletDb()).get('requests', id);
}

/** Is there a pending request for this route (the content script asks after losing the worker)? */
export async function findByRoute(route: RequestRoute): Promise<PendingRequest | undefined> {
  return (await pendingRequests()).find(
    (r) => r.route.tabId === route.tabId && r.route.frameId === route.frameId && r.route.pageRequestId === route.pageRequestId && r.route.documentId === route.documentId,
  );
}

/** Removes the request, then delivers its answer to the frame that asked (and only there). */
export async function settle(request: PendingRequest, response: DappResponse): Promise<void> {
  await (await walletDb()).delete('requests', request.id);
  await deliver(request.route, response);
  if ((await (await walletDb()).count('requests')) === 0) await closeApprovalWindow();
}

export async function deliver(route: RequestRoute, response: DappResponse): Promise<void> {
  const message: DappAnswerMessage = { type: 'vigil/dapp-answer', id: route.pageRequestId, response };
  const options: chrome.tabs.MessageSendOptions = route.documentId ? { documentId: route.documentId } : { frameId: route.frameId };
  try {
    await chrome.tabs.sendMessage(route.tabId, message, options);
  } catch {
    // The tab or document is gone: nobody is waiting any more.
  }
}

async function windowId(): Promise<number | undefined> {
  return (await chrome.storage.session.get(WINDOW_KEY))[WINDOW_KEY] as number | undefined;
}

/** One approval window, reused: focus it if it exists, otherwise open it. */
export async function openApprovalWindow(): Promise<void> {
  const id = await windowId();
  if (id !== undefined) {
    try {
      await chrome.windows.update(id, { focused: true });
      return;
    } catch {
      // closed while the worker was stopped
    }
  }
  const win = await chrome.windows.create({ url: chrome.runtime.getURL(APPROVAL_PATH), type: 'popup', width: 420, height: 680, focused: true });
  if (win?.id !== undefined) await chrome.storage.session.set({ [WINDOW_KEY]: win.id });
}

async function closeApprovalWindow(): Promise<void> {
  const id = await windowId();
  if (id === undefined) return;
  await chrome.storage.session.remove(WINDOW_KEY);
  try {
    await chrome.windows.remove(id);
  } catch {
    // already closed
  }
}

/** The user closed the approval window: everything it was offering is rejected (MetaMask PR#12643). */
export async function onWindowRemoved(id: number): Promise<void> {
  if (id !== (await windowId())) return;
  await chrome.storage.session.remove(WINDOW_KEY);
  for (const r of await pendingRequests()) await settle(r, { error: toRpcErrorPayload(new UserRejectedRequestError('The approval window was closed.')) });
}
