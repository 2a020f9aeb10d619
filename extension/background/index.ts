/**
 * Service worker entry. Listeners are registered synchronously at the top level, as MV3 requires,
 * so a message, alarm or window event that wakes a stopped worker is not lost.
 */
import { isDappRequestMessage, isDappStatusMessage, type DappReply } from '../shared/messages.js';
import { isOpRequest } from '../shared/op-envelope.js';
import { DisconnectedError, fromTaggedJson, toRpcErrorPayload } from '../../src/index.js';
import type { SyncAlarm } from '../../src/index.js';
import { handleDappRequest } from './dapp-requests.js';
import { createOpDispatcher } from './op-dispatch.js';
import { ACTIVITY_OPS, ops, type OpName } from './ops/index.js';
import { findByRoute, onTabRemoved, onWindowRemoved, sweepGoneDocuments } from './approvals.js';
import { emit } from './events.js';
import { AUTO_LOCK_ALARM, checkAutoLock, isUnlocked, onLock, touch } from './session.js';
import { refreshAlarmBadge } from './alarm-badge.js';
import { ensureSyncAlarm, notify, runSync, SYNC_ALARM } from './sync-coordinator.js';
import { isSyncAlarmsMessage } from '../verifier/sync-messages.js';

const EXTENSION_ORIGIN = new URL(chrome.runtime.getURL('')).origin;

// The cached vault key lives in storage.session: keep it out of content scripts' reach explicitly
// (TRUSTED_CONTEXTS is Chrome's default; wallet-practice.md §2.3).
void chrome.storage.session.setAccessLevel({ accessLevel: 'TRUSTED_CONTEXTS' });

onLock(() => void emit('lock', null));

/** The pages' ops (issue 14): one table, one sender policy, one envelope and codec. */
const dispatchOp = createOpDispatcher({
  ops,
  extensionId: chrome.runtime.id,
  extensionOrigin: EXTENSION_ORIGIN,
  // The auto-lock counts the user's actions, not reads or polling (ops/index.ts ACTIVITY_OPS).
  beforeOp: async (op) => {
    if (ACTIVITY_OPS.has(op as OpName) && (await isUnlocked())) await touch();
  },
});

// The service worker's ONE message listener: dapp requests from content scripts, ops from Vigil's
// pages, and alarms from the offscreen document's sync worker. Anything else (e.g. messages meant
// for the offscreen document) is left unanswered.
chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (sender.id !== chrome.runtime.id) return false;
  // Alarms from the verifier's worker in the offscreen document (no tab): notify the user.
  if (isSyncAlarmsMessage(message)) {
    if (!sender.tab && sender.url && new URL(sender.url).origin === EXTENSION_ORIGIN) {
      try {
        notify(fromTaggedJson<SyncAlarm[]>(message.alarms));
      } catch {
        // Malformed tagged JSON: nothing to notify; the alarms are in the store for the dashboard.
      }
    }
    return false;
  }
  if (isOpRequest(message)) {
    // Only Vigil's own pages, each for the ops it uses; no sender origin → no answer (issue 13,
    // src/wallet/sender-policy.ts). A content script's sender.url and origin are the web page's.
    const reply = dispatchOp(message, sender);
    if (!reply) return false;
    reply.then(sendResponse);
    return true;
  }
  if (!isDappRequestMessage(message) && !isDappStatusMessage(message)) return false; // e.g. messages meant for the offscreen document
  // Dapp requests come only from our content scripts inside a tab; the browser sets `sender`.
  // documentId (Chrome 106+) is required: answers and events are addressed to that document only,
  // never to "whatever now occupies frame N" after a navigation.
  if (
    !sender.tab ||
    sender.tab.id === undefined ||
    !sender.documentId ||
    typeof message.id !== 'string' ||
    message.id.length > 64
  )
    return false;
  const origin = sender.origin ?? (sender.url ? new URL(sender.url).origin : undefined);
  if (!origin || origin === EXTENSION_ORIGIN) return false;
  const caller = {
    origin,
    tabId: sender.tab.id,
    frameId: sender.frameId ?? 0,
    pageRequestId: message.id,
    documentId: sender.documentId,
  };
  let reply: Promise<DappReply>;
  if (isDappRequestMessage(message)) reply = handleDappRequest(message.request, caller);
  else
    reply = findByRoute(caller).then((r) =>
      r
        ? { queued: true as const }
        : {
            error: toRpcErrorPayload(
              new DisconnectedError('Vigil restarted before it recorded this request: send it again.'),
            ),
          },
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

// The ONE place the onboarding tab is opened: on a fresh install, not on an update or a browser
// update (issue 17 item 7; checked by test/unit/extension/ui-boundaries.test.ts).
chrome.runtime.onInstalled.addListener(({ reason }) => {
  if (reason === chrome.runtime.OnInstalledReason.INSTALL)
    void chrome.tabs.create({ url: chrome.runtime.getURL('ui/onboarding.html') });
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
// The badge is not kept by the browser across restarts: set it from the stored alarms.
refreshAlarmBadge();
