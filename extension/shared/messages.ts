import type { RpcErrorPayload } from '../../src/index.js';

/**
 * Messages between extension contexts. Only plain JSON: chrome.runtime messaging serialises with
 * JSON, so bigints travel as 0x-hex strings.
 */

/** Content script → service worker: one dapp request. The origin is NOT in here: the service
 *  worker takes it from `sender`, which the browser fills in (DESIGN.md §4). */
export type DappRequestMessage = { type: 'vigil/dapp-request'; id: string; request: unknown };

/** Content script → service worker after losing the worker mid-request: is request `id` still queued? */
export type DappStatusMessage = { type: 'vigil/dapp-status'; id: string };

/** Service worker → content script: the answer, delivered by the browser to that sender only. */
export type DappResponse = { result: unknown } | { error: RpcErrorPayload };
/** The immediate reply: the answer itself, or "queued" (the answer will be pushed as a DappAnswerMessage). */
export type DappReply = DappResponse | { queued: true };

/** Service worker → one content script (tabs.sendMessage to that tab + document): a queued request's answer. */
export type DappAnswerMessage = { type: 'vigil/dapp-answer'; id: string; response: DappResponse };
/** Service worker → the content script of one document: are you still there? It answers `true`. */
export type DappProbeMessage = { type: 'vigil/dapp-probe' };
/** Service worker → content scripts of connected frames: provider events (EIP-1193 style). */
export type DappEventName = 'accountsChanged' | 'lock' | 'unlock' | 'disconnect';
export type DappEventMessage = { type: 'vigil/dapp-event'; event: DappEventName; data: unknown };

/** Extension pages → service worker: the `vigil/op` channel, op-envelope.ts. */

/** Service worker → offscreen document. */
export type OffscreenMessage = { target: 'offscreen'; type: 'pedersen'; a: string; b: string };
export type OffscreenResponse = { ok: true; result: string } | { ok: false; error: { name: string; message: string } };

/** Page ↔ content script, over window.postMessage on the page's own window. */
export const PAGE_CHANNEL = 'vigil-provider';
export type PageToContent = { channel: typeof PAGE_CHANNEL; kind: 'request'; id: string; request: unknown };
export type ContentToPage =
  | { channel: typeof PAGE_CHANNEL; kind: 'response'; id: string; response: DappResponse }
  | { channel: typeof PAGE_CHANNEL; kind: 'event'; event: DappEventName; data: unknown };

/** A message is an object whose `key` is `value` and whose other named fields have the given types. */
export function isTagged(m: unknown, key: string, value: string, fields: Record<string, 'string'> = {}): boolean {
  if (typeof m !== 'object' || m === null) return false;
  const o = m as Record<string, unknown>;
  return o[key] === value && Object.entries(fields).every(([k, t]) => typeof o[k] === t);
}

export function isDappRequestMessage(m: unknown): m is DappRequestMessage {
  return isTagged(m, 'type', 'vigil/dapp-request');
}
export function isDappStatusMessage(m: unknown): m is DappStatusMessage {
  return isTagged(m, 'type', 'vigil/dapp-status', { id: 'string' });
}
export function isOffscreenMessage(m: unknown): m is OffscreenMessage {
  return isTagged(m, 'target', 'offscreen');
}

/**
 * Service worker → Vigil's open pages (issue 17 "screens refresh"): something a page shows has
 * changed; the page asks for it again through its ops. No data travels here, only what changed.
 */
export type ChangeTopic = 'wallet' | 'sites' | 'sync' | 'settings';
export type ChangedMessage = { type: 'vigil/changed'; topic: ChangeTopic };
export function isChangedMessage(m: unknown): m is ChangedMessage {
  return (
    typeof m === 'object' &&
    m !== null &&
    (m as ChangedMessage).type === 'vigil/changed' &&
    ['wallet', 'sites', 'sync', 'settings'].includes((m as ChangedMessage).topic)
  );
}
