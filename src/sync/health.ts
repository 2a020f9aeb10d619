import type { AlarmKind, BatchVerdict, PendingForcedRequest, SyncAlarm, SyncCheckpoint } from './types.js';

/**
 * Exchange health (issue 17, "Exchange health"): figures from Vigil's own L1 data only — the
 * stored verdicts of the last batches, the checkpoint (pending forced requests, finalized block)
 * and the recorded configuration events. Pure: the service worker reads, this computes, the
 * dashboard renders.
 */

/** dYdX v3's FREEZE_GRACE_PERIOD (14 days), the sync's default too (engine.ts). */
export const DEFAULT_FREEZE_GRACE_PERIOD = 1_209_600n;

/** The kinds of alarm that record a change of the exchange's contracts or configuration. */
export const CHANGE_KINDS: readonly AlarmKind[] = ['contract-upgraded', 'configuration-changed', 'exchange-frozen'];

export type HealthBatch = {
  sequenceNumber: bigint;
  batchId: bigint;
  blockNumber: bigint;
  status: BatchVerdict['status'];
  /** The batch's system time (new shared state), seconds; unknown for a batch that did not decode. */
  systemTime?: bigint;
  /** Seconds of system time since the batch before it (sequence number − 1), when both are known. */
  secondsSincePrevious?: number;
  dataPages?: number;
  dataWords?: number;
};

export type Spread = { count: number; min: number; median: number; max: number };

export type LastVerifiedBatch = {
  sequenceNumber: bigint;
  batchId: bigint;
  blockNumber: bigint;
  systemTime?: bigint;
  /** `nowSeconds` − its system time, never negative; unknown without a system time. */
  ageSeconds?: number;
  /** `final`: its block is at or below the highest block known final; `pending`: a reorg may still drop it. */
  finality: 'final' | 'pending';
  finalizedBlock?: bigint;
};

export type PendingForcedHealth = {
  kind: PendingForcedRequest['kind'];
  positionId: bigint;
  blockNumber: bigint;
  ageSeconds: number;
  gracePeriodSeconds: number;
  /** Age as a share of the grace period, in percent, rounded down. */
  percentOfGrace: number;
  /** The grace period has passed: the user may ask L1 to freeze the exchange. */
  freezePossible: boolean;
};

export type ConfigurationChange = {
  kind: AlarmKind;
  blockNumber?: bigint;
  message: string;
  /** Recorded as history (before watching began, or the deployment's set-up), not raised. */
  history: boolean;
};

export type ExchangeHealth = {
  /** Oldest first: the chart's order. */
  batches: HealthBatch[];
  /** Time between consecutive batches over `batches`, seconds; null with fewer than two known. */
  intervals: Spread | null;
  /** Data words per batch over the batches that recorded it; null when none did. */
  dataWords: Spread | null;
  lastVerified: LastVerifiedBatch | null;
  pendingForced: PendingForcedHealth[];
  /** Whether the grace period is the contract's, read from L1, or dYdX's 14 days assumed (no answer). */
  gracePeriodSource: 'chain' | 'assumed';
  changes: ConfigurationChange[];
};

export type HealthInput = {
  /** The newest verdicts (any order): the window the figures cover. */
  verdicts: readonly BatchVerdict[];
  checkpoint: SyncCheckpoint | undefined;
  /** Alarms read for the change list; other kinds are ignored. */
  alarms: readonly SyncAlarm[];
  nowSeconds: bigint;
  gracePeriodSeconds?: bigint;
};

function spread(values: number[]): Spread | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { count: sorted.length, min: sorted[0]!, median, max: sorted.at(-1)! };
}

export function exchangeHealth(input: HealthInput): ExchangeHealth {
  const ordered = [...input.verdicts].sort((a, b) =>
    a.sequenceNumber < b.sequenceNumber ? -1 : a.sequenceNumber > b.sequenceNumber ? 1 : 0,
  );
  const batches: HealthBatch[] = ordered.map((v, i) => {
    const prev = ordered[i - 1];
    const b: HealthBatch = {
      sequenceNumber: v.sequenceNumber,
      batchId: v.batchId,
      blockNumber: v.blockNumber,
      status: v.status,
    };
    if (v.systemTime !== undefined) b.systemTime = v.systemTime;
    // Only from the batch right before: a gap in the window (a missing verdict) is not an interval.
    if (
      prev &&
      prev.sequenceNumber === v.sequenceNumber - 1n &&
      prev.systemTime !== undefined &&
      v.systemTime !== undefined
    )
      b.secondsSincePrevious = Number(v.systemTime - prev.systemTime);
    if (v.dataPages !== undefined) b.dataPages = v.dataPages;
    if (v.dataWords !== undefined) b.dataWords = v.dataWords;
    return b;
  });
  const cp = input.checkpoint;
  const newest = ordered.filter((v) => v.status === 'verified').at(-1);
  let lastVerified: LastVerifiedBatch | null = null;
  if (newest) {
    const final = cp?.finalizedBlock !== undefined && newest.blockNumber <= cp.finalizedBlock;
    lastVerified = {
      sequenceNumber: newest.sequenceNumber,
      batchId: newest.batchId,
      blockNumber: newest.blockNumber,
      finality: final ? 'final' : 'pending',
    };
    if (cp?.finalizedBlock !== undefined) lastVerified.finalizedBlock = cp.finalizedBlock;
    if (newest.systemTime !== undefined) {
      lastVerified.systemTime = newest.systemTime;
      const age = input.nowSeconds - newest.systemTime;
      lastVerified.ageSeconds = Number(age > 0n ? age : 0n);
    }
  }
  const grace = input.gracePeriodSeconds ?? DEFAULT_FREEZE_GRACE_PERIOD;
  const pendingForced = (cp?.pendingForced ?? []).map((p): PendingForcedHealth => {
    const age = input.nowSeconds - p.requestedAt;
    const ageSeconds = Number(age > 0n ? age : 0n);
    return {
      kind: p.kind,
      positionId: p.positionId,
      blockNumber: p.blockNumber,
      ageSeconds,
      gracePeriodSeconds: Number(grace),
      percentOfGrace: Math.floor((ageSeconds * 100) / Number(grace)),
      freezePossible: BigInt(ageSeconds) > grace,
    };
  });
  const changes = input.alarms
    .filter((a) => CHANGE_KINDS.includes(a.kind))
    .map((a): ConfigurationChange => {
      const c: ConfigurationChange = { kind: a.kind, message: a.message, history: a.severity === 'info' };
      if (a.blockNumber !== undefined) c.blockNumber = a.blockNumber;
      return c;
    })
    // Newest first.
    .sort((a, b) => {
      const x = a.blockNumber ?? 0n;
      const y = b.blockNumber ?? 0n;
      return x > y ? -1 : x < y ? 1 : 0;
    });
  return {
    batches,
    intervals: spread(batches.flatMap((b) => (b.secondsSincePrevious !== undefined ? [b.secondsSincePrevious] : []))),
    dataWords: spread(batches.flatMap((b) => (b.dataWords !== undefined ? [b.dataWords] : []))),
    lastVerified,
    pendingForced,
    gracePeriodSource: input.gracePeriodSeconds === undefined ? 'assumed' : 'chain',
    changes,
  };
}

/** The toolbar badge for `count` unacknowledged critical alarms: empty when none. */
export function alarmBadgeText(count: number): string {
  return count <= 0 ? '' : count > 99 ? '99+' : String(count);
}

/** The alarm acknowledged at `at` (ms); acknowledging twice keeps the first time. */
export function acknowledgeAlarm(a: SyncAlarm, at: number): SyncAlarm {
  return a.acknowledgedAt !== undefined ? a : { ...a, acknowledgedAt: at };
}

/** Critical alarms the user has not acknowledged: what the toolbar badge counts. */
export const countsOnBadge = (a: SyncAlarm) => a.severity === 'critical' && a.acknowledgedAt === undefined;
