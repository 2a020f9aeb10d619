import fc from 'fast-check';
import { TypeCheckError } from '../../../src/errors.js';
import { describe, expect, it } from 'vitest';
import {
  EMPTY_POSITION,
  EscapeVerificationError,
  FIELD_PRIME,
  PositionTree,
  RangeCheckError,
  encodeSharedState,
  escapeWithdrawalAmount,
  packEscapeProof,
  positionLeafWords,
  verifyEscapeProof,
  type Position,
} from '../../helpers/core.js';
import { readVector } from '../../helpers/vectors.js';
import { fromRiskVector, sharedStateFor, type RiskVectorPosition } from './helpers.js';

const BIAS = 1n << 63n;

type MainnetEscape = {
  starkKey: string;
  positionId: number;
  expectedWithdrawalAmountQuantized: number;
  verifyEscapeArgs: { merkleProof: string[]; nAssets: number; sharedState: string[] };
};
const mainnet = () => {
  const v = readVector<MainnetEscape>('l1tree-escape-dydx-mainnet-position1-block17605965.json');
  return { v, words: v.verifyEscapeArgs.merkleProof.map(BigInt), ss: v.verifyEscapeArgs.sharedState.map(BigInt) };
};

/** Bits the contract never reads: the 8 trailing bits of each pair and the 4 bits after the root. */
const isPadding = (len: number, k: number, bit: number): boolean => (k === len - 2 ? bit < 4 : k % 2 === 1 && bit < 8);
const flip = (words: readonly bigint[], k: number, bit: number): bigint[] =>
  words.map((w, i) => (i === k ? w ^ (1n << BigInt(bit)) : w));
const reason = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    if (err instanceof EscapeVerificationError) return err.reason;
    throw err;
  }
  return 'accepted';
};

describe('verifyEscapeProof — the REAL dYdX mainnet escape (position 1, block 17605965)', () => {
  it(`verifies with the expected amount, also in canonical mode`, () => {
    const { v, words, ss } = mainnet();
    const expected = { positionId: BigInt(v.positionId), starkKey: BigInt(v.starkKey), amount: 21899778005454n };
    expect(BigInt(v.expectedWithdrawalAmountQuantized)).toBe(expected.amount);
    expect(verifyEscapeProof(words, v.verifyEscapeArgs.nAssets, ss)).toEqual(expected);
    expect(verifyEscapeProof(words, 0, ss, { canonical: true })).toEqual(expected);
  });

  it(`single-bit flips: rejected, unless the contract never reads that bit (then the same result)`, () => {
    const { words, ss } = mainnet();
    const ok = verifyEscapeProof(words, 0, ss);
    let rejected = 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: words.length - 1 }), fc.integer({ min: 0, max: 255 }), (k, bit) => {
        const bad = flip(words, k, bit);
        if (isPadding(words.length, k, bit)) {
          expect(verifyEscapeProof(bad, 0, ss)).toEqual(ok);
          expect(() => verifyEscapeProof(bad, 0, ss, { canonical: true })).toThrow(/non-canonical proof/);
        } else {
          expect(() => verifyEscapeProof(bad, 0, ss)).toThrow(EscapeVerificationError);
          rejected++;
        }
      }),
      // Fixed seed: a bit in the first words, the leaf words, the path, the root and nodeIdx words.
      {
        numRuns: 30,
        seed: 17605965,
        examples: [
          [0, 4],
          [0, 200],
          [3, 30],
          [3, 8],
          [40, 77],
          [132, 5],
          [133, 9],
          [133, 8 + 66],
        ],
      },
    );
    expect(rejected).toBeGreaterThan(20);
  });

  it(`names the contract's revert for each kind of wrong input`, () => {
    const { words, ss } = mainnet();
    expect(reason(() => verifyEscapeProof(words, 1, ss))).toBe('merkleProof is inconsistent with nAssets.');
    expect(reason(() => verifyEscapeProof(words, 5000, ss))).toBe('merkleProof is inconsistent with nAssets.');
    expect(
      reason(() =>
        verifyEscapeProof(
          words,
          0,
          ss.map((w, i) => (i === 0 ? w ^ 1n : w)),
        ),
      ),
    ).toBe('merkleProof is inconsistent with the root in the sharedState.');
    expect(
      reason(() =>
        verifyEscapeProof(
          words,
          0,
          ss.map((w, i) => (i === 1 ? 65n : w)),
        ),
      ),
    ).toBe('merkleProof is inconsistent with the height in the sharedState.');
    expect(reason(() => verifyEscapeProof(words, 0, ss.slice(0, 4)))).toBe('array index out of bounds');
    expect(reason(() => verifyEscapeProof(flip(words, 0, 8), 0, ss))).toBe('Position hash-chain must start with 0.');
    expect(reason(() => verifyEscapeProof(flip(words, 0, 4), 0, ss))).toBe('Bad Merkle path.');
    expect(reason(() => verifyEscapeProof(flip(words, 3, 8), 0, ss))).toBe('Bad number of assets.');
    expect(reason(() => verifyEscapeProof(flip(words, 133, 8 + 66), 0, ss))).toBe('nodeIdx not in tree.');
    expect(reason(() => verifyEscapeProof([...words.slice(0, 128), ...words.slice(130)], 0, ss))).toBe(
      'merkleProof is inconsistent with the height in the sharedState.',
    );
    // A stark key >= P in the first pair (2^251 + 2^196 > P).
    const keyTooBig = words.map((w, i) => (i === 0 ? 0x8n : i === 1 ? w | (1n << 204n) : w));
    expect(reason(() => verifyEscapeProof(keyTooBig, 0, ss))).toBe('Bad starkKey or assetId.');
    // A shared state that is not a decodable state passes the contract, not canonical mode.
    const trailing = [...ss, 0n];
    expect(verifyEscapeProof(words, 0, trailing).amount).toBe(21899778005454n);
    expect(() => verifyEscapeProof(words, 0, trailing, { canonical: true })).toThrow(/sharedState does not decode/);
    try {
      verifyEscapeProof(words, 0, trailing, { canonical: true });
    } catch (err) {
      expect((err as EscapeVerificationError).onChain).toBe(false);
    }
  });
});

describe('verifyEscapeProof — crafted words (checks that run before any hash)', () => {
  // A 0-asset position with collateral 10: pair 0 = (0, key), pair 1 = (h, collateral word).
  const collateralWord = ((10n + BIAS) << 16n) | 0n;
  const craft = (nLevels: number, nodeIdx = 0n, root = 5n, last = collateralWord): bigint[] =>
    packEscapeProof([[0n, 7n], [1n, last], ...Array.from({ length: nLevels }, () => [2n, 3n] as const)], root, nodeIdx);
  const ss = (height: number, root = 5n) =>
    encodeSharedState(sharedStateFor({ root, height, funding: [], prices: [] }));

  it('length limits, after the amount, root and height checks as in the contract', () => {
    expect(reason(() => verifyEscapeProof(craft(199), 0, ss(199)))).toBe('Proof too long.');
    expect(reason(() => verifyEscapeProof(craft(198), 0, ss(198)))).toBe('Bad Merkle path.');
    const odd = [...craft(64).slice(0, -2), 0n, ...craft(64).slice(-2)];
    expect(reason(() => verifyEscapeProof(odd, 0, ss(64)))).toBe('Proof length must be even.');
    expect(reason(() => verifyEscapeProof([], 0, ss(64)))).toBe('array index out of bounds');
    expect(reason(() => verifyEscapeProof(craft(0).slice(2), 0, ss(64)))).toBe(
      'merkleProof is inconsistent with the height in the sharedState.',
    );
  });

  it('amount and position-word checks', () => {
    expect(reason(() => verifyEscapeProof(craft(3, 0n, 5n, (BIAS << 16n) | 0n), 0, ss(3)))).toBe(
      'Withdrawal amount must be positive.',
    );
    expect(reason(() => verifyEscapeProof(craft(3, 0n, 5n, (1n << 80n) | 0n), 0, ss(3)))).toBe('Bad balance.');
    expect(reason(() => verifyEscapeProof(craft(3, 0n, 5n, collateralWord | 1n), 0, ss(3)))).toBe(
      'Bad number of assets.',
    );
    // An asset the shared state has no funding index / price for.
    const assetWord = (0xabcn << 128n) | (BIAS << 64n) | (BIAS + 1n);
    const withAsset = packEscapeProof(
      [
        [0n, assetWord],
        [1n, 7n],
        [2n, collateralWord | 1n],
        [3n, 4n],
      ],
      5n,
      0n,
    );
    expect(reason(() => verifyEscapeProof(withAsset, 1, ss(1)))).toBe('assetId not found.');
    const fundedOnly = encodeSharedState(
      sharedStateFor({ root: 5n, height: 1, funding: [[0xabcn, 0n]], prices: [[0xabdn, 1n]] }),
    );
    expect(reason(() => verifyEscapeProof(withAsset, 1, fundedOnly))).toBe('assetId not found.');
  });

  it('rejects non-uint256 inputs and bad nAssets with RangeCheckError / TypeCheckError', () => {
    const w = craft(3);
    expect(() =>
      verifyEscapeProof(
        w.map((x, i) => (i === 2 ? 1n << 256n : x)),
        0,
        ss(3),
      ),
    ).toThrow(/^merkleProof\[2\]: /);
    expect(() =>
      verifyEscapeProof(
        w,
        0,
        ss(3).map((x, i) => (i === 1 ? -1n : x)),
      ),
    ).toThrow(RangeCheckError);
    expect(() => verifyEscapeProof(w, -1, ss(3))).toThrow(RangeCheckError);
    expect(() => verifyEscapeProof(w, 0.5, ss(3))).toThrow(RangeCheckError);
    expect(() => verifyEscapeProof(w.map(Number) as unknown as bigint[], 0, ss(3))).toThrow(TypeCheckError);
  });
});

describe('escape proofs from PositionTree', () => {
  const pos = (key: bigint, collateral: bigint, assets: [bigint, bigint, bigint][] = []): Position => ({
    starkKey: key,
    collateral,
    assets: assets.map(([assetId, balance, cachedFundingIndex]) => ({ assetId, balance, cachedFundingIndex })),
  });

  it('a height-64 tree: proofs for ids 0, 1 and 2^64-1 verify with their amounts', async () => {
    const tree = await PositionTree.create();
    const ps: [bigint, Position][] = [
      [0n, pos(11n, 500n)],
      [
        1n,
        pos(FIELD_PRIME - 1n, 7n, [
          [3n, -2n, 100n],
          [9n, 5n, -100n],
        ]),
      ],
      [(1n << 64n) - 1n, pos(13n, (1n << 63n) - 1n)],
    ];
    await tree.update(ps);
    const root = await tree.root();
    const ss = encodeSharedState(
      sharedStateFor({
        root,
        height: 64,
        funding: [
          [3n, 150n],
          [9n, -100n],
        ],
        prices: [
          [3n, 1n << 32n],
          [9n, 2n << 32n],
        ],
      }),
    );
    for (const [id, p] of ps) {
      const words = await tree.escapeProof(id);
      expect(words.length).toBe(2 * (p.assets.length + 2 + 64) + 2);
      const amount = escapeWithdrawalAmount(p, ss);
      expect(verifyEscapeProof(words, p.assets.length, ss, { canonical: true })).toEqual({
        positionId: id,
        starkKey: p.starkKey,
        amount,
      });
    }
    // Position 1: 7 + (−2·1 + 5·2) = 15; funding −Σ balance·Δindex = −(−2)(150−100) = +100, i.e. +100/2^32: floored away.
    expect(escapeWithdrawalAmount(ps[1]![1], ss)).toBe(15n);
  });

  it(`amounts equal risk/derived_risk_cases.json escape_amount_quantums (prices, funding, shorts)`, async () => {
    const v = readVector<{
      cases: {
        label: string;
        position_before_funding: RiskVectorPosition;
        oracle_prices_internal: Record<string, string>;
        global_funding_indices: Record<string, string>;
        escape_amount_quantums: string;
      }[];
    }>('risk/derived_risk_cases.json');
    const tree = await PositionTree.create(undefined, { height: 4 });
    const entries = v.cases.map((c, i) => [BigInt(i), fromRiskVector(c.position_before_funding)] as const);
    await tree.update(entries);
    const root = await tree.root();
    let positive = 0;
    for (const [i, c] of v.cases.entries()) {
      const p = entries[i]![1];
      const ss = encodeSharedState(
        sharedStateFor({
          root,
          height: 4,
          funding: Object.entries(c.global_funding_indices).map(([a, x]) => [BigInt(a), BigInt(x)] as const),
          prices: Object.entries(c.oracle_prices_internal).map(([a, x]) => [BigInt(a), BigInt(x)] as const),
        }),
      );
      const expected = BigInt(c.escape_amount_quantums);
      expect(escapeWithdrawalAmount(p, ss), c.label).toBe(expected);
      const words = await tree.escapeProof(BigInt(i));
      if (expected > 0n) {
        positive++;
        expect(verifyEscapeProof(words, p.assets.length, ss, { canonical: true }), c.label).toEqual({
          positionId: BigInt(i),
          starkKey: p.starkKey,
          amount: expected,
        });
      } else {
        expect(
          reason(() => verifyEscapeProof(words, p.assets.length, ss)),
          c.label,
        ).toBe('Withdrawal amount must be positive.');
      }
    }
    expect(positive).toBe(8);
  });

  it('a multi-asset proof: every single-bit flip of a word is rejected in canonical mode, and outside padding in contract mode', async () => {
    const tree = await PositionTree.create(undefined, { height: 3 });
    const p = pos(0x1234n, 1_000_000n, [
      [0x10n, -300n, 5n << 32n],
      [0x20n, 40n, -(3n << 32n)],
    ]);
    await tree.update([
      [5n, p],
      [4n, pos(1n, 1n)],
      [2n, pos(2n, 2n)],
    ]);
    const ss = encodeSharedState(
      sharedStateFor({
        root: await tree.root(),
        height: 3,
        funding: [
          [0x10n, 6n << 32n],
          [0x20n, -(3n << 32n)],
          [0x30n, 0n],
        ],
        prices: [
          [0x10n, 7n << 32n],
          [0x20n, 1n << 31n],
          [0x30n, 1n],
        ],
      }),
    );
    const words = await tree.escapeProof(5n);
    expect(words.length).toBe(16);
    const ok = verifyEscapeProof(words, 2, ss, { canonical: true });
    // 1_000_000 − 300·7 + 40/2 − (−300)(6−5) − 0 = 998_220
    expect(ok).toEqual({ positionId: 5n, starkKey: 0x1234n, amount: 998_220n });
    for (let k = 0; k < words.length; k++) {
      for (const bit of [0, 3, 4, 7, 8, 9, 23, 64, 127, 128, 200, 247, 248, 251, 252, 255]) {
        const bad = flip(words, k, bit);
        expect(() => verifyEscapeProof(bad, 2, ss, { canonical: true }), `word ${k} bit ${bit}`).toThrow(
          EscapeVerificationError,
        );
        if (isPadding(words.length, k, bit)) expect(verifyEscapeProof(bad, 2, ss), `word ${k} bit ${bit}`).toEqual(ok);
        else expect(() => verifyEscapeProof(bad, 2, ss), `word ${k} bit ${bit}`).toThrow(EscapeVerificationError);
      }
    }
    for (const n of [0, 1, 3, 4])
      expect(() => verifyEscapeProof(words, n, ss), `nAssets ${n}`).toThrow(EscapeVerificationError);
    // Wrong shared state: another root, another height, an asset missing.
    const other = (patch: Parameters<typeof sharedStateFor>[0]) => encodeSharedState(sharedStateFor(patch));
    const base = {
      root: await tree.root(),
      height: 3,
      funding: [
        [0x10n, 6n << 32n],
        [0x20n, 0n],
      ] as const,
      prices: [
        [0x10n, 1n],
        [0x20n, 1n],
      ] as const,
    };
    expect(reason(() => verifyEscapeProof(words, 2, other({ ...base, root: base.root ^ 1n })))).toBe(
      'merkleProof is inconsistent with the root in the sharedState.',
    );
    expect(reason(() => verifyEscapeProof(words, 2, other({ ...base, height: 4 })))).toBe(
      'merkleProof is inconsistent with the height in the sharedState.',
    );
    expect(reason(() => verifyEscapeProof(words, 2, other({ ...base, prices: [[0x10n, 1n]] })))).toBe(
      'assetId not found.',
    );
    expect(reason(() => verifyEscapeProof(words, 2, other({ ...base, funding: [[0x20n, 1n]] })))).toBe(
      'assetId not found.',
    );
    // Assets found out of order (the contract searches forward from the last match) are not found.
    expect(
      reason(() => verifyEscapeProof(words, 2, [...ss.slice(0, 5), ss[7]!, ss[8]!, ss[5]!, ss[6]!, ...ss.slice(9)])),
    ).toBe('assetId not found.');
    // The empty leaf's proof is a valid Merkle proof with amount 0.
    const emptyLeaf = await tree.escapeProof(0n);
    expect(reason(() => verifyEscapeProof(emptyLeaf, 0, ss))).toBe('Withdrawal amount must be positive.');
    expect((await tree.position(0n)) === EMPTY_POSITION).toBe(true);
  });
});

describe('escapeWithdrawalAmount — the mod-2^256 contract arithmetic equals exact floor arithmetic', () => {
  const floorDiv = (a: bigint, b: bigint): bigint => (a >= 0n ? a / b : -((-a + b - 1n) / b));
  const s64 = fc.bigInt({ min: -BIAS, max: BIAS - 1n });
  it('for random positions, prices and funding (property)', () => {
    fc.assert(
      fc.property(
        s64,
        fc.uniqueArray(
          fc.record({
            id: fc.bigInt({ min: 1n, max: 1n << 119n }),
            balance: s64.filter((b) => b !== 0n),
            cached: s64,
            global: s64,
            price: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
          }),
          {
            maxLength: 5,
            selector: (a) => a.id,
          },
        ),
        (collateral, raw) => {
          const assets = [...raw].sort((a, b) => (a.id < b.id ? -1 : 1));
          const p: Position = {
            starkKey: 1n,
            collateral,
            assets: assets.map((a) => ({ assetId: a.id, balance: a.balance, cachedFundingIndex: a.cached })),
          };
          const ss = encodeSharedState(
            sharedStateFor({
              root: 1n,
              height: 64,
              funding: assets.map((a) => [a.id, a.global] as const),
              prices: assets.map((a) => [a.id, a.price] as const),
            }),
          );
          const fxp = (collateral << 32n) + assets.reduce((s, a) => s + a.balance * a.price, 0n);
          const funding = -assets.reduce((s, a) => s + a.balance * (a.global - a.cached), 0n);
          const exact = floorDiv(fxp + floorDiv(funding, 1n << 32n) * (1n << 32n), 1n << 32n);
          expect(escapeWithdrawalAmount(p, ss)).toBe(exact);
          expect(positionLeafWords(p).length).toBe(assets.length + 2);
        },
      ),
      { numRuns: 300 },
    );
  });
});
