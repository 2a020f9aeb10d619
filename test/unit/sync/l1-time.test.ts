import { describe, expect, it } from 'vitest';
import { l1NowSeconds } from '../../../src/sync/l1-time.js';

describe('l1NowSeconds: a forced request deadline runs on L1 time', () => {
  const readAtMs = 1_700_000_000_000;
  it('is the wall clock when the head time was never read', () => {
    expect(l1NowSeconds(undefined, readAtMs + 1_999)).toBe(1_700_000_001n);
    expect(l1NowSeconds({}, readAtMs)).toBe(1_700_000_000n);
  });
  it('is the head time carried forward by the wall clock when L1 runs ahead (a devnet whose time was moved)', () => {
    const ahead = { headTime: { seconds: 1_700_000_000n + 14n * 86_400n, readAtMs } };
    expect(l1NowSeconds(ahead, readAtMs)).toBe(1_700_000_000n + 14n * 86_400n);
    expect(l1NowSeconds(ahead, readAtMs + 90_500)).toBe(1_700_000_000n + 14n * 86_400n + 90n);
  });
  it('is the wall clock when it is later than the head time (a head read long ago or a block behind)', () => {
    const behind = { headTime: { seconds: 1_699_999_000n, readAtMs } };
    expect(l1NowSeconds(behind, readAtMs + 5_000)).toBe(1_700_000_005n);
  });
  it('never runs backwards when the clock here was set back after the read', () => {
    const h = { headTime: { seconds: 1_800_000_000n, readAtMs } };
    expect(l1NowSeconds(h, readAtMs - 60_000)).toBe(1_800_000_000n);
  });
});
