// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "./PerpetualBase.sol";

/**
 * Forced withdrawals and forced trades (l1-data-tree.md §5.2–§5.4). A request stores its
 * timestamp under an action hash in forcedActionRequests; updateState clears it when a batch
 * serves it (a withdrawal back to 0, a trade to 2^256 − 1 so it cannot be replayed); anyone may
 * freeze the exchange with the request once it has waited FREEZE_GRACE_PERIOD.
 */
abstract contract ForcedActions is PerpetualBase {
    /// The trade fields in calldata order of getForcedTradeRequest / freezeRequest (10 words).
    struct ForcedTrade {
        uint256 starkKeyA;
        uint256 starkKeyB;
        uint256 vaultIdA;
        uint256 vaultIdB;
        uint256 collateralAssetId;
        uint256 syntheticAssetId;
        uint256 amountCollateral;
        uint256 amountSynthetic;
        bool aIsBuyingSynthetic;
        uint256 nonce;
    }

    event LogForcedWithdrawalRequest(uint256 starkKey, uint256 vaultId, uint256 quantizedAmount);
    event LogForcedTradeRequest(
        uint256 starkKeyA,
        uint256 starkKeyB,
        uint256 vaultIdA,
        uint256 vaultIdB,
        uint256 collateralAssetId,
        uint256 syntheticAssetId,
        uint256 amountCollateral,
        uint256 amountSynthetic,
        bool aIsBuyingSynthetic,
        uint256 nonce
    );

    // ---- action hashes ----

    function forcedWithdrawActionHash(uint256 starkKey, uint256 vaultId, uint256 quantizedAmount) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked("FORCED_WITHDRAWAL", abi.encode(starkKey, vaultId, quantizedAmount)));
    }

    /// keccak256("FORCED_TRADE" ‖ packed fields), aIsBuyingSynthetic as ONE byte (§5.3).
    function forcedTradeActionHash(ForcedTrade memory t) internal pure returns (bytes32) {
        bytes memory packed = abi.encodePacked(
            t.starkKeyA, t.starkKeyB, t.vaultIdA, t.vaultIdB, t.collateralAssetId, t.syntheticAssetId, t.amountCollateral, t.amountSynthetic
        );
        return keccak256(abi.encodePacked("FORCED_TRADE", packed, t.aIsBuyingSynthetic, t.nonce));
    }

    /// Reads the 10 trade fields that follow the selector; every function using it starts with them.
    function tradeFromCalldata() internal pure returns (ForcedTrade memory t) {
        t = abi.decode(msg.data[4:4 + 320], (ForcedTrade));
    }

    /// Per-block cap of non-premium requests; premium requests burn ~1M gas instead (§1.5).
    function setActionHash(bytes32 actionHash, bool premiumCost) internal {
        if (premiumCost) {
            for (uint256 i = 0; i < PREMIUM_COST_LOOP; i++) {}
        } else {
            require(forcedRequestsInBlock[block.number] < MAX_FORCED_ACTIONS_REQS_PER_BLOCK, "MAX_REQUESTS_PER_BLOCK_REACHED");
            forcedRequestsInBlock[block.number] += 1;
        }
        forcedActionRequests[actionHash] = block.timestamp;
    }

    // ---- forced withdrawal ----

    function getForcedWithdrawalRequest(uint256 starkKey, uint256 vaultId, uint256 quantizedAmount) public view returns (uint256) {
        return forcedActionRequests[forcedWithdrawActionHash(starkKey, vaultId, quantizedAmount)];
    }

    function forcedWithdrawalRequest(uint256 starkKey, uint256 vaultId, uint256 quantizedAmount, bool premiumCost)
        external
        notFrozen
        isSenderStarkKey(starkKey)
    {
        require(vaultId < PERPETUAL_POSITION_ID_UPPER_BOUND, "OUT_OF_RANGE_POSITION_ID");
        require(quantizedAmount < PERPETUAL_AMOUNT_UPPER_BOUND, "ILLEGAL_AMOUNT");
        require(getForcedWithdrawalRequest(starkKey, vaultId, quantizedAmount) == 0, "REQUEST_ALREADY_PENDING");
        setActionHash(forcedWithdrawActionHash(starkKey, vaultId, quantizedAmount), premiumCost);
        emit LogForcedWithdrawalRequest(starkKey, vaultId, quantizedAmount);
    }

    function freezeRequest(uint256 starkKey, uint256 vaultId, uint256 quantizedAmount) external notFrozen {
        require(vaultId < PERPETUAL_POSITION_ID_UPPER_BOUND, "OUT_OF_RANGE_POSITION_ID");
        validateFreezeRequest(getForcedWithdrawalRequest(starkKey, vaultId, quantizedAmount));
        freeze();
    }

    function clearForcedWithdrawalRequest(uint256 starkKey, uint256 vaultId, uint256 quantizedAmount) internal {
        bytes32 actionHash = forcedWithdrawActionHash(starkKey, vaultId, quantizedAmount);
        require(forcedActionRequests[actionHash] != 0, "NON_EXISTING_ACTION");
        delete forcedActionRequests[actionHash];
    }

    // ---- forced trade ----

    function getForcedTradeRequest(
        uint256, uint256, uint256, uint256, uint256, uint256, uint256, uint256, bool, uint256
    ) external view returns (uint256) {
        return forcedActionRequests[forcedTradeActionHash(tradeFromCalldata())];
    }

    /// Fields as in the mainnet signature; party B signs keccak256(actionHash ‖ submissionExpirationTime).
    function forcedTradeRequest(
        uint256, uint256, uint256, uint256, uint256, uint256, uint256, uint256, bool,
        uint256 submissionExpirationTime,
        uint256 nonce,
        bytes calldata signature,
        bool premiumCost
    ) external notFrozen {
        ForcedTrade memory t;
        {
            // Calldata order puts submissionExpirationTime between aIsBuyingSynthetic and nonce.
            (t.starkKeyA, t.starkKeyB, t.vaultIdA, t.vaultIdB, t.collateralAssetId, t.syntheticAssetId) =
                abi.decode(msg.data[4:4 + 192], (uint256, uint256, uint256, uint256, uint256, uint256));
            (t.amountCollateral, t.amountSynthetic, t.aIsBuyingSynthetic) = abi.decode(msg.data[196:196 + 96], (uint256, uint256, bool));
            t.nonce = nonce;
        }
        require(msg.sender == getEthKey(t.starkKeyA), "MISMATCHING_STARK_ETH_KEYS");
        checkForcedTrade(t, submissionExpirationTime);
        bytes32 actionHash = forcedTradeActionHash(t);
        require(forcedActionRequests[actionHash] == 0, "FORCED_TRADE_REPLAYED");
        setActionHash(actionHash, premiumCost);
        validatePartyBSignature(t, actionHash, submissionExpirationTime, signature);
        emit LogForcedTradeRequest(
            t.starkKeyA, t.starkKeyB, t.vaultIdA, t.vaultIdB, t.collateralAssetId, t.syntheticAssetId,
            t.amountCollateral, t.amountSynthetic, t.aIsBuyingSynthetic, t.nonce
        );
    }

    function checkForcedTrade(ForcedTrade memory t, uint256 submissionExpirationTime) internal view {
        require(t.vaultIdA < PERPETUAL_POSITION_ID_UPPER_BOUND, "OUT_OF_RANGE_POSITION_ID");
        require(t.vaultIdB < PERPETUAL_POSITION_ID_UPPER_BOUND, "OUT_OF_RANGE_POSITION_ID");
        require(t.vaultIdA != t.vaultIdB, "IDENTICAL_VAULTS");
        require(t.collateralAssetId == systemAssetType, "SYSTEM_ASSET_NOT_IN_TRADE");
        require(t.collateralAssetId != 0, "SYSTEM_ASSET_NOT_SET");
        require(t.collateralAssetId != t.syntheticAssetId, "IDENTICAL_ASSETS");
        require(configurationHash_[t.syntheticAssetId] != bytes32(0), "UNKNOWN_ASSET");
        require(t.amountCollateral < PERPETUAL_AMOUNT_UPPER_BOUND, "ILLEGAL_AMOUNT");
        require(t.amountSynthetic < PERPETUAL_AMOUNT_UPPER_BOUND, "ILLEGAL_AMOUNT");
        require(t.nonce < K_MODULUS, "INVALID_NONCE_VALUE");
        require(submissionExpirationTime >= block.timestamp / 3600, "REQUEST_TIME_EXPIRED");
    }

    /// Party B's Ethereum signature (r ‖ s ‖ v) over the raw digest, no EIP-191 prefix (§5.3).
    function validatePartyBSignature(ForcedTrade memory t, bytes32 actionHash, uint256 submissionExpirationTime, bytes calldata signature)
        internal
        view
    {
        require(signature.length == 65, "INVALID_SIGNATURE");
        bytes32 signedData = keccak256(abi.encodePacked(actionHash, submissionExpirationTime));
        address signer = ecrecover(signedData, uint8(signature[64]), bytes32(signature[0:32]), bytes32(signature[32:64]));
        require(signer == getEthKey(t.starkKeyB), "INVALID_SIGNATURE");
    }

    function freezeRequest(
        uint256, uint256, uint256 vaultIdA, uint256 vaultIdB, uint256, uint256, uint256, uint256, bool, uint256
    ) external notFrozen {
        require(vaultIdA < PERPETUAL_POSITION_ID_UPPER_BOUND, "OUT_OF_RANGE_POSITION_ID");
        require(vaultIdB < PERPETUAL_POSITION_ID_UPPER_BOUND, "OUT_OF_RANGE_POSITION_ID");
        validateFreezeRequest(forcedActionRequests[forcedTradeActionHash(tradeFromCalldata())]);
        freeze();
    }

    function clearForcedTradeRequest(ForcedTrade memory t) internal {
        bytes32 actionHash = forcedTradeActionHash(t);
        // Served trades keep 2^256 − 1 so party A cannot replay them without a new signature.
        require(forcedActionRequests[actionHash] != type(uint256).max, "ACTION_ALREADY_CLEARED");
        require(forcedActionRequests[actionHash] != 0, "NON_EXISTING_ACTION");
        forcedActionRequests[actionHash] = type(uint256).max;
    }
}
