import { RangeCheckError } from '../errors.js';

/**
 * A key-derivation input Vigil refuses (one class; `field` says which): an Ethereum signature that
 * cannot seed a stark key — wrong length, v or signature-type byte (A1.1) — or a BIP-39 mnemonic
 * that fails the English word list / checksum, or a bad EIP-2645 path component (A1.2). A secret
 * input is never the `value`: it is described (length, "(hidden)"), not echoed.
 */
export class KeyDerivationError extends RangeCheckError {
  override name = 'KeyDerivationError';
}
