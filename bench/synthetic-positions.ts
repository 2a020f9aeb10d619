import { assetIdFromText } from '../src/index.js';
import type { ContiguousPositions, Position, PositionAsset } from '../src/index.js';
import { seededUint32 } from '../devnet/lib/rng.js';

/**
 * Deterministic synthetic positions for the tree benchmark and the worker-pool self-check
 * (issue 5): ids firstId … firstId + count − 1, each with 1–3 assets. Position i depends only on
 * (seed, i), so Node and the browser generate the same set without shipping it, and a position
 * can be made on demand (no 10^6 objects held at once). Not real data: shapes and ranges follow
 * signing-risk.md B1.1 (asset ids < 2^120, signed 64-bit amounts, non-zero balances).
 */

/** dYdX v3-style synthetic asset ids: ASCII text right-padded with zero bytes to 15 bytes. */
const ASSET_IDS: readonly bigint[] = ['BTC-10', 'ETH-9', 'LINK-7', 'AAVE-8', 'UNI-7', 'SOL-7', 'DOGE-5', 'MATIC-6']
  .map(assetIdFromText)
  .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/** `words` random 32-bit words as one unsigned bigint; the first word is masked to `topBits`. */
function randomBits(next: () => number, words: number, topBits: number): bigint {
  let hex = (next() >>> (32 - topBits)).toString(16);
  for (let i = 1; i < words; i++) hex += next().toString(16).padStart(8, '0');
  return BigInt(`0x${hex}`);
}

/** A signed value with |v| < 2^bits (bits ≤ 63), never 0 when `nonZero`. */
function signed(next: () => number, bits: number, nonZero = false): bigint {
  const magnitude =
    randomBits(next, Math.ceil(bits / 32), bits - 32 * (Math.ceil(bits / 32) - 1)) || (nonZero ? 1n : 0n);
  return next() & 1 ? -magnitude : magnitude;
}

export function syntheticPosition(seed: number, id: bigint): Position {
  const next = seededUint32((seed ^ Math.imul(Number(id & 0xffffffffn), 0x9e3779b1) ^ Number(id >> 32n)) >>> 0);
  next();
  const nAssets = 1 + (next() % 3);
  const picked = new Set<number>();
  while (picked.size < nAssets) picked.add(next() % ASSET_IDS.length);
  const assets: PositionAsset[] = [...picked]
    .sort((a, b) => a - b)
    .map((k) => ({ assetId: ASSET_IDS[k]!, balance: signed(next, 40, true), cachedFundingIndex: signed(next, 36) }));
  return { starkKey: randomBits(next, 8, 27) /* < 2^251 */, collateral: signed(next, 50), assets };
}

export function syntheticPositions(count: number, seed = 0x5eed, firstId = 0n): ContiguousPositions {
  return { firstId, count, positionAt: (i) => syntheticPosition(seed, firstId + BigInt(i)) };
}
