// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "../interfaces/IFactRegistry.sol";

/**
 * The state-transition verifier StarkPerpetual registers (l1-data-tree.md §2.5): answers
 * isValid(f) with gps.isValid(keccak256(abi.encode(programHash, f))), binding the fact to the one
 * Cairo program the exchange trusts.
 */
contract GpsFactRegistryAdapter is IQueryableFactRegistry {
    IQueryableFactRegistry public immutable gpsContract;
    uint256 public immutable programHash;

    constructor(IQueryableFactRegistry gps, uint256 programHash_) {
        gpsContract = gps;
        programHash = programHash_;
    }

    function identify() external pure returns (string memory) {
        return "Vigil_GpsFactRegistryAdapter_Devnet";
    }

    function isValid(bytes32 fact) external view override returns (bool) {
        return gpsContract.isValid(keccak256(abi.encode(programHash, fact)));
    }

    function hasRegisteredFact() external view override returns (bool) {
        return gpsContract.hasRegisteredFact();
    }
}
