// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/**
 * Arithmetic over the Stark field P = 2^251 + 17·2^192 + 1 (l1-data-tree.md §1.5 K_MODULUS) and
 * the Stark curve y² = x³ + x + β (§4.2). Exponentiation goes through the modexp precompile (0x05).
 */
library StarkField {
    uint256 internal constant K_MODULUS = 0x800000000000011000000000000000000000000000000000000000000000001;
    uint256 internal constant K_BETA = 0x6f21413efbe40de150e596d72f7a8c5609ad26c15c915c1f4cdfcb99cee9e89;
    uint256 internal constant MASK_250 = (1 << 250) - 1;

    /// base^exponent mod P via the modexp precompile.
    function fieldPow(uint256 base, uint256 exponent) internal view returns (uint256 result) {
        (bool ok, bytes memory out) = address(5).staticcall(abi.encode(0x20, 0x20, 0x20, base, exponent, K_MODULUS));
        require(ok && out.length == 32, "MODEXP_FAILED");
        result = abi.decode(out, (uint256));
    }

    /// x⁻¹ mod P (Fermat); x must be non-zero mod P.
    function inverse(uint256 x) internal view returns (uint256) {
        require(x % K_MODULUS != 0, "INVERSE_OF_ZERO");
        return fieldPow(x, K_MODULUS - 2);
    }

    /// True iff x is the x-coordinate of a point on the Stark curve (Euler's criterion on x³+x+β).
    function isOnCurve(uint256 x) internal view returns (bool) {
        uint256 rhs = addmod(addmod(mulmod(mulmod(x, x, K_MODULUS), x, K_MODULUS), x, K_MODULUS), K_BETA, K_MODULUS);
        return rhs == 0 || fieldPow(rhs, (K_MODULUS - 1) / 2) == 1;
    }
}
