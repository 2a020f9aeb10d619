/**
 * MAIN-world provider, injected at document_start as one self-contained file so it exists before
 * any page script runs. It holds no secret and makes no decision: it validates the request shape
 * (for an immediate error), hands it to the content script and resolves with what comes back.
 */
import { parseRpcRequest } from '../../src/rpc/request.js';
import { toRpcErrorPayload } from '../../src/rpc/errors.js';
import type { RpcErrorPayload } from '../../src/index.js';
import { PAGE_CHANNEL, type ContentToPage, type DappResponse, type PageToContent } from '../shared/messages.js';
import { PROVIDER_ICON, PROVIDER_NAME, PROVIDER_RDNS } from '../shared/provider-info.js';

type RequestArguments = { method: string; params?: readonly unknown[] | object };

/** What a dapp receives on failure: an Error with the EIP-1193 `code` (and `data` if any). */
class VigilProviderError extends Error {
  override name = 'ProviderRpcError';
  readonly code: number;
  readonly data?: unknown;
  constructor(payload: RpcErrorPayload) {
    super(payload.message);
    this.code = payload.code;
    if (payload.data !== undefined) this.data = payload.data;
  }
}

/**
 * A random v4 UUID. crypto.randomUUID exists only in secure contexts, and Vigil also serves plain
 * http pages (an intranet exchange, a devnet on a LAN name), where getRandomValues still works.
 */
function uuid(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const pending = new Map<string, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
// The document's own origin: "null" in a sandboxed frame, whose location.origin is still the URL's.
const targetOrigin = () => (window.origin === 'null' ? '*' : window.origin);

window.addEventListener('message', (event: MessageEvent) => {
  // Only answers posted by our content script on this very window.
  if (event.source !== window) return;
  const msg = event.data as
    | (Partial<ContentToPage> & { id?: unknown; response?: DappResponse; event?: unknown; data?: unknown })
    | null;
  if (!msg || msg.channel !== PAGE_CHANNEL) return;
  if (msg.kind === 'event' && typeof msg.event === 'string') {
    emit(msg.event, msg.data);
    return;
  }
  if (msg.kind !== 'response' || typeof msg.id !== 'string') return;
  const entry = pending.get(msg.id);
  if (!entry) return;
  pending.delete(msg.id);
  const response = msg.response;
  if (response && 'error' in response) entry.reject(new VigilProviderError(response.error));
  else entry.resolve(response?.result);
});

function request(args: RequestArguments): Promise<unknown> {
  let parsed;
  try {
    parsed = parseRpcRequest(args);
  } catch (err) {
    return Promise.reject(new VigilProviderError(toRpcErrorPayload(err)));
  }
  const id = uuid();
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    const message: PageToContent = { channel: PAGE_CHANNEL, kind: 'request', id, request: parsed };
    try {
      window.postMessage(message, targetOrigin());
    } catch (err) {
      // e.g. params that cannot be structured-cloned (functions, DOM nodes)
      pending.delete(id);
      reject(
        new VigilProviderError({
          code: -32602,
          message: `Invalid params: params: cannot be sent (${(err as Error).message})`,
        }),
      );
    }
  });
}

/** EIP-1193 events: accountsChanged (public account or [] / null), lock, unlock, disconnect. */
type Listener = (data: unknown) => void;
const listeners = new Map<string, Set<Listener>>();
function emit(event: string, data: unknown): void {
  for (const l of listeners.get(event) ?? []) {
    try {
      l(data);
    } catch (err) {
      setTimeout(() => {
        throw err;
      });
    }
  }
}
function on(event: string, listener: Listener) {
  if (typeof event !== 'string' || typeof listener !== 'function')
    throw new TypeError('on(event: string, listener: function)');
  let set = listeners.get(event);
  if (!set) {
    set = new Set();
    listeners.set(event, set);
  }
  set.add(listener);
  return provider;
}
function removeListener(event: string, listener: Listener) {
  listeners.get(event)?.delete(listener);
  return provider;
}

const provider = Object.freeze({ isVigil: true, request, on, removeListener, off: removeListener });
const info = Object.freeze({ uuid: uuid(), name: PROVIDER_NAME, icon: PROVIDER_ICON, rdns: PROVIDER_RDNS });

// Non-writable, non-configurable: a page script cannot swap Vigil's provider for its own.
if (!('vigil' in window))
  Object.defineProperty(window, 'vigil', { value: provider, writable: false, configurable: false, enumerable: true });

function announce(): void {
  window.dispatchEvent(new CustomEvent('eip6963:announceProvider', { detail: Object.freeze({ info, provider }) }));
}
window.addEventListener('eip6963:requestProvider', announce);
announce();
