import { RangeCheckError } from '../errors.js';

/**
 * Splits [from, to] into consecutive inclusive ranges of at most `maxRange` blocks: public RPCs
 * cap `eth_getLogs` ranges (issue 9: "eth_getLogs in bounded block ranges").
 */
export function blockRanges(from: bigint, to: bigint, maxRange: bigint): Array<[bigint, bigint]> {
  if (maxRange < 1n) throw new RangeCheckError('maxRange', maxRange, 'maxRange >= 1');
  if (from < 0n) throw new RangeCheckError('from', from, 'from >= 0');
  const out: Array<[bigint, bigint]> = [];
  for (let a = from; a <= to; a += maxRange) out.push([a, a + maxRange - 1n < to ? a + maxRange - 1n : to]);
  return out;
}
