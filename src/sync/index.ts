// The verifier (issue 9; l1-data-tree.md §2.6, §4.7; DESIGN.md §6): follow, snapshot, replay, alarms.
export type {
  AlarmKind,
  BatchCheck,
  BatchCheckName,
  BatchVerdict,
  PendingForcedRequest,
  SyncAlarm,
  SyncCheckpoint,
  SyncPhase,
  SyncProgress,
} from './types.js';
export { ReadModelError, SnapshotRejectedError, type ReadModelRefusal, type SnapshotRejection } from './errors.js';
export {
  ALARM_SEVERITY_ORDER,
  compareAlarms,
  MemorySyncStore,
  OverlayNodeStore,
  type AlarmCursor,
  type AlarmPageQuery,
  type AlarmSeverity,
  type DirtyPage,
  type Page,
  type SyncCommit,
  type SyncStore,
  type VerdictPageQuery,
} from './sync-store.js';
export {
  MAX_PAGE_LIMIT,
  ReadModel,
  readModel,
  type EscapeMaterial,
  type EscapeQuery,
  type PositionCheck,
  type VerifiedBasis,
  type VerifiedPosition,
} from './read-model.js';
export { checkBatchEvidence, type BatchEvidence, type ChainTip, type EvidenceResult } from './verify-batch.js';
export { applyBatch, treeRoot, type ApplyOptions, type BatchOutcome } from './apply-batch.js';
export {
  MAX_RPC_URLS,
  MAX_WATCHED_STARK_KEYS,
  mergeSyncSettings,
  parseSyncSettings,
  sameDeployment,
  type SyncSettings,
  watchedStarkKeysWith,
} from './settings.js';
export { checkAnchor, type AnchorCheck } from './anchor.js';
export {
  alarm,
  batchAlarm,
  eventAlarms,
  isHistoryBlock,
  forcedActionKey,
  forcedActionOfEvent,
  forcedRequestAlarms,
  newForcedRequests,
  servedForcedRequests,
  staleAlarm,
} from './alarms.js';
export {
  acknowledgeAlarm,
  alarmBadgeText,
  CHANGE_KINDS,
  countsOnBadge,
  DEFAULT_FREEZE_GRACE_PERIOD,
  exchangeHealth,
  type ExchangeHealth,
  type HealthInput,
} from './health.js';
export { SyncEngine, type StepResult, type SyncConfig } from './engine.js';
export {
  exportSnapshot,
  importSnapshot,
  parseSnapshot,
  serializeSnapshot,
  SNAPSHOT_FORMAT,
  type ImportSnapshotOptions,
  type PositionsSnapshot,
} from './snapshot.js';
export {
  LineSplitter,
  parseSnapshotStreamHeader,
  SNAPSHOT_STREAM_FORMAT,
  SnapshotStreamImport,
  snapshotStreamLines,
  type SnapshotStreamHeader,
  type SnapshotStreamOptions,
} from './snapshot-stream.js';
export { replayFromGenesis, type ReplayOptions, type ReplayResult } from './replay.js';
