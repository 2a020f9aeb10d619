// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/**
 * A minimal StarkWare-style upgradable proxy (the pattern of StarkWare's Proxy.sol in front of
 * StarkPerpetual and the GPS verifier on mainnet): the governor first adds an implementation
 * (`ImplementationAdded`), then, once its activation time has passed, upgrades to it
 * (`Upgraded` and `ImplementationUpgraded`). Every other call is delegated to the implementation,
 * so storage and events live at the proxy's address. The proxy keeps its own state in hashed
 * slots, away from the implementation's layout. Devnet only (compiled by devnet/history).
 */
contract StarkWareProxy {
    event ImplementationAdded(address indexed implementation, bytes initializer, bool finalize);
    event Upgraded(address indexed implementation);
    event ImplementationUpgraded(address indexed implementation, bytes initializer);

    bytes32 internal constant IMPLEMENTATION_SLOT = keccak256("StarkWare2019.implemntation-slot");
    bytes32 internal constant GOVERNOR_SLOT = keccak256("StarkWare2019.governor-slot");
    bytes32 internal constant PENDING_SLOT = keccak256("StarkWare2019.enabledTime-slot");

    uint256 public immutable UPGRADE_ACTIVATION_DELAY;

    constructor(uint256 upgradeActivationDelay) {
        UPGRADE_ACTIVATION_DELAY = upgradeActivationDelay;
        _set(GOVERNOR_SLOT, uint256(uint160(msg.sender)));
    }

    modifier onlyGovernance() {
        require(msg.sender == address(uint160(_get(GOVERNOR_SLOT))), "ONLY_GOVERNANCE");
        _;
    }

    function implementation() public view returns (address) {
        return address(uint160(_get(IMPLEMENTATION_SLOT)));
    }

    function implementationIsFrozen() external pure returns (bool) {
        return false;
    }

    function _pendingSlot(address impl, bytes calldata data, bool finalize) internal pure returns (bytes32) {
        return keccak256(abi.encode(PENDING_SLOT, keccak256(abi.encode(impl, data, finalize))));
    }

    /// Announces an implementation; it may be activated after UPGRADE_ACTIVATION_DELAY (at once for the first).
    function addImplementation(address newImplementation, bytes calldata data, bool finalize) external onlyGovernance {
        require(newImplementation.code.length > 0, "ADDRESS_NOT_CONTRACT");
        uint256 activationTime = implementation() == address(0) ? block.timestamp : block.timestamp + UPGRADE_ACTIVATION_DELAY;
        _set(_pendingSlot(newImplementation, data, finalize), activationTime);
        emit ImplementationAdded(newImplementation, data, finalize);
    }

    function upgradeTo(address newImplementation, bytes calldata data, bool finalize) external onlyGovernance {
        require(!finalize, "FINALIZE_UNSUPPORTED");
        bytes32 slot = _pendingSlot(newImplementation, data, finalize);
        uint256 activationTime = _get(slot);
        require(activationTime > 0, "UNKNOWN_UPGRADE_INFORMATION");
        require(activationTime <= block.timestamp, "UPGRADE_NOT_ENABLED_YET");
        _set(IMPLEMENTATION_SLOT, uint256(uint160(newImplementation)));
        if (data.length > 0) {
            (bool ok, ) = newImplementation.delegatecall(abi.encodeWithSignature("initialize(bytes)", data));
            require(ok, "INIT_FAILED");
        }
        emit Upgraded(newImplementation);
        emit ImplementationUpgraded(newImplementation, data);
    }

    fallback() external payable {
        address impl = implementation();
        require(impl != address(0), "MISSING_IMPLEMENTATION");
        assembly {
            calldatacopy(0, 0, calldatasize())
            let result := delegatecall(gas(), impl, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            switch result
            case 0 {
                revert(0, returndatasize())
            }
            default {
                return(0, returndatasize())
            }
        }
    }

    function _get(bytes32 slot) internal view returns (uint256 v) {
        assembly {
            v := sload(slot)
        }
    }

    function _set(bytes32 slot, uint256 v) internal {
        assembly {
            sstore(slot, v)
        }
    }
}
