// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "./ForcedActions.sol";

/**
 * updateState(programOutput, applicationData) (l1-data-tree.md §2): parses the v1.0 program
 * output (no data-availability-mode word, two on-chain-data words appended), checks its length
 * exactly, the configuration hashes, the time bounds, the batch-id chain and the shared-state
 * keccak chain, logs the state-transition fact and requires it on every registered verifier, then
 * applies the modifications (deposits must be pending, withdrawals are allowed), checks the
 * conditional transfers and clears the forced actions, which must exist.
 */
abstract contract UpdateState is ForcedActions {
    // applicationData layout (§2.1).
    uint256 internal constant APP_DATA_BATCH_ID_OFFSET = 0;
    uint256 internal constant APP_DATA_PREVIOUS_BATCH_ID_OFFSET = 1;
    uint256 internal constant APP_DATA_N_CONDITIONAL_TRANSFER = 2;
    uint256 internal constant APP_DATA_CONDITIONAL_TRANSFER_DATA_OFFSET = 3;
    // Program output (§2.2): config hash, nAssetConfigs, prev size, new size, expiration,
    // nModifications, forced size, nForced, nConditions, and the two on-chain data words.
    uint256 internal constant PROG_OUT_N_WORDS_MIN_SIZE = 11;
    uint256 internal constant ONCHAIN_DATA_FACT_ADDITIONAL_WORDS = 2;

    event LogStateTransitionFact(bytes32 stateTransitionFact);
    event LogUpdateState(uint256 sequenceNumber, uint256 batchId);

    struct ProgramOutputMarkers {
        uint256 globalConfigurationHash;
        uint256 nAssets;
        uint256 assetConfigOffset;
        uint256 prevSharedStateSize;
        uint256 prevSharedStateOffset;
        uint256 newSharedStateSize;
        uint256 newSharedStateOffset;
        uint256 newSystemTime;
        uint256 expirationTimestamp;
        uint256 nModifications;
        uint256 modificationsOffset;
        uint256 forcedActionsSize;
        uint256 nForcedActions;
        uint256 forcedActionsOffset;
        uint256 nConditions;
        uint256 conditionsOffset;
    }

    function updateState(uint256[] calldata programOutput, uint256[] calldata applicationData) external notFrozen onlyOperator {
        ProgramOutputMarkers memory m = parseProgramOutput(programOutput);
        require(m.expirationTimestamp < 2 ** PERPETUAL_TIMESTAMP_BITS, "Expiration timestamp is out of range.");
        require(m.newSystemTime > block.timestamp - PERPETUAL_SYSTEM_TIME_LAG_BOUND, "SYSTEM_TIME_OUTDATED");
        require(m.newSystemTime < block.timestamp + PERPETUAL_SYSTEM_TIME_ADVANCE_BOUND, "SYSTEM_TIME_INVALID");
        require(m.expirationTimestamp > block.timestamp / 3600, "BATCH_TIMESTAMP_EXPIRED");
        validateConfigHashes(programOutput, m);
        require(hashSubArray(programOutput, m.prevSharedStateOffset, m.prevSharedStateSize) == sharedStateHash, "INVALID_PREVIOUS_SHARED_STATE");
        require(applicationData.length > APP_DATA_PREVIOUS_BATCH_ID_OFFSET, "APP_DATA_TOO_SHORT");
        require(applicationData[APP_DATA_PREVIOUS_BATCH_ID_OFFSET] == lastBatchId, "WRONG_PREVIOUS_BATCH_ID");

        bytes32 stateTransitionFact = encodeFactWithOnchainData(programOutput);
        emit LogStateTransitionFact(stateTransitionFact);
        verifyFact(stateTransitionFact);

        sharedStateHash = hashSubArray(programOutput, m.newSharedStateOffset, m.newSharedStateSize);
        sequenceNumber += 1;
        uint256 batchId = applicationData[APP_DATA_BATCH_ID_OFFSET];
        lastBatchId = batchId;
        sendModifications(programOutput, m);
        verifyConditionalTransfers(programOutput, m, applicationData);
        clearForcedActionsFlags(programOutput, m);
        emit LogUpdateState(sequenceNumber, batchId);
    }

    function parseProgramOutput(uint256[] calldata out) internal pure returns (ProgramOutputMarkers memory m) {
        require(out.length >= PROG_OUT_N_WORDS_MIN_SIZE, "programOutput does not contain all required fields.");
        m.globalConfigurationHash = out[0];
        m.nAssets = out[1];
        require(m.nAssets < 2 ** 16, "ILLEGAL_NUMBER_OF_ASSETS");
        uint256 offset = 2;
        m.assetConfigOffset = offset;
        offset += 2 * m.nAssets;
        require(out.length >= offset + 1, "programOutput invalid size (nAssetConfig)");
        m.prevSharedStateSize = out[offset++];
        m.prevSharedStateOffset = offset;
        offset += m.prevSharedStateSize;
        require(out.length >= offset + 1, "programOutput invalid size (prevState)");
        m.newSharedStateSize = out[offset++];
        m.newSharedStateOffset = offset;
        offset += m.newSharedStateSize;
        require(out.length >= offset + 2, "programOutput invalid size (newState)");
        // The system time is the last word of the new shared state.
        m.newSystemTime = out[offset - 1];
        m.expirationTimestamp = out[offset++];
        m.nModifications = out[offset++];
        m.modificationsOffset = offset;
        offset += 3 * m.nModifications;
        require(out.length >= offset + 2, "programOutput invalid size (modifications)");
        m.forcedActionsSize = out[offset++];
        m.nForcedActions = out[offset++];
        m.forcedActionsOffset = offset;
        offset += m.forcedActionsSize;
        require(out.length >= offset + 1, "programOutput invalid size (forced actions)");
        m.nConditions = out[offset++];
        m.conditionsOffset = offset;
        offset += m.nConditions + ONCHAIN_DATA_FACT_ADDITIONAL_WORDS;
        require(out.length == offset, "programOutput invalid size (mods/forced/conditions)");
    }

    function validateConfigHashes(uint256[] calldata out, ProgramOutputMarkers memory m) internal view {
        require(globalConfigurationHash_ != bytes32(0), "GLOBAL_CONFIGURATION_NOT_SET");
        require(globalConfigurationHash_ == bytes32(m.globalConfigurationHash), "GLOBAL_CONFIGURATION_MISMATCH");
        uint256 offset = m.assetConfigOffset;
        for (uint256 i = 0; i < m.nAssets; i++) {
            require(configurationHash_[out[offset]] == bytes32(out[offset + 1]), "ASSET_CONFIGURATION_MISMATCH");
            offset += 2;
        }
    }

    function hashSubArray(uint256[] calldata words, uint256 offset, uint256 length) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(words[offset:offset + length]));
    }

    /// stateTransitionFact = keccak256(h_main ‖ L ‖ onchainDataHash ‖ L + D) + 1 (§2.5).
    function encodeFactWithOnchainData(uint256[] calldata out) internal pure returns (bytes32 fact) {
        uint256 mainLength = out.length - ONCHAIN_DATA_FACT_ADDITIONAL_WORDS;
        bytes32 mainHash = hashSubArray(out, 0, mainLength);
        uint256 onchainDataHash = out[mainLength];
        uint256 onchainDataSize = out[mainLength + 1];
        unchecked {
            fact = bytes32(uint256(keccak256(abi.encodePacked(mainHash, mainLength, onchainDataHash, mainLength + onchainDataSize))) + 1);
        }
    }

    /// The fact must be valid on EVERY registered state-transition verifier.
    function verifyFact(bytes32 fact) internal view {
        uint256 n = verifiers.length;
        require(n > 0, "NO_STATE_TRANSITION_VERIFIERS");
        for (uint256 i = 0; i < n; i++) {
            require(IFactRegistry(verifiers[i]).isValid(fact), "NO_STATE_TRANSITION_PROOF");
        }
    }

    /// (starkKey, positionId, biasedDelta): delta = biasedDelta − 2^64 of the system asset.
    function sendModifications(uint256[] calldata out, ProgramOutputMarkers memory m) internal {
        uint256 assetId = systemAssetType;
        require(assetId < K_MODULUS, "Asset id >= PRIME");
        uint256 offset = m.modificationsOffset;
        for (uint256 i = 0; i < m.nModifications; i++) {
            uint256 starkKey = out[offset];
            uint256 vaultId = out[offset + 1];
            uint256 biasedDiff = out[offset + 2];
            require(biasedDiff < (1 << 65), "Illegal Balance Diff");
            require(starkKey < K_MODULUS, "Stark key >= PRIME");
            if (biasedDiff > (1 << 64)) {
                uint256 amount = biasedDiff - (1 << 64);
                // A deposit: it must be waiting on L1.
                require(pendingDeposits[starkKey][assetId][vaultId] >= amount, "DEPOSIT_INSUFFICIENT");
                pendingDeposits[starkKey][assetId][vaultId] -= amount;
            } else if (biasedDiff < (1 << 64)) {
                allowWithdrawal(starkKey, assetId, (1 << 64) - biasedDiff);
            }
            offset += 3;
        }
    }

    /// Condition i = keccak256(registry ‖ fact) & MASK_250, and the registry must hold the fact.
    function verifyConditionalTransfers(uint256[] calldata out, ProgramOutputMarkers memory m, uint256[] calldata appData) internal view {
        require(appData.length > APP_DATA_N_CONDITIONAL_TRANSFER, "APP_DATA_TOO_SHORT");
        require(appData[APP_DATA_N_CONDITIONAL_TRANSFER] == m.nConditions, "N_CONDITIONS_MISMATCH");
        require(appData.length >= APP_DATA_CONDITIONAL_TRANSFER_DATA_OFFSET + 2 * m.nConditions, "BAD_APP_DATA_SIZE");
        uint256 preImageOffset = APP_DATA_CONDITIONAL_TRANSFER_DATA_OFFSET;
        for (uint256 i = 0; i < m.nConditions; i++) {
            address registry = address(uint160(appData[preImageOffset]));
            bytes32 fact = bytes32(appData[preImageOffset + 1]);
            require(
                out[m.conditionsOffset + i] == uint256(keccak256(abi.encodePacked(registry, fact))) & MASK_250,
                "Condition mismatch."
            );
            (bool ok, bytes memory ret) = registry.staticcall(abi.encodeWithSignature("isValid(bytes32)", fact));
            require(ok && ret.length == 32, "BAD_FACT_REGISTRY_CONTRACT");
            require(abi.decode(ret, (bool)), "Condition for the conditional transfer was not met.");
            preImageOffset += 2;
        }
    }

    function clearForcedActionsFlags(uint256[] calldata out, ProgramOutputMarkers memory m) internal {
        uint256 offset = m.forcedActionsOffset;
        for (uint256 i = 0; i < m.nForcedActions; i++) {
            uint256 actionType = out[offset++];
            if (actionType == 0) {
                clearForcedWithdrawalRequest(out[offset], out[offset + 1], out[offset + 2]);
                offset += 3;
            } else if (actionType == 1) {
                clearForcedTradeRequest(readForcedTrade(out, offset));
                offset += 9;
            } else {
                revert("UNKNOWN_FORCED_ACTION_TYPE");
            }
        }
        require(m.forcedActionsOffset + m.forcedActionsSize == offset, "SIZE_MISMATCH");
    }

    /// [starkKeyA, starkKeyB, posA, posB, synthetic, amountCollateral, amountSynthetic, aIsBuying, nonce];
    /// the collateral asset is the system asset type (not in the output).
    function readForcedTrade(uint256[] calldata out, uint256 offset) internal view returns (ForcedTrade memory t) {
        t.starkKeyA = out[offset];
        t.starkKeyB = out[offset + 1];
        t.vaultIdA = out[offset + 2];
        t.vaultIdB = out[offset + 3];
        t.collateralAssetId = systemAssetType;
        t.syntheticAssetId = out[offset + 4];
        t.amountCollateral = out[offset + 5];
        t.amountSynthetic = out[offset + 6];
        t.aIsBuyingSynthetic = out[offset + 7] != 0;
        t.nonce = out[offset + 8];
    }
}
