import { RangeCheckError } from '../errors.js';

/**
 * A STARK private or public key outside its range: private keys are 1 <= d < n (the curve order),
 * public keys (stark keys, x coordinates) are non-zero, below the field prime and on the curve
 * (signing-risk.md §0.3, A2). Also used for a message's receiver key (< 2^251, A2).
 */
export class KeyError extends RangeCheckError {
  override name = 'KeyError';
}

/** A message hash that cannot be signed or verified: STARK ECDSA needs 0 <= z < 2^251 (A2.8). */
export class MessageHashError extends RangeCheckError {
  override name = 'MessageHashError';
}

/** A malformed STARK signature encoding (r‖s hex, r and s ranges of A2.8). */
export class SignatureError extends RangeCheckError {
  override name = 'SignatureError';
}
