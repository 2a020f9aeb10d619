import { describe, expect, it } from 'vitest';
import { duration, liquidationLine } from '../../../extension/ui/format.js';
import { gaugePosition } from '../../../extension/ui/charts/margin-gauge.js';

describe('liquidationLine (the approval sentence, issue 17)', () => {
  it('states the price, the unsigned distance, the side and the oracle price', () => {
    expect(liquidationLine('ETH-USD', '1234.555', { percent: '38.3', side: 'below' }, '2000')).toBe(
      'Liquidation at $1,234.56, 38.3 % below the oracle price $2,000.00.',
    );
    expect(liquidationLine('ETH-USD', '2500', { percent: '25.0', side: 'above' }, '2000')).toBe(
      'Liquidation at $2,500.00, 25.0 % above the oracle price $2,000.00.',
    );
  });
  it('no liquidation price, no oracle price, or already there: says which', () => {
    expect(liquidationLine('BTC-USD', null, null, '30000')).toBe(
      'After the order, no BTC-USD price (other prices held) makes the position liquidatable.',
    );
    expect(liquidationLine('BTC-USD', '100', null, null)).toBe(
      'Liquidation at $100.00 (no verified oracle price to compare).',
    );
    expect(liquidationLine('BTC-USD', '100', { percent: '0.0', side: 'at' }, '100')).toBe(
      'Liquidation at $100.00, the oracle price itself: liquidatable now.',
    );
  });
});

describe('duration (ages and waits on the popup)', () => {
  it('seconds, minutes, hours, days; never negative', () => {
    expect(duration(12)).toBe('12 s');
    expect(duration(245)).toBe('4 min 5 s');
    expect(duration(3600 * 3 + 1200)).toBe('3 h 20 min');
    expect(duration(1_209_600)).toBe('14 d');
    expect(duration(-3)).toBe('0 s');
  });
});

describe('gaugePosition (the margin gauge scale r ↦ r / (r + 1))', () => {
  it('puts the maintenance threshold 1 in the middle, no risk at the right end, ≤ 0 at the left', () => {
    expect(gaugePosition(1)).toBe(0.5);
    expect(gaugePosition(null)).toBe(1);
    expect(gaugePosition(0)).toBe(0);
    expect(gaugePosition(-2)).toBe(0);
    expect(gaugePosition(3)).toBe(0.75);
    // Monotone: a ratio above the threshold is always right of it.
    expect(gaugePosition(1.0001)).toBeGreaterThan(0.5);
    expect(gaugePosition(0.9999)).toBeLessThan(0.5);
  });
});
