// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "./StarkField.sol";

/**
 * StarkWare's Pedersen hash over the Stark curve (l1-data-tree.md §4.2):
 *   H(a, b) = x(SHIFT + a_low·P0 + a_high·P1 + b_low·P2 + b_high·P3),
 * low = the 248 least-significant bits, high = the top 4 bits. Points are CONSTANT_POINTS[0..4]
 * of pedersen_params.json (the same as the scure-starknet PEDERSEN_POINTS).
 *
 * Mainnet computes this with 63 precomputed lookup-table contracts; on the devnet gas is not a
 * concern, so this is a plain double-and-add in Jacobian coordinates: one shared doubling per bit
 * (Shamir's trick over the four bases), complete handling of equal x and of the point at
 * infinity, and one modexp inversion at the end.
 */
library Pedersen {
    function hash(uint256 a, uint256 b) internal view returns (uint256 result) {
        require(a < StarkField.K_MODULUS && b < StarkField.K_MODULUS, "PEDERSEN_INPUT_OUT_OF_RANGE");
        uint256 x;
        uint256 z;
        assembly {
            // All arithmetic is mod P (the literal below); the functions take it as a literal to
            // stay within the legacy code generator's stack limit.
            function dbl(x1, y1, z1) -> x3, y3, z3 {
                if or(iszero(z1), iszero(y1)) { leave } // ∞ (no 2-torsion points on this curve)
                let s, m, yy
                {
                    yy := mulmod(y1, y1, 0x800000000000011000000000000000000000000000000000000000000000001)
                    s := mulmod(4, mulmod(x1, yy, 0x800000000000011000000000000000000000000000000000000000000000001), 0x800000000000011000000000000000000000000000000000000000000000001)
                    let zz := mulmod(z1, z1, 0x800000000000011000000000000000000000000000000000000000000000001)
                    // M = 3X² + α·Z⁴ with α = 1.
                    m := addmod(mulmod(3, mulmod(x1, x1, 0x800000000000011000000000000000000000000000000000000000000000001), 0x800000000000011000000000000000000000000000000000000000000000001), mulmod(zz, zz, 0x800000000000011000000000000000000000000000000000000000000000001), 0x800000000000011000000000000000000000000000000000000000000000001)
                }
                x3 := addmod(mulmod(m, m, 0x800000000000011000000000000000000000000000000000000000000000001), sub(0x800000000000011000000000000000000000000000000000000000000000001, mulmod(2, s, 0x800000000000011000000000000000000000000000000000000000000000001)), 0x800000000000011000000000000000000000000000000000000000000000001)
                y3 := addmod(mulmod(m, addmod(s, sub(0x800000000000011000000000000000000000000000000000000000000000001, x3), 0x800000000000011000000000000000000000000000000000000000000000001), 0x800000000000011000000000000000000000000000000000000000000000001), sub(0x800000000000011000000000000000000000000000000000000000000000001, mulmod(8, mulmod(yy, yy, 0x800000000000011000000000000000000000000000000000000000000000001), 0x800000000000011000000000000000000000000000000000000000000000001)), 0x800000000000011000000000000000000000000000000000000000000000001)
                z3 := mulmod(2, mulmod(y1, z1, 0x800000000000011000000000000000000000000000000000000000000000001), 0x800000000000011000000000000000000000000000000000000000000000001)
            }

            // Jacobian (x1, y1, z1) + affine (x2, y2).
            function addAffine(x1, y1, z1, x2, y2) -> x3, y3, z3 {
                if iszero(z1) {
                    x3 := x2
                    y3 := y2
                    z3 := 1
                    leave
                }
                let h, r
                {
                    let z1z1 := mulmod(z1, z1, 0x800000000000011000000000000000000000000000000000000000000000001)
                    h := addmod(mulmod(x2, z1z1, 0x800000000000011000000000000000000000000000000000000000000000001), sub(0x800000000000011000000000000000000000000000000000000000000000001, x1), 0x800000000000011000000000000000000000000000000000000000000000001)
                    r := addmod(mulmod(y2, mulmod(z1, z1z1, 0x800000000000011000000000000000000000000000000000000000000000001), 0x800000000000011000000000000000000000000000000000000000000000001), sub(0x800000000000011000000000000000000000000000000000000000000000001, y1), 0x800000000000011000000000000000000000000000000000000000000000001)
                }
                if iszero(h) {
                    if iszero(r) {
                        x3, y3, z3 := dbl(x1, y1, z1)
                    }
                    leave // equal x, opposite y: P + (−P) = ∞
                }
                let hhh, v
                {
                    let hh := mulmod(h, h, 0x800000000000011000000000000000000000000000000000000000000000001)
                    hhh := mulmod(h, hh, 0x800000000000011000000000000000000000000000000000000000000000001)
                    v := mulmod(x1, hh, 0x800000000000011000000000000000000000000000000000000000000000001)
                }
                x3 := addmod(mulmod(r, r, 0x800000000000011000000000000000000000000000000000000000000000001), sub(0x800000000000011000000000000000000000000000000000000000000000001, addmod(hhh, mulmod(2, v, 0x800000000000011000000000000000000000000000000000000000000000001), 0x800000000000011000000000000000000000000000000000000000000000001)), 0x800000000000011000000000000000000000000000000000000000000000001)
                y3 := addmod(mulmod(r, addmod(v, sub(0x800000000000011000000000000000000000000000000000000000000000001, x3), 0x800000000000011000000000000000000000000000000000000000000000001), 0x800000000000011000000000000000000000000000000000000000000000001), sub(0x800000000000011000000000000000000000000000000000000000000000001, mulmod(y1, hhh, 0x800000000000011000000000000000000000000000000000000000000000001)), 0x800000000000011000000000000000000000000000000000000000000000001)
                z3 := mulmod(z1, h, 0x800000000000011000000000000000000000000000000000000000000000001)
            }

            let aLow := and(a, sub(shl(248, 1), 1))
            let aHigh := shr(248, a)
            let bLow := and(b, sub(shl(248, 1), 1))
            let bHigh := shr(248, b)
            let y := 0
            for { let i := 248 } gt(i, 0) { } {
                i := sub(i, 1)
                x, y, z := dbl(x, y, z)
                if and(shr(i, aLow), 1) {
                    // P0 = CONSTANT_POINTS[2]
                    x, y, z := addAffine(x, y, z,
                        0x234287dcbaffe7f969c748655fca9e58fa8120b6d56eb0c1080d17957ebe47b,
                        0x3b056f100f96fb21e889527d41f4e39940135dd7a6c94cc6ed0268ee89e5615)
                }
                if and(shr(i, bLow), 1) {
                    // P2 = CONSTANT_POINTS[2 + 252]
                    x, y, z := addAffine(x, y, z,
                        0x4ba4cc166be8dec764910f75b45f74b40c690c74709e90f3aa372f0bd2d6997,
                        0x40301cf5c1751f4b971e46c4ede85fcac5c59a5ce5ae7c48151f27b24b219c)
                }
                if lt(i, 4) {
                    if and(shr(i, aHigh), 1) {
                        // P1 = CONSTANT_POINTS[2 + 248]
                        x, y, z := addAffine(x, y, z,
                            0x4fa56f376c83db33f9dab2656558f3399099ec1de5e3018b7a6932dba8aa378,
                            0x3fa0984c931c9e38113e0c0e47e4401562761f92a7a23b45168f4e80ff5b54d)
                    }
                    if and(shr(i, bHigh), 1) {
                        // P3 = CONSTANT_POINTS[2 + 252 + 248]
                        x, y, z := addAffine(x, y, z,
                            0x54302dcb0e6cc1c6e44cca8f61a63bb2ca65048d53fb325d36ff12c49a58202,
                            0x1b77b3e37d13504b348046268d8ae25ce98ad783c25561a879dcc77e99c2426)
                    }
                }
            }
            // SHIFT = CONSTANT_POINTS[0]
            x, y, z := addAffine(x, y, z,
                0x49ee3eba8c1600700ee1b87eb599f16716b0b1022947733551fde4050ca6804,
                0x3ca0cfe4b3bc6ddf346d49d06ea0ed34e621062c0e056c1d0405d266e10268a)
        }
        require(z != 0, "PEDERSEN_POINT_AT_INFINITY");
        uint256 zInv = StarkField.inverse(z);
        result = mulmod(x, mulmod(zInv, zInv, StarkField.K_MODULUS), StarkField.K_MODULUS);
    }
}
