// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "./perpetual/Users.sol";
import "./perpetual/Deposits.sol";
import "./perpetual/Withdrawals.sol";
import "./perpetual/Escapes.sol";
import "./perpetual/UpdateState.sol";
import "./perpetual/Governance.sol";

/**
 * The devnet StarkPerpetual: the client-facing surface of dYdX's deployed v1.0 contract
 * (l1-data-tree.md §1.3–§1.5; same signatures, selectors, events, revert strings and storage
 * slots) in one contract instead of mainnet's proxy + dispatcher + sub-contracts.
 */
contract StarkPerpetual is Users, Deposits, Withdrawals, Escapes, UpdateState, Governance {
    // The empty positions root of height 64 (§4.4) and the empty orders root: what mainnet's
    // getVaultRoot / getOrderRoot return forever (§0.2.4).
    uint256 internal constant EMPTY_VAULT_ROOT = 0x052ddcbdd431a044cf838a71d194248640210b316d7b1a568997ecad9dec9626;
    uint256 internal constant EMPTY_ORDER_ROOT = 0x07ced9b79b31453a1d939ac7fc159188f369ee677d20385864c767fc391fa61b;

    struct InitParams {
        address escapeVerifier;
        bytes32 initialSharedStateHash;
        uint256 initialBatchId;
        uint256 freezeGracePeriod;
        uint256 depositCancelDelay;
        uint256 unfreezeDelay;
    }

    constructor(InitParams memory p) PerpetualBase(p.freezeGracePeriod, p.depositCancelDelay, p.unfreezeDelay) {
        governor = msg.sender;
        escapeVerifier_ = IFactRegistry(p.escapeVerifier);
        sharedStateHash = p.initialSharedStateHash;
        lastBatchId = p.initialBatchId;
        vaultRoot = EMPTY_VAULT_ROOT;
        vaultTreeHeight = 64;
        orderRoot = EMPTY_ORDER_ROOT;
        orderTreeHeight = 64;
    }

    function getSequenceNumber() external view returns (uint256) {
        return sequenceNumber;
    }

    function getLastBatchId() external view returns (uint256) {
        return lastBatchId;
    }

    function getVaultRoot() external view returns (uint256) {
        return vaultRoot;
    }

    function getVaultTreeHeight() external view returns (uint256) {
        return vaultTreeHeight;
    }

    function getOrderRoot() external view returns (uint256) {
        return orderRoot;
    }

    function getOrderTreeHeight() external view returns (uint256) {
        return orderTreeHeight;
    }

    function getEscapeVerifier() external view returns (address) {
        return address(escapeVerifier_);
    }

    function governance() external view returns (address) {
        return governor;
    }
}
