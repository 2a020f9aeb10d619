// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "./FactRegistry.sol";
import "../libraries/StarkField.sol";

/**
 * DEVNET STAND-IN FOR THE GPS (SHARP) STATEMENT VERIFIER. IT VERIFIES NO PROOF.
 *
 * On mainnet, GpsStatementVerifier.verifyProofAndRegister checks a STARK proof that a Cairo program
 * with hash `programHash` produced the given output pages, then registers
 * keccak256(abi.encode(programHash, outputFact)) and emits LogMemoryPagesHashes. No prover runs on
 * the devnet, so this contract registers that fact for whatever the caller submits. It is the only
 * devnet contract that takes anything on trust (DESIGN.md §8). Everything it can check without a
 * proof it does check: every data page must already be registered in the MemoryPageFactRegistry
 * (by its continuous-page fact, at the addresses that follow the main page), and the fact tree is
 * built exactly as l1-data-tree.md §2.5 says:
 *   end_i               = L + s_1 + … + s_i
 *   onchainDataHash     = keccak256(h_1 ‖ end_1 ‖ … ‖ h_n ‖ end_n) + 1
 *   stateTransitionFact = keccak256(h_main ‖ L ‖ onchainDataHash ‖ L + D) + 1
 */
contract GpsStatementVerifierStandIn is FactRegistry {
    IFactRegistry public immutable memoryPageFactRegistry;

    event LogMemoryPagesHashes(bytes32 factHash, bytes32[] pagesHashes);

    constructor(IFactRegistry registry) {
        memoryPageFactRegistry = registry;
    }

    function identify() external pure returns (string memory) {
        return "Vigil_GpsStatementVerifierStandIn_NoProofVerification";
    }

    /**
     * Registers the output of `programHash` whose main page is `mainPage` (the `updateState`
     * programOutput without its last two words) and whose data pages are described by
     * `dataPages` = [size_1, memoryHash_1, prod_1, size_2, …]. Data page i must be registered as a
     * continuous page with startAddr = outputStartAddr + end_{i−1} and the interaction elements
     * (z, alpha). Returns the state-transition fact. NO PROOF IS CHECKED.
     */
    function registerOutputWithoutProof(
        uint256 programHash,
        uint256[] calldata mainPage,
        uint256 outputStartAddr,
        uint256 z,
        uint256 alpha,
        uint256[] calldata dataPages
    ) external returns (bytes32 stateTransitionFact) {
        require(dataPages.length > 0 && dataPages.length % 3 == 0, "BAD_DATA_PAGES_LENGTH");
        uint256 nPages = dataPages.length / 3;
        uint256 mainLength = mainPage.length;
        bytes32[] memory pagesHashes = new bytes32[](nPages + 1);
        pagesHashes[0] = keccak256(abi.encodePacked(mainPage));
        uint256[] memory daNodes = new uint256[](2 * nPages);
        uint256 end = mainLength;
        for (uint256 i = 0; i < nPages; i++) {
            uint256 size = dataPages[3 * i];
            uint256 memoryHash = dataPages[3 * i + 1];
            uint256 prod = dataPages[3 * i + 2];
            bytes32 pageFact = keccak256(
                abi.encodePacked(uint256(1), StarkField.K_MODULUS, size, z, alpha, prod, memoryHash, outputStartAddr + end)
            );
            require(memoryPageFactRegistry.isValid(pageFact), "DATA_PAGE_NOT_REGISTERED");
            end += size;
            pagesHashes[i + 1] = bytes32(memoryHash);
            daNodes[2 * i] = memoryHash;
            daNodes[2 * i + 1] = end;
        }
        uint256 onchainDataHash;
        unchecked {
            // "+1" marks an inner node of the fact tree (§2.5).
            onchainDataHash = uint256(keccak256(abi.encodePacked(daNodes))) + 1;
            stateTransitionFact = bytes32(
                uint256(keccak256(abi.encodePacked(pagesHashes[0], mainLength, onchainDataHash, end))) + 1
            );
        }
        registerFact(keccak256(abi.encode(programHash, stateTransitionFact)));
        emit LogMemoryPagesHashes(stateTransitionFact, pagesHashes);
    }
}
