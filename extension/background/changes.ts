/**
 * Tells Vigil's open pages that what they show has changed (issue 17 defect 6: the dashboard read
 * the wallet and the sites once, at load). runtime.sendMessage from the service worker reaches the
 * extension's pages (and the offscreen document, which ignores it), never a web page.
 */
import type { ChangedMessage, ChangeTopic } from '../shared/messages.js';

export function announce(topic: ChangeTopic): void {
  const message: ChangedMessage = { type: 'vigil/changed', topic };
  // No page open: "Receiving end does not exist", nothing to do.
  chrome.runtime.sendMessage(message).catch(() => undefined);
}
