/**
 * Serves dapp requests in the service worker. The caller is described by what the browser says
 * about the sender; nothing in the request can claim an origin (DESIGN.md §4). Methods that need
 * the user are validated first (a malformed request fails at once with -32602), then queued in
 * IndexedDB; their answer is pushed to the asking frame when the user decides.
 */
import { hashTypedData, isAddress, isHex } from 'viem';
import {
  InvalidParamsError,
  LimitExceededError,
  RateLimiter,
  TypedDataError,
  UnauthorizedError,
  UnsupportedMethodError,
  checkSiteOrigin,
  createSerialQueue,
  decodeTypedDataForApproval,
  feltToHex,
  keyDerivationRefusal,
  parsePingParams,
  parseRpcRequest,
  parseSignConditionalTransferParams,
  parseSignOrderParams,
  parseSignTransferParams,
  parseSignWithdrawalParams,
  personalSignKeyDerivation,
  siteKeyOf,
  toJsonSafe,
  toRpcErrorPayload,
  typedDataKeyDerivation,
} from '../../src/index.js';
import type { ApprovalKind, RequestRoute, RpcRequest } from '../../src/index.js';
import type { DappReply } from '../shared/messages.js';
import { callOffscreen } from './offscreen-client.js';
import { enqueue, pendingRequests } from './approvals.js';
import { subscribe } from './events.js';
import { account, hasVault, isUnlocked } from './session.js';
import { connectedSite, isBlocked } from './sites.js';
import type { L2RequestKind } from './exchange-alerts.js';
import { connectResult, l2Refusal, walletChainId } from './signing.js';

export type Caller = { origin: string; tabId: number; frameId: number; documentId?: string; pageRequestId: string };

type Handler = (request: RpcRequest, caller: Caller) => Promise<DappReply>;

const route = (c: Caller): RequestRoute => ({
  tabId: c.tabId,
  frameId: c.frameId,
  pageRequestId: c.pageRequestId,
  ...(c.documentId ? { documentId: c.documentId } : {}),
});

/** A site cannot bury the user in prompts (wallet-practice.md §3.5). */
export const MAX_PENDING_PER_ORIGIN = 10;
/** Nor can many origins (say, subdomains of one attacker) together. */
export const MAX_PENDING_TOTAL = 30;
/** personal_sign data and typed data above this many characters are refused (-32602): no storage flood. */
export const MAX_SIGN_DATA_CHARS = 64 * 1024;

/**
 * Prompts per registrable domain (issue 13; wallet-practice.md §3.5 "token bucket per origin for
 * methods that open UI"): subdomains and iframes of one site share one bucket. A burst of 20, then
 * one prompt every 3 s. Only a request that would open a prompt takes a token: one refused by the
 * caps above costs the user nothing. In memory: a flood keeps the worker alive, and a restarted
 * worker starting with full buckets is the same as a site that waited.
 */
export const PROMPT_BUCKET = { capacity: 20, refillMs: 3_000 };
const prompts = new RateLimiter(PROMPT_BUCKET);
/** vigil_ping runs a Pedersen hash in the offscreen document for any page: 30 at once, then 10 a second per site. */
export const PING_BUCKET = { capacity: 30, refillMs: 100 };
const pings = new RateLimiter(PING_BUCKET);

function takeSiteToken(limiter: RateLimiter, origin: string, what: string): void {
  let site: string;
  try {
    site = siteKeyOf(origin);
  } catch {
    site = origin; // not scheme://host (e.g. an odd opaque origin): its own bucket
  }
  const t = limiter.take(site, Date.now());
  if (!t.ok)
    throw new LimitExceededError(
      `${site} sent ${what} too fast: try again in ${Math.ceil(t.retryAfterMs / 1000)} s.`,
      t.retryAfterMs,
    );
}

// Count-then-insert runs one request at a time: concurrent requests would all see the same
// count and overrun the limits.
const queueing = createSerialQueue();

function queue(caller: Caller, method: string, kind: ApprovalKind, payload: unknown): Promise<DappReply> {
  return queueing.run(async (): Promise<DappReply> => {
    if (await isBlocked(caller.origin))
      throw new UnauthorizedError(`Vigil blocked ${caller.origin} for a while after repeated rejections.`);
    const pending = await pendingRequests();
    const waiting = pending.filter((r) => r.origin === caller.origin).length;
    if (waiting >= MAX_PENDING_PER_ORIGIN)
      throw new UnauthorizedError(`${caller.origin} already has ${waiting} requests waiting for approval.`);
    // Connect prompts are outside the global cap: requests flooded in by other sites must not stop
    // the user from connecting a site (issue 13). They still count per origin and per site.
    const signing = pending.filter((r) => r.kind !== 'connect').length;
    if (kind !== 'connect' && signing >= MAX_PENDING_TOTAL)
      throw new UnauthorizedError(`${signing} requests are already waiting for approval: try again later.`);
    takeSiteToken(prompts, caller.origin, 'requests for approval');
    await enqueue(caller.origin, route(caller), method, kind, payload);
    return { queued: true };
  });
}

async function requireConnected(caller: Caller): Promise<void> {
  if (!(await connectedSite(caller.origin)))
    throw new UnauthorizedError(`${caller.origin} is not connected to Vigil: call stark_requestAccounts first.`);
}

async function requestAccounts(request: RpcRequest, caller: Caller): Promise<DappReply> {
  if (!(await hasVault()))
    throw new UnauthorizedError('Vigil has no account yet: open Vigil and create or import one.');
  if ((await connectedSite(caller.origin)) && (await isUnlocked()))
    return { result: connectResult(request.method, (await account())!) };
  return queue(caller, request.method, 'connect', {});
}

function signing(
  kind: ApprovalKind & L2RequestKind,
  parse: (params: unknown, now: number) => { message: unknown; networkId: number; source: string },
): Handler {
  return async (request, caller) => {
    await requireConnected(caller);
    const parsed = parse(request.params, Date.now());
    const refusal = await l2Refusal(kind, true);
    if (refusal) throw new UnauthorizedError(refusal);
    return queue(caller, request.method, kind, toJsonSafe(parsed));
  };
}

function ethParams(params: unknown, n: number): unknown[] {
  if (!Array.isArray(params) || params.length < n)
    throw new InvalidParamsError('params', `expected an array of ${n} elements`);
  return params;
}

async function checkOwnAddress(field: string, value: unknown): Promise<void> {
  const own = (await account())?.address;
  if (typeof value !== 'string' || !isAddress(value, { strict: false }))
    throw new InvalidParamsError(field, 'expected a 0x-prefixed Ethereum address');
  if (!own || value.toLowerCase() !== own.toLowerCase())
    throw new UnauthorizedError(`${field}: ${value} is not Vigil's account.`);
}

const handlers: Record<string, Handler> = {
  vigil_ping: async (request, caller) => {
    const [a, b] = parsePingParams(request.params);
    takeSiteToken(pings, caller.origin, 'vigil_ping');
    return { result: await callOffscreen({ target: 'offscreen', type: 'pedersen', a: feltToHex(a), b: feltToHex(b) }) };
  },
  eth_chainId: async () => ({ result: `0x${(await walletChainId()).toString(16)}` }),
  stark_requestAccounts: requestAccounts,
  eth_requestAccounts: requestAccounts,
  stark_account: async (_request, caller) => {
    await requireConnected(caller);
    if (!(await isUnlocked())) throw new UnauthorizedError('Vigil is locked.');
    return { result: connectResult('stark_account', (await account())!) };
  },
  eth_accounts: async (_request, caller) => {
    const connected = (await connectedSite(caller.origin)) !== undefined && (await isUnlocked());
    const address = (await account())?.address;
    return { result: connected && address ? [address] : [] };
  },
  // A frozen exchange takes no L2 request: refused before it reaches the approval window (issue 17 item 3).
  stark_signOrder: signing('signOrder', parseSignOrderParams),
  stark_signWithdrawal: signing('signWithdrawal', parseSignWithdrawalParams),
  stark_signTransfer: signing('signTransfer', parseSignTransferParams),
  stark_signConditionalTransfer: signing('signConditionalTransfer', parseSignConditionalTransferParams),
  // Both Ethereum signing methods refuse, first and for every origin (connected or not), a request
  // whose signature would derive Vigil's stark key (signing-risk.md A1.1): 4100, never queued.
  personal_sign: async (request, caller) => {
    const first = Array.isArray(request.params) ? request.params[0] : undefined;
    if (typeof first === 'string' && first.length <= MAX_SIGN_DATA_CHARS && isHex(first)) {
      const derives = personalSignKeyDerivation(first, { chainId: await walletChainId() });
      if (derives) throw new UnauthorizedError(keyDerivationRefusal(derives));
    }
    await requireConnected(caller);
    const [data, address] = ethParams(request.params, 2);
    if (typeof data !== 'string' || !isHex(data))
      throw new InvalidParamsError('params[0]', 'expected the message as 0x-hex bytes');
    if (data.length > MAX_SIGN_DATA_CHARS)
      throw new InvalidParamsError('params[0]', `${data.length} characters; at most ${MAX_SIGN_DATA_CHARS}`);
    await checkOwnAddress('params[1]', address);
    return queue(caller, request.method, 'personalSign', { data });
  },
  eth_signTypedData_v4: async (request, caller) => {
    const chainId = await walletChainId();
    const second = Array.isArray(request.params) ? request.params[1] : undefined;
    const secondSize = typeof second === 'string' ? second.length : (JSON.stringify(second) ?? '').length;
    if (second !== undefined && secondSize <= MAX_SIGN_DATA_CHARS) {
      // The raw request, so that malformed typed data with the action is refused as such too.
      const derives = typedDataKeyDerivation(second, { chainId });
      if (derives) throw new UnauthorizedError(keyDerivationRefusal(derives));
    }
    await requireConnected(caller);
    const [address, json] = ethParams(request.params, 2);
    await checkOwnAddress('params[0]', address);
    const size = typeof json === 'string' ? json.length : (JSON.stringify(json) ?? '').length;
    if (size > MAX_SIGN_DATA_CHARS)
      throw new InvalidParamsError('params[1]', `typed data of ${size} characters; at most ${MAX_SIGN_DATA_CHARS}`);
    let typedData: unknown;
    let decoded;
    try {
      typedData = typeof json === 'string' ? JSON.parse(json) : json;
      // Vigil's own checks first (they name the field), then viem's encoder as the last word.
      decoded = decodeTypedDataForApproval(typedData, { chainId, origin: caller.origin });
      hashTypedData(typedData as Parameters<typeof hashTypedData>[0]);
    } catch (err) {
      const why = err instanceof TypedDataError ? err.shortMessage : (err as Error).message.split('\n')[0];
      throw new InvalidParamsError('params[1]', `expected EIP-712 typed data: ${why}`, { cause: err });
    }
    // The allowlist (issue 13): only the dYdX API-key action, for this origin; the rest never
    // reaches the approval window.
    if (decoded.refusal) throw new UnauthorizedError(decoded.refusal);
    return queue(caller, request.method, 'signTypedData', { typedData });
  },
};

export async function handleDappRequest(raw: unknown, caller: Caller): Promise<DappReply> {
  try {
    const request = parseRpcRequest(raw);
    const handler = Object.hasOwn(handlers, request.method) ? handlers[request.method] : undefined;
    if (!handler) throw new UnsupportedMethodError(request.method);
    if (request.method !== 'vigil_ping') {
      // Wallet methods only for http(s) pages: not sandboxed ("null"), file: or data: documents.
      try {
        checkSiteOrigin(caller.origin);
      } catch {
        throw new UnauthorizedError(
          `Vigil serves wallet requests to http(s) sites only, not ${JSON.stringify(caller.origin.slice(0, 60))}.`,
        );
      }
    }
    if (request.method !== 'vigil_ping')
      await subscribe({
        origin: caller.origin,
        tabId: caller.tabId,
        frameId: caller.frameId,
        ...(caller.documentId ? { documentId: caller.documentId } : {}),
      });
    return await handler(request, caller);
  } catch (err) {
    return { error: toRpcErrorPayload(err) };
  }
}
