import { describe, expect, it } from 'vitest';
import { collateralQuantaOf, ExitInputError } from '../../helpers/core.js';

// Issue 17 item 2: the forced-withdrawal amount is typed in USDC, not in collateral quanta.
describe('collateralQuantaOf: a USDC amount as typed, in collateral quanta', () => {
  it('reads whole and decimal USDC exactly, grouping marks ignored', () => {
    expect(collateralQuantaOf('100')).toBe(100_000_000n);
    expect(collateralQuantaOf('0.000001')).toBe(1n);
    expect(collateralQuantaOf(' 1,250.5 ')).toBe(1_250_500_000n);
    expect(collateralQuantaOf('.25')).toBe(250_000n);
    expect(collateralQuantaOf('7.')).toBe(7_000_000n);
    expect(collateralQuantaOf('18446744073709.551615')).toBe((1n << 64n) - 1n);
    expect(collateralQuantaOf('12.5', 2)).toBe(1250n);
  });

  it.each([
    ['', 'empty'],
    ['   ', 'blank'],
    ['abc', 'not a number'],
    ['1e6', 'exponent'],
    ['-5', 'negative'],
    ['0', 'zero'],
    ['0.000000', 'zero with decimals'],
    ['1.0000001', 'a decimal past the collateral quantum'],
    ['18446744073709.551616', '2^64 quanta'],
    ['1.2.3', 'two points'],
    ['.', 'a point alone'],
  ])('refuses %j (%s), naming the field, the text and the range', (text) => {
    let err: unknown;
    try {
      collateralQuantaOf(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ExitInputError);
    expect((err as ExitInputError).field).toBe('amount');
    expect((err as ExitInputError).value).toBe(text);
    expect((err as Error).message).toBe(
      `amount: ${JSON.stringify(text)} is out of range; expected a USDC amount > 0 with at most 6 decimals, below 18446744073709.551616 USDC`,
    );
  });
});
