import type { SharedState } from '../../src/starkex/shared-state.js';
import { emptySubtreeRoot } from '../../src/tree/empty-subtrees.js';

/**
 * A decodable shared state with an empty positions tree of `height` (no funding, no prices, time 0):
 * the genesis of the sync tests (browser-safe: the read-model scenario runs it in Chromium too).
 */
export function genesisSharedState(height = 64, positionsRoot = emptySubtreeRoot(height)): SharedState {
  return {
    positionsRoot,
    positionsTreeHeight: BigInt(height),
    ordersRoot: 0x07ced9b79b31453a1d939ac7fc159188f369ee677d20385864c767fc391fa61bn,
    ordersTreeHeight: 64n,
    fundingIndices: [],
    fundingTimestamp: 0n,
    oraclePrices: [],
    systemTime: 0n,
  };
}
