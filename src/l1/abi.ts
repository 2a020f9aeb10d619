import { parseAbi } from 'viem';

/**
 * ABIs of the contracts a StarkEx perpetual client reads and calls, as deployed by dYdX v3
 * (StarkPerpetual v1.0 behind its proxy, l1-data-tree.md §1.3–1.4). Human-readable so each line
 * can be checked against the spec; selectors and topics are tested against
 * vectors/l1tree-selectors-topics.json. Event parameters are not indexed unless the spec says so.
 */
export const starkPerpetualAbi = parseAbi([
  // state updates (§2)
  'function updateState(uint256[] programOutput, uint256[] applicationData)',
  'function getSequenceNumber() view returns (uint256)',
  'function getLastBatchId() view returns (uint256)',
  'function globalConfigurationHash() view returns (uint256)',
  'function configurationHash(uint256 assetId) view returns (uint256)',
  'function getRegisteredVerifiers() view returns (address[])',
  'function isVerifier(address verifierAddress) view returns (bool)',
  'function getVaultRoot() view returns (uint256)',
  'function getVaultTreeHeight() view returns (uint256)',
  'function getOrderRoot() view returns (uint256)',
  'function getOrderTreeHeight() view returns (uint256)',
  'function VERSION() view returns (string)',
  // forced actions and freeze (§5.2–5.4)
  'function forcedWithdrawalRequest(uint256 starkKey, uint256 positionId, uint256 quantizedAmount, bool premiumCost)',
  'function forcedTradeRequest(uint256 starkKeyA, uint256 starkKeyB, uint256 positionIdA, uint256 positionIdB, uint256 collateralAssetId, uint256 syntheticAssetId, uint256 amountCollateral, uint256 amountSynthetic, bool aIsBuyingSynthetic, uint256 submissionExpirationTime, uint256 nonce, bytes signature, bool premiumCost)',
  'function freezeRequest(uint256 starkKey, uint256 positionId, uint256 quantizedAmount)',
  'function freezeRequest(uint256 starkKeyA, uint256 starkKeyB, uint256 positionIdA, uint256 positionIdB, uint256 collateralAssetId, uint256 syntheticAssetId, uint256 amountCollateral, uint256 amountSynthetic, bool aIsBuyingSynthetic, uint256 nonce)',
  'function getForcedWithdrawalRequest(uint256 starkKey, uint256 positionId, uint256 quantizedAmount) view returns (uint256)',
  'function getForcedTradeRequest(uint256 starkKeyA, uint256 starkKeyB, uint256 positionIdA, uint256 positionIdB, uint256 collateralAssetId, uint256 syntheticAssetId, uint256 amountCollateral, uint256 amountSynthetic, bool aIsBuyingSynthetic, uint256 nonce) view returns (uint256)',
  'function isFrozen() view returns (bool)',
  'function FREEZE_GRACE_PERIOD() view returns (uint256)',
  'function UNFREEZE_DELAY() view returns (uint256)',
  'function DEPOSIT_CANCEL_DELAY() view returns (uint256)',
  'function MAX_FORCED_ACTIONS_REQS_PER_BLOCK() view returns (uint256)',
  // escape and withdrawal (§5.5)
  'function escape(uint256 starkKey, uint256 positionId, uint256 quantizedAmount)',
  'function withdraw(uint256 starkKey, uint256 assetType)',
  'function withdrawTo(uint256 starkKey, uint256 assetType, address recipient)',
  'function getWithdrawalBalance(uint256 starkKey, uint256 assetId) view returns (uint256)',
  // users, tokens, deposits
  'function registerUser(address ethKey, uint256 starkKey, bytes signature)',
  'function getEthKey(uint256 starkKey) view returns (address)',
  'function deposit(uint256 starkKey, uint256 assetType, uint256 vaultId, uint256 quantizedAmount)',
  'function depositCancel(uint256 starkKey, uint256 assetId, uint256 vaultId)',
  'function depositReclaim(uint256 starkKey, uint256 assetId, uint256 vaultId)',
  'function getDepositBalance(uint256 starkKey, uint256 assetId, uint256 vaultId) view returns (uint256)',
  'function getQuantizedDepositBalance(uint256 starkKey, uint256 assetId, uint256 vaultId) view returns (uint256)',
  'function getCancellationRequest(uint256 starkKey, uint256 assetId, uint256 vaultId) view returns (uint256)',
  'function getQuantum(uint256 presumedAssetType) view returns (uint256)',
  'function getAssetInfo(uint256 assetType) view returns (bytes)',
  'function getSystemAssetType() view returns (uint256)',
  // events (§1.4)
  'event LogStateTransitionFact(bytes32 stateTransitionFact)',
  'event LogUpdateState(uint256 sequenceNumber, uint256 batchId)',
  'event LogForcedWithdrawalRequest(uint256 starkKey, uint256 vaultId, uint256 quantizedAmount)',
  'event LogForcedTradeRequest(uint256 starkKeyA, uint256 starkKeyB, uint256 vaultIdA, uint256 vaultIdB, uint256 collateralAssetId, uint256 syntheticAssetId, uint256 amountCollateral, uint256 amountSynthetic, bool aIsBuyingSynthetic, uint256 nonce)',
  'event LogFrozen()',
  'event LogUnFrozen()',
  'event LogWithdrawalAllowed(uint256 starkKey, uint256 assetType, uint256 nonQuantizedAmount, uint256 quantizedAmount)',
  'event LogWithdrawalPerformed(uint256 starkKey, uint256 assetType, uint256 nonQuantizedAmount, uint256 quantizedAmount, address recipient)',
  'event LogDeposit(address depositorEthKey, uint256 starkKey, uint256 vaultId, uint256 assetType, uint256 nonQuantizedAmount, uint256 quantizedAmount)',
  'event LogDepositCancel(uint256 starkKey, uint256 vaultId, uint256 assetId)',
  'event LogDepositCancelReclaimed(uint256 starkKey, uint256 vaultId, uint256 assetId, uint256 nonQuantizedAmount, uint256 quantizedAmount)',
  'event LogUserRegistered(address ethKey, uint256 starkKey, address sender)',
  'event LogTokenRegistered(uint256 assetType, bytes assetInfo)',
  'event LogAssetConfigurationApplied(uint256 assetId, bytes32 configHash)',
  'event LogGlobalConfigurationApplied(bytes32 configHash)',
]);

/** The v1 proxy in front of StarkPerpetual and the GPS verifier (upgrades are alarms, issue 9). */
export const starkwareProxyAbi = parseAbi([
  'function implementation() view returns (address)',
  'event ImplementationAdded(address indexed implementation, bytes initializer, bool finalize)',
  'event Upgraded(address indexed implementation)',
  'event ImplementationUpgraded(address indexed implementation, bytes initializer)',
]);

/** PerpetualEscapeVerifier (§4.6): verifyEscape registers the fact `escape` requires. */
export const perpetualEscapeVerifierAbi = parseAbi([
  'function verifyEscape(uint256[] merkleProof, uint256 nAssets, uint256[] sharedState)',
  'function isValid(bytes32 fact) view returns (bool)',
  'function hasRegisteredFact() view returns (bool)',
  'function identify() pure returns (string)',
  'event LogEscapeVerified(uint256 publicKey, int256 withdrawalAmount, bytes32 sharedStateHash, uint256 positionId)',
]);

/** MemoryPageFactRegistry (§2.4–2.5): where data-availability pages are registered. */
export const memoryPageFactRegistryAbi = parseAbi([
  'function registerContinuousMemoryPage(uint256 startAddr, uint256[] values, uint256 z, uint256 alpha, uint256 prime) returns (bytes32 factHash, uint256 memoryHash, uint256 prod)',
  'function registerRegularMemoryPage(uint256[] memoryPairs, uint256 z, uint256 alpha, uint256 prime) returns (bytes32 factHash, uint256 memoryHash, uint256 prod)',
  'function isValid(bytes32 fact) view returns (bool)',
  'event LogMemoryPageFactContinuous(bytes32 factHash, uint256 memoryHash, uint256 prod)',
  'event LogMemoryPageFactRegular(bytes32 factHash, uint256 memoryHash, uint256 prod)',
]);

/** GpsStatementVerifier (§2.5): emits the page hashes of each proven task. */
export const gpsStatementVerifierAbi = parseAbi([
  'function verifyProofAndRegister(uint256[] proofParams, uint256[] proof, uint256[] taskMetadata, uint256[] cairoAuxInput, uint256 cairoVerifierId)',
  'function isValid(bytes32 fact) view returns (bool)',
  'function identify() pure returns (string)',
  'event LogMemoryPagesHashes(bytes32 factHash, bytes32[] pagesHashes)',
]);

/** The state-transition verifier StarkPerpetual registers: a fact adapter over the GPS verifier. */
export const gpsFactAdapterAbi = parseAbi([
  'function isValid(bytes32 fact) view returns (bool)',
  'function programHash() view returns (uint256)',
  'function gpsContract() view returns (address)',
  'function identify() pure returns (string)',
]);
