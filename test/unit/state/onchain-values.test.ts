import { describe, expect, it } from 'vitest';
import { PositionTree } from '../../../src/tree/index.js';
import { dydxMarketTable } from '../../../src/messages/index.js';
import { readVector } from '../../helpers/vectors.js';

const FILE = 'l1tree-dydx-mainnet-onchain-values.json';

// Values read from the dYdX v3 StarkPerpetual contract (l2beat discovery, block 21343041). The
// vault root there is the initial, empty one (StarkPerpetual never writes it), so it is the root
// Vigil's positions tree starts from before the first state update is applied.
describe(FILE, () => {
  const vec = readVector(FILE).StarkPerpetual;
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
