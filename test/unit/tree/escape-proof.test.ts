import { describe, expect, it } from 'vitest';
import {
  DecodeError,
  FIELD_PRIME,
  RangeCheckError,
  encodeEscapeProof,
  escapeProofPosition,
  packEscapeProof,
  positionLeafHash,
  unpackEscapeProof,
  verifyEscapeProof,
  type NodePair,
} from '../../helpers/core.js';
import { readVector } from '../../helpers/vectors.js';

type MainnetEscape = {
  starkKey: string;
  positionId: number;
  nAssets: number;
  expectedWithdrawalAmountQuantized: number;
  verifyEscapeArgs: { merkleProof: string[]; nAssets: number; sharedState: string[] };
};
const mainnet = () => {
  const v = readVector<MainnetEscape>('l1tree-escape-dydx-mainnet-position1-block17605965.json');
  return {
    v,
    words: v.verifyEscapeArgs.merkleProof.map(BigInt),
    sharedState: v.verifyEscapeArgs.sharedState.map(BigInt),
  };
};

describe('escape proof encoding (l1-data-tree.md §4.6)', () => {
  it(`packs the l2beat proofForLeaf7 into l1tree-serialize-merkle-proof-for-escape-expected.json`, () => {
    const tree = readVector<{
      proofForLeaf7: {
        expected: {
          leafIndex: number;
          leafPrefixLength: number;
          root: string;
          path: { left: string; right: string }[];
        };
      };
    }>('l1tree-merkle-tree-expected.json').proofForLeaf7.expected;
    const out = readVector<{ expectedUint256Words: string[] }>(
      'l1tree-serialize-merkle-proof-for-escape-expected.json',
    ).expectedUint256Words.map(BigInt);
    const pairs: NodePair[] = tree.path.map((p) => [BigInt(p.left), BigInt(p.right)]);
    const nodeIdx = BigInt(tree.leafIndex) << BigInt(tree.leafPrefixLength);
    const words = packEscapeProof(pairs, BigInt(tree.root), nodeIdx);
    expect(words).toEqual(out);
    expect(unpackEscapeProof(out)).toEqual({ pairs, root: BigInt(tree.root), nodeIdx });
    // Its fake stark key is above P (see the vector's note): the contract refuses it, and so do we.
    // (With a shared state that prices its asset, so the amount check passes and the Merkle check runs.)
    const btc = pairs[0]![1] >> 128n;
    const ss = [BigInt(tree.root), 3n, 0n, 3n, 1n, btc, (1n << 63n) + 4n, 0n, 1n, btc, 1n, 0n];
    expect(() => verifyEscapeProof(out, 1, ss)).toThrow(/Value out of range\./);
  });

  it(`re-encodes the REAL mainnet proof from its position and path: the same 134 words`, () => {
    const { v, words } = mainnet();
    expect(words.length).toBe(134);
    const { positionId, position } = escapeProofPosition(words, v.nAssets);
    expect(positionId).toBe(BigInt(v.positionId));
    expect(position.starkKey).toBe(BigInt(v.starkKey));
    expect(position.collateral).toBe(BigInt(v.expectedWithdrawalAmountQuantized));
    expect(position.assets).toEqual([]);
    const { pairs, root } = unpackEscapeProof(words);
    expect(pairs.length).toBe(66);
    const path = pairs.slice(v.nAssets + 2);
    expect(path[0]![Number(positionId & 1n)]).toBe(positionLeafHash(position));
    expect(encodeEscapeProof(position, path, root, positionId)).toEqual(words);
  });

  it('validates encoder inputs', () => {
    const p = { starkKey: 5n, collateral: 100n, assets: [] };
    const leaf = positionLeafHash(p);
    const path: NodePair[] = [
      [7n, leaf],
      [1n, 2n],
    ];
    expect(encodeEscapeProof(p, path, 3n, 1n).length).toBe(2 * (2 + 2) + 2);
    expect(() => encodeEscapeProof(p, path, 3n, 0n)).toThrow(/^pathPairs\[0\]\.left: /); // leaf sits on the right for odd ids
    expect(() => encodeEscapeProof(p, path, 3n, 4n)).toThrow(/^positionId: 4 .*< 2\^2/);
    expect(() =>
      encodeEscapeProof(
        p,
        [
          [7n, leaf],
          [FIELD_PRIME, 2n],
        ],
        3n,
        1n,
      ),
    ).toThrow(/^pathPairs\[1\]\.left: /);
    expect(() => encodeEscapeProof(p, path, FIELD_PRIME, 1n)).toThrow(RangeCheckError);
    expect(() => encodeEscapeProof(p, [], 3n, 0n)).toThrow(RangeCheckError);
    expect(() => packEscapeProof([[1n << 252n, 0n]], 0n, 0n)).toThrow(/^pairs\[0\]\.left: /);
    expect(() => packEscapeProof([[0n, 0n]], 0n, 1n << 248n)).toThrow(/^nodeIdx: /);
  });

  it('unpack / escapeProofPosition refuse malformed words with DecodeError', () => {
    const good = packEscapeProof(
      [
        [0n, 5n],
        [1n, 1n << 79n],
        [2n, 3n],
        [4n, 5n],
      ],
      9n,
      1n << 2n,
    );
    expect(unpackEscapeProof(good).nodeIdx).toBe(4n);
    expect(() => unpackEscapeProof(good.slice(1))).toThrow(DecodeError);
    expect(() => unpackEscapeProof([])).toThrow(DecodeError);
    expect(() => unpackEscapeProof(good.map((w, i) => (i === 1 ? w | 1n : w)))).toThrow(
      /at word 1 expected zero padding bits/,
    );
    expect(() => unpackEscapeProof(good.map((w, i) => (i === 8 ? w | 1n : w)))).toThrow(
      /at word 8 expected zero padding bits/,
    );
    expect(() => unpackEscapeProof(good.map((w, i) => (i === 0 ? 1n << 256n : w)))).toThrow(DecodeError);
    expect(escapeProofPosition(good, 0)).toEqual({
      positionId: 1n,
      position: { starkKey: 5n, collateral: 0n, assets: [] },
    });
    expect(() => escapeProofPosition(good, 1)).toThrow(DecodeError); // nodeIdx low 3 bits not 0
    expect(() => escapeProofPosition(good, 2)).toThrow(RangeCheckError); // needs a tree level too
    const startsAt1 = packEscapeProof(
      [
        [1n, 5n],
        [1n, 1n << 79n],
        [2n, 3n],
      ],
      9n,
      4n,
    );
    expect(() => escapeProofPosition(startsAt1, 0)).toThrow(/hash chain starting at 0/);
  });
});
