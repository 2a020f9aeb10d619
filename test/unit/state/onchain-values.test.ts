import { describe, expect, it } from 'vitest';
import { PositionTree } from '../../../src/tree/index.js';
import { dydxMarketTable } from '../../../src/messages/index.js';
import { HAVE_VECTORS, NO_VECTORS_MESSAGE, readVector } from '../../helpers/vectors.js';

const FILE = 'l1tree-dydx-mainnet-onchain-values.json';
const V = (name: string) => `${name}${HAVE_VECTORS ? '' : ` (${NO_VECTORS_MESSAGE})`}`;

// Values read from the dYdX v3 StarkPerpetual contract (l2beat discovery, block 21343041). The
// vault root there is the initial, empty one (StarkPerpetual never writes it), so it is the root
// Vigil's positions tree starts from before the first state update is applied.
describe.skipIf(!HAVE_VECTORS)(V(FILE), () => {
  const vec = HAVE_VECTORS ? readVector(FILE).StarkPerpetual : ({} as any);
  const word = (s: string) => BigInt(s.split(' ')[0]!);

  it('getVaultRoot (height getVaultTreeHeight) is the root of an empty positions tree', async () => {
    expect(vec.getVaultTreeHeight).toBe(64);
    const tree = await PositionTree.create();
    expect(await tree.root()).toBe(word(vec.getVaultRoot));
  });

  it('getSystemAssetType is the mainnet collateral asset id of the dYdX market table', () => {
    expect(dydxMarketTable(1).collateral.assetId).toBe(word(vec.getSystemAssetType));
  });
});
