import { RangeCheckError } from '../errors.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';

/**
 * Vigil's keccak helpers (the one place that calls keccak_256 for protocol hashes): the
 * Ethereum-side messages around STARK keys — the ERC-20 asset id (signing-risk.md A3.1), the
 * conditional-transfer condition (A2.3), the L1 registration message (A1.4), the forced-trade
 * digest (A2.6) — and the L1 word hashes of starkex/ (pages, facts, shared state; l1-data-tree.md §2).
 */

/** keccak256 of the concatenated parts, as 0x-prefixed 64 hex digits. */
export function keccakHex(...parts: Uint8Array[]): `0x${string}` {
  return `0x${bytesToHex(keccak_256(parts.length === 1 ? parts[0]! : concatBytes(...parts)))}`;
}

/** keccak256 of the concatenated parts, as an unsigned 256-bit integer. */
export function keccakUint(...parts: Uint8Array[]): bigint {
  return BigInt(keccakHex(...parts));
}

/** Big-endian fixed-width encoding (abi.encodePacked of uintN / bytesN). Caller range-checks. */
export function uintToBytes(value: bigint, byteLength: number): Uint8Array {
  if (value < 0n || value >= 1n << BigInt(8 * byteLength))
    throw new RangeCheckError('uintToBytes', value, `0 <= value < 2^${8 * byteLength} (${byteLength} bytes)`);
  return hexToBytes(value.toString(16).padStart(2 * byteLength, '0'));
}

export const utf8 = (text: string): Uint8Array => utf8ToBytes(text);

/** The 4-byte selector of a canonical signature, e.g. `ERC20Token(address)` (A3.1). */
export function keccakSelector(signature: string): Uint8Array {
  return keccak_256(utf8ToBytes(signature)).subarray(0, 4);
}

/** Low 250 bits: how StarkEx turns a keccak into a field-sized id (A2.3, A3.1). */
export const MASK_250 = (1n << 250n) - 1n;
