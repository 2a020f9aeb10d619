// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "./FactRegistry.sol";
import "../libraries/Pedersen.sol";
import "../libraries/StarkField.sol";

/**
 * Verifies an escape claim (l1-data-tree.md §4.6, §5.5): a Pedersen Merkle proof of one position
 * against the positions root in `sharedState`, then the position's value at the shared state's
 * prices net of funding. Registers
 *   keccak256(abi.encodePacked(starkKey, int256 amount, keccak256(sharedState), positionId))
 * which StarkPerpetual.escape looks up. Same checks, order and revert strings as the later
 * (fixed) StarkWare verifier that src/tree/escape-verifier.ts mirrors: the asset balance is
 * decoded as (word & (2^64 − 1)) − 2^63, not v1.0's mis-parenthesised form. Like mainnet, the
 * Merkle levels are hashed with precomputed points read from 63 lookup-table contracts
 * (libraries/Pedersen.sol), so a one-asset escape fits EIP-7825's per-transaction gas cap.
 */
contract PerpetualEscapeVerifier is FactRegistry {
    uint256 internal constant FXP_BITS = 32;
    uint256 internal constant BALANCE_BIAS = 2 ** 63;
    uint256 internal constant MASK_64 = 2 ** 64 - 1;
    // Shared-state layout (§2.3): word 4 is the number of funding indices, which start at word 5.
    uint256 internal constant STATE_OFFSET_FUNDING = 5;
    uint256 internal constant MAX_PROOF_LENGTH = 402;

    /// The lookup tables' directory (devnet/pedersen-lookup-tables.ts), fixed at deployment.
    address internal immutable PEDERSEN_TABLES;

    event LogEscapeVerified(uint256 publicKey, int256 withdrawalAmount, bytes32 sharedStateHash, uint256 positionId);

    constructor(address pedersenTables) {
        require(pedersenTables.code.length == Pedersen.DIRECTORY_CODE_SIZE, "PEDERSEN_BAD_TABLE_DIRECTORY");
        PEDERSEN_TABLES = pedersenTables;
    }

    function identify() external pure returns (string memory) {
        return "Vigil_PerpetualEscapeVerifier_Devnet";
    }

    function verifyEscape(uint256[] calldata merkleProof, uint256 nAssets, uint256[] calldata sharedState) external {
        (uint256 positionId, uint256[] memory position) = extractPosition(merkleProof, nAssets);
        int256 withdrawalAmount = computeFxpBalance(position, sharedState) >> FXP_BITS;
        uint256 positionTreeHeight;
        unchecked {
            positionTreeHeight = (merkleProof.length - 2) / 2 - position.length;
        }
        uint256 root = merkleProof[merkleProof.length - 2] >> 4;
        require(sharedState[0] == root, "merkleProof is inconsistent with the root in the sharedState.");
        require(sharedState[1] == positionTreeHeight, "merkleProof is inconsistent with the height in the sharedState.");
        require(withdrawalAmount > 0, "Withdrawal amount must be positive.");
        verifyMerkle(merkleProof);

        bytes32 sharedStateHash = keccak256(abi.encodePacked(sharedState));
        uint256 starkKey = position[nAssets];
        registerFact(keccak256(abi.encodePacked(starkKey, withdrawalAmount, sharedStateHash, positionId)));
        emit LogEscapeVerified(starkKey, withdrawalAmount, sharedStateHash, positionId);
    }

    /// The (left, right) 252-bit nodes of pair k: words 2k, 2k+1 hold left·2^260 + right·2^8.
    function pairAt(uint256[] calldata proof, uint256 k) internal pure returns (uint256 left, uint256 right) {
        uint256 hi = proof[2 * k];
        left = hi >> 4;
        right = ((hi & 0xf) << 248) | (proof[2 * k + 1] >> 8);
    }

    /// The position's hash chain is the first nAssets + 2 levels; their right elements are the position.
    function extractPosition(uint256[] calldata merkleProof, uint256 nAssets)
        internal
        pure
        returns (uint256 positionId, uint256[] memory position)
    {
        require(merkleProof[0] >> 8 == 0, "Position hash-chain must start with 0.");
        uint256 positionLength = nAssets + 2;
        uint256 nodeIdx = merkleProof[merkleProof.length - 1] >> 8;
        unchecked {
            // Shifts by >= 256 give 0 as in the EVM, so the mask is then all ones.
            require(nodeIdx & ((uint256(1) << positionLength) - 1) == 0, "merkleProof is inconsistent with nAssets.");
        }
        positionId = nodeIdx >> positionLength;
        require(2 * positionLength <= merkleProof.length, "merkleProof is inconsistent with the height in the sharedState.");
        position = new uint256[](positionLength);
        for (uint256 i = 0; i < positionLength; i++) {
            (, position[i]) = pairAt(merkleProof, i);
        }
    }

    /// Linear search for assetId among (assetId, value) entries of sharedState from `start`.
    function findAssetId(uint256 assetId, uint256[] calldata sharedState, uint256 start, uint256 end)
        internal
        pure
        returns (uint256 idx)
    {
        idx = start;
        while (sharedState[idx] != assetId) {
            unchecked {
                idx += 2;
            }
            require(idx < end, "assetId not found.");
        }
    }

    /**
     * collateral·2^32 + Σ balance·price + floor32(−Σ balance·(globalFunding − cachedFunding)), all
     * mod 2^256 and read as int256 (§4.6). Both funding indices carry the 2^63 bias, so it cancels.
     */
    function computeFxpBalance(uint256[] memory position, uint256[] calldata sharedState) internal pure returns (int256) {
        uint256 lastWord = position[position.length - 1];
        uint256 nAssets = lastWord & 0xffff;
        uint256 biasedBalance = lastWord >> 16;
        require(position.length == nAssets + 2, "Bad number of assets.");
        require(biasedBalance < 2 ** 64, "Bad balance.");
        unchecked {
            uint256 fxpBalance = (biasedBalance - BALANCE_BIAS) << FXP_BITS;
            uint256 fundingOffset = STATE_OFFSET_FUNDING;
            uint256 fundingEnd = fundingOffset + 2 * sharedState[fundingOffset - 1];
            // Skip the funding timestamp and the number of prices.
            uint256 pricesOffset = fundingEnd + 2;
            uint256 pricesEnd = pricesOffset + 2 * sharedState[pricesOffset - 1];
            uint256 fundingTotal = 0;
            for (uint256 i = 0; i < nAssets; i++) {
                uint256 positionAsset = position[i];
                uint256 assetId = positionAsset >> 128;
                uint256 cachedFunding = (positionAsset >> 64) & MASK_64;
                uint256 assetBalance = (positionAsset & MASK_64) - BALANCE_BIAS;
                fundingOffset = findAssetId(assetId, sharedState, fundingOffset, fundingEnd);
                fundingTotal -= assetBalance * (sharedState[fundingOffset + 1] - cachedFunding);
                pricesOffset = findAssetId(assetId, sharedState, pricesOffset, pricesEnd);
                fxpBalance += assetBalance * sharedState[pricesOffset + 1];
            }
            // Clearing the low 32 bits of the two's complement value rounds toward −∞.
            uint256 truncatedFunding = fundingTotal & ~(2 ** FXP_BITS - 1);
            return int256(fxpBalance + truncatedFunding);
        }
    }

    /// Every pair hashes to the selected node of the next pair; the last pair is (root, nodeIdx).
    function verifyMerkle(uint256[] calldata proof) internal view {
        uint256 len = proof.length;
        require(len >= 4, "Proof too short.");
        require(len <= MAX_PROOF_LENGTH, "Proof too long.");
        require(len % 2 == 0, "Proof length must be even.");
        uint256 height = (len - 2) / 2;
        uint256 nodeIdx = proof[len - 1] >> 8;
        require(nodeIdx < 2 ** height, "nodeIdx not in tree.");
        require(nodeIdx & 1 == 0, "nodeIdx must be even.");
        (uint256 left, uint256 right) = pairAt(proof, 0);
        uint256 maxValue = StarkField.K_MODULUS - 1;
        require(left <= maxValue && right <= maxValue, "Bad starkKey or assetId.");
        uint256 selectors = nodeIdx;
        address[PEDERSEN_N_TABLES] memory tables = Pedersen.loadTables(PEDERSEN_TABLES);
        for (uint256 k = 0; k < height; k++) {
            (uint256 hashX, uint256 hashZZ) = Pedersen.hashJacobian(left, right, tables);
            (uint256 next, uint256 other) = pairAt(proof, k + 1);
            require(next <= maxValue && other <= maxValue, "Value out of range.");
            selectors >>= 1;
            // H(left, right) = hashX / hashZZ equals the node (< P) iff hashX == node·hashZZ mod P.
            uint256 node = selectors & 1 == 1 ? other : next;
            require(hashX == mulmod(node, hashZZ, StarkField.K_MODULUS), "Bad Merkle path.");
            (left, right) = (next, other);
        }
    }
}
