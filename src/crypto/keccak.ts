import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';

/**
 * Small keccak / ABI-packing helpers for the Ethereum-side messages around STARK keys: the
 * ERC-20 asset id (signing-risk.md A3.1), the conditional-transfer condition (A2.3), the L1
 * registration message (A1.4) and the forced-trade digest (A2.6).
 */

/** keccak256 of the concatenated parts, as an unsigned 256-bit integer. */
export function keccakUint(...parts: Uint8Array[]): bigint {
  return BigInt('0x' + bytesToHex(keccak_256(concatBytes(...parts))));
}

/** Big-endian fixed-width encoding (abi.encodePacked of uintN / bytesN). Caller range-checks. */
export function uintToBytes(value: bigint, byteLength: number): Uint8Array {
  if (value < 0n || value >= 1n << BigInt(8 * byteLength)) throw new RangeError(`uintToBytes: ${value} does not fit in ${byteLength} bytes`);
  return hexToBytes(value.toString(16).padStart(2 * byteLength, '0'));
}

export const utf8 = (text: string): Uint8Array => utf8ToBytes(text);

/** Low 250 bits: how StarkEx turns a keccak into a field-sized id (A2.3, A3.1). */
export const MASK_250 = (1n << 250n) - 1n;
