import { VigilError, formatValue } from '../errors.js';

/**
 * Words posted on L1 that do not decode. States the word offset, what was expected and what was
 * found, so a user (or a bug report) can point at the exact word of the exact page.
 */
export class DecodeError extends VigilError {
  override name = 'DecodeError';
  readonly offset: number;
  readonly expected: string;
  readonly found: unknown;
  constructor(what: string, offset: number, expected: string, found: unknown) {
    super(`${what}: at word ${offset} expected ${expected}, found ${formatValue(found)}`);
    this.offset = offset;
    this.expected = expected;
    this.found = found;
  }
}
