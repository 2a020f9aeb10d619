// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "../interfaces/IFactRegistry.sol";

/**
 * All StarkPerpetual state, laid out slot for slot like mainnet's proxy storage
 * (l1-data-tree.md §1.6: ProxyStorage/Governance in slots 0–3, MainStorage from slot 4 padded to
 * 2^64 slots, then PerpetualStorage), so clients reading slots by number (sharedStateHash at
 * 2^64 + 3, ethKeys at 24, forcedActionRequests at 34, …) can be tested against the devnet.
 * Names of unused mainnet slots are kept as placeholders; devnet-only state comes after
 * sharedStateHash.
 */
abstract contract PerpetualStorage {
    // ---- slots 0–3: proxy & governance storage on mainnet; slot 0 holds the devnet governor ----
    address internal governor; // slot 0
    uint256[3] private __proxyStorageSlots; // slots 1–3

    // ---- MainStorage (slots 4 … 2^64 − 1) ----
    IFactRegistry internal escapeVerifier_; // slot 4 (packed with stateFrozen)
    bool internal stateFrozen; // slot 4
    uint256 internal unFreezeTime; // slot 5
    // starkKey => assetId => positionId => quantized amount.
    mapping(uint256 => mapping(uint256 => mapping(uint256 => uint256))) internal pendingDeposits; // slot 6
    // starkKey => assetId => positionId => request timestamp.
    mapping(uint256 => mapping(uint256 => mapping(uint256 => uint256))) internal cancellationRequests; // slot 7
    // starkKey => assetId => quantized amount.
    mapping(uint256 => mapping(uint256 => uint256)) internal pendingWithdrawals; // slot 8
    mapping(uint256 => bool) internal escapesUsed; // slot 9
    uint256 internal escapesUsedCount; // slot 10
    uint256 private __fullWithdrawalRequestsDeprecated; // slot 11
    uint256 internal sequenceNumber; // slot 12
    uint256 internal vaultRoot; // slot 13
    uint256 internal vaultTreeHeight; // slot 14
    uint256 internal orderRoot; // slot 15
    uint256 internal orderTreeHeight; // slot 16
    mapping(address => bool) internal tokenAdmins; // slot 17
    mapping(address => bool) internal userAdmins; // slot 18
    mapping(address => bool) internal operators; // slot 19
    mapping(uint256 => bytes) internal assetTypeToAssetInfo; // slot 20
    mapping(uint256 => bool) internal registeredAssetType; // slot 21
    mapping(uint256 => uint256) internal assetTypeToQuantum; // slot 22
    uint256 private __starkKeysDeprecated; // slot 23
    mapping(uint256 => address) internal ethKeys; // slot 24
    address[] internal verifiers; // slot 25 (mainnet: ApprovalChainData.list)
    uint256 private __verifiersChainRemovalTimes; // slot 26
    uint256[2] private __availabilityVerifiersChain; // slots 27–28
    uint256 internal lastBatchId; // slot 29
    uint256 private __subContracts; // slot 30
    uint256 private __permissiveAssetTypeDeprecated; // slot 31
    uint256 private __onchainDataVersion; // slot 32
    mapping(uint256 => uint256) internal forcedRequestsInBlock; // slot 33
    mapping(bytes32 => uint256) internal forcedActionRequests; // slot 34
    uint256 private __actionsTimeLock; // slot 35
    uint256[2 ** 64 - 36] private __mainStorageEndGap;

    // ---- PerpetualStorage (slot 2^64 …) ----
    uint256 internal systemAssetType; // slot 2^64
    bytes32 internal globalConfigurationHash_; // slot 2^64 + 1
    mapping(uint256 => bytes32) internal configurationHash_; // slot 2^64 + 2
    bytes32 internal sharedStateHash; // slot 2^64 + 3 (no getter on mainnet; read the slot)
}
