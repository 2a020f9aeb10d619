import type { RpcErrorPayload } from '../../src/rpc/errors.js';

/**
 * Messages between extension contexts. Only plain JSON: chrome.runtime messaging serialises with
 * JSON, so bigints travel as 0x-hex strings.
 */

/** Content script → service worker: one dapp request. The origin is NOT in here: the service
 *  worker takes it from `sender`, which the browser fills in (DESIGN.md §4). */
export type DappRequestMessage = { type: 'vigil/dapp-request'; request: unknown };

/** Service worker → content script: the answer, delivered by the browser to that sender only. */
export type DappResponse = { result: unknown } | { error: RpcErrorPayload };

/** Service worker → offscreen document. */
export type OffscreenMessage = { target: 'offscreen'; type: 'pedersen'; a: string; b: string };
export type OffscreenResponse = { ok: true; result: string } | { ok: false; error: { name: string; message: string } };

/** Page ↔ content script, over window.postMessage on the page's own window. */
export const PAGE_CHANNEL = 'vigil-provider';
export type PageToContent = { channel: typeof PAGE_CHANNEL; kind: 'request'; id: string; request: unknown };
export type ContentToPage = { channel: typeof PAGE_CHANNEL; kind: 'response'; id: string; response: DappResponse };

export function isDappRequestMessage(m: unknown): m is DappRequestMessage {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'vigil/dapp-request';
}
export function isOffscreenMessage(m: unknown): m is OffscreenMessage {
  return typeof m === 'object' && m !== null && (m as { target?: unknown }).target === 'offscreen';
}
