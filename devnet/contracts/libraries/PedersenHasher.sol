// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "./Pedersen.sol";

/// Exposes the Solidity Pedersen hash for differential tests against src/crypto (not deployed by deployDevnet).
contract PedersenHasher {
    function pedersenHash(uint256 a, uint256 b) external view returns (uint256) {
        return Pedersen.hash(a, b);
    }
}
