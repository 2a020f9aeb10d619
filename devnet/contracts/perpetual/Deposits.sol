// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "./PerpetualBase.sol";

/**
 * Deposits (l1-data-tree.md §5.6): collateral waits in pendingDeposits until a state update
 * credits it (a positive modification) or the owner cancels and, after DEPOSIT_CANCEL_DELAY,
 * reclaims it. Cancel and reclaim work while frozen.
 */
abstract contract Deposits is PerpetualBase {
    event LogDeposit(
        address depositorEthKey,
        uint256 starkKey,
        uint256 vaultId,
        uint256 assetType,
        uint256 nonQuantizedAmount,
        uint256 quantizedAmount
    );
    event LogDepositCancel(uint256 starkKey, uint256 vaultId, uint256 assetId);
    event LogDepositCancelReclaimed(
        uint256 starkKey,
        uint256 vaultId,
        uint256 assetType,
        uint256 nonQuantizedAmount,
        uint256 quantizedAmount
    );

    function getDepositBalance(uint256 starkKey, uint256 assetId, uint256 vaultId) external view returns (uint256) {
        return fromQuantized(assetId, pendingDeposits[starkKey][assetId][vaultId]);
    }

    function getQuantizedDepositBalance(uint256 starkKey, uint256 assetId, uint256 vaultId) external view returns (uint256) {
        return pendingDeposits[starkKey][assetId][vaultId];
    }

    function getCancellationRequest(uint256 starkKey, uint256 assetId, uint256 vaultId) external view returns (uint256) {
        return cancellationRequests[starkKey][assetId][vaultId];
    }

    function deposit(uint256 starkKey, uint256 assetType, uint256 vaultId, uint256 quantizedAmount) public notFrozen {
        // The position id is not validated: an unusable deposit is reclaimed by cancel + reclaim.
        require(ethKeys[starkKey] != address(0), "INVALID_STARK_KEY");
        pendingDeposits[starkKey][assetType][vaultId] += quantizedAmount;
        // Depositing into one's own position undoes a pending cancellation.
        if (msg.sender == ethKeys[starkKey] && cancellationRequests[starkKey][assetType][vaultId] != 0) {
            delete cancellationRequests[starkKey][assetType][vaultId];
        }
        transferIn(assetType, quantizedAmount);
        emit LogDeposit(msg.sender, starkKey, vaultId, assetType, fromQuantized(assetType, quantizedAmount), quantizedAmount);
    }

    /// ETH deposits exist in the mainnet ABI; the devnet registers no ETH asset, so this always reverts.
    function deposit(uint256, uint256, uint256) external payable {
        revert("INVALID_ASSET_TYPE");
    }

    function depositCancel(uint256 starkKey, uint256 assetId, uint256 vaultId) external isSenderStarkKey(starkKey) {
        cancellationRequests[starkKey][assetId][vaultId] = block.timestamp;
        emit LogDepositCancel(starkKey, vaultId, assetId);
    }

    function depositReclaim(uint256 starkKey, uint256 assetId, uint256 vaultId) external isSenderStarkKey(starkKey) {
        uint256 requestTime = cancellationRequests[starkKey][assetId][vaultId];
        require(requestTime != 0, "DEPOSIT_NOT_CANCELED");
        require(block.timestamp >= requestTime + DEPOSIT_CANCEL_DELAY, "DEPOSIT_LOCKED");
        uint256 quantizedAmount = pendingDeposits[starkKey][assetId][vaultId];
        delete pendingDeposits[starkKey][assetId][vaultId];
        delete cancellationRequests[starkKey][assetId][vaultId];
        transferOut(msg.sender, assetId, quantizedAmount);
        emit LogDepositCancelReclaimed(starkKey, vaultId, assetId, fromQuantized(assetId, quantizedAmount), quantizedAmount);
    }
}
