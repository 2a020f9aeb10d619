// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "./PerpetualBase.sol";

/**
 * Escape (l1-data-tree.md §5.5): once frozen, anyone may credit a position's escape amount to its
 * owner's pending withdrawal, once per position, if the escape verifier registered
 * keccak256(abi.encode(starkKey, quantizedAmount, sharedStateHash, positionId)).
 */
abstract contract Escapes is PerpetualBase {
    function escape(uint256 starkKey, uint256 vaultId, uint256 quantizedAmount) external onlyFrozen {
        require(!escapesUsed[vaultId], "ESCAPE_ALREADY_USED");
        escapesUsed[vaultId] = true;
        escapesUsedCount += 1;
        bytes32 claimHash = keccak256(abi.encode(starkKey, quantizedAmount, sharedStateHash, vaultId));
        require(escapeVerifier_.isValid(claimHash), "ESCAPE_LACKS_PROOF");
        allowWithdrawal(starkKey, systemAssetType, quantizedAmount);
    }
}
