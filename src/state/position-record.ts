import { TypeCheckError } from '../errors.js';
import type { PositionRecord } from '../starkex/onchain-data.js';
import type { Position } from './position.js';

/**
 * The on-chain data record that takes `previous` to `next` (l1-data-tree.md §3.2, as the Cairo
 * `serialize_change` writes it): new key and collateral, the funding timestamp the position is
 * settled at, and only assets whose balance changed — a deleted asset with balance 0. Cached
 * funding indices are not written: they follow from the timestamp. Used to build batches (devnet
 * operator) and to check `computePositionChanges` against its inverse.
 */
export function positionRecord(
  positionId: bigint,
  previous: Position,
  next: Position,
  fundingTimestamp: bigint,
): PositionRecord {
  for (const [field, p] of [
    ['previous', previous],
    ['next', next],
  ] as const) {
    if (p === null || typeof p !== 'object' || !Array.isArray(p.assets))
      throw new TypeCheckError(field, p, 'a Position { starkKey, collateral, assets[] }');
  }
  const before = new Map(previous.assets.map((a) => [a.assetId, a.balance]));
  const after = new Map(next.assets.map((a) => [a.assetId, a.balance]));
  const ids = [...new Set([...before.keys(), ...after.keys()])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const assets: PositionRecord['assets'] = [];
  for (const assetId of ids) {
    const balance = after.get(assetId) ?? 0n;
    if (balance !== (before.get(assetId) ?? 0n)) assets.push({ assetId, balance });
  }
  return { positionId, starkKey: next.starkKey, collateral: next.collateral, fundingTimestamp, assets };
}
