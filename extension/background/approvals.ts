/**
 * The approval queue in IndexedDB, the one approval window, and answer delivery (issue 8
 * "Permissions"; wallet-practice.md §1.5, §3.5). An answer is pushed with chrome.tabs.sendMessage
 * to the exact tab, frame and document that asked, tagged with the page's request id, so it
 * survives a stopped service worker and reaches nobody else.
 */
import {
  REQUEST_TTL_MS,
  UserRejectedRequestError,
  activeRequests,
  createSerialQueue,
  expiredRequests,
  shouldFocusApproval,
  toRpcErrorPayload,
} from '../../src/index.js';
import type { ApprovalKind, PendingRequest, RequestRoute } from '../../src/index.js';
import type { DappAnswerMessage, DappProbeMessage, DappResponse } from '../shared/messages.js';
import { walletDb } from './db.js';
import { noteRejections } from './sites.js';

const WINDOW_KEY = 'approvalWindowId';
const APPROVAL_PATH = 'ui/approval.html';

export async function enqueue(
  origin: string,
  route: RequestRoute,
  method: string,
  kind: ApprovalKind,
  payload: unknown,
): Promise<PendingRequest> {
  const now = Date.now();
  const request: PendingRequest = {
    id: crypto.randomUUID(),
    origin,
    route,
    method,
    kind,
    payload,
    createdAt: now,
    expiresAt: now + REQUEST_TTL_MS,
  };
  await (await walletDb()).put('requests', request);
  // A burst of requests raises the window once (issue 13): the rest of the burst queues quietly.
  const focus = shouldFocusApproval(lastEnqueueAt, now);
  lastEnqueueAt = now;
  await openApprovalWindow(focus);
  return request;
}

// When the previous request was queued: in memory, so a restarted worker focuses once more.
let lastEnqueueAt: number | undefined;

/** Pending requests, oldest first; expired ones are answered with 4001 and dropped. */
export async function pendingRequests(): Promise<PendingRequest[]> {
  const all = await (await walletDb()).getAll('requests');
  const now = Date.now();
  for (const r of expiredRequests(all, now))
    await settle(r, {
      error: toRpcErrorPayload(new UserRejectedRequestError('The request expired before it was approved.')),
    });
  return activeRequests(all, now);
}

const STALE = () =>
  toRpcErrorPayload(new UserRejectedRequestError('The page that asked was closed or navigated away.'));

/**
 * Whether the document that sent a request still exists (issue 13: requests of a closed or
 * navigated document are settled and leave the approval window). The content script of that exact
 * document answers a probe; a document that is gone cannot receive it, and Chrome rejects the
 * send. No extra permission: tabs.sendMessage with documentId needs none (chrome.webNavigation,
 * the alternative, would add a permission warning).
 */
export async function documentAlive(route: RequestRoute): Promise<boolean> {
  if (!route.documentId) return true; // a record from before documentIds: left to expire
  const probe: DappProbeMessage = { type: 'vigil/dapp-probe' };
  try {
    return (await chrome.tabs.sendMessage(route.tabId, probe, { documentId: route.documentId })) === true;
  } catch {
    return false;
  }
}

/** Settles (4001, to nobody) the requests whose document is gone; only those of `tabId` if given. Returns those left. */
export async function sweepGoneDocuments(tabId?: number): Promise<PendingRequest[]> {
  const left: PendingRequest[] = [];
  const requests = await pendingRequests();
  const alive = await Promise.all(
    requests.map((r) => (tabId === undefined || r.route.tabId === tabId ? documentAlive(r.route) : true)),
  );
  for (const [i, r] of requests.entries()) {
    if (alive[i]) left.push(r);
    else await settle(r, { error: STALE() });
  }
  return left;
}

/** The tab closed: nothing in it waits any more. */
export async function onTabRemoved(tabId: number): Promise<void> {
  for (const r of await pendingRequests()) if (r.route.tabId === tabId) await settle(r, { error: STALE() });
}

export async function getRequest(id: string): Promise<PendingRequest | undefined> {
  return (await walletDb()).get('requests', id);
}

/** Is there a pending request for this route (the content script asks after losing the worker)? */
export async function findByRoute(route: RequestRoute): Promise<PendingRequest | undefined> {
  return (await pendingRequests()).find(
    (r) =>
      r.route.tabId === route.tabId &&
      r.route.frameId === route.frameId &&
      r.route.pageRequestId === route.pageRequestId &&
      r.route.documentId === route.documentId,
  );
}

/** Removes the request, then delivers its answer to the frame that asked (and only there). */
export async function settle(request: PendingRequest, response: DappResponse): Promise<void> {
  // One answer per request: two sweeps (a tab update and the window's listing) may settle the same
  // request at once; only the one whose transaction removes it delivers (readwrite transactions on
  // a store run one at a time).
  const tx = (await walletDb()).transaction('requests', 'readwrite');
  const present = (await tx.store.getKey(request.id)) !== undefined;
  if (present) await tx.store.delete(request.id);
  await tx.done;
  if (!present) return;
  await deliver(request.route, response);
  await closeApprovalWindowIfEmpty();
}

export async function deliver(route: RequestRoute, response: DappResponse): Promise<void> {
  const message: DappAnswerMessage = { type: 'vigil/dapp-answer', id: route.pageRequestId, response };
  const options: chrome.tabs.MessageSendOptions = route.documentId
    ? { documentId: route.documentId }
    : { frameId: route.frameId };
  try {
    await chrome.tabs.sendMessage(route.tabId, message, options);
  } catch {
    // The tab or document is gone: nobody is waiting any more.
  }
}

async function windowId(): Promise<number | undefined> {
  return (await chrome.storage.session.get(WINDOW_KEY))[WINDOW_KEY] as number | undefined;
}

// Opening and closing the window run one at a time: otherwise a request queued just as the last
// one is settled can find the closing window, keep it, and be left with no window at all.
const windowOps = createSerialQueue();
const exclusive = <T>(fn: () => Promise<T>): Promise<T> => windowOps.run(fn);

/** One approval window, reused: focus it if it exists (and `focus`), otherwise open it. */
export function openApprovalWindow(focus = true): Promise<void> {
  return exclusive(() => openWindow(focus));
}

async function openWindow(focus: boolean): Promise<void> {
  const id = await windowId();
  if (id !== undefined) {
    try {
      // windows.get checks it still exists without raising it.
      await (focus ? chrome.windows.update(id, { focused: true }) : chrome.windows.get(id));
      return;
    } catch {
      // closed while the worker was stopped
    }
  }
  const win = await chrome.windows.create({
    url: chrome.runtime.getURL(APPROVAL_PATH),
    type: 'popup',
    width: 420,
    height: 680,
    focused: true,
  });
  if (win?.id !== undefined) await chrome.storage.session.set({ [WINDOW_KEY]: win.id });
}

/** Closes the window once nothing waits (checked inside the exclusive section, after any enqueue's write). */
function closeApprovalWindowIfEmpty(): Promise<void> {
  return exclusive(async () => {
    if ((await (await walletDb()).count('requests')) === 0) await closeWindow();
  });
}

async function closeWindow(): Promise<void> {
  const id = await windowId();
  if (id === undefined) return;
  await chrome.storage.session.remove(WINDOW_KEY);
  try {
    await chrome.windows.remove(id);
  } catch {
    // already closed
  }
}

/**
 * The user closed the approval window: everything it was offering is rejected (MetaMask PR#12643),
 * and that counts as one rejection per origin toward the spam brake (issue 13, Rabby's brake):
 * closing the window is how a user gets rid of a site that keeps prompting.
 */
export async function onWindowRemoved(id: number): Promise<void> {
  if (id !== (await windowId())) return;
  await chrome.storage.session.remove(WINDOW_KEY);
  const requests = await pendingRequests();
  for (const r of requests)
    await settle(r, { error: toRpcErrorPayload(new UserRejectedRequestError('The approval window was closed.')) });
  await noteRejections(requests.map((r) => r.origin));
}
