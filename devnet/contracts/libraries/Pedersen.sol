// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "./StarkField.sol";

// The number of lookup tables (a file-level constant: array lengths cannot name a library's).
uint256 constant PEDERSEN_N_TABLES = 63;

/**
 * StarkWare's Pedersen hash over the Stark curve (l1-data-tree.md §4.2):
 *   H(a, b) = x(SHIFT + a_low·P1 + a_high·P2 + b_low·P3 + b_high·P4),
 * low = the 248 least-significant bits, high = the top 4 bits; the points are CONSTANT_POINTS[0..4]
 * of pedersen_params.json.
 *
 * Computed like mainnet's PerpetualEscapeVerifier (§4.6), from precomputed points held as the
 * code of 63 data contracts and read with `extcodecopy` (layout and generation:
 * devnet/pedersen-lookup-tables.ts): table s < 31 holds d·2^(8s)·P1 for the byte d of window s of
 * a_low, table 31 + s the same for b_low and P3, table 62 SHIFT + ah·P2 + bh·P4. A hash is one
 * lookup, then per non-zero byte one lookup and one mixed (Jacobian + affine) addition, then (in
 * `hash`, not `hashJacobian`) one inversion: ~62 additions instead of the ~500 point operations of
 * double-and-add, which put a one-asset escape at ~27 M gas, above EIP-7825's 2^24 per-transaction
 * cap; now ~3.2 M (test/unit/devnet/escape-gas.test.ts).
 * The addition stays complete (equal x and the point at infinity are handled) although reaching
 * those cases would need a discrete-log relation between the constant points.
 */
library Pedersen {
    /// The directory's code: STOP, then the 63 table addresses as words.
    uint256 internal constant DIRECTORY_CODE_SIZE = 1 + 32 * PEDERSEN_N_TABLES;

    /// The table addresses from the directory contract, loaded once per transaction.
    function loadTables(address directory) internal view returns (address[PEDERSEN_N_TABLES] memory tables) {
        require(directory.code.length == DIRECTORY_CODE_SIZE, "PEDERSEN_BAD_TABLE_DIRECTORY");
        assembly ("memory-safe") {
            extcodecopy(directory, tables, 1, 0x7e0)
        }
    }

    function hash(uint256 a, uint256 b, address[PEDERSEN_N_TABLES] memory tables) internal view returns (uint256) {
        (uint256 x, uint256 z2) = hashJacobian(a, b, tables);
        return mulmod(x, StarkField.inverse(z2), StarkField.K_MODULUS);
    }

    /**
     * H(a, b) as the fraction x / z2 (Jacobian X and Z², z2 ≠ 0): a caller that only compares the
     * hash with a known field element h checks x == h·z2 and skips the modexp inversion, as the
     * Merkle check in PerpetualEscapeVerifier does (~4–5 k gas saved per tree level).
     */
    function hashJacobian(uint256 a, uint256 b, address[PEDERSEN_N_TABLES] memory tables)
        internal
        view
        returns (uint256 x, uint256 z2)
    {
        require(a < StarkField.K_MODULUS && b < StarkField.K_MODULUS, "PEDERSEN_INPUT_OUT_OF_RANGE");
        uint256 z;
        assembly ("memory-safe") {
            // All arithmetic is mod p = P (k in the functions). p is a run-time value on purpose:
            // with a literal, the constant optimiser (runs = 200, devnet/compile.ts) rebuilt P from
            // PUSH1/SHL/ADD at each of its ~30 uses per addition; a stack value saved ~18.6 k gas per
            // hash (debug_traceCall of one hash: 250,453 → 231,822 gas; verifyEscape with one asset
            // 4,423,373 → 3,209,457). shr(255, gas()) is 0 (gas < 2^255), unknown at compile time.
            let p := or(0x800000000000011000000000000000000000000000000000000000000000001, shr(255, gas()))
            function dbl(x1, y1, z1, k) -> x3, y3, z3 {
                if or(iszero(z1), iszero(y1)) { leave } // ∞ (no 2-torsion points on this curve)
                let s, m, yy
                {
                    yy := mulmod(y1, y1, k)
                    s := mulmod(4, mulmod(x1, yy, k), k)
                    let zz := mulmod(z1, z1, k)
                    // M = 3X² + α·Z⁴ with α = 1.
                    m := addmod(mulmod(3, mulmod(x1, x1, k), k), mulmod(zz, zz, k), k)
                }
                x3 := addmod(mulmod(m, m, k), sub(k, mulmod(2, s, k)), k)
                y3 := addmod(mulmod(m, addmod(s, sub(k, x3), k), k), sub(k, mulmod(8, mulmod(yy, yy, k), k)), k)
                z3 := mulmod(2, mulmod(y1, z1, k), k)
            }

            // Jacobian (x1, y1, z1) + affine (x2, y2).
            function addAffine(x1, y1, z1, x2, y2, k) -> x3, y3, z3 {
                if iszero(z1) {
                    x3 := x2
                    y3 := y2
                    z3 := 1
                    leave
                }
                let h, r
                {
                    let z1z1 := mulmod(z1, z1, k)
                    h := addmod(mulmod(x2, z1z1, k), sub(k, x1), k)
                    r := addmod(mulmod(y2, mulmod(z1, z1z1, k), k), sub(k, y1), k)
                }
                if iszero(h) {
                    if iszero(r) {
                        x3, y3, z3 := dbl(x1, y1, z1, k)
                    }
                    leave // equal x, opposite y: P + (−P) = ∞
                }
                let hhh, v
                {
                    let hh := mulmod(h, h, k)
                    hhh := mulmod(h, hh, k)
                    v := mulmod(x1, hh, k)
                }
                x3 := addmod(mulmod(r, r, k), sub(k, addmod(hhh, mulmod(2, v, k), k)), k)
                y3 := addmod(mulmod(r, addmod(v, sub(k, x3), k), k), sub(k, mulmod(y1, hhh, k)), k)
                z3 := mulmod(z1, h, k)
            }

            // Entry d of a table is x ‖ y at code offset 1 + 64·d; read into the scratch space.
            // Table 62 (SHIFT + ah·P2 + bh·P4) starts the sum: it is never ∞.
            extcodecopy(mload(add(tables, 0x7c0)), 0, add(1, shl(6, or(shl(4, shr(248, a)), shr(248, b)))), 0x40)
            x := mload(0)
            let y := mload(0x20)
            z := 1
            for { let s := 0 } lt(s, 31) { s := add(s, 1) } {
                let d := and(shr(shl(3, s), a), 0xff)
                if d {
                    extcodecopy(mload(add(tables, shl(5, s))), 0, add(1, shl(6, d)), 0x40)
                    x, y, z := addAffine(x, y, z, mload(0), mload(0x20), p)
                }
                d := and(shr(shl(3, s), b), 0xff)
                if d {
                    extcodecopy(mload(add(tables, shl(5, add(31, s)))), 0, add(1, shl(6, d)), 0x40)
                    x, y, z := addAffine(x, y, z, mload(0), mload(0x20), p)
                }
            }
        }
        require(z != 0, "PEDERSEN_POINT_AT_INFINITY");
        z2 = mulmod(z, z, StarkField.K_MODULUS);
    }
}
