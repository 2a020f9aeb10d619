/**
 * The service worker cannot create Web Workers (toolchain.md §3), so hashing runs in workers
 * hosted by an offscreen document. This module creates that document once and talks to it.
 */
import { InternalRpcError } from '../../src/index.js';
import type { OffscreenMessage, OffscreenResponse } from '../shared/messages.js';

const OFFSCREEN_PATH = 'offscreen/offscreen.html';
let creating: Promise<void> | null = null;

export async function ensureOffscreen(): Promise<void> {
  const url = chrome.runtime.getURL(OFFSCREEN_PATH);
  const existing = await chrome.runtime.getContexts({
    contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT],
    documentUrls: [url],
  });
  if (existing.length > 0) return;
  // Two requests arriving together must not both call createDocument (the second would throw).
  creating ??= chrome.offscreen
    .createDocument({
      url: OFFSCREEN_PATH,
      reasons: [chrome.offscreen.Reason.WORKERS],
      justification: 'Hash public StarkEx data (Pedersen, Merkle trees) in Web Workers.',
    })
    .finally(() => {
      creating = null;
    });
  await creating;
}

export async function callOffscreen(message: OffscreenMessage): Promise<string> {
  await ensureOffscreen();
  const response = (await chrome.runtime.sendMessage(message)) as OffscreenResponse | undefined;
  if (!response) throw new InternalRpcError('The hashing worker did not answer.');
  if (!response.ok)
    throw new InternalRpcError(`The hashing worker failed: ${response.error.name}: ${response.error.message}`);
  return response.result;
}
