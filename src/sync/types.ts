import type { Hex } from '../starkex/words.js';
import type { Position } from '../state/position.js';

/**
 * What the verifier records (issue 9): a checkpoint after every batch, a verdict per batch, alarms.
 * All plain data with bigints (IndexedDB's structured clone stores bigints as they are).
 */

/** One check of l1-data-tree.md §2.6; `failure` names the alarm a failed check raises. */
export type BatchCheckName =
  | 'calldata'
  | 'fact'
  | 'pages-hashes'
  | 'main-page'
  | 'data-pages'
  | 'chain'
  | 'decode'
  | 'root';
export type BatchCheck = { check: BatchCheckName; ok: boolean; detail?: string };

export type BatchVerdict = {
  sequenceNumber: bigint;
  batchId: bigint;
  blockNumber: bigint;
  txHash: Hex;
  /**
   * `verified`: every check passed, the root included (at this batch, or — in catch-up — at the
   * checkpoint `rootCheckedAt`, whose root covers this batch's changes). `pending-root`: evidence,
   * chain and decode checked and the diff applied; the root is compared at the next checkpoint.
   */
  status: 'verified' | 'failed' | 'pending-root';
  checks: BatchCheck[];
  /** Hash of the block holding the batch: a reorg is detected when it changes. */
  blockHash?: Hex;
  /** The batch whose committed root our tree reproduced for this batch's state (itself in follow mode). */
  rootCheckedAt?: bigint;
  /** The alarm a failed batch raised. */
  failure?: AlarmKind;
  /** Word 0 of the new shared state (the committed root), when the calldata decoded. */
  committedRoot?: bigint;
  /** The root of our own tree after applying the batch (only when the batch got that far). */
  computedRoot?: bigint;
  positionsChanged: number;
  /** New shared state's system time, seconds. */
  systemTime?: bigint;
  /**
   * The batch's data availability: its data pages and their words (the main page excluded), when
   * the pages were checked. Absent on verdicts stored before this was recorded: shown as unknown.
   */
  dataPages?: number;
  dataWords?: number;
};

/** A forced request a watched key made on L1, not yet served by a batch (l1-data-tree.md §5.2–5.3). */
export type PendingForcedRequest = {
  kind: 'withdrawal' | 'trade';
  /** Canonical identity: the action's fields as in the batch's forced-actions section. */
  key: string;
  starkKey: bigint;
  positionId: bigint;
  blockNumber: bigint;
  /** Block time of the request, seconds. */
  requestedAt: bigint;
};

export type SyncCheckpoint = {
  deploymentId: string;
  /** Sequence number of the last verified batch (0 before the first). */
  sequenceNumber: bigint;
  batchId: bigint;
  /** Block of the last verified batch (or the snapshot's anchor block). */
  blockNumber: bigint;
  /** Every block ≤ scannedTo has been read; the next scan starts at scannedTo + 1. */
  scannedTo: bigint;
  /** New shared state words of the last verified batch (size word excluded); undefined before any. */
  sharedState?: bigint[];
  sharedStateHash?: Hex;
  /** Set when a batch failed: sync stops there until the user resets (issue 9: never apply a bad batch). */
  halted?: { sequenceNumber: bigint; failure: AlarmKind };
  pendingForced: PendingForcedRequest[];
  frozen: boolean;
  /** Hash of `blockNumber`'s block (the last applied batch's), for reorg detection. */
  blockHash?: Hex;
  /**
   * The last batch whose root our stored tree reproduced: the tree nodes are those of that state,
   * except the leaves of the dirty positions (changed since, in catch-up mode).
   */
  hashedSequenceNumber?: bigint;
  /** The highest block known final (the RPC's `finalized` tag, or head − finality depth). */
  finalizedBlock?: bigint;
  /** The head when watching began: older events are history, not alarms. */
  watchStartBlock?: bigint;
  /** The first block the page index covers (registrations read before the first scanned block). */
  pageIndexFrom?: bigint;
  /**
   * The head block's timestamp as a caught-up step last read it (it reads it while a forced request
   * is pending), and the wall-clock time of that read: deadlines run on L1 time (l1-time.ts).
   */
  headTime?: { seconds: bigint; readAtMs: number };
};

/**
 * What one applied batch changed, kept until the batch is final and hashed: enough to undo it
 * (reorg, bisect) and to redo it on the tree from the last hashed state (bisect).
 */
export type BatchDiff = {
  sequenceNumber: bigint;
  blockNumber: bigint;
  blockHash?: Hex;
  /** The root the batch commits to (new shared state word 0). */
  committedRoot: bigint;
  /** The checkpoint before the batch: rolling the batch back restores it. */
  before: SyncCheckpoint;
  /** [positionId, before, after]; `undefined` is the empty position. */
  changes: Array<[bigint, Position | undefined, Position | undefined]>;
};

export type AlarmKind =
  | 'root-mismatch'
  | 'fact-mismatch'
  | 'page-mismatch'
  | 'missing-page'
  | 'chain-break'
  | 'decode-error'
  | 'anchor-mismatch'
  | 'no-new-batch'
  | 'forced-request-pending'
  | 'exchange-frozen'
  | 'contract-upgraded'
  | 'configuration-changed'
  | 'rpc-disagreement'
  | 'rpc-unreachable'
  | 'rpc-bad-data'
  | 'rpc-degraded'
  | 'reorg';

export type SyncAlarm = {
  /** Stable id: one alarm per cause (kind + batch/block), so re-raising is idempotent. */
  id: string;
  kind: AlarmKind;
  /** `info`: recorded, not raised (a handled reorg, events from before watching began). */
  severity: 'critical' | 'warning' | 'info';
  message: string;
  sequenceNumber?: bigint;
  blockNumber?: bigint;
  /** Milliseconds since the epoch, when raised. */
  raisedAt: number;
  /**
   * Milliseconds since the epoch, when the user acknowledged it: the alarm stays listed, it no
   * longer counts on the toolbar badge. Absent until acknowledged (and on alarms stored before).
   */
  acknowledgedAt?: number;
};

export type SyncPhase = 'idle' | 'syncing' | 'caught-up' | 'halted' | 'rpc-unreachable' | 'error';

export type SyncProgress = {
  phase: SyncPhase;
  head?: bigint;
  scannedTo: bigint;
  sequenceNumber: bigint;
  /** Batches verified in this run. */
  verified: number;
  /** The highest block known final: verdicts above it are pending. */
  finalizedBlock?: bigint;
  message?: string;
};
