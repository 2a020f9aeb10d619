/**
 * Isolated-world relay. Forwards requests posted by the MAIN-world provider on this window to the
 * service worker and posts each answer back to this window only. It adds nothing to a request:
 * the service worker learns the origin from the browser's `sender`, never from us.
 *
 * A request that waits for the user is answered later by a push (tabs.sendMessage to this very
 * document) carrying the page's request id; the relay keeps its outstanding ids, so an answer
 * still arrives after the service worker was stopped and restarted, and an id it does not hold
 * is ignored. If the worker dies before replying, the relay asks once whether the request was
 * queued before giving up with 4900.
 */
import { DisconnectedError, toRpcErrorPayload } from '../../src/rpc/errors.js';
import {
  PAGE_CHANNEL,
  type ContentToPage,
  type DappAnswerMessage,
  type DappEventMessage,
  type DappReply,
  type DappRequestMessage,
  type DappResponse,
  type DappStatusMessage,
  type PageToContent,
} from '../shared/messages.js';

// The document's own origin: "null" in a sandboxed frame, whose location.origin is still the URL's.
const targetOrigin = () => (window.origin === 'null' ? '*' : window.origin);
const outstanding = new Set<string>();

function post(message: ContentToPage): void {
  window.postMessage(message, targetOrigin());
}

function reply(id: string, response: DappResponse): void {
  if (!outstanding.delete(id)) return; // answered already, or never ours
  post({ channel: PAGE_CHANNEL, kind: 'response', id, response });
}

const disconnected = (err: unknown, message?: string): DappResponse => ({
  error: toRpcErrorPayload(new DisconnectedError(message, { cause: err })),
});

function handleReply(id: string, r: DappReply | undefined): void {
  if (r && 'queued' in r) return; // the answer will be pushed
  reply(id, r ?? disconnected(undefined, 'Vigil did not answer.'));
}

function send(message: DappRequestMessage | DappStatusMessage): Promise<DappReply | undefined> {
  return chrome.runtime.sendMessage(message) as Promise<DappReply | undefined>;
}

window.addEventListener('message', (event: MessageEvent) => {
  if (event.source !== window) return;
  const msg = event.data as Partial<PageToContent> | null;
  if (
    !msg ||
    msg.channel !== PAGE_CHANNEL ||
    msg.kind !== 'request' ||
    typeof msg.id !== 'string' ||
    msg.id.length > 64
  )
    return;
  const id = msg.id;
  if (outstanding.has(id)) return; // one answer per id
  outstanding.add(id);
  let sent: Promise<DappReply | undefined>;
  try {
    sent = send({ type: 'vigil/dapp-request', id, request: msg.request });
  } catch (err) {
    // The extension was reloaded or removed under this page: "Extension context invalidated".
    reply(id, disconnected(err));
    return;
  }
  sent.then(
    (r) => handleReply(id, r),
    // The worker stopped before replying: ask whether it recorded the request.
    (err) =>
      setTimeout(() => {
        try {
          send({ type: 'vigil/dapp-status', id }).then(
            (r) => handleReply(id, r),
            (e) => reply(id, disconnected(e)),
          );
        } catch (e) {
          reply(id, disconnected(e ?? err));
        }
      }, 200),
  );
});

chrome.runtime.onMessage.addListener((raw: unknown, sender, sendResponse) => {
  const message = raw as {
    type?: unknown;
    id?: unknown;
    response?: DappAnswerMessage['response'];
    event?: DappEventMessage['event'];
    data?: unknown;
  } | null;
  if (sender.id !== chrome.runtime.id || !message) return false;
  // The service worker asks whether this document still exists (a gone one cannot answer).
  if (message.type === 'vigil/dapp-probe') {
    sendResponse(true);
    return false;
  }
  if (message.type === 'vigil/dapp-answer' && typeof message.id === 'string' && message.response)
    reply(message.id, message.response);
  else if (message.type === 'vigil/dapp-event' && typeof message.event === 'string')
    post({ channel: PAGE_CHANNEL, kind: 'event', event: message.event, data: message.data ?? null });
  return false;
});
