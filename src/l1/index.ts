export {
  starkPerpetualAbi,
  starkwareProxyAbi,
  perpetualEscapeVerifierAbi,
  memoryPageFactRegistryAbi,
  gpsStatementVerifierAbi,
  gpsFactAdapterAbi,
} from './abi.js';
export { DYDX_V3_MAINNET, devnetDeployment, type DevnetDeploymentInfo, type StarkExDeployment } from './deployment.js';
export {
  BlockHashDisagreementError,
  BlockHeaderHashMismatchError,
  L1DataError,
  MerkleProofError,
  ProvenValueMismatchError,
  RpcDisagreementError,
  RpcUnreachableError,
  StorageSlotRangeError,
  type BlockRef,
} from './errors.js';
// Proven storage reads (issue 16).
export { checkBlockHeader, recomputeBlockHash, type CheckedBlockHeader } from './block-header.js';
export { getAgreedBlockHeader, resolveBlock } from './agreed-block.js';
export { brokenProofNode, EMPTY_TRIE_ROOT, verifyTrieProof } from './merkle-proof.js';
export { EMPTY_CODE_HASH, verifyAccountProof, verifyStorageProof, type ProvenAccount } from './account-proof.js';
export {
  getProvenStorage,
  PROVEN_STORAGE_CHECK,
  verifyProofAnswer,
  type GetProvenStorageErrorType,
  type GetProvenStorageParameters,
  type GetProvenStorageReturnType,
} from './proven-storage.js';
export { decodeFrozenSlot, provenSharedStateHash, type ProvenStarkExState } from './proven-state.js';
export { SEQUENCE_NUMBER_SLOT, STATE_FROZEN_BYTE_OFFSET, STATE_FROZEN_SLOT } from './starkex-slots.js';
export { backoffDelay, withRetry, type RetryOptions } from './retry.js';
export { blockRanges } from './block-ranges.js';
export { MultiRpc, canonicalJson, type RpcEndpoint, type RpcOutcome, type L1RpcRequest } from './multi-rpc.js';
export {
  createStarkExReader,
  type ContinuousPageCall,
  type MemoryPagesHashesLog,
  type PageRegistrationLog,
  type StarkExL1Reader,
  type StarkExReaderOptions,
  type StateTransitionLog,
  type UpdateStateCall,
  type WatchedEvent,
  type WatchedEventKind,
} from './starkex-reader.js';
// Exit transactions and reads (issue 10; l1-data-tree.md §5).
export {
  ChainIdMismatchError,
  FeeCapExceededError,
  InsufficientEthError,
  L1BroadcastError,
  L1TransactionInputError,
  L1TransactionRevertedError,
  PreparedTransactionError,
} from './transaction-errors.js';
export {
  causeOf,
  checkExitFeeCap,
  DEFAULT_EXIT_FEE_CAP,
  EIP7825_TX_GAS_LIMIT_CAP,
  ExitRpc,
  ExitTxSender,
  FEE_CAP_BOUNDS,
  isJsonRpcAnswer,
  namedRead,
  type ExitFeeCap,
  type PreparedL1Transaction,
  type SignTransaction,
} from './exit-rpc.js';
export {
  escapeTx,
  estimateL1TransactionGas,
  forcedTradeFields,
  forcedTradeRequestTx,
  forcedWithdrawalRequestTx,
  freezeRequestTx,
  revertReasonOf,
  verifyEscapeTx,
  withdrawTx,
  type ExitFunctionName,
  type FreezeBasis,
  type GasEstimate,
  type L1Transaction,
} from './transactions.js';
export {
  decodeForcedRequestLog,
  FORCED_REQUEST_EVENTS,
  forcedRequestOfEvent,
  type ForcedRequestLog,
  type ForcedTradeRequestLog,
  type ForcedWithdrawalRequestLog,
} from './forced-request-log.js';
export {
  createExitChainReader,
  ESCAPES_USED_SLOT,
  type EscapeVerifiedLog,
  type ExitChainReader,
  type ExitReaderOptions,
  type ExitReceipt,
  type ForcedActionService,
} from './exit-reader.js';
