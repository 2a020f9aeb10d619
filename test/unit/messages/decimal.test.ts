import fc from 'fast-check';
import { TypeCheckError } from '../../helpers/core.js';
import { describe, expect, it } from 'vitest';
import {
  DecimalError,
  PrecisionError,
  humanToQuantums,
  multiplyDecimals,
  parseHumanDecimal,
  quantumsToHuman,
} from '../../helpers/core.js';

describe('exact decimals (A3.4)', () => {
  it('parses plain notation only', () => {
    expect(parseHumanDecimal('1.50')).toEqual({ coefficient: 150n, scale: 2 });
    expect(parseHumanDecimal('007')).toEqual({ coefficient: 7n, scale: 0 });
    for (const bad of ['', '-1', '1e3', 'NaN', 'Infinity', '.1', '1.', ' 1', '1_000', '0b1'])
      expect(() => parseHumanDecimal(bad), bad).toThrow(DecimalError);
    expect(() => parseHumanDecimal(1 as unknown as string)).toThrow(TypeCheckError);
  });

  it('rounds exactly as starkex-lib: exact / up / down', () => {
    expect(humanToQuantums('12.0000003', 7)).toBe(120000003n);
    expect(() => humanToQuantums('12.00000031', 7)).toThrow(PrecisionError);
    expect(humanToQuantums('12.00000031', 7, 'down')).toBe(120000003n);
    expect(humanToQuantums('12.00000031', 7, 'up')).toBe(120000004n);
    expect(humanToQuantums('12.00000030000', 7)).toBe(120000003n);
    expect(multiplyDecimals(parseHumanDecimal('145.0005'), parseHumanDecimal('350.00067'))).toEqual({
      coefficient: 50750272150335n,
      scale: 9,
    });
  });

  it('property: quantums → human → quantums is the identity, for any equal spelling', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 2n ** 64n }),
        fc.integer({ min: 0, max: 18 }),
        fc.nat(5),
        fc.nat(5),
        (q, d, lead, trail) => {
          const human = quantumsToHuman(q, d);
          expect(human).not.toMatch(/e|E|\.$|\.\d*0$/); // canonical: no exponent, no trailing zeros
          const respelled =
            '0'.repeat(lead) + human + (trail ? (human.includes('.') ? '' : '.') + '0'.repeat(trail) : '');
          expect(humanToQuantums(human, d)).toBe(q);
          expect(humanToQuantums(respelled, d)).toBe(q);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('property: rounding brackets the exact value within one quantum', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 30n }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 12 }),
        (coef, scale, d) => {
          const s = quantumsToHuman(coef, scale);
          const down = humanToQuantums(s, d, 'down');
          const up = humanToQuantums(s, d, 'up');
          // down·10^(scale) <= coef·10^d <= up·10^(scale), and up - down ∈ {0, 1}
          const exact = coef * 10n ** BigInt(d);
          const unit = 10n ** BigInt(scale);
          expect(down * unit <= exact && exact <= up * unit).toBe(true);
          expect(up - down === 0n || up - down === 1n).toBe(true);
          if (up === down) expect(humanToQuantums(s, d, 'exact')).toBe(up);
          else expect(() => humanToQuantums(s, d, 'exact')).toThrow(PrecisionError);
        },
      ),
      { numRuns: 200 },
    );
  });
});
