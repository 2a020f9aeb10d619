import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeSharedState, escapeAmount, escapeWithdrawalAmount, type SharedState } from '../../helpers/core.js';
import { marketArb, positionArb } from './arbitraries.js';

// Differential: the risk model's escape amount against the tree's mirror of PerpetualEscapeVerifier
// (which decodes the leaf words and the shared-state words the way the contract does).
describe('escape amount vs the escape verifier mirror (l1-data-tree.md §4.6)', () => {
  it('agrees on random positions, prices and funding', () => {
    fc.assert(
      fc.property(positionArb, marketArb, (p, m) => {
        const shared: SharedState = {
          positionsRoot: 0n,
          positionsTreeHeight: 64n,
          ordersRoot: 0n,
          ordersTreeHeight: 64n,
          fundingIndices: [...m.fundingIndices],
          fundingTimestamp: 1_600_000_000n,
          oraclePrices: [...m.oraclePrices],
          systemTime: 1_600_000_000n,
        };
        expect(escapeAmount(p, m)).toBe(escapeWithdrawalAmount(p, encodeSharedState(shared)));
      }),
      { numRuns: 200 },
    );
  });
});
