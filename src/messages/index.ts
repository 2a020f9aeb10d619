/** L2 message hashes, Ethereum-side messages around stark keys, and the dYdX v3 layer (signing-risk.md A2–A3). */
export {
  AmountError,
  NonceError,
  PositionIdError,
  ExpirationError,
  AssetIdError,
  ConditionError,
  MarketError,
  NetworkIdError,
  DecimalError,
  PrecisionError,
  FeeError,
  OrderSideError,
  EthAddressError,
  OraclePriceError,
} from './errors.js';
export type { UintLike } from './fields.js';
export type { MessageOptions } from './message-fields.js';
export { type StarkOrder, type StarkOrderOf, checkStarkOrder, orderHash } from './order.js';
export {
  type StarkTransfer,
  type StarkTransferOf,
  type StarkConditionalTransfer,
  type StarkConditionalTransferOf,
  checkStarkTransfer,
  checkStarkConditionalTransfer,
  transferHash,
  conditionalTransferHash,
} from './transfer.js';
export {
  type StarkWithdrawal,
  type StarkWithdrawalOf,
  type StarkWithdrawalToAddress,
  type StarkWithdrawalToAddressOf,
  checkStarkWithdrawal,
  withdrawalHash,
  withdrawalToAddressHash,
} from './withdrawal.js';
export {
  type StarkOraclePrice,
  type StarkOraclePriceOf,
  oracleSignedAssetId,
  checkStarkOraclePrice,
  oraclePriceHash,
} from './oracle-price.js';
export { registrationMessageHash, signRegistration, type RegistrationSignature } from './registration.js';
export {
  type ForcedTradeRequest,
  type ForcedTradeRequestOf,
  checkForcedTradeRequest,
  forcedTradeActionHash,
  forcedTradeDigest,
} from './forced-trade.js';
export {
  type Decimal,
  type Rounding,
  parseHumanDecimal,
  multiplyDecimals,
  humanToQuantums,
  quantumsToHuman,
} from './decimal.js';
export {
  DYDX_ASSET_RESOLUTIONS,
  DYDX_COLLATERAL_ASSET,
  DYDX_COLLATERAL_RESOLUTION,
  DYDX_NETWORK_IDS,
  type DydxMarketInfo,
  type DydxCollateralInfo,
  type DydxMarketTable,
  syntheticAssetIdOf,
  erc20AssetId,
  dydxMarketTable,
  dydxMarket,
} from './dydx-markets.js';
export {
  STARK_ORDER_SIGNATURE_EXPIRATION_BUFFER_HOURS,
  nonceFromClientId,
  isoTimestampToEpochHours,
  isoTimestampToEpochSeconds,
  limitFeeToQuantums,
  factToCondition,
} from './dydx-helpers.js';
export type {
  DydxOrderParams,
  DydxWithdrawalParams,
  DydxTransferParams,
  DydxConditionalTransferParams,
} from './dydx-convert.js';
export { type DydxOraclePriceParams, ORACLE_PRICE_DECIMALS, oraclePriceFromHuman } from './dydx-oracle.js';
export type { DydxApiOrder, DydxApiWithdrawal, DydxApiTransfer } from './dydx-api.js';
export { dydx, type DydxSigned } from './dydx.js';
