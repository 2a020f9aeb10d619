// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// Protocol constants (l1-data-tree.md §1.5).
abstract contract PerpetualConstants {
    uint256 internal constant K_MODULUS = 0x800000000000011000000000000000000000000000000000000000000000001;
    uint256 internal constant MASK_250 = (1 << 250) - 1;
    uint256 internal constant PERPETUAL_POSITION_ID_UPPER_BOUND = 2 ** 64;
    uint256 internal constant PERPETUAL_AMOUNT_UPPER_BOUND = 2 ** 64;
    uint256 internal constant PERPETUAL_TIMESTAMP_BITS = 32;
    uint256 internal constant PERPETUAL_SYSTEM_TIME_LAG_BOUND = 7 days;
    uint256 internal constant PERPETUAL_SYSTEM_TIME_ADVANCE_BOUND = 4 hours;
    uint256 public constant MAX_FORCED_ACTIONS_REQS_PER_BLOCK = 10;
    // Iterations of the empty loop that makes a premium-cost forced request expensive (v1: 22231).
    uint256 internal constant PREMIUM_COST_LOOP = 22231;
    // bytes4(keccak256("ERC20Token(address)")): the assetInfo prefix of ERC-20 assets (§1.1).
    bytes4 internal constant ERC20_SELECTOR = 0xf47261b0;
    string public constant VERSION = "1.0.0";
}
