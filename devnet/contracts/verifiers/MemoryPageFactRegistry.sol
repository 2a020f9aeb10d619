// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "./FactRegistry.sol";

/**
 * Registers continuous memory pages (l1-data-tree.md §2.4): the data-availability pages of a state
 * update. Nothing is proven here on mainnet either: the registry only records that a page with
 * these values, addresses and interaction elements (z, alpha) exists, so that a verifier can later
 * refer to it by its fact.
 *   memoryHash = keccak256(values)
 *   prod       = ∏ (z − (startAddr + i + alpha·values[i])) mod prime
 *   fact       = keccak256(1, prime, n, z, alpha, prod, memoryHash, startAddr)
 */
contract MemoryPageFactRegistry is FactRegistry {
    // Page kind for continuous pages (a regular page would be 0).
    uint256 internal constant CONTINUOUS_PAGE = 1;

    event LogMemoryPageFactContinuous(bytes32 factHash, uint256 memoryHash, uint256 prod);

    function registerContinuousMemoryPage(uint256 startAddr, uint256[] memory values, uint256 z, uint256 alpha, uint256 prime)
        public
        returns (bytes32 factHash, uint256 memoryHash, uint256 prod)
    {
        require(values.length < 2 ** 20, "Too many memory values.");
        require(prime < 2 ** 254, "prime is too big for the optimizations in this function.");
        require(z < prime, "Invalid value of z.");
        require(alpha < prime, "Invalid value of alpha.");
        require(startAddr < 2 ** 64 && startAddr < prime, "Invalid value of startAddr.");

        prod = 1;
        uint256 n = values.length;
        for (uint256 i = 0; i < n; i++) {
            uint256 linComb = addmod(startAddr + i, mulmod(values[i], alpha, prime), prime);
            prod = mulmod(prod, addmod(z, prime - linComb, prime), prime);
        }
        memoryHash = uint256(keccak256(abi.encodePacked(values)));
        factHash = keccak256(abi.encodePacked(CONTINUOUS_PAGE, prime, n, z, alpha, prod, memoryHash, startAddr));
        registerFact(factHash);
        emit LogMemoryPageFactContinuous(factHash, memoryHash, prod);
    }
}
