import { describe, expect, it } from 'vitest';
import { PositionTree, RangeCheckError, positionLeafHash, verifyEscapeProof } from '../../helpers/core.js';

// Sparse arrays and absurd lengths must fail fast with an error naming the field, never be
// skipped silently or reach the arithmetic as `undefined`.
describe('tree: malformed arrays', () => {
  const asset = { assetId: 5n, balance: 1n, cachedFundingIndex: 0n };

  it('a hole in position.assets is a missing asset, not a skipped one', () => {
    const assets = [asset];
    assets.length = 2; // [asset, <hole>]
    expect(() => positionLeafHash({ starkKey: 1n, collateral: 0n, assets })).toThrow(/position\.assets\[1\]\.assetId/);
  });

  it('a hole in update entries is refused and nothing is written', async () => {
    const tree = await PositionTree.create(undefined, { height: 4 });
    const before = await tree.root();
    const entries: [bigint, { starkKey: bigint; collateral: bigint; assets: never[] }][] = [
      [1n, { starkKey: 1n, collateral: 5n, assets: [] }],
    ];
    entries.length = 2;
    await expect(tree.update(entries)).rejects.toThrow(/entries\[1\]/);
    expect(await tree.root()).toBe(before);
  });

  it('verifyEscapeProof names a hole and refuses absurd lengths at once', () => {
    const proof = new Array<bigint>(134).fill(0n);
    delete (proof as unknown as Record<number, unknown>)[7];
    expect(() => verifyEscapeProof(proof, 0, [0n, 64n])).toThrow(/merkleProof\[7\]: expected bigint/);
    const huge = [] as bigint[];
    huge.length = 2 ** 30;
    expect(() => verifyEscapeProof(huge, 0, [0n, 64n])).toThrow(RangeCheckError);
    expect(() => verifyEscapeProof(huge, 0, [0n, 64n])).toThrow(/merkleProof\.length/);
  });
});
