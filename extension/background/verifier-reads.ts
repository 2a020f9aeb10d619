/**
 * What the dashboard reads of the verifier (issue 14), served by the service worker one page at a
 * time through the verified-state read model (src/sync/read-model.ts) over the IndexedDB store:
 * the page never opens IndexedDB nor builds a tree. Plain data out.
 */
import { CHANGE_KINDS, exchangeHealth, l1NowSeconds, ReadModelError, readModel } from '../../src/index.js';
import type { AlarmCursor, AlarmKind, BatchVerdict, ExchangeHealth, Position, SyncAlarm } from '../../src/index.js';
import { getSyncSettings, getSyncStatus, IdbSyncStore, type SyncSettings, type SyncStatus } from '../shared/sync-db.js';
import { freezeGracePeriodOf } from './grace-period.js';

/** The last verified state, without the bulk (pending forced requests, every shared-state word). */
export type VerifierCheckpointView = {
  sequenceNumber: bigint;
  batchId: bigint;
  blockNumber: bigint;
  scannedTo: bigint;
  /** Word 0 of the last verified shared state: the committed position-tree root; absent before any batch. */
  committedRoot?: bigint;
  halted?: { sequenceNumber: bigint; failure: AlarmKind };
};

export type VerifierCounts = {
  batches: number;
  verified: number;
  failed: number;
  pendingRoot: number;
  /** Raised alarms (critical or warning), and recorded-only history (info). */
  alarms: number;
  history: number;
};

export type VerifierOverview = {
  status: SyncStatus;
  settings: SyncSettings | null;
  checkpoint: VerifierCheckpointView | null;
  counts: VerifierCounts;
};

export type BatchPage = {
  /** Newest first. */
  batches: BatchVerdict[];
  /** Pass as `before` for the next (older) page; null when this page reached the first batch. */
  older: bigint | null;
};

export type AlarmPage = {
  /** Raised: critical first, then newest first; history: newest first. */
  alarms: SyncAlarm[];
  total: number;
  /** Pass as `after` for the next page; null when there is none. */
  next: AlarmCursor | null;
};

/**
 * How an own position was checked: its leaf recomputed from the stored position record, hashed up
 * the stored sibling nodes, compared with the committed root of the last verified shared state
 * (ReadModel.checkPosition).
 */
export type PositionCheck = 'leaf-and-path-hash-to-committed-root';

export type OwnPosition = { positionId: bigint; position: Position; check: PositionCheck; matches: boolean };
/** `notYet`: why no position can be read now (nothing verified, or the tree is behind: catching up). */
export type MyPositions = {
  starkKeys: bigint[];
  committedRoot: bigint | null;
  positions: OwnPosition[];
  notYet?: string;
};

export const MAX_PAGE = 200;

/** Page sizes from a page: an integer 1 … MAX_PAGE; the error names the field, value and range. */
export function pageLimit(limit: unknown): number {
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE)
    throw new RangeError(
      `limit: ${JSON.stringify(limit)} is out of range; expected an integer 1 <= limit <= ${MAX_PAGE}`,
    );
  return limit;
}

const model = () => readModel(new IdbSyncStore());

export async function verifierOverview(): Promise<VerifierOverview> {
  const rm = model();
  const [status, settings, cp, batches, raised, history] = await Promise.all([
    getSyncStatus(),
    getSyncSettings(),
    rm.checkpoint(),
    rm.verdicts({ limit: 1 }),
    rm.alarms({ limit: 1, severities: ['critical', 'warning'] }),
    rm.alarms({ limit: 1, severities: ['info'] }),
  ]);
  const root = cp?.sharedState?.[0];
  const checkpoint: VerifierCheckpointView | null = cp
    ? {
        sequenceNumber: cp.sequenceNumber,
        batchId: cp.batchId,
        blockNumber: cp.blockNumber,
        scannedTo: cp.scannedTo,
        ...(root !== undefined ? { committedRoot: root } : {}),
        ...(cp.halted ? { halted: cp.halted } : {}),
      }
    : null;
  // Counts from the checkpoint, not a walk over every verdict: a halt is the one failed batch kept;
  // the batches after the last hashed checkpoint (catch-up) await their root.
  const failed = cp?.halted ? 1 : 0;
  const pendingRoot =
    cp?.hashedSequenceNumber !== undefined ? Math.max(0, Number(cp.sequenceNumber - cp.hashedSequenceNumber)) : 0;
  const counts: VerifierCounts = {
    batches: batches.total,
    verified: Math.max(0, batches.total - failed - pendingRoot),
    failed,
    pendingRoot,
    alarms: raised.total,
    history: history.total,
  };
  return { status, settings: settings ?? null, checkpoint, counts };
}

/** Verdicts newest first, `limit` of them, all below sequence number `before` when given. */
export async function verifierBatches(before: bigint | undefined, limit: number): Promise<BatchPage> {
  const page = await model().verdicts({ ...(before !== undefined ? { before } : {}), limit });
  return { batches: page.items, older: page.next ?? null };
}

/** Alarms of one kind, paged in the read model's order (critical, warning, then newest first). */
export async function verifierAlarms(
  kind: 'raised' | 'history',
  after: AlarmCursor | undefined,
  limit: number,
): Promise<AlarmPage> {
  const page = await model().alarms({
    ...(after ? { after } : {}),
    limit,
    severities: kind === 'raised' ? ['critical', 'warning'] : ['info'],
  });
  return { alarms: page.items, total: page.total, next: page.next ?? null };
}

/** The positions of the given stark keys in the verified state (the stark-key index), each checked leaf → path → root. */
export async function positionsOfKeys(starkKeys: bigint[]): Promise<MyPositions> {
  const rm = model();
  const cp = await rm.checkpoint();
  const root = cp?.sharedState?.[0] ?? null;
  if (!starkKeys.length || root === null) return { starkKeys, committedRoot: root, positions: [] };
  try {
    const positions: OwnPosition[] = [];
    for (const key of starkKeys) {
      for (const v of await rm.positionsOfStarkKey(key)) {
        const check = await rm.checkPosition(v.positionId);
        positions.push({
          positionId: v.positionId,
          position: v.position,
          check: 'leaf-and-path-hash-to-committed-root',
          matches: check.matches,
        });
      }
    }
    return { starkKeys, committedRoot: root, positions };
  } catch (err) {
    if (err instanceof ReadModelError && (err.reason === 'catching-up' || err.reason === 'nothing-verified'))
      return { starkKeys, committedRoot: root, positions: [], notYet: err.message };
    throw err;
  }
}

/** Batches the health view covers (its chart and figures). */
export const HEALTH_BATCHES = 50;
/** Alarms read per severity for the list of configuration changes. */
const HEALTH_ALARMS = MAX_PAGE;

/**
 * The exchange's health (src/sync/health.ts) from the last `HEALTH_BATCHES` verdicts, the
 * checkpoint and the recorded alarms: a page of each, never the whole store.
 */
export async function exchangeHealthView(nowMs: number): Promise<ExchangeHealth & { window: number }> {
  const rm = model();
  const [cp, verdicts, raised, history] = await Promise.all([
    rm.checkpoint(),
    rm.verdicts({ limit: HEALTH_BATCHES }),
    rm.alarms({ limit: HEALTH_ALARMS, severities: ['critical', 'warning'] }),
    rm.alarms({ limit: HEALTH_ALARMS, severities: ['info'] }),
  ]);
  const alarms = [...raised.items, ...history.items].filter((a) => CHANGE_KINDS.includes(a.kind));
  // The contract's own grace period, read once per deployment, only when a request waits.
  const settings = cp?.pendingForced.length ? await getSyncSettings() : undefined;
  const grace = settings ? await freezeGracePeriodOf(settings) : undefined;
  return {
    ...exchangeHealth({
      verdicts: verdicts.items,
      checkpoint: cp,
      alarms,
      nowSeconds: l1NowSeconds(cp, nowMs),
      ...(grace !== undefined ? { gracePeriodSeconds: grace } : {}),
    }),
    window: HEALTH_BATCHES,
  };
}

/** Marks a stored alarm acknowledged; the error names the id when there is no such alarm. */
export async function acknowledgeStoredAlarm(id: string, nowMs: number): Promise<SyncAlarm> {
  return new IdbSyncStore().acknowledgeAlarm(id, nowMs);
}
