import { describe, expect, it } from 'vitest';
import {
  decimal,
  roundDecimal,
  fixed,
  orderSummary,
  percent,
  usd,
  usdc,
  usdcOfRep32,
  usdcOfRep64,
} from '../../../extension/ui/format.js';
import { marginView } from '../../helpers/core.js';
import { readVector } from '../../helpers/vectors.js';
import { marginInputs, type VectorCase } from '../risk/vector-helpers.js';

// The exit page's amounts (extension/ui/format.ts) against src/risk on the derived risk cases, whose
// expected figures are also given in USDC: the page shows what the risk code computed, to the quantum.

type UsdCase = VectorCase & { total_value_usdc: number; total_risk_usdc: number };
const cases = (): UsdCase[] => readVector<{ cases: UsdCase[] }>('risk/derived_risk_cases.json').cases;
const num = (shown: string) => Number(shown.replace('−', '-'));

describe('the exit page amounts', () => {
  it('exact decimals, negatives with a minus sign', () => {
    expect(fixed(1_234_567n)).toBe('1.234567');
    expect(fixed(-5n)).toBe('−0.000005');
    expect(usdc(100_000_000_000n)).toBe('100000.000000');
    expect(fixed(10n ** 18n, 18)).toBe('1.000000000000000000');
  });

  it('total value and total risk as the margin table shows them equal the cases’ USDC figures (src/risk marginView)', () => {
    for (const c of cases()) {
      const view = marginView(marginInputs(c));
      expect(num(usdcOfRep32(view.totalValueRep)), c.label).toBeCloseTo(c.total_value_usdc, 5);
      expect(num(usdcOfRep64(view.totalRiskRep)), c.label).toBeCloseTo(c.total_risk_usdc, 5);
    }
  });
});

describe('the approval window: the order in one line', () => {
  it('side, size, market, limit, max fee and expiry, from the decoded fields', () => {
    const o = {
      side: 'BUY',
      size: '5.000000000',
      market: 'ETH-USD',
      price: '2061.300000',
      maxFee: '10.306500',
      expiry: '2026-12-12T00:00:00.000Z',
    };
    expect(orderSummary(o)).toBe('Buy 5 ETH-USD at ≤ $2,061.30, max fee $10.3065, expires 12 Dec 2026, 00:00 UTC');
    expect(orderSummary({ ...o, side: 'SELL', size: '0.0100', price: '0.012345', maxFee: '0' })).toBe(
      'Sell 0.01 ETH-USD at ≥ $0.012345, max fee $0.00, expires 12 Dec 2026, 00:00 UTC',
    );
  });

  it('amounts grouped, exact, signed with a minus sign; percentages signed', () => {
    expect(decimal('1234567.500000')).toBe('1,234,567.5');
    expect(usd('-18556.701030')).toBe('−$18,556.70103');
    expect(usd('100000.00')).toBe('$100,000.00');
    expect(percent('-7.25')).toBe('−7.25 %');
    expect(percent('12.50')).toBe('+12.5 %');
    expect(decimal('0x4554')).toBe('0x4554'); // not a decimal: shown as given
  });
});

describe('the approval window: prices to read are shown to the cent', () => {
  it('rounds half away from zero, exactly; sub-dollar prices keep their decimals', () => {
    expect(roundDecimal('3598.455405', 2)).toBe('3598.46');
    expect(roundDecimal('-2.994', 2)).toBe('-2.99');
    expect(roundDecimal('9.995', 2)).toBe('10.00');
    expect(usd('3598.455405', { cents: true })).toBe('$3,598.46');
    expect(usd('0.012345', { cents: true })).toBe('$0.012345');
  });
});
