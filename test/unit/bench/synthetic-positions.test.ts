import { describe, expect, it } from 'vitest';
import { checkLeafPosition } from '../../helpers/core.js';
import { syntheticPosition, syntheticPositions } from '../../../bench/synthetic-positions.js';

describe('syntheticPositions', () => {
  it('is deterministic per (seed, id), independent of call order, and depends on both', () => {
    const input = syntheticPositions(50, 9, 1000n);
    const forward = Array.from({ length: 50 }, (_, i) => input.positionAt(i));
    const backward = Array.from({ length: 50 }, (_, i) => input.positionAt(49 - i)).reverse();
    expect(backward).toEqual(forward);
    expect(forward[3]).toEqual(syntheticPosition(9, 1003n));
    expect(syntheticPosition(10, 1003n)).not.toEqual(syntheticPosition(9, 1003n));
    expect(syntheticPosition(9, 1004n)).not.toEqual(syntheticPosition(9, 1003n));
    expect(input).toMatchObject({ firstId: 1000n, count: 50 });
  });

  it('makes valid positions with 1–3 assets, covering all three counts', () => {
    const counts = new Set<number>();
    for (let i = 0; i < 300; i++) {
      const p = syntheticPosition(1, BigInt(i) * 0x1_0000_0001n);
      expect(() => checkLeafPosition(p)).not.toThrow();
      expect(p.assets.length).toBeGreaterThanOrEqual(1);
      expect(p.assets.length).toBeLessThanOrEqual(3);
      expect(p.starkKey).toBeGreaterThan(0n);
      counts.add(p.assets.length);
    }
    expect([...counts].sort()).toEqual([1, 2, 3]);
  });
});
