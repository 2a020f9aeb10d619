import { expect } from 'vitest';
import { RangeCheckError, VigilError } from '../../helpers/core.js';

export type Cls = abstract new (...args: any[]) => Error;

/** Asserts a bad input throws `cls` (naming `field`, value and range) and returns nothing — no signature. */
export function expectRejected(run: () => unknown, cls: Cls, field?: string): void {
  let result: unknown;
  let error: unknown;
  try {
    result = run();
  } catch (e) {
    error = e;
  }
  expect(result, 'a result (signature) was returned for a bad input').toBeUndefined();
  expect(error).toBeInstanceOf(cls);
  if (error instanceof RangeCheckError) {
    expect(error).toBeInstanceOf(VigilError);
    if (field) expect(error.field).toBe(field);
    // The message names the field, the value and the range.
    expect(error.message).toContain(`${error.field}: `);
    expect(error.message).toContain('expected ');
  }
}
