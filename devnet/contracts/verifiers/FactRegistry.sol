// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "../interfaces/IFactRegistry.sol";

/// The fact store the registries share: `isValid(fact)` is true once `registerFact(fact)` ran.
abstract contract FactRegistry is IQueryableFactRegistry {
    mapping(bytes32 => bool) private verifiedFact;
    bool private anyFactRegistered;

    function isValid(bytes32 fact) external view override returns (bool) {
        return verifiedFact[fact];
    }

    function hasRegisteredFact() external view override returns (bool) {
        return anyFactRegistered;
    }

    function registerFact(bytes32 fact) internal {
        verifiedFact[fact] = true;
        anyFactRegistered = true;
    }
}
