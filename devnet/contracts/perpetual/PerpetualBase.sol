// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "./PerpetualStorage.sol";
import "./PerpetualConstants.sol";
import "../interfaces/IERC20.sol";

/**
 * What every StarkPerpetual component shares: access modifiers, the freeze state machine
 * (l1-data-tree.md §5.4), key lookup, collateral transfers and the pending-withdrawal credit.
 * Revert strings are mainnet's (SC v1.0), so clients can be tested against them.
 */
abstract contract PerpetualBase is PerpetualStorage, PerpetualConstants {
    // Deploy-time timing rules (§1.5); mainnet dYdX: 14 days, 7 days, 365 days.
    uint256 public immutable FREEZE_GRACE_PERIOD;
    uint256 public immutable DEPOSIT_CANCEL_DELAY;
    uint256 public immutable UNFREEZE_DELAY;

    event LogFrozen();
    event LogUnFrozen();
    event LogWithdrawalAllowed(uint256 starkKey, uint256 assetType, uint256 nonQuantizedAmount, uint256 quantizedAmount);

    constructor(uint256 freezeGracePeriod, uint256 depositCancelDelay, uint256 unfreezeDelay) {
        FREEZE_GRACE_PERIOD = freezeGracePeriod;
        DEPOSIT_CANCEL_DELAY = depositCancelDelay;
        UNFREEZE_DELAY = unfreezeDelay;
    }

    modifier onlyGovernance() {
        require(msg.sender == governor, "ONLY_GOVERNANCE");
        _;
    }

    modifier onlyOperator() {
        require(operators[msg.sender], "ONLY_OPERATOR");
        _;
    }

    modifier notFrozen() {
        require(!stateFrozen, "STATE_IS_FROZEN");
        _;
    }

    modifier onlyFrozen() {
        require(stateFrozen, "STATE_NOT_FROZEN");
        _;
    }

    /// The owner check of the v1.0 forced actions and deposit cancellation: msg.sender == ethKeys[starkKey].
    modifier isSenderStarkKey(uint256 starkKey) {
        require(msg.sender == getEthKey(starkKey), "MISMATCHING_STARK_ETH_KEYS");
        _;
    }

    function isFrozen() public view returns (bool) {
        return stateFrozen;
    }

    function getEthKey(uint256 starkKey) public view returns (address ethKey) {
        ethKey = ethKeys[starkKey];
        require(ethKey != address(0), "USER_UNREGISTERED");
    }

    /// A forced action may freeze the exchange once it has waited FREEZE_GRACE_PERIOD unserved.
    function validateFreezeRequest(uint256 requestTime) internal view {
        require(requestTime != 0, "FORCED_ACTION_UNREQUESTED");
        uint256 freezeTime;
        unchecked {
            freezeTime = requestTime + FREEZE_GRACE_PERIOD;
        }
        // A served forced trade is stored as 2^256 − 1 and wraps around here (§5.4).
        assert(freezeTime >= FREEZE_GRACE_PERIOD);
        require(block.timestamp >= freezeTime, "FORCED_ACTION_PENDING");
        // Requests placed before an unfreeze cannot freeze again.
        require(freezeTime > unFreezeTime, "REFREEZE_ATTEMPT");
    }

    function freeze() internal notFrozen {
        unFreezeTime = block.timestamp + UNFREEZE_DELAY;
        stateFrozen = true;
        emit LogFrozen();
    }

    function unFreeze() external onlyFrozen onlyGovernance {
        require(block.timestamp >= unFreezeTime, "UNFREEZE_NOT_ALLOWED_YET");
        stateFrozen = false;
        // Mainnet invalidates the (unused) roots without losing them; sharedStateHash is kept.
        vaultRoot += 1;
        orderRoot += 1;
        emit LogUnFrozen();
    }

    function getQuantum(uint256 assetType) public view returns (uint256) {
        require(registeredAssetType[assetType], "ASSET_TYPE_NOT_REGISTERED");
        return assetTypeToQuantum[assetType];
    }

    function getAssetInfo(uint256 assetType) public view returns (bytes memory) {
        require(registeredAssetType[assetType], "ASSET_TYPE_NOT_REGISTERED");
        return assetTypeToAssetInfo[assetType];
    }

    function fromQuantized(uint256 assetType, uint256 quantizedAmount) internal view returns (uint256) {
        return quantizedAmount * getQuantum(assetType);
    }

    /// The ERC-20 token of a registered asset type (assetInfo = 0xf47261b0 ‖ uint256(token)).
    function tokenOf(uint256 assetType) internal view returns (IERC20) {
        bytes memory info = getAssetInfo(assetType);
        require(info.length == 36 && bytes4(info) == ERC20_SELECTOR, "NON_FUNGIBLE_ASSET_TYPE");
        uint256 token;
        assembly {
            token := mload(add(info, 36))
        }
        return IERC20(address(uint160(token)));
    }

    function transferIn(uint256 assetType, uint256 quantizedAmount) internal {
        IERC20 token = tokenOf(assetType);
        uint256 amount = fromQuantized(assetType, quantizedAmount);
        uint256 before = token.balanceOf(address(this));
        require(token.transferFrom(msg.sender, address(this), amount), "TOKEN_TRANSFER_FAILED");
        require(token.balanceOf(address(this)) == before + amount, "INCORRECT_AMOUNT_TRANSFERRED");
    }

    function transferOut(address recipient, uint256 assetType, uint256 quantizedAmount) internal {
        IERC20 token = tokenOf(assetType);
        uint256 amount = fromQuantized(assetType, quantizedAmount);
        uint256 before = token.balanceOf(address(this));
        require(token.transfer(recipient, amount), "TOKEN_TRANSFER_FAILED");
        require(before - token.balanceOf(address(this)) == amount, "INCORRECT_AMOUNT_TRANSFERRED");
    }

    /// Credits an on-chain pending withdrawal (from an L2 withdrawal in updateState, or an escape).
    function allowWithdrawal(uint256 starkKey, uint256 assetId, uint256 quantizedAmount) internal {
        uint256 withdrawal = pendingWithdrawals[starkKey][assetId] + quantizedAmount;
        pendingWithdrawals[starkKey][assetId] = withdrawal;
        emit LogWithdrawalAllowed(starkKey, assetId, fromQuantized(assetId, quantizedAmount), quantizedAmount);
    }
}
