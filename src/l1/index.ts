export {
  starkPerpetualAbi,
  starkwareProxyAbi,
  perpetualEscapeVerifierAbi,
  memoryPageFactRegistryAbi,
  gpsStatementVerifierAbi,
  gpsFactAdapterAbi,
} from './abi.js';
export { DYDX_V3_MAINNET, devnetDeployment, type DevnetDeploymentInfo, type StarkExDeployment } from './deployment.js';
export { L1DataError, RpcDisagreementError, RpcUnreachableError } from './errors.js';
export { backoffDelay, withRetry, type RetryOptions } from './retry.js';
export { blockRanges } from './block-ranges.js';
export { MultiRpc, canonicalJson, type RpcEndpoint, type L1RpcRequest } from './multi-rpc.js';
export {
  createStarkExReader,
  SEQUENCE_NUMBER_SLOT,
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
