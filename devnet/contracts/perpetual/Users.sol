// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "./PerpetualBase.sol";
import "../libraries/StarkField.sol";

/**
 * dYdX v1.0 user registration (l1-data-tree.md §1.2): a user admin signs
 * keccak256("UserRegistration:" ‖ ethKey ‖ starkKey) with its Ethereum key (raw digest, no
 * EIP-191 prefix; signature r ‖ s ‖ v), and anyone may submit it.
 */
abstract contract Users is PerpetualBase {
    event LogUserRegistered(address ethKey, uint256 starkKey, address sender);
    event LogUserAdminAdded(address userAdmin);
    event LogUserAdminRemoved(address userAdmin);

    function registerUserAdmin(address newAdmin) external onlyGovernance {
        userAdmins[newAdmin] = true;
        emit LogUserAdminAdded(newAdmin);
    }

    function unregisterUserAdmin(address oldAdmin) external onlyGovernance {
        userAdmins[oldAdmin] = false;
        emit LogUserAdminRemoved(oldAdmin);
    }

    function isUserAdmin(address testedAdmin) public view returns (bool) {
        return userAdmins[testedAdmin];
    }

    function registerUser(address ethKey, uint256 starkKey, bytes calldata signature) external {
        require(starkKey != 0, "INVALID_STARK_KEY");
        require(starkKey < K_MODULUS, "INVALID_STARK_KEY");
        require(ethKey != address(0), "INVALID_ETH_ADDRESS");
        require(ethKeys[starkKey] == address(0), "STARK_KEY_UNAVAILABLE");
        require(StarkField.isOnCurve(starkKey), "INVALID_STARK_KEY");
        require(signature.length == 65, "INVALID_SIGNATURE");
        bytes32 signedData = keccak256(abi.encodePacked("UserRegistration:", ethKey, starkKey));
        address signer = ecrecover(signedData, uint8(signature[64]), bytes32(signature[0:32]), bytes32(signature[32:64]));
        require(signer != address(0) && isUserAdmin(signer), "INVALID_SIGNATURE");
        ethKeys[starkKey] = ethKey;
        emit LogUserRegistered(ethKey, starkKey, msg.sender);
    }
}
