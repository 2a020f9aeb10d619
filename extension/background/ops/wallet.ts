/**
 * The wallet's operations for Vigil's own pages (popup, approval window, dashboard): the vault,
 * the lock, the approval queue and connected sites. Only public data goes back: account metadata,
 * the decoded queue, connected sites. Keys never leave this worker. Each op takes one object and
 * checks it at run time too (the page is ours, but the message crossed a process boundary).
 */
import {
  InvalidParamsError,
  UnauthorizedError,
  UserRejectedRequestError,
  autoLockMsOfMinutes,
  checkVaultSecret,
  isRequestActive,
  toRpcErrorPayload,
} from '../../../src/index.js';
import type { ConnectedSite, VaultSecret, WalletAccount } from '../../../src/index.js';
import { documentAlive, getRequest, pendingRequests, settle, sweepGoneDocuments } from '../approvals.js';
import { announce } from '../changes.js';
import { emit } from '../events.js';
import * as session from '../session.js';
import { approvalView, connectResult, produceResult } from '../signing.js';
import {
  blockSite,
  connectSite,
  connectedSite,
  connectedSites,
  noteRejection,
  noteRejections,
  offersBlock,
  revokeSite,
} from '../sites.js';

/** A string field of an op's argument; the error names the field and what came instead. */
export function str(args: object | undefined, field: string): string {
  const v = (args as Record<string, unknown> | undefined)?.[field];
  if (typeof v !== 'string') throw new TypeError(`${field}: expected a string, got ${v === null ? 'null' : typeof v}`);
  return v;
}

export type LockStatus = Awaited<ReturnType<typeof session.lockStatus>>;
/** One waiting request as the approval window shows it (signing.ts `approvalView`: decoded, display-only). */
export type ApprovalRequestView = Awaited<ReturnType<typeof approvalView>>;
export type ApprovalQueue = { status: LockStatus; requests: ApprovalRequestView[]; blockOffers: string[] };

const approving = new Set<string>();

async function approveRequest(id: string): Promise<null> {
  const r = await getRequest(id);
  // An expired request is not signed, even if the sweep has not answered it yet.
  if (!r || !isRequestActive(r, Date.now())) throw new Error('This request is no longer pending.');
  const keys = await session.currentKeys();
  const acct = await session.account();
  if (!keys || !acct) throw new Error('Vigil is locked: unlock first.');
  await session.touch();
  // The page that asked is gone (closed, navigated): nothing to sign for (issue 13).
  if (!(await documentAlive(r.route))) {
    await settle(r, {
      error: toRpcErrorPayload(new UserRejectedRequestError('The page that asked was closed or navigated away.')),
    });
    throw new Error('The page that asked is gone: the request was dropped.');
  }
  // A site disconnected while its request waited gets 4100, not a signature.
  if (r.kind !== 'connect' && !(await connectedSite(r.origin))) {
    await settle(r, {
      error: toRpcErrorPayload(new UnauthorizedError(`${r.origin} is no longer connected to Vigil.`)),
    });
    throw new Error(`${r.origin} was disconnected: the request was refused.`);
  }
  // Never sign what the approval page could not decode (no blind signing, wallet-practice.md §3.4).
  const view = await approvalView(r, BigInt(acct.starkKey), { waitForL1: true });
  // No L2 request is signed on a frozen exchange (issue 17 item 3): the dapp gets the reason.
  if (typeof view.refusal === 'string') {
    await settle(r, { error: toRpcErrorPayload(new UnauthorizedError(view.refusal)) });
    throw new Error(view.refusal);
  }
  if (typeof view.error === 'string') {
    await settle(r, {
      error: toRpcErrorPayload(
        new InvalidParamsError(
          'params[0]',
          `Vigil cannot show this request in plain terms (${view.error}), so it does not sign it.`,
        ),
      ),
    });
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

export const walletOps = {
  async status(): Promise<LockStatus> {
    return session.lockStatus();
  },
  /** PBKDF2 at 600k iterations: slow on purpose (the page allows for it, ui/api.ts). */
  async createVault(args: { secret: VaultSecret; password: string }): Promise<WalletAccount> {
    return session.createVault(checkVaultSecret(args.secret), str(args, 'password'));
  },
  /**
   * Restore from the recovery phrase on the lock screen (issue 17 item 7): the phrase is checked
   * (word list and BIP-39 checksum, naming the field) before the old vault is touched. PBKDF2 as
   * createVault. Sites stay connected; if the phrase is another account's, they are told.
   */
  async restoreVault(args: { secret: VaultSecret; password: string }): Promise<WalletAccount> {
    const secret = checkVaultSecret(args.secret);
    const { account, previous } = await session.restoreVault(secret, str(args, 'password'));
    void emit('unlock', null);
    if (previous?.starkKey !== account.starkKey) void emit('accountsChanged', connectResult('stark_account', account));
    return account;
  },
  async unlock(args: { password: string }): Promise<WalletAccount> {
    const acct = await session.unlock(str(args, 'password'));
    void emit('unlock', null);
    return acct;
  },
  async lock(): Promise<null> {
    await session.lock();
    return null;
  },
  /**
   * `minutes` as typed in the settings (autoLockMsOfMinutes names the allowed range), or `ms`
   * (checkAutoLockMs). Either way the other settings stay.
   */
  async setAutoLock(args: { ms: number } | { minutes: string | number }): Promise<null> {
    await session.setAutoLockMs('minutes' in args ? autoLockMsOfMinutes(args.minutes) : args.ms);
    announce('settings');
    return null;
  },
  async approvals(): Promise<ApprovalQueue> {
    // What the window shows never includes a request whose page is gone (issue 13).
    const requests = await sweepGoneDocuments();
    const origins = [...new Set(requests.map((r) => r.origin))];
    const blockOffers = (await Promise.all(origins.map(async (o) => ((await offersBlock(o)) ? o : null)))).filter(
      (o): o is string => o !== null,
    );
    const acct = await session.account();
    const walletKey = acct ? BigInt(acct.starkKey) : undefined;
    return {
      status: await session.lockStatus(),
      requests: await Promise.all(requests.map((r) => approvalView(r, walletKey))),
      blockOffers,
    };
  },
  async approve(args: { id: string }): Promise<null> {
    const id = str(args, 'id');
    // One approval per request: a double click must not sign twice.
    if (approving.has(id)) throw new Error('This request is already being signed.');
    approving.add(id);
    try {
      return await approveRequest(id);
    } finally {
      approving.delete(id);
    }
  },
  async reject(args: { id: string }): Promise<{ offerBlock: boolean; origin?: string }> {
    await session.touch().catch(() => undefined);
    const r = await getRequest(str(args, 'id'));
    if (!r) return { offerBlock: false };
    await settle(r, { error: toRpcErrorPayload(new UserRejectedRequestError()) });
    return { offerBlock: await noteRejection(r.origin), origin: r.origin };
  },
  async rejectAll(): Promise<null> {
    const requests = await pendingRequests();
    for (const r of requests)
      await settle(r, {
        error: toRpcErrorPayload(new UserRejectedRequestError('The user rejected all pending requests.')),
      });
    // "Reject all" is a rejection of each site in the queue, toward the spam brake (issue 13).
    await noteRejections(requests.map((r) => r.origin));
    return null;
  },
  async blockSite(args: { origin: string }): Promise<null> {
    const origin = str(args, 'origin');
    await blockSite(origin);
    for (const r of await pendingRequests()) {
      if (r.origin === origin)
        await settle(r, {
          error: toRpcErrorPayload(new UserRejectedRequestError(`${origin} is blocked for 10 minutes.`)),
        });
    }
    return null;
  },
  async sites(): Promise<ConnectedSite[]> {
    return connectedSites();
  },
  async revokeSite(args: { origin: string }): Promise<null> {
    const origin = str(args, 'origin');
    if (await revokeSite(origin)) void emit('accountsChanged', null, origin, true);
    // What the revoked site still has waiting is refused with it.
    for (const r of await pendingRequests()) {
      if (r.origin === origin)
        await settle(r, { error: toRpcErrorPayload(new UnauthorizedError(`${origin} was disconnected from Vigil.`)) });
    }
    return null;
  },
};
