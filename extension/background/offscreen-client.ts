/**
 * The service worker cannot create Web Workers (toolchain.md §3), so hashing runs in workers
 * hosted by an offscreen document. This module creates that document once and talks to it.
 */
import { InternalRpcError } from '../../src/index.js';
import type { OffscreenMessage, OffscreenResponse } from '../shared/messages.js';

const OFFSCREEN_PATH = 'offscreen/offscreen.html';
let ensuring: Promise<void> | null = null;

/**
 * The offscreen document exists when this resolves. Check and create are one step shared by every
 * caller in flight: with a separate check, a request whose check ran while another's createDocument
 * was finishing found no document and no creation under way, and its own createDocument threw
 * "Only a single offscreen document may be created" (one of 80 concurrent vigil_ping at a cold
 * service worker failed so in CI).
 */
export function ensureOffscreen(): Promise<void> {
  ensuring ??= (async () => {
    const url = chrome.runtime.getURL(OFFSCREEN_PATH);
    const existing = await chrome.runtime.getContexts({
      contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT],
      documentUrls: [url],
    });
    if (existing.length > 0) return;
    await chrome.offscreen.createDocument({
      url: OFFSCREEN_PATH,
      reasons: [chrome.offscreen.Reason.WORKERS],
      justification: 'Hash public StarkEx data (Pedersen, Merkle trees) in Web Workers.',
    });
  })().finally(() => {
    ensuring = null;
  });
  return ensuring;
}

export async function callOffscreen(message: OffscreenMessage): Promise<string> {
  await ensureOffscreen();
  const response = (await chrome.runtime.sendMessage(message)) as OffscreenResponse | undefined;
  if (!response) throw new InternalRpcError('The hashing worker did not answer.');
  if (!response.ok)
    throw new InternalRpcError(`The hashing worker failed: ${response.error.name}: ${response.error.message}`);
  return response.result;
}
