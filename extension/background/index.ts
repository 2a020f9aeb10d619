/**
 * Service worker entry. Listeners are registered synchronously at the top level, as MV3 requires,
 * so a request that wakes a stopped worker is not lost.
 */
import { isDappRequestMessage } from '../shared/messages.js';
import { handleDappRequest } from './dapp-requests.js';

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (!isDappRequestMessage(message)) return false; // e.g. messages meant for the offscreen document
  // Dapp requests come only from our content scripts inside a tab; the browser sets `sender`.
  if (sender.id !== chrome.runtime.id || !sender.tab || sender.tab.id === undefined) return false;
  const origin = sender.origin ?? (sender.url ? new URL(sender.url).origin : undefined);
  if (!origin) return false;
  handleDappRequest(message.request, { origin, tabId: sender.tab.id, frameId: sender.frameId ?? 0 }).then(sendResponse);
  return true; // the answer is sent asynchronously, to this sender only
});
