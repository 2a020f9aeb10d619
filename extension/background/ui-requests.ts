/**
 * Requests from Vigil's own pages (popup, approval window, dashboard). Only public data goes back:
 * account metadata, the decoded queue, connected sites. Keys never leave this worker.
 */
import { InvalidParamsError, UnauthorizedError, UserRejectedRequestError, toRpcErrorPayload } from '../../src/rpc/errors.js';
import { UnlockThrottledError, checkVaultSecret, isRequestActive } from '../../src/wallet/index.js';
import type { UiReply } from '../shared/messages.js';
import { documentAlive, getRequest, pendingRequests, settle, sweepGoneDocuments } from './approvals.js';
import { emit } from './events.js';
import * as session from './session.js';
import { approvalView, connectResult, produceResult } from './signing.js';
import { syncOps } from './sync-coordinator.js';
import { blockSite, connectSite, connectedSite, connectedSites, noteRejection, noteRejections, offersBlock, revokeSite } from './sites.js';

type Args = Record<string, unknown>;
type Op = (args: Args) => Promise<unknown>;

function str(args: Args, field: string): string {
  const v = args[field];
  if (typeof v !== 'string') throw new TypeError(`${field}: expected a string`);
  return v;
}

const approving = new Set<string>();

async function approve(id: string): Promise<null> {
  const r = await getRequest(id);
  // An expired request is not signed, even if the sweep has not answered it yet.
  if (!r || !isRequestActive(r, Date.now())) throw new Error('This request is no longer pending.');
  const keys = await session.currentKeys();
  const acct = await session.account();
  if (!keys || !acct) throw new Error('Vigil is locked: unlock first.');
  await session.touch();
  // The page that asked is gone (closed, navigated): nothing to sign for (issue 13).
  if (!(await documentAlive(r.route))) {
    await settle(r, { error: toRpcErrorPayload(new UserRejectedRequestError('The page that asked was closed or navigated away.')) });
    throw new Error('The page that asked is gone: the request was dropped.');
  }
  // A site disconnected while its request waited gets 4100, not a signature.
  if (r.kind !== 'connect' && !(await connectedSite(r.origin))) {
    await settle(r, { error: toRpcErrorPayload(new UnauthorizedError(`${r.origin} is no longer connected to Vigil.`)) });
    throw new Error(`${r.origin} was disconnected: the request was refused.`);
  }
  // Never sign what the approval page could not decode (no blind signing, wallet-practice.md §3.4).
  const view = await approvalView(r, BigInt(acct.starkKey));
  if (typeof view.error === 'string') {
    await settle(r, { error: toRpcErrorPayload(new InvalidParamsError('params[0]', `Vigil cannot show this request in plain terms (${view.error}), so it does not sign it.`)) });
    throw new Error(`Not signed: ${view.error}`);
  }
  try {
    const result = await produceResult(r, keys, acct);
    if (r.kind === 'connect') {
      await connectSite(r.origin, acct.starkKey);
      void emit('accountsChanged', connectResult('stark_account', acct), r.origin);
    }
    await settle(r, { result });
  } catch (err) {
    await settle(r, { error: toRpcErrorPayload(err) });
  }
  return null;
}

async function reject(id: string): Promise<{ offerBlock: boolean; origin?: string }> {
  const r = await getRequest(id);
  if (!r) return { offerBlock: false };
  await settle(r, { error: toRpcErrorPayload(new UserRejectedRequestError()) });
  return { offerBlock: await noteRejection(r.origin), origin: r.origin };
}

const ops: Record<string, Op> = {
  status: async () => session.lockStatus(),
  createVault: async (args) => {
    const acct = await session.createVault(checkVaultSecret(args.secret), str(args, 'password'));
    return acct;
  },
  unlock: async (args) => {
    const acct = await session.unlock(str(args, 'password'));
    void emit('unlock', null);
    return acct;
  },
  lock: async () => session.lock(),
  setAutoLock: async (args) => session.setAutoLockMs(args.ms),
  approvals: async () => {
    // What the window shows never includes a request whose page is gone (issue 13).
    const requests = await sweepGoneDocuments();
    const origins = [...new Set(requests.map((r) => r.origin))];
    const blockOffers = (await Promise.all(origins.map(async (o) => ((await offersBlock(o)) ? o : null)))).filter(Boolean);
    const acct = await session.account();
    const walletKey = acct ? BigInt(acct.starkKey) : undefined;
    return { status: await session.lockStatus(), requests: await Promise.all(requests.map((r) => approvalView(r, walletKey))), blockOffers };
  },
  approve: async (args) => {
    const id = str(args, 'id');
    // One approval per request: a double click must not sign twice.
    if (approving.has(id)) throw new Error('This request is already being signed.');
    approving.add(id);
    try {
      return await approve(id);
    } finally {
      approving.delete(id);
    }
  },
  reject: async (args) => {
    await session.touch().catch(() => undefined);
    return reject(str(args, 'id'));
  },
  rejectAll: async () => {
    const requests = await pendingRequests();
    for (const r of requests) await settle(r, { error: toRpcErrorPayload(new UserRejectedRequestError('The user rejected all pending requests.')) });
    // "Reject all" is a rejection of each site in the queue, toward the spam brake (issue 13).
    await noteRejections(requests.map((r) => r.origin));
    return null;
  },
  blockSite: async (args) => {
    const origin = str(args, 'origin');
    await blockSite(origin);
    for (const r of await pendingRequests()) {
      if (r.origin === origin) await settle(r, { error: toRpcErrorPayload(new UserRejectedRequestError(`${origin} is blocked for 10 minutes.`)) });
    }
    return null;
  },
  sites: async () => connectedSites(),
  ...syncOps,
  revokeSite: async (args) => {
    const origin = str(args, 'origin');
    if (await revokeSite(origin)) void emit('accountsChanged', null, origin, true);
    // What the revoked site still has waiting is refused with it.
    for (const r of await pendingRequests()) {
      if (r.origin === origin) await settle(r, { error: toRpcErrorPayload(new UnauthorizedError(`${origin} was disconnected from Vigil.`)) });
    }
    return null;
  },
};

/** Activity that counts for the auto-lock: anything but reading. */
const PASSIVE = new Set(['status', 'approvals', 'sites', 'syncNow', 'syncExportSnapshot']);

export async function handleUiMessage(op: string, args: Args): Promise<UiReply> {
  try {
    const fn = Object.hasOwn(ops, op) ? ops[op] : undefined;
    if (!fn) throw new Error(`Unknown operation ${JSON.stringify(op)}`);
    if (!PASSIVE.has(op) && op !== 'unlock' && op !== 'createVault' && (await session.isUnlocked())) await session.touch();
    return { ok: true, result: (await fn(args)) ?? null };
  } catch (err) {
    const e = err as Error;
    return { ok: false, error: { name: e.name ?? 'Error', message: e.message ?? String(err), ...(err instanceof UnlockThrottledError ? { retryAfterMs: err.retryAfterMs } : {}) } };
  }
}
