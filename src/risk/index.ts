/**
 * The perpetual risk model (signing-risk.md Part B): funding, total value and risk, the transition
 * rule, forced-withdrawal judgement, liquidation prices, the escape amount and dYdX's user-facing
 * margin numbers. Pure bigint arithmetic on the program's own fixed-point scales.
 */
export {
  NoValidForcedWithdrawalError,
  RiskFactorSegmentError,
  RiskInputError,
  duplicateAssetId,
  missingAssetData,
} from './errors.js';
export {
  FXP_32_ONE,
  TOTAL_RISK_UPPER_BOUND_REP,
  TOTAL_VALUE_UPPER_BOUND_REP,
  type FundingIndices,
  type OraclePrices,
} from './fixed-point.js';
export { PERPETUAL_RETURN_CODES, type PerpetualReturnCode } from './return-code.js';
export {
  riskFactorFor,
  riskTable,
  type RiskFactorSegment,
  type RiskParams,
  type SyntheticRiskConfig,
} from './risk-config.js';
export { applyFunding, fundingOwedRep } from './funding.js';
export {
  DYDX_V3_MAINNET_RISK_PARAMS,
  assetLabel,
  checkRiskParams,
  effectiveRiskParams,
  marketNameOf,
  riskPresetOf,
  type EffectiveRiskParams,
  type RiskParamsSource,
} from './presets.js';
export {
  isDeleveragable,
  isLiquidatable,
  isWellLeveraged,
  positionStatus,
  totalRisk,
  totalValue,
  type PositionStatus,
} from './status.js';
export { checkSmallerHoldings, checkValidTransition, isValidTransition } from './transition.js';
export {
  updatePosition,
  type MarketState,
  type PositionUpdateRequest,
  type PositionUpdateResult,
} from './update-position.js';
export { forcedWithdrawalVerdict, maxForcedWithdrawal } from './forced-withdrawal.js';
export { adverseState, maxSafeForcedWithdrawal, type AdverseOutcome, type AdverseScenario } from './adverse.js';
export { liquidationPrice, liquidationPrices } from './liquidation.js';
export { liquidationDistance, type LiquidationDistance } from './liquidation-distance.js';
export { escapeAmount } from './escape.js';
export { positionRiskReport, type PositionRiskReport } from './report.js';
export {
  externalPriceFromDecimal,
  internalOraclePrice,
  oraclePriceToUsd,
  riskFactorFromFraction,
  usdToOraclePrice,
} from './oracle-price.js';
export { formatRatio, parseRatio, ratio, type Ratio } from './ratio.js';
export {
  dydxAccountMargin,
  dydxInitialMarginFraction,
  riskParamsFromMarginFractions,
  type DydxAccountInput,
  type DydxAccountMargin,
  type DydxMarginOptions,
  type DydxMarketParams,
  type DydxPositionInput,
  type DydxPositionMargin,
} from './dydx-margin.js';
export { stressedSharedState, type PriceMove } from './stress.js';
