/**
 * Service worker entry. Listeners are registered synchronously at the top level, as MV3 requires,
 * so a message, alarm or window event that wakes a stopped worker is not lost.
 */
import { isDappRequestMessage, isDappStatusMessage, isUiMessage, type DappReply, type UiReply } from '../shared/messages.js';
import { extensionPageOf, uiOpAllowed } from '../../src/wallet/index.js';
import { DisconnectedError, toRpcErrorPayload } from '../../src/rpc/errors.js';
import { handleDappRequest } from './dapp-requests.js';
import { handleUiMessage } from './ui-requests.js';
import { findByRoute, onTabRemoved, onWindowRemoved, sweepGoneDocuments } from './approvals.js';
import { emit } from './events.js';
import { AUTO_LOCK_ALARM, checkAutoLock, onLock } from './session.js';
import { ensureSyncAlarm, notify, runSync, SYNC_ALARM } from './sync-coordinator.js';
import './exit-handlers.js'; // the exit wizard's message listener (issue 10)
import { isSyncAlarmsMessage } from '../verifier/sync-messages.js';
import { fromTaggedJson } from '../shared/tagged-json.js';
import type { SyncAlarm } from '../../src/sync/types.js';

const EXTENSION_ORIGIN = new URL(chrome.runtime.getURL('')).origin;

// The cached vault key lives in storage.session: keep it out of content scripts' reach explicitly
// (TRUSTED_CONTEXTS is Chrome's default; wallet-practice.md §2.3).
void chrome.storage.session.setAccessLevel({ accessLevel: 'TRUSTED_CONTEXTS' });

onLock(() => void emit('lock', null));

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (sender.id !== chrome.runtime.id) return false;
  // Alarms from the verifier's worker in the offscreen document (no tab): notify the user.
  if (isSyncAlarmsMessage(message)) {
    if (!sender.tab && sender.url && new URL(sender.url).origin === EXTENSION_ORIGIN) notify(fromTaggedJson<SyncAlarm[]>(message.alarms));
    return false;
  }
  if (isUiMessage(message)) {
    // Only Vigil's own pages, each for the operations it uses; no sender origin → refused (issue 13,
    // src/wallet/sender-policy.ts). A content script's sender.url and origin are the web page's.
    const page = extensionPageOf(sender, chrome.runtime.id, EXTENSION_ORIGIN);
    if (page === null) return false;
    if (!uiOpAllowed(sender, chrome.runtime.id, EXTENSION_ORIGIN, message.op)) {
      sendResponse({ ok: false, error: { name: 'ForbiddenError', message: `op: ${JSON.stringify(message.op.slice(0, 40))} is not available to ${page}` } } satisfies UiReply);
      return false;
    }
    handleUiMessage(message.op, message.args ?? {}).then(sendResponse);
    return true;
  }
  if (!isDappRequestMessage(message) && !isDappStatusMessage(message)) return false; // e.g. messages meant for the offscreen document
  // Dapp requests come only from our content scripts inside a tab; the browser sets `sender`.
  // documentId (Chrome 106+) is required: answers and events are addressed to that document only,
  // never to "whatever now occupies frame N" after a navigation.
  if (!sender.tab || sender.tab.id === undefined || !sender.documentId || typeof message.id !== 'string' || message.id.length > 64) return false;
  const origin = sender.origin ?? (sender.url ? new URL(sender.url).origin : undefined);
  if (!origin || origin === EXTENSION_ORIGIN) return false;
  const caller = { origin, tabId: sender.tab.id, frameId: sender.frameId ?? 0, pageRequestId: message.id, documentId: sender.documentId };
  let reply: Promise<DappReply>;
  if (isDappRequestMessage(message)) reply = handleDappRequest(message.request, caller);
  else
    reply = findByRoute(caller).then((r) =>
      r ? { queued: true as const } : { error: toRpcErrorPayload(new DisconnectedError('Vigil restarted before it recorded this request: send it again.')) },
    );
  void checkAutoLock();
  reply.then(sendResponse);
  return true; // the answer is sent asynchronously, to this sender only
});

chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === AUTO_LOCK_ALARM) void checkAutoLock();
  // The verifier: each alarm resumes the sync from its IndexedDB checkpoint (issue 9).
  if (alarm.name === SYNC_ALARM) void runSync();
});

chrome.windows.onRemoved.addListener((id) => void onWindowRemoved(id));
// Requests of a closed tab or of a document that navigated away are settled (4001, to nobody) and
// leave the approval window (issue 13). Neither event needs the "tabs" permission; the approval
// window's listing sweeps too, for a navigation these events did not reveal (e.g. in an iframe).
chrome.tabs.onRemoved.addListener((tabId) => void onTabRemoved(tabId));
chrome.tabs.onUpdated.addListener((tabId, change) => {
  if (change.status !== undefined) void sweepGoneDocuments(tabId);
});

// A fresh worker re-checks the persisted deadline at once (wallet-practice.md §2.2, Rabby's pattern).
void checkAutoLock();
// A fresh worker makes sure the sync alarm exists and finishes a sync it was stopped in.
void ensureSyncAlarm().then(() => runSync());
