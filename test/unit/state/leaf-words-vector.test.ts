import { describe, expect, it } from 'vitest';
import { positionLeafWords } from '../../../src/tree/index.js';
import { assetIdFromText } from '../../../src/starkex/index.js';
import type { Position } from './imports.js';
import { readVector } from '../../helpers/vectors.js';

const FILE = 'l1tree-asset-id-encoding-expected.json';

// The two `packBytes` cases of l2beat are the two kinds of position-leaf word (l1-data-tree.md
// §4.3): (collateral + 2^63)·2^16 + nAssets, and assetId·2^128 + (cachedFundingIndex + 2^63)·2^64 +
// (balance + 2^63). Building them from a Position (unbiased values) must give the same bytes.
describe(`${FILE} (packBytes)`, () => {
  const cases = readVector(FILE).packBytes;
  const hex = (w: bigint, bytes: number) => w.toString(16).padStart(2 * bytes, '0');
  const BIAS = 1n << 63n;

  it('the collateral word and the asset word of a one-asset position', () => {
    const [collateralCase, assetCase] = cases;
    const [biasedCollateral, nAssets] = collateralCase.parts.map((p: { value: string }) => BigInt(p.value));
    const [assetId, biasedFunding, biasedBalance] = assetCase.parts.map((p: { value: string }) => BigInt(p.value));
    expect(assetId).toBe(assetIdFromText('ETH-9'));
    expect(nAssets).toBe(1n);
    const position: Position = {
      starkKey: 1n,
      collateral: biasedCollateral - BIAS,
      assets: [{ assetId, balance: biasedBalance - BIAS, cachedFundingIndex: biasedFunding - BIAS }],
    };
    const words = positionLeafWords(position);
    expect(words).toHaveLength(3);
    expect(hex(words[0]!, 32)).toBe(assetCase.expectedHex);
    expect(hex(words[2]!, 10)).toBe(collateralCase.expectedHex);
  });
});
