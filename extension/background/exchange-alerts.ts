/**
 * What the approval window must say before anything is signed (issue 17 item 3): the verifier's
 * critical alarms (a halt on a wrong root, a chain break, …) and whether the exchange is frozen.
 * A frozen exchange processes no more orders, withdrawals or transfers (only escapes remain), so
 * Vigil refuses to sign any.
 *
 * The frozen flag is known from three places, any one is enough: the deployment itself (dYdX v3
 * mainnet is frozen), the verifier (a `LogFrozen` event it read: checkpoint `frozen` and the
 * `exchange-frozen` alarm), and StarkPerpetual's `isFrozen()` read over the configured RPCs (as
 * the exit page does), cached for a few seconds so the approval window's polling costs nothing.
 */
import { createExitChainReader, readModel } from '../../src/index.js';
import type { AlarmKind, SyncAlarm } from '../../src/index.js';
import { IdbSyncStore, getSyncSettings, type SyncSettings } from '../shared/sync-db.js';
import { exitRpc } from './exit-rpc.js';

export type ExchangeBanner = { kind: AlarmKind | 'verifier-halted'; message: string };
export type ExchangeAlerts = {
  /** Why L2 requests (orders, withdrawals, transfers) are refused now (the exchange is frozen), or null. */
  frozen: string | null;
  /** Critical alarms, newest first, the halt first; one line each. */
  banners: ExchangeBanner[];
};

const MAX_BANNERS = 5;
const L1_TTL_MS = 8_000;
const L1_TIMEOUT_MS = 4_000;

const ALARM_TITLE: Partial<Record<AlarmKind, string>> = {
  'root-mismatch': 'Wrong positions root',
  'fact-mismatch': 'Fact mismatch',
  'page-mismatch': 'Data page mismatch',
  'missing-page': 'Missing data page',
  'chain-break': 'Shared-state chain break',
  'decode-error': 'Undecodable state update',
  'anchor-mismatch': 'Anchor mismatch',
  'exchange-frozen': 'Exchange frozen',
  'contract-upgraded': 'Contract upgraded',
  'rpc-disagreement': 'RPCs disagree',
  'forced-request-pending': 'Forced request not served',
};
const title = (k: AlarmKind) => ALARM_TITLE[k] ?? k;

let l1: { key: string; at: number; frozen: boolean | undefined; pending?: Promise<boolean | undefined> } | undefined;

/** StarkPerpetual's isFrozen() over the configured RPCs; undefined when it could not be read in time. */
async function l1Frozen(s: SyncSettings, wait: boolean): Promise<boolean | undefined> {
  const key = JSON.stringify([s.deployment.chainId, s.deployment.starkPerpetual, s.rpcUrls]);
  const now = Date.now();
  if (l1?.key === key && now - l1.at < L1_TTL_MS) return l1.frozen;
  if (l1?.key !== key) l1 = { key, at: 0, frozen: undefined };
  const entry = l1;
  entry.pending ??= Promise.race([
    createExitChainReader(s.deployment, exitRpc(s).client()).isFrozen(),
    new Promise<undefined>((r) => setTimeout(() => r(undefined), L1_TIMEOUT_MS)),
  ])
    .catch(() => undefined)
    .then((f) => {
      entry.pending = undefined;
      entry.at = Date.now();
      if (f !== undefined) entry.frozen = f;
      return entry.frozen;
    });
  return wait ? entry.pending : entry.frozen;
}

/**
 * The alerts as of now. `waitForL1`: wait (a few seconds at most) for a fresh L1 read; the
 * approval window's polling does not wait and shows the cached answer.
 */
export async function exchangeAlerts(opts: { waitForL1?: boolean } = {}): Promise<ExchangeAlerts> {
  const s = await getSyncSettings().catch(() => undefined);
  if (!s) return { frozen: null, banners: [] };
  const rm = readModel(new IdbSyncStore());
  const [cp, raised, onL1] = await Promise.all([
    rm.checkpoint().catch(() => undefined),
    rm
      .alarms({ limit: MAX_BANNERS, severities: ['critical'] })
      .then((p) => p.items)
      .catch((): SyncAlarm[] => []),
    l1Frozen(s, opts.waitForL1 === true),
  ]);
  const banners: ExchangeBanner[] = [];
  if (cp?.halted)
    banners.push({
      kind: 'verifier-halted',
      message: `Verifier halted: ${title(cp.halted.failure)} at sequence ${cp.halted.sequenceNumber}. Figures below are from the last batch Vigil verified before it; the exchange's state since is unverified.`,
    });
  for (const a of raised) banners.push({ kind: a.kind, message: `${title(a.kind)}: ${a.message}` });

  const name = s.deployment.name;
  const source =
    onL1 === true
      ? ' (StarkPerpetual isFrozen() on L1)'
      : cp?.frozen || raised.some((a) => a.kind === 'exchange-frozen')
        ? " (Vigil's verifier saw it freeze on L1)"
        : s.deployment.frozen
          ? ''
          : null;
  const frozenWhy =
    source === null
      ? null
      : `${name} is frozen${source}: it processes no more orders, withdrawals or transfers, only escapes.`;
  if (frozenWhy && !banners.some((b) => b.kind === 'exchange-frozen'))
    banners.unshift({ kind: 'exchange-frozen', message: `Exchange frozen: ${frozenWhy}` });
  return { frozen: frozenWhy, banners: banners.slice(0, MAX_BANNERS + 1) };
}

/**
 * What a frozen exchange can no longer process, by request kind: none of its L2 requests. A
 * signature made now would stay valid to its expiry, and governance can unfreeze the exchange
 * (StarkEx's unFreeze after its delay), so Vigil makes none.
 */
const FROZEN_NOUN = {
  signOrder: 'orders',
  signWithdrawal: 'withdrawals',
  signTransfer: 'transfers',
  signConditionalTransfer: 'conditional transfers',
} as const;
export type L2RequestKind = keyof typeof FROZEN_NOUN;
export const isL2RequestKind = (kind: string): kind is L2RequestKind => Object.hasOwn(FROZEN_NOUN, kind);

/** The refusal a dapp and the approval window get for an L2 request on a frozen exchange. */
export const frozenRefusal = (kind: L2RequestKind, why: string) =>
  `Vigil does not sign ${FROZEN_NOUN[kind]} now: ${why}`;
