/**
 * Vigil's protocol core, as the extension, its workers, the devnet and the benchmarks use it: the
 * one public API of src/ (issue 14). Tests may reach inside; nothing else does.
 */

// codec
export { fromTagged, fromTaggedJson, toTagged, toTaggedJson } from './codec/tagged-json.js';

// crypto
export { isValidStarkKey, parseStarkSignature, serializeStarkSignature, signHash, verifyHash } from './crypto/ecdsa.js';
export type { StarkSignature } from './crypto/ecdsa.js';
export { FIELD_PRIME } from './crypto/field.js';
// The curve points and Jacobian steps the devnet builds its escape verifier's lookup tables from.
export { PEDERSEN_POINTS } from './crypto/pedersen-curve.js';
export type { AffinePoint } from './crypto/pedersen-curve.js';
export { addMixed, doubleJacobian, toAffine } from './crypto/pedersen-jacobian.js';
export type { JacobianPoint } from './crypto/pedersen-jacobian.js';
export { BATCH_CHUNK } from './crypto/pedersen-fast.js';
export { DEFAULT_WINDOW_BITS, pedersenTables } from './crypto/pedersen-tables.js';
export { pedersen, pedersenMany } from './crypto/pedersen.js';

// errors
export { RangeCheckError, VigilError } from './errors.js';

// exit (its barrel is the exit's public surface)
export * from './exit/index.js';

// keys
export { starkKeyPair } from './keys/stark-key.js';
export type { StarkKeyPair } from './keys/stark-key.js';

// l1
export { starkPerpetualAbi } from './l1/abi.js';
export { DYDX_V3_MAINNET, devnetDeployment } from './l1/deployment.js';
export type { DevnetDeploymentInfo, StarkExDeployment } from './l1/deployment.js';
export {
  checkTypedAddress,
  customDeployment,
  customFieldsOf,
  deploymentPresets,
  presetIdOf,
} from './l1/deployment-presets.js';
export type { CustomDeploymentFields, DeploymentPreset, DeploymentPresetId } from './l1/deployment-presets.js';
export { fractionOfRiskFactor, riskFormRows, riskParamsFromForm } from './risk/risk-form.js';
export type { RiskFormRow } from './risk/risk-form.js';
export { createExitChainReader } from './l1/exit-reader.js';
export {
  DEFAULT_EXIT_FEE_CAP,
  EIP7825_TX_GAS_LIMIT_CAP,
  ExitRpc,
  ExitTxSender,
  checkExitFeeCap,
} from './l1/exit-rpc.js';
export type { ExitFeeCap, PreparedL1Transaction } from './l1/exit-rpc.js';
export { forcedRequestOfEvent } from './l1/forced-request-log.js';
export type { ForcedRequestLog } from './l1/forced-request-log.js';
export { MultiRpc } from './l1/multi-rpc.js';
export { createStarkExReader } from './l1/starkex-reader.js';
export { provenSharedStateHash } from './l1/proven-state.js';
export type { ProvenStarkExState } from './l1/proven-state.js';
export type { MemoryPagesHashesLog, PageRegistrationLog } from './l1/starkex-reader.js';
export type { L1Transaction } from './l1/transactions.js';

// messages
export { dydxMarket, dydxMarketTable } from './messages/dydx-markets.js';
export { dydx } from './messages/dydx.js';
export { ExpirationError } from './messages/errors.js';
export type { ForcedTradeRequest } from './messages/forced-trade.js';
export { orderHash } from './messages/order.js';
export type { StarkOrder } from './messages/order.js';
export { conditionalTransferHash, transferHash } from './messages/transfer.js';
export type { StarkConditionalTransfer, StarkTransfer } from './messages/transfer.js';
export { withdrawalHash } from './messages/withdrawal.js';
export type { StarkWithdrawal } from './messages/withdrawal.js';

// risk
export { applyFunding } from './risk/funding.js';
export { externalPriceFromDecimal, internalOraclePrice, riskFactorFromFraction } from './risk/oracle-price.js';
export type { RiskParams } from './risk/risk-config.js';
export {
  DYDX_V3_MAINNET_RISK_PARAMS,
  assetLabel,
  checkRiskParams,
  effectiveRiskParams,
  marketNameOf,
  riskPresetOf,
} from './risk/presets.js';
export type { EffectiveRiskParams, RiskParamsSource } from './risk/presets.js';
export { isLiquidatable, positionStatus } from './risk/status.js';
export { updatePosition } from './risk/update-position.js';
export type { MarketState, PositionUpdateRequest, PositionUpdateResult } from './risk/update-position.js';

// rpc
export * from './rpc/errors.js';
export { feltToHex } from './rpc/felt-param.js';
export { parsePingParams } from './rpc/ping.js';
export { parseRpcRequest } from './rpc/request.js';
export type { RpcRequest } from './rpc/request.js';
export {
  parseSignConditionalTransferParams,
  parseSignOrderParams,
  parseSignTransferParams,
  parseSignWithdrawalParams,
} from './rpc/stark-params.js';

// starkex
export { assetIdFromText } from './starkex/asset-id.js';
export * from './starkex/facts.js';
export type { ForcedAction } from './starkex/forced-actions.js';
export { continuousPageFact, memoryPageHash } from './starkex/memory-page.js';
export type { ContinuousPageFact } from './starkex/memory-page.js';
export { encodeOnChainData } from './starkex/onchain-data.js';
export type { FundingEntry, OnChainData, PositionRecord } from './starkex/onchain-data.js';
export { encodeProgramOutput } from './starkex/program-output.js';
export type { Modification, ProgramOutput } from './starkex/program-output.js';
export { encodeSharedState, sharedStateHash } from './starkex/shared-state.js';
export type { SharedState } from './starkex/shared-state.js';
export { decodeStateUpdate } from './starkex/state-update.js';

// state
export { applyStateUpdate } from './state/apply-update.js';
export { positionRecord } from './state/position-record.js';
export { EMPTY_POSITION, isEmptyPosition } from './state/position.js';
export type { Position, PositionAsset } from './state/position.js';

// sync
export { treeRoot } from './sync/apply-batch.js';
export { SyncEngine } from './sync/engine.js';
export {
  acknowledgeAlarm,
  alarmBadgeText,
  CHANGE_KINDS,
  countsOnBadge,
  DEFAULT_FREEZE_GRACE_PERIOD,
  exchangeHealth,
} from './sync/health.js';
export type { ExchangeHealth, HealthInput } from './sync/health.js';
export type { StepResult, SyncConfig } from './sync/engine.js';
export { ReadModelError } from './sync/errors.js';
export { readModel } from './sync/read-model.js';
export { l1NowSeconds } from './sync/l1-time.js';
export { exportSnapshot, importSnapshot, parseSnapshot, serializeSnapshot } from './sync/snapshot.js';
export {
  LineSplitter,
  SNAPSHOT_STREAM_FORMAT,
  SnapshotStreamImport,
  snapshotStreamLines,
} from './sync/snapshot-stream.js';
export {
  mergeSyncSettings,
  parseSyncSettings,
  patchSyncSettings,
  sameDeployment,
  watchedStarkKeysWith,
} from './sync/settings.js';
export type { KnownDevnet, SyncSettings } from './sync/settings.js';
export { ALARM_SEVERITY_ORDER, MemorySyncStore } from './sync/sync-store.js';
export type {
  AlarmCursor,
  AlarmPageQuery,
  DirtyPage,
  Page,
  SyncCommit,
  SyncStore,
  VerdictPageQuery,
} from './sync/sync-store.js';
export type { AlarmKind, BatchDiff, BatchVerdict, SyncAlarm, SyncCheckpoint, SyncPhase } from './sync/types.js';

// tree
export { bulkPositionTreeRoot } from './tree/bulk-build.js';
export type { ContiguousPositions } from './tree/bulk-build.js';
export { emptySubtreeRoot } from './tree/empty-subtrees.js';
export type { NodeKey, NodeStoreBatch } from './tree/node-store.js';
export type { BatchHasher } from './tree/position-leaf.js';
export { PositionTree } from './tree/position-tree.js';

// util
export { createSerialQueue } from './util/serial-queue.js';

// wallet
export {
  AUTO_LOCK_DEFAULT_MS,
  KeyCache,
  NO_UNLOCK_FAILURES,
  REQUEST_TTL_MS,
  RateLimiter,
  TypedDataError,
  UnlockThrottledError,
  WalletInputError,
  WrongPasswordError,
  activeRequests,
  afterUnlockFailure,
  autoLockDeadline,
  autoLockMsOfMinutes,
  blockOrigin,
  checkAutoLockMs,
  checkSiteOrigin,
  checkVaultSecret,
  decodeOrderForApproval,
  decodePersonalMessage,
  decodeTransferForApproval,
  decodeTypedDataForApproval,
  decodeVaultSecret,
  decodeWithdrawalForApproval,
  encodeVaultSecret,
  encryptVault,
  expiredRequests,
  fromJsonSafe,
  isOriginBlocked,
  isPastDeadline,
  isRequestActive,
  keyDerivationRefusal,
  openVaultWithKey,
  personalSignKeyDerivation,
  platformCrypto,
  recordRejection,
  shouldFocusApproval,
  shouldOfferBlock,
  siteKeyOf,
  toJsonSafe,
  typedDataKeyDerivation,
  unlockRetryAfterMs,
  unlockVault,
  vaultNeedsUpgrade,
  walletAccountOf,
  walletKeysFromSecret,
} from './wallet/index.js';
export type {
  ApprovalKind,
  ConnectedSite,
  OriginRejections,
  PendingRequest,
  RequestRoute,
  VaultEnvelope,
  UnlockFailures,
  VaultSecret,
  VerifiedAccount,
  WalletAccount,
  WalletKeys,
} from './wallet/index.js';
export { accountGlance } from './wallet/glance.js';
export type { AccountGlance } from './wallet/glance.js';
export { extensionPageOf, opsOfPage } from './wallet/sender-policy.js';
export type { MessageSender, PolicyOp } from './wallet/sender-policy.js';

// The names issues 3 and 4 declare stable for other checks to call (test/unit/api.test.ts).
export { deriveDydxStarkKey } from './keys/dydx-key.js';
export { decodeProgramOutput } from './starkex/program-output.js';
export { decodeOnChainData } from './starkex/onchain-data.js';
export { stateTransitionFact } from './starkex/facts.js';
export { positionLeafHash } from './tree/position-leaf.js';
export { verifyEscapeProof } from './tree/escape-verifier.js';

// The labelled checks: the edge validation every caller of the core may use (issue 14).
export * from './checks.js';
