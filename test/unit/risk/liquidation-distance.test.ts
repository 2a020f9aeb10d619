import { describe, expect, it } from 'vitest';
import { RiskInputError } from '../../../src/risk/errors.js';
import { liquidationDistance } from '../../../src/risk/liquidation-distance.js';
import { parseRatio, ratio } from '../../../src/risk/ratio.js';

const r = (s: string) => parseRatio('test', s);

describe('liquidationDistance (the approval line "Liquidation at $X, P % below/above the oracle price $Y")', () => {
  it('a long: the liquidation price below the oracle price, by |liq − oracle| / oracle', () => {
    // (2000 − 1234.56) / 2000 = 38.272 % → 38.3
    expect(liquidationDistance(r('1234.56'), r('2000'))).toEqual({ percent: '38.3', side: 'below' });
  });

  it('a short: above the oracle price', () => {
    // (2500 − 2000) / 2000 = 25 %
    expect(liquidationDistance(r('2500'), r('2000'))).toEqual({ percent: '25.0', side: 'above' });
  });

  it('already at the oracle price: side "at", 0 %', () => {
    expect(liquidationDistance(r('2000'), r('2000'))).toEqual({ percent: '0.0', side: 'at' });
  });

  it('exact on ratios, rounded once, half away from zero (no float drift)', () => {
    // 1/3 below: 33.333…; 0.05 % exactly rounds up to 0.1 at one decimal.
    expect(liquidationDistance(ratio(2n, 3n), ratio(1n))).toEqual({ percent: '33.3', side: 'below' });
    expect(liquidationDistance(r('100.05'), r('100'), 1)).toEqual({ percent: '0.1', side: 'above' });
    expect(liquidationDistance(r('100.05'), r('100'), 2)).toEqual({ percent: '0.05', side: 'above' });
  });

  it('refuses an oracle price ≤ 0 or a negative liquidation price, naming the field and the range', () => {
    expect(() => liquidationDistance(r('1'), r('0'))).toThrow(RiskInputError);
    expect(() => liquidationDistance(r('1'), r('0'))).toThrow(/^oracle price: .*expected a price > 0$/);
    expect(() => liquidationDistance(r('-1'), r('2'))).toThrow(/^liquidation price: .*expected a price >= 0$/);
  });
});
