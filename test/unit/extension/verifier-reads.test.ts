import { describe, expect, it } from 'vitest';
import { pageLimit } from '../../../extension/background/verifier-reads.js';

/** Issue 14: the dashboard reads a page at a time (the order and cursors: test/unit/sync/read-model.test.ts). */
describe('verifier reads, paged', () => {
  it('a page size outside 1 … 200 is refused, naming the field, the value and the range', () => {
    expect(pageLimit(50)).toBe(50);
    for (const bad of [0, 201, 1.5, '10', undefined])
      expect(() => pageLimit(bad), String(bad)).toThrow(
        /^limit: .* is out of range; expected an integer 1 <= limit <= 200$/,
      );
  });
});
