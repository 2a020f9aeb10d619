// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "./PerpetualBase.sol";

/**
 * Withdrawals (l1-data-tree.md §1.3): anyone may move a pending withdrawal to the owner's
 * registered address; the owner may send it elsewhere with withdrawTo. Both work while frozen.
 */
abstract contract Withdrawals is PerpetualBase {
    event LogWithdrawalPerformed(
        uint256 starkKey,
        uint256 assetType,
        uint256 nonQuantizedAmount,
        uint256 quantizedAmount,
        address recipient
    );

    /// Non-quantized (token units), as on mainnet.
    function getWithdrawalBalance(uint256 starkKey, uint256 assetId) external view returns (uint256) {
        return fromQuantized(assetId, pendingWithdrawals[starkKey][assetId]);
    }

    function withdraw(uint256 starkKey, uint256 assetType) external {
        withdrawToInternal(starkKey, assetType, getEthKey(starkKey));
    }

    function withdrawTo(uint256 starkKey, uint256 assetType, address recipient) external isSenderStarkKey(starkKey) {
        withdrawToInternal(starkKey, assetType, recipient);
    }

    function withdrawToInternal(uint256 starkKey, uint256 assetType, address recipient) internal {
        uint256 quantizedAmount = pendingWithdrawals[starkKey][assetType];
        pendingWithdrawals[starkKey][assetType] = 0;
        transferOut(recipient, assetType, quantizedAmount);
        emit LogWithdrawalPerformed(starkKey, assetType, fromQuantized(assetType, quantizedAmount), quantizedAmount, recipient);
    }
}
