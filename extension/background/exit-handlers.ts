/**
 * Registers the exit wizard's message listener when imported (index.ts imports it at the top
 * level, as MV3 requires). Only the exit wizard page may call it: the browser sets `sender`.
 */
import { exitOpAllowed } from '../../src/wallet/index.js';
import { EXIT_MESSAGE, handleExitMessage, type ExitMessage } from './exit-ops.js';

const EXTENSION_ORIGIN = new URL(chrome.runtime.getURL('')).origin;

function isExitMessage(m: unknown): m is ExitMessage {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === EXIT_MESSAGE && typeof (m as { op?: unknown }).op === 'string';
}

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (!isExitMessage(message)) return false;
  // Only the exit wizard page; sender.id, sender.origin and sender.url must all be Vigil's (no
  // origin → refused), as for the other UI operations (issue 13, src/wallet/sender-policy.ts).
  if (!exitOpAllowed(sender, chrome.runtime.id, EXTENSION_ORIGIN)) return false;
  const args = message.args && typeof message.args === 'object' ? message.args : {};
  handleExitMessage(message.op, args).then(sendResponse);
  return true;
});
