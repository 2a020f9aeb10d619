import type { WatchedEvent } from '../l1/starkex-reader.js';
import { FORCED_REQUEST_EVENTS, forcedRequestOfEvent } from '../l1/forced-request-log.js';
import { bareForcedAction, type ForcedAction } from '../starkex/forced-actions.js';
import type { AlarmKind, BatchVerdict, PendingForcedRequest, SyncAlarm } from './types.js';

/**
 * Alarm rules (issue 9 "Alarms"): pure functions from what the engine saw to `SyncAlarm`s. Ids are
 * stable per cause, so raising the same alarm twice stores it once.
 */

const CRITICAL: ReadonlySet<AlarmKind> = new Set([
  'root-mismatch',
  'fact-mismatch',
  'page-mismatch',
  'missing-page',
  'chain-break',
  'decode-error',
  'anchor-mismatch',
  'exchange-frozen',
  'contract-upgraded',
  'rpc-disagreement',
  'forced-request-pending',
]);

/** Recorded for the user to read, never raised: a reorg Vigil handled by itself. */
const INFO: ReadonlySet<AlarmKind> = new Set(['reorg']);

export function alarm(
  kind: AlarmKind,
  message: string,
  at: { sequenceNumber?: bigint; blockNumber?: bigint; raisedAt: number; idSuffix?: string; history?: boolean },
): SyncAlarm {
  const id = [kind, at.sequenceNumber ?? '', at.blockNumber ?? '', at.idSuffix ?? ''].join(':');
  const severity = at.history || INFO.has(kind) ? 'info' : CRITICAL.has(kind) ? 'critical' : 'warning';
  const a: SyncAlarm = { id, kind, severity, message, raisedAt: at.raisedAt };
  if (at.sequenceNumber !== undefined) a.sequenceNumber = at.sequenceNumber;
  if (at.blockNumber !== undefined) a.blockNumber = at.blockNumber;
  return a;
}

/** A failed batch: its failure kind, with the failing check's detail. */
export function batchAlarm(v: BatchVerdict, now: number): SyncAlarm | undefined {
  if (v.status !== 'failed' || !v.failure) return undefined;
  const failed = v.checks.find((c) => !c.ok);
  return alarm(
    v.failure,
    `Batch ${v.batchId} (sequence ${v.sequenceNumber}, block ${v.blockNumber}) failed ${failed?.check ?? 'verification'}: ${failed?.detail ?? ''}`,
    {
      sequenceNumber: v.sequenceNumber,
      blockNumber: v.blockNumber,
      raisedAt: now,
    },
  );
}

/**
 * What counts as history rather than news (issue 17 defect 6). `watchStartBlock`: the head when
 * watching began — an event in that block or before happened before Vigil watched. `setUpUntil`:
 * the block of the deployment's first state update, when the sync starts from its genesis — the
 * configuration and upgrades before it are the deployment being set up; `null` when no state
 * update has been read yet (every event so far is set-up).
 */
export type HistoryBounds = { watchStartBlock?: bigint; setUpUntil?: bigint | null };

/** Whether an event at `block` is history (see `HistoryBounds`). */
export function isHistoryBlock(block: bigint, b: HistoryBounds): boolean {
  if (b.watchStartBlock !== undefined && block <= b.watchStartBlock) return true;
  return b.setUpUntil === null || (b.setUpUntil !== undefined && block < b.setUpUntil);
}

/**
 * Freeze, proxy upgrades and configuration changes (forced requests are tracked separately).
 * History (`HistoryBounds`: a replay of years of history, the deployment's own set-up) is recorded
 * as `info`, not raised — except a freeze, which is the exchange's current state until an unfreeze.
 */
export function eventAlarms(events: readonly WatchedEvent[], now: number, bounds: HistoryBounds = {}): SyncAlarm[] {
  const out: SyncAlarm[] = [];
  for (const e of events) {
    const history = e.kind !== 'frozen' && isHistoryBlock(e.blockNumber, bounds);
    const at = { blockNumber: e.blockNumber, raisedAt: now, idSuffix: String(e.logIndex), history };
    if (e.kind === 'frozen')
      out.push(alarm('exchange-frozen', `The exchange was frozen at block ${e.blockNumber}: only escapes remain`, at));
    else if (e.kind === 'upgraded')
      out.push(
        alarm('contract-upgraded', `Contract ${e.address} changed its implementation at block ${e.blockNumber}`, at),
      );
    else if (e.kind === 'global-configuration' || e.kind === 'asset-configuration') {
      out.push(alarm('configuration-changed', `The ${e.kind.replace('-', ' ')} changed at block ${e.blockNumber}`, at));
    }
  }
  return out;
}

const hex = (v: unknown) => (typeof v === 'bigint' ? v.toString(16) : String(v));

/** The identity of a forced action, the same whether read from the request event or a batch. */
export function forcedActionKey(a: ForcedAction): string {
  if (a.type === 'withdrawal') return ['w', a.starkKey, a.positionId, a.quantizedAmount].map(hex).join(':');
  return [
    't',
    a.starkKeyA,
    a.starkKeyB,
    a.positionIdA,
    a.positionIdB,
    a.syntheticAssetId,
    a.amountCollateral,
    a.amountSynthetic,
    a.aIsBuyingSynthetic ? 1n : 0n,
    a.nonce,
  ]
    .map(hex)
    .join(':');
}

/** The forced action a request event asks for (field names of starkPerpetualAbi's events). */
export function forcedActionOfEvent(e: WatchedEvent): ForcedAction | undefined {
  const name =
    e.kind === 'forced-withdrawal'
      ? FORCED_REQUEST_EVENTS.withdrawal
      : e.kind === 'forced-trade'
        ? FORCED_REQUEST_EVENTS.trade
        : undefined;
  const request = name === undefined ? undefined : forcedRequestOfEvent(name, e.args);
  return request && bareForcedAction(request);
}

/** New pending requests from events that involve one of the watched Stark keys. */
export function newForcedRequests(
  events: readonly WatchedEvent[],
  watchedKeys: readonly bigint[],
  timestamps: ReadonlyMap<bigint, bigint>,
): PendingForcedRequest[] {
  const watched = new Set(watchedKeys);
  const out: PendingForcedRequest[] = [];
  for (const e of events) {
    const action = forcedActionOfEvent(e);
    if (!action) continue;
    const [starkKey, positionId] =
      action.type === 'withdrawal'
        ? [action.starkKey, action.positionId]
        : watched.has(action.starkKeyA)
          ? [action.starkKeyA, action.positionIdA]
          : [action.starkKeyB, action.positionIdB];
    if (!watched.has(starkKey)) continue;
    out.push({
      kind: action.type,
      key: forcedActionKey(action),
      starkKey,
      positionId,
      blockNumber: e.blockNumber,
      requestedAt: timestamps.get(e.blockNumber) ?? 0n,
    });
  }
  return out;
}

/** Drops the requests a batch served (its forced-actions section, l1-data-tree.md §2.2). */
export function servedForcedRequests(
  pending: readonly PendingForcedRequest[],
  served: readonly ForcedAction[],
): PendingForcedRequest[] {
  const keys = new Set(served.map(forcedActionKey));
  return pending.filter((p) => !keys.has(p.key));
}

/** A watched request pending longer than `share` of the freeze grace period (seconds). */
export function forcedRequestAlarms(
  pending: readonly PendingForcedRequest[],
  nowSeconds: bigint,
  gracePeriod: bigint,
  share: number,
  now: number,
): SyncAlarm[] {
  const limit = BigInt(Math.floor(Number(gracePeriod) * share));
  return pending
    .filter((p) => nowSeconds - p.requestedAt > limit)
    .map((p) =>
      alarm(
        'forced-request-pending',
        `Your forced ${p.kind} for position ${p.positionId} (block ${p.blockNumber}) is still not served after ${nowSeconds - p.requestedAt} s; freeze possible after ${gracePeriod} s`,
        {
          blockNumber: p.blockNumber,
          raisedAt: now,
          idSuffix: p.key,
        },
      ),
    );
}

/** No new batch for longer than `maxAgeSeconds` since the last verified one's system time. */
export function staleAlarm(
  lastSystemTime: bigint | undefined,
  nowSeconds: bigint,
  maxAgeSeconds: bigint,
  now: number,
): SyncAlarm | undefined {
  if (lastSystemTime === undefined || nowSeconds - lastSystemTime <= maxAgeSeconds) return undefined;
  return alarm('no-new-batch', `No new batch for ${nowSeconds - lastSystemTime} s (limit ${maxAgeSeconds} s)`, {
    raisedAt: now,
    idSuffix: String(lastSystemTime),
  });
}
