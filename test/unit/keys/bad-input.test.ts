import { describe, expect, it } from 'vitest';
import { TypeCheckError } from '../../../src/errors.js';
import { deriveStarkKeyFromMnemonic, starkwareAccountPath, verifyHash } from '../../helpers/core.js';

/** Malformed arguments fail with a TypeCheckError naming the argument, not a property read on null. */
function expectNamed(fn: () => unknown, field: RegExp) {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(TypeCheckError);
  expect((err as Error).message).toMatch(field);
  expect((err as Error).message).not.toMatch(/Cannot read/);
}

describe('keys and verification: null where an object is expected', () => {
  it('EIP-2645 path parameters', () => {
    expectNamed(() => starkwareAccountPath(null as any), /^path params/);
    const mnemonic = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
    expectNamed(() => deriveStarkKeyFromMnemonic(mnemonic, null as any), /^path params/);
  });

  it('verifyHash with a null public key', () => {
    expectNamed(() => verifyHash(1n, { r: 1n, s: 1n }, null as any), /^publicKey/);
  });
});
