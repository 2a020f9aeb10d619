/**
 * The exit (issue 10; l1-data-tree.md §5, signing-risk.md B2): the margin view of a verified
 * position, forced-withdrawal planning, forced-trade offers between users, and the persisted flow
 * forced request → tracking → freeze → escape → withdraw with its runner.
 */
export {
  EscapeNotPossibleError,
  ExitFlowFormatError,
  ExitFlowStateError,
  ExitInputError,
  ForcedTradeOfferError,
  ForcedWithdrawalRefusedError,
  type ForcedWithdrawalRefusal,
} from './errors.js';
export { collateralQuantaOf } from './collateral-amount.js';
export {
  DEFAULT_ADVERSE_MOVE_BPS,
  marginView,
  type MarginBasis,
  type MarginView,
  type MarginViewInput,
  type SyntheticLine,
} from './margin-view.js';
export {
  planForcedWithdrawal,
  type ForcedWithdrawalPlan,
  type ForcedWithdrawalPlanInput,
} from './forced-withdrawal-plan.js';
export {
  createForcedTradeOffer,
  decodeForcedTradeOffer,
  encodeForcedTradeOffer,
  forcedTradeOfferFile,
  forcedTradeOfferSigner,
  parseForcedTradeOfferFile,
  FORCED_TRADE_OFFER_FILE_FORMAT,
  type ForcedTradeOffer,
} from './forced-trade-offer.js';
export {
  applyExitEvent,
  freezableAt,
  nextExitAction,
  startExitFlow,
  type EscapeData,
  type ExitAction,
  type ExitEvent,
  type ExitFlow,
  type ExitOutcome,
  type ExitRequest,
  type ExitStep,
  type ExitTxKind,
  type NewExitFlow,
  type TrackedTx,
} from './flow.js';
export { checkExitFlow, parseExitFlow, serializeExitFlow } from './flow-codec.js';
export {
  exitTransaction,
  observeExitFlow,
  prepareEscape,
  runExitFlow,
  sendExitStep,
  type EscapeSource,
  type ExitRunnerDeps,
  type ExitTransactionSigner,
  type RunExitOptions,
} from './runner.js';
export {
  ESCAPE_FILE_FORMAT,
  checkEscapeProof,
  escapeFile,
  escapeSourceFromProof,
  parseEscapeInput,
  serializeEscapeFile,
  type EscapeFile,
  type EscapeProofInput,
} from './escape-file.js';
export { finalSharedState, type FinalState, type FinalStateOptions } from './final-state.js';
export {
  escapeSourceFromStore,
  verifiedPosition,
  verifiedPositionIdOf,
  type VerifiedPosition,
} from './verified-source.js';
export {
  positionIdOf,
  priceMoveOf,
  stressView,
  type MarketMove,
  type StressMarket,
  type StressView,
} from './stress-view.js';
export { forcedTradeOfForm, type ForcedTradeForm, type ForcedTradeFormContext } from './forced-trade-form.js';
