/** The wallet (issue 8): vault envelope, secrets and keys, lock policy, permissions, the approval queue and decoded approvals. */
export {
  VaultFormatError,
  WrongPasswordError,
  VaultTamperedError,
  UnlockThrottledError,
  WalletInputError,
} from './errors.js';
export { type WalletCrypto, platformCrypto } from './web-crypto.js';
export {
  VAULT_FORMAT,
  VAULT_VERSION,
  VAULT_MIN_ITERATIONS,
  VAULT_DEFAULT_ITERATIONS,
  VAULT_ACCEPT_MIN_ITERATIONS,
  type VaultHeader,
  type VaultEnvelope,
  type VaultKey,
  type EncryptVaultOptions,
  parseVaultEnvelope,
  deriveVaultKey,
  encryptVault,
  resealVault,
  openVaultWithKey,
  unlockVault,
  vaultNeedsUpgrade,
} from './vault.js';
export {
  type StarkDerivation,
  type VaultSecret,
  normalizeMnemonic,
  normalizeEthPrivateKey,
  normalizeStarkPrivateKey,
  checkVaultSecret,
  encodeVaultSecret,
  decodeVaultSecret,
} from './vault-secret.js';
export { type WalletKeys, type WalletAccount, walletKeysFromSecret, walletAccountOf } from './accounts.js';
export {
  unlockDelayMs,
  unlockRetryAfterMs,
  UNLOCK_FREE_ATTEMPTS,
  UNLOCK_MAX_DELAY_MS,
  type UnlockFailures,
  NO_UNLOCK_FAILURES,
  afterUnlockFailure,
  AUTO_LOCK_DEFAULT_MS,
  AUTO_LOCK_MIN_MS,
  AUTO_LOCK_MAX_MS,
  checkAutoLockMs,
  autoLockMsOfMinutes,
  autoLockDeadline,
  isPastDeadline,
  KeyCache,
} from './lock-policy.js';
export {
  type Bucket,
  type BucketParams,
  type Take,
  FOCUS_BURST_MS,
  RateLimiter,
  checkBucketParams,
  refill,
  shouldFocusApproval,
  siteKeyOf,
  takeToken,
} from './rate-limit.js';
export {
  type ConnectedSite,
  type OriginRejections,
  SPAM_REJECTIONS,
  SPAM_WINDOW_MS,
  SPAM_BLOCK_MS,
  checkSiteOrigin,
  recordRejection,
  shouldOfferBlock,
  blockOrigin,
  isOriginBlocked,
} from './permissions.js';
export {
  type ApprovalKind,
  type RequestRoute,
  type PendingRequest,
  REQUEST_TTL_MS,
  activeRequests,
  isRequestActive,
  expiredRequests,
  toJsonSafe,
  fromJsonSafe,
} from './request-queue.js';
export {
  type OrderWarning,
  type OrderApproval,
  type OrderApprovalContext,
  PRICE_DEVIATION_WARN,
  EXPIRY_WARN_DAYS,
  FEE_WARN,
  decodeOrderForApproval,
} from './order-approval.js';
export {
  type VerifiedAccount,
  type MarginFigures,
  type MarginImpact,
  NOT_VERIFIED_MESSAGE,
  positionAfterOrder,
  marginImpact,
} from './margin-impact.js';
export {
  accountGlance,
  type AccountGlance,
  type GlanceAccount,
  type GlanceCheckpoint,
  type GlanceHolding,
  type GlanceInput,
  type GlancePending,
  type GlanceVerification,
} from './glance.js';
export {
  type TransferWarning,
  type TransferApproval,
  type TransferApprovalContext,
  decodeWithdrawalForApproval,
  decodeTransferForApproval,
} from './transfer-approval.js';
export {
  type TypedDataKind,
  type SignWarning,
  type TypedDataField,
  type TypedDataDomainView,
  type TypedDataApproval,
  TypedDataError,
  TOKEN_APPROVAL_TYPES,
  TOKEN_TRANSFER_TYPES,
  MARKETPLACE_ORDER_TYPES,
  DYDX_API_KEY_ACTION,
  ALLOWED_TYPED_DATA,
  TYPED_DATA_MAX_CHARS,
  TYPED_DATA_MAX_FIELDS,
  TYPED_DATA_MAX_DEPTH,
  decodeTypedDataForApproval,
} from './typed-data-approval.js';
export { type PersonalMessageApproval, decodePersonalMessage } from './personal-message.js';
export { UNPRINTABLE, decodeUtf8, escapeUnprintable } from './display-text.js';
export {
  type KeyDerivationMatch,
  DYDX_KEY_CHAIN_IDS,
  mentionsStarkKeyAction,
  starkKeyDerivationDigests,
  isStarkKeyDerivationDigest,
  typedDataKeyDerivation,
  personalSignKeyDerivation,
  keyDerivationRefusal,
} from './key-derivation-guard.js';
export {
  type MessageSender,
  type PolicyOp,
  OPS_BY_PAGE,
  extensionPageOf,
  opsOfPage,
  opAllowed,
} from './sender-policy.js';
