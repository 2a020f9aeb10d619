import { EMPTY_ORDERS_ROOT } from '../../../devnet/deploy.js';
import { encodeSharedState, type SharedState } from '../../../src/starkex/shared-state.js';
import type { Position } from '../../../src/state/position.js';
import { PositionTree } from '../../../src/tree/position-tree.js';

/**
 * A positions tree over `positions` and the shared state words committing to its root (height 64,
 * empty orders tree), with the given market data: what the escape verifier tests prove against.
 */
export async function escapeState(
  positions: ReadonlyArray<readonly [bigint, Position]>,
  market: Pick<SharedState, 'fundingIndices' | 'oraclePrices'>,
): Promise<{ tree: PositionTree; words: bigint[] }> {
  const tree = await PositionTree.create();
  await tree.update(positions);
  const words = encodeSharedState({
    positionsRoot: await tree.root(),
    positionsTreeHeight: 64n,
    ordersRoot: EMPTY_ORDERS_ROOT,
    ordersTreeHeight: 64n,
    fundingTimestamp: 1_700_000_000n,
    systemTime: 1_700_000_000n,
    ...market,
  });
  return { tree, words };
}
