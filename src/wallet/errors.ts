import { VigilError, type VigilErrorOptions } from '../errors.js';

/**
 * Wallet errors (issue 8). Messages never contain a secret: a password, a mnemonic or a key is
 * described by its shape only.
 */

/** The stored vault is not a well-formed Vigil vault (truncated, edited, wrong version). It is never overwritten. */
export class VaultFormatError extends VigilError {
  override name = 'VaultFormatError';
  readonly field: string;
  constructor(field: string, problem: string, options: VigilErrorOptions = {}) {
    super(
      `The vault is damaged: ${field}: ${problem}. It was left untouched; restore it from your recovery phrase.`,
      options,
    );
    this.field = field;
  }
}

/** The password did not open the vault. */
export class WrongPasswordError extends VigilError {
  override name = 'WrongPasswordError';
  constructor() {
    super('Wrong password.');
  }
}

/** The password was right but the ciphertext or its header fails authentication: someone changed the vault. */
export class VaultTamperedError extends VigilError {
  override name = 'VaultTamperedError';
  constructor(options: VigilErrorOptions = {}) {
    super(
      'The vault was modified (authentication failed with the right password). It was left untouched; restore it from your recovery phrase.',
      options,
    );
  }
}

/** Too many wrong passwords: the next attempt must wait. */
export class UnlockThrottledError extends VigilError {
  override name = 'UnlockThrottledError';
  readonly retryAfterMs: number;
  constructor(retryAfterMs: number) {
    super(`Too many wrong passwords: try again in ${Math.ceil(retryAfterMs / 1000)} s.`);
    this.retryAfterMs = retryAfterMs;
  }
}

/** A wallet input (password, phrase, raw key, setting) outside what Vigil accepts. */
export class WalletInputError extends VigilError {
  override name = 'WalletInputError';
  readonly field: string;
  constructor(field: string, problem: string) {
    super(`${field}: ${problem}`);
    this.field = field;
  }
}
