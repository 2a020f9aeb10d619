import fc from 'fast-check';
import { TypeCheckError } from '../../../src/errors.js';
import { describe, expect, it } from 'vitest';
import {
  EMPTY_POSITION,
  FIELD_PRIME,
  RangeCheckError,
  checkLeafPosition,
  emptySubtreeRoot,
  emptySubtreeRoots,
  pedersen,
  positionHashChain,
  positionLeafHash,
  positionLeafHashes,
  positionLeafWords,
  type Position,
} from '../../helpers/core.js';
import { hashChains } from '../../../src/tree/position-leaf.js';
import { readVector } from '../../helpers/vectors.js';
import {
  asciiAssetId,
  fromRiskVector,
  fromTreeVector,
  type RiskVectorPosition,
  type TreeVectorPosition,
} from './helpers.js';

const hex = (x: bigint): string => `0x${x.toString(16).padStart(64, '0')}`;

describe('position leaf hash — vectors', () => {
  it(`reproduces l1tree-position-leaf-expected.json (hash and 2-asset chain)`, () => {
    const v = readVector<{
      cases: (TreeVectorPosition & { expectedHash: string; expectedHashChain?: { left: string; right: string }[] })[];
    }>('l1tree-position-leaf-expected.json');
    expect(v.cases.length).toBe(3);
    for (const c of v.cases) {
      // The vector's 3rd case is given unsorted (l2beat sorts); Position requires sorted assets.
      const p = fromTreeVector(c);
      expect(hex(positionLeafHash(p))).toBe(c.expectedHash);
      if (c.expectedHashChain) {
        const { pairs, leaf } = positionHashChain(p);
        expect(pairs.map(([l, r]) => ({ left: hex(l), right: hex(r) }))).toEqual(c.expectedHashChain);
        expect(leaf).toBe(BigInt(c.expectedHash));
      }
    }
  });

  it(`reproduces risk/position_leaf_hash_l2beat.json (hashes and merkle prefix nodes)`, () => {
    const v = readVector<{
      vectors: { position: RiskVectorPosition; expected_hash: string }[];
      merkle_prefix_example_2_assets: { nodes: [string, string][] };
    }>('risk/position_leaf_hash_l2beat.json');
    expect(v.vectors.length).toBe(3);
    for (const c of v.vectors) expect(positionLeafHash(fromRiskVector(c.position))).toBe(BigInt(c.expected_hash));
    const twoAssets = fromRiskVector(v.vectors[2]!.position);
    expect(positionHashChain(twoAssets).pairs).toEqual(
      v.merkle_prefix_example_2_assets.nodes.map(([l, r]) => [BigInt(l), BigInt(r)]),
    );
  });

  it(`reproduces the position hashes and escape leaf words of risk/derived_risk_cases.json`, () => {
    const v = readVector<{
      cases: {
        label: string;
        position_before_funding: RiskVectorPosition;
        position_hash_before_funding: string;
        escape_leaf_words_before_funding: string[];
      }[];
    }>('risk/derived_risk_cases.json');
    expect(v.cases.length).toBeGreaterThanOrEqual(9);
    const ps = v.cases.map((c) => fromRiskVector(c.position_before_funding));
    ps.forEach((p, i) =>
      expect(positionLeafWords(p), v.cases[i]!.label).toEqual(v.cases[i]!.escape_leaf_words_before_funding.map(BigInt)),
    );
    // The batched path (one pedersenMany per chain step across positions) agrees with the vector.
    expect(positionLeafHashes(ps)).toEqual(v.cases.map((c) => BigInt(c.position_hash_before_funding)));
  });

  it('asset ids are ASCII right-padded to 15 bytes (vector convention)', () => {
    expect(asciiAssetId('BTC-10')).toBe(0x4254432d3130000000000000000000n);
  });
});

describe('position leaf hash — definition', () => {
  it('the empty position hashes to H(H(0,0), 2^79) = E_0', () => {
    const e0 = pedersen(pedersen(0n, 0n), 1n << 79n);
    expect(positionLeafHash(EMPTY_POSITION)).toBe(e0);
    expect(emptySubtreeRoot(0)).toBe(e0);
  });

  it('batched leaf hashes equal one-by-one hashes (mixed asset counts)', () => {
    const ps: Position[] = [
      EMPTY_POSITION,
      { starkKey: 7n, collateral: -5n, assets: [{ assetId: 1n, balance: -1n, cachedFundingIndex: -(1n << 63n) }] },
      { starkKey: FIELD_PRIME - 1n, collateral: (1n << 63n) - 1n, assets: [] },
      {
        starkKey: 9n,
        collateral: 0n,
        assets: [
          { assetId: 3n, balance: 2n, cachedFundingIndex: 0n },
          { assetId: (1n << 120n) - 1n, balance: (1n << 63n) - 1n, cachedFundingIndex: (1n << 63n) - 1n },
        ],
      },
    ];
    expect(positionLeafHashes(ps)).toEqual(ps.map(positionLeafHash));
  });

  it('leaf words place each field where the escape verifier reads it', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }),
        fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }).filter((b) => b !== 0n),
        fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }),
        fc.bigInt({ min: 0n, max: (1n << 120n) - 1n }),
        (collateral, balance, fi, assetId) => {
          const [w, key, last] = positionLeafWords({
            starkKey: 5n,
            collateral,
            assets: [{ assetId, balance, cachedFundingIndex: fi }],
          });
          expect(key).toBe(5n);
          expect(w! >> 128n).toBe(assetId);
          expect(((w! >> 64n) & ((1n << 64n) - 1n)) - (1n << 63n)).toBe(fi);
          expect((w! & ((1n << 64n) - 1n)) - (1n << 63n)).toBe(balance);
          expect(last! & 0xffffn).toBe(1n);
          expect((last! >> 16n) - (1n << 63n)).toBe(collateral);
          expect(w! < FIELD_PRIME && last! < FIELD_PRIME).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('E_0..E_64 are H(E_{h-1}, E_{h-1}) and stable across calls', () => {
    const all = emptySubtreeRoots();
    expect(all.length).toBe(65);
    for (const h of [1, 2, 33, 64]) expect(all[h]).toBe(pedersen(all[h - 1]!, all[h - 1]!));
    expect(emptySubtreeRoots()).toEqual(all);
    expect(() => emptySubtreeRoot(65)).toThrow(RangeCheckError);
    expect(() => emptySubtreeRoot(-1)).toThrow(RangeCheckError);
    expect(() => emptySubtreeRoot(1.5)).toThrow(RangeCheckError);
  });

  it(`E_0..E_64 match l1tree-empty-subtree-roots.json and E_64 the published empty root`, () => {
    const v = readVector<{ positionTree: { E_by_height: Record<string, string> } }>('l1tree-empty-subtree-roots.json');
    const expected = Array.from({ length: 65 }, (_, h) => BigInt(v.positionTree.E_by_height[String(h)]!));
    expect(emptySubtreeRoots()).toEqual(expected);
    const m = readVector<{ emptyPositionTreeRootHeight64: string }>('l1tree-merkle-tree-expected.json');
    expect(emptySubtreeRoot(64)).toBe(BigInt(m.emptyPositionTreeRootHeight64));
    // dYdX getVaultRoot(), the initial root (l1-data-tree.md §4.4), a published on-chain constant.
    expect(emptySubtreeRoot(64)).toBe(0x052ddcbdd431a044cf838a71d194248640210b316d7b1a568997ecad9dec9626n);
  });
});

describe('position leaf hash — validation', () => {
  const ok: Position = {
    starkKey: 1n,
    collateral: 2n,
    assets: [
      { assetId: 10n, balance: 3n, cachedFundingIndex: 4n },
      { assetId: 11n, balance: -3n, cachedFundingIndex: 4n },
    ],
  };
  const withAsset = (i: number, patch: Partial<Position['assets'][number]>): Position => ({
    ...ok,
    assets: ok.assets.map((a, k) => (k === i ? { ...a, ...patch } : a)),
  });
  const cases: [string, Position, RegExp][] = [
    ['starkKey = P', { ...ok, starkKey: FIELD_PRIME }, /^position\.starkKey: .*< P/],
    ['starkKey < 0', { ...ok, starkKey: -1n }, /^position\.starkKey: /],
    [
      'collateral = 2^63',
      { ...ok, collateral: 1n << 63n },
      /^position\.collateral: 9223372036854775808 is out of range; expected -2\^63 <= collateral < 2\^63/,
    ],
    ['collateral < -2^63', { ...ok, collateral: -(1n << 63n) - 1n }, /^position\.collateral: /],
    [
      'balance = 2^63',
      withAsset(0, { balance: 1n << 63n }),
      /^position\.assets\[0\]\.balance: .*-2\^63 <= balance < 2\^63/,
    ],
    ['balance = 0', withAsset(1, { balance: 0n }), /^position\.assets\[1\]\.balance: 0 .*balance != 0/],
    [
      'funding index < -2^63',
      withAsset(0, { cachedFundingIndex: -(1n << 63n) - 1n }),
      /^position\.assets\[0\]\.cachedFundingIndex: /,
    ],
    ['asset id = 2^120', withAsset(1, { assetId: 1n << 120n }), /^position\.assets\[1\]\.assetId: .*< 2\^120/],
    ['asset id < 0', withAsset(0, { assetId: -1n }), /^position\.assets\[0\]\.assetId: /],
    [
      'unsorted assets',
      { ...ok, assets: [...ok.assets].reverse() },
      /^position\.assets\[1\]\.assetId: 10 .*> 11 \(assets sorted/,
    ],
    ['duplicate asset', withAsset(1, { assetId: 10n }), /^position\.assets\[1\]\.assetId: 10 .*no duplicates/],
    [
      '65 assets',
      {
        ...ok,
        assets: Array.from({ length: 65 }, (_, i) => ({ assetId: BigInt(i + 1), balance: 1n, cachedFundingIndex: 0n })),
      },
      /^position\.assets\.length: 65 .*at most 64/,
    ],
  ];
  for (const [name, p, message] of cases) {
    it(`rejects ${name} with a RangeCheckError naming the field`, () => {
      expect(() => positionLeafHash(p)).toThrow(RangeCheckError);
      expect(() => positionLeafHash(p)).toThrow(message);
      expect(() => positionLeafHashes([ok, p])).toThrow(RangeCheckError);
    });
  }

  it('accepts the range edges and exactly 64 assets', () => {
    expect(() =>
      checkLeafPosition(withAsset(0, { balance: -(1n << 63n), cachedFundingIndex: (1n << 63n) - 1n })),
    ).not.toThrow();
    const many: Position = {
      ...ok,
      assets: Array.from({ length: 64 }, (_, i) => ({ assetId: BigInt(i), balance: 1n, cachedFundingIndex: 0n })),
    };
    expect(positionLeafWords(many).length).toBe(66);
  });

  it('rejects wrong types with TypeCheckError', () => {
    expect(() => positionLeafHash({ ...ok, collateral: 2 as unknown as bigint })).toThrow(TypeCheckError);
    expect(() => positionLeafHash(withAsset(0, { assetId: '10' as unknown as bigint }))).toThrow(TypeCheckError);
    expect(() => positionLeafHash(null as unknown as Position)).toThrow(TypeCheckError);
  });
});

describe('hash chains at mainnet scale', () => {
  it('chains 500 k leaves without a call whose arguments grow with them (a Web Worker stack holds far fewer)', async () => {
    // The sync's first catch-up checkpoint hashes every dirty leaf at once: 100 k positions at the
    // mainnet-shaped benchmark overflowed the sync worker's stack through Math.max(...lengths).
    const lists = Array.from({ length: 500_000 }, (_, i) => [BigInt(i)]);
    let calls = 0;
    const states = await hashChains(lists, async (a, b) => (calls++, a.map((x, i) => x + b[i]!)));
    expect(calls).toBe(1);
    expect(states[499_999]).toEqual([0n, 499_999n]);
  });
});
