import { describe, expect, it } from 'vitest';
import { usdc, usdcOfRep32, usdcOfRep64, fixed } from '../../../extension/ui/format.js';
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
