/**
 * Isolated-world relay. Forwards requests posted by the MAIN-world provider on this window to the
 * service worker and posts each answer back to this window only. It adds nothing to a request:
 * the service worker learns the origin from the browser's `sender`, never from us.
 */
import { DisconnectedError, toRpcErrorPayload } from '../../src/rpc/errors.js';
import { PAGE_CHANNEL, type ContentToPage, type DappRequestMessage, type DappResponse, type PageToContent } from '../shared/messages.js';

const targetOrigin = () => (window.location.origin === 'null' ? '*' : window.location.origin);

function reply(id: string, response: DappResponse): void {
  const message: ContentToPage = { channel: PAGE_CHANNEL, kind: 'response', id, response };
  window.postMessage(message, targetOrigin());
}

window.addEventListener('message', (event: MessageEvent) => {
  if (event.source !== window) return;
  const msg = event.data as Partial<PageToContent> | null;
  if (!msg || msg.channel !== PAGE_CHANNEL || msg.kind !== 'request' || typeof msg.id !== 'string' || msg.id.length > 64) return;
  const id = msg.id;
  const outgoing: DappRequestMessage = { type: 'vigil/dapp-request', request: msg.request };
  let sent: Promise<DappResponse>;
  try {
    sent = chrome.runtime.sendMessage(outgoing) as Promise<DappResponse>;
  } catch (err) {
    // The extension was reloaded or removed under this page: "Extension context invalidated".
    reply(id, { error: toRpcErrorPayload(new DisconnectedError(undefined, { cause: err })) });
    return;
  }
  sent.then(
    (response) => reply(id, response ?? { error: toRpcErrorPayload(new DisconnectedError('Vigil did not answer.')) }),
    (err) => reply(id, { error: toRpcErrorPayload(new DisconnectedError(undefined, { cause: err })) }),
  );
});
