/**
 * Registers the exit wizard's message listener when imported (index.ts imports it at the top
 * level, as MV3 requires). Only Vigil's own pages may call it: the browser sets `sender`.
 */
import { EXIT_MESSAGE, handleExitMessage, type ExitMessage } from './exit-ops.js';

const EXTENSION_ORIGIN = new URL(chrome.runtime.getURL('')).origin;

function isExitMessage(m: unknown): m is ExitMessage {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === EXIT_MESSAGE && typeof (m as { op?: unknown }).op === 'string';
}

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (sender.id !== chrome.runtime.id || !isExitMessage(message)) return false;
  if (!sender.url || new URL(sender.url).origin !== EXTENSION_ORIGIN) return false;
  const args = message.args && typeof message.args === 'object' ? message.args : {};
  handleExitMessage(message.op, args).then(sendResponse);
  return true;
});
