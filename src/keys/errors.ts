import { RangeCheckError } from '../errors.js';

/** An Ethereum signature that cannot seed a stark key: wrong length, v or signature-type byte (A1.1). */
export class EthSignatureError extends RangeCheckError {
  override name = 'EthSignatureError';
}

/** A BIP-39 mnemonic that fails the English word list / checksum, or a bad EIP-2645 path component (A1.2). */
export class MnemonicError extends RangeCheckError {
  override name = 'MnemonicError';
}
