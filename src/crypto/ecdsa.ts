import { TypeCheckError } from '../errors.js';
import { Point, getPublicKey, sign, verify } from '@scure/starknet';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { FIELD_PRIME } from './field.js';
import { KeyError, MessageHashError, SignatureError } from './ecdsa-errors.js';

/**
 * STARK ECDSA over @scure/starknet (signing-risk.md A2.8). Secrets go only through
 * @scure/starknet: this module validates ranges, converts bigint <-> the library's hex, and never
 * does curve arithmetic of its own.
 */

/** Order n of the STARK curve's generator (§0.3). Private keys are 1 <= d < n. */
export const STARK_CURVE_ORDER = 0x800000000000010ffffffffffffffffb781126dcae7b2321e66a241adc64d2fn;
/** Upper bound (exclusive) for message hashes and r (A2.8). */
export const STARK_SIGNATURE_BOUND = 1n << 251n;

export type StarkSignature = { r: bigint; s: bigint };
export type StarkPublicKeyPoint = { x: bigint; y: bigint };

const hex64 = (x: bigint): string => x.toString(16).padStart(64, '0');

function assertBigint(field: string, value: unknown, secret = false): asserts value is bigint {
  if (typeof value !== 'bigint') throw new TypeCheckError(field, value, 'bigint', { secret });
}

/** 1 <= privateKey < n. Never echoes the key itself in the error. */
export function assertStarkPrivateKey(privateKey: bigint, field = 'privateKey'): void {
  assertBigint(field, privateKey, true);
  if (privateKey <= 0n || privateKey >= STARK_CURVE_ORDER) {
    // The value is a secret: report only which side of the range it fell on.
    const shown = privateKey <= 0n ? '(zero or negative)' : '(>= n)';
    throw new KeyError(field, shown, '1 <= privateKey < n (STARK curve order)');
  }
}

export function assertMessageHash(hash: bigint, field = 'hash'): void {
  assertBigint(field, hash);
  if (hash < 0n || hash >= STARK_SIGNATURE_BOUND) throw new MessageHashError(field, hash, `0 <= ${field} < 2^251`);
}

/** The public key point d·G as bigints (x is the "stark key", y its y coordinate). */
export function starkPublicKeyPoint(privateKey: bigint): StarkPublicKeyPoint {
  assertStarkPrivateKey(privateKey);
  const bytes = getPublicKey(hex64(privateKey), false); // 0x04 ‖ x ‖ y
  return {
    x: BigInt(`0x${bytesToHex(bytes.subarray(1, 33))}`),
    y: BigInt(`0x${bytesToHex(bytes.subarray(33, 65))}`),
  };
}

/**
 * Deterministic (RFC 6979) STARK ECDSA signature of a message hash, byte-identical to StarkWare's
 * and dYdX's signers (A2.8, A4). Throws before signing if the hash or key is out of range.
 */
export function signHash(hash: bigint, privateKey: bigint): StarkSignature {
  assertMessageHash(hash);
  assertStarkPrivateKey(privateKey);
  const sig = sign(hex64(hash), hex64(privateKey));
  return { r: sig.r, s: sig.s };
}

function sigInRange(sig: StarkSignature): boolean {
  const { r, s } = sig;
  return (
    typeof r === 'bigint' &&
    typeof s === 'bigint' &&
    r >= 1n &&
    r < STARK_SIGNATURE_BOUND &&
    s >= 1n &&
    s < STARK_CURVE_ORDER
  );
}

function verifyWithKeyBytes(hash: bigint, sig: StarkSignature, key: Uint8Array): boolean {
  try {
    return verify(sigToBytes(sig), hex64(hash), key, { format: 'compact' });
  } catch {
    return false; // not on the curve, w = s^-1 >= 2^251, ...: not a valid signature
  }
}

function sigToBytes(sig: StarkSignature): Uint8Array {
  return hexToBytes(hex64(sig.r) + hex64(sig.s));
}

/**
 * Verifies a signature against a stark key. With only x known, accept if it verifies for either y
 * (A2.8: StarkWare's verify does the same); with {x, y} only that point is accepted.
 * Returns false for any invalid signature; throws only for a hash or key outside its range.
 */
export function verifyHash(hash: bigint, sig: StarkSignature, publicKey: bigint | StarkPublicKeyPoint): boolean {
  assertMessageHash(hash);
  if (sig === null || typeof sig !== 'object' || !sigInRange(sig)) return false;
  if (typeof publicKey === 'bigint') {
    assertStarkKeyRange(publicKey);
    return [0x02, 0x03].some((prefix) =>
      verifyWithKeyBytes(hash, sig, hexToBytes(prefix.toString(16).padStart(2, '0') + hex64(publicKey))),
    );
  }
  if (publicKey === null || typeof publicKey !== 'object')
    throw new TypeCheckError('publicKey', publicKey, 'bigint or { x, y }');
  assertStarkKeyRange(publicKey.x, 'publicKey.x');
  assertBigint('publicKey.y', publicKey.y);
  if (publicKey.y < 0n || publicKey.y >= FIELD_PRIME) throw new KeyError('publicKey.y', publicKey.y, '0 <= y < P');
  return verifyWithKeyBytes(hash, sig, hexToBytes(`04${hex64(publicKey.x)}${hex64(publicKey.y)}`));
}

/** 0 < x < P (the key's x coordinate is a non-zero field element). */
export function assertStarkKeyRange(x: bigint, field = 'publicKey'): void {
  assertBigint(field, x);
  if (x <= 0n || x >= FIELD_PRIME) throw new KeyError(field, x, `0 < ${field} < P`);
}

/**
 * True iff x is a usable stark key: 0 < x < P and x is the x coordinate of a curve point
 * (starkex-lib `isValidPublicKey`). Never throws for bigint input.
 */
export function isValidStarkKey(x: bigint): boolean {
  if (typeof x !== 'bigint' || x <= 0n || x >= FIELD_PRIME) return false;
  try {
    Point.fromHex(`02${hex64(x)}`).assertValidity();
    return true;
  } catch {
    return false;
  }
}

/** The dYdX API signature string: r‖s, each 64 lowercase hex digits, no 0x (A2.8). */
export function serializeStarkSignature(sig: StarkSignature): string {
  if (!sigInRange(sig)) throw new SignatureError('signature', sig, '1 <= r < 2^251 and 1 <= s < n');
  return hex64(sig.r) + hex64(sig.s);
}

/** Parses r‖s (128 hex digits, optional 0x) as produced by serializeStarkSignature / the dYdX API. */
export function parseStarkSignature(text: string): StarkSignature {
  if (typeof text !== 'string') throw new TypeCheckError('signature', text, 'string');
  const body = text.startsWith('0x') ? text.slice(2) : text;
  if (!/^[0-9a-fA-F]{128}$/.test(body)) throw new SignatureError('signature', text, '128 hex digits r‖s (optional 0x)');
  const sig = { r: BigInt(`0x${body.slice(0, 64)}`), s: BigInt(`0x${body.slice(64)}`) };
  if (!sigInRange(sig)) throw new SignatureError('signature', text, '1 <= r < 2^251 and 1 <= s < n');
  return sig;
}
