// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "./Pedersen.sol";

/// Exposes the Solidity Pedersen hash for differential tests against src/crypto (not deployed by
/// deployDevnet); reads the same lookup tables as the escape verifier (their directory's address).
contract PedersenHasher {
    address internal immutable TABLE_DIRECTORY;

    constructor(address tableDirectory) {
        TABLE_DIRECTORY = tableDirectory;
    }

    function pedersenHash(uint256 a, uint256 b) external view returns (uint256) {
        return Pedersen.hash(a, b, Pedersen.loadTables(TABLE_DIRECTORY));
    }
}
