export { DecodeError } from './decode-error.js';
export { asciiToFelt, assetIdFromText, assetIdToText } from './asset-id.js';
export {
  decodeSharedState,
  encodeSharedState,
  sharedStateHash,
  FUNDING_INDEX_BIAS,
  SHARED_STATE_HASH_SLOT,
  type SharedState,
} from './shared-state.js';
export { decodeProgramOutput, encodeProgramOutput, type Modification, type ProgramOutput } from './program-output.js';
export { bareForcedAction, type ForcedAction, type ForcedTrade, type ForcedWithdrawal } from './forced-actions.js';
export {
  decodeOnChainData,
  encodeOnChainData,
  type FundingEntry,
  type OnChainData,
  type PositionRecord,
} from './onchain-data.js';
export { memoryPageHash, continuousPageFact, type ContinuousPageFact } from './memory-page.js';
export {
  onchainDataHash,
  stateTransitionFact,
  stateTransitionFactFromPages,
  stateTransitionFactFromProgramOutput,
  gpsFact,
  type PageDigest,
} from './facts.js';
export { batchFundingTable, settledFundingTimestamp, type FundingTable } from './funding-table.js';
export { decodeStateUpdate, type DecodedStateUpdate } from './state-update.js';
