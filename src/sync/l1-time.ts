import type { SyncCheckpoint } from './types.js';

/**
 * "Now" for a forced request's deadline, in seconds: L1 time, as the contract measures it with
 * `block.timestamp` (l1-data-tree.md, forced requests and the freeze). It is the wall clock here,
 * or the head block's time as the sync last read it, carried forward by the wall clock since the
 * read, whichever is later: a devnet whose time was moved, or a clock here that runs behind, would
 * otherwise show a freeze as days away when L1 already allows it.
 */
export function l1NowSeconds(cp: Pick<SyncCheckpoint, 'headTime'> | undefined, nowMs: number): bigint {
  const wall = BigInt(Math.floor(nowMs / 1000));
  const h = cp?.headTime;
  if (!h) return wall;
  const carried = h.seconds + BigInt(Math.max(0, Math.floor((nowMs - h.readAtMs) / 1000)));
  return carried > wall ? carried : wall;
}
