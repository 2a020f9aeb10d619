import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  asciiToFelt,
  assetIdFromText,
  assetIdToText,
  DecodeError,
  decodeSharedState,
  encodeSharedState,
  RangeCheckError,
  type SharedState,
} from './imports.js';
import { readVector } from '../../helpers/vectors.js';
import { sharedStateArb } from './arbitraries.js';

describe('asciiToFelt (ASCII left-aligned in a fixed number of bytes)', () => {
  it('encodes known asset names and oracle-price names', () => {
    expect(asciiToFelt('ETH-9', 15)).toBe(0x4554482d3900000000000000000000n);
    expect(asciiToFelt('BTC-10', 15)).toBe(0x4254432d3130000000000000000000n);
    expect(asciiToFelt('BTCUSD', 16)).toBe(0x42544355534400000000000000000000n);
    expect(asciiToFelt('Maker', 5)).toBe(0x4d616b6572n);
    expect(asciiToFelt('', 2)).toBe(0n);
  });

  it('rejects text longer than its bytes, outside ASCII or not a string', () => {
    expect(() => asciiToFelt('ABCDEF', 5)).toThrow(RangeCheckError);
    expect(() => asciiToFelt('é', 5)).toThrow(RangeCheckError);
    expect(() => asciiToFelt(null as unknown as string, 5)).toThrow(RangeCheckError);
  });
});

describe('asset id text (15-byte ASCII)', () => {
  it(`reproduces l1tree-asset-id-encoding-expected.json`, () => {
    const { assetIds } = readVector<{ assetIds: { assetId: string; encoded15Bytes: string }[] }>(
      'l1tree-asset-id-encoding-expected.json',
    );
    expect(assetIds.length).toBeGreaterThan(0);
    for (const a of assetIds) {
      expect(assetIdFromText(a.assetId)).toBe(BigInt(a.encoded15Bytes));
      expect(assetIdToText(BigInt(a.encoded15Bytes))).toBe(a.assetId);
    }
  });

  it('round-trips every printable name of 1..15 characters', () => {
    const name = fc.string({
      unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
      minLength: 1,
      maxLength: 15,
    });
    fc.assert(
      fc.property(name, (s) => {
        expect(assetIdToText(assetIdFromText(s))).toBe(s);
      }),
      { numRuns: 200 },
    );
  });

  it('rejects names that are empty, too long or not printable ASCII, and ids that are no such name', () => {
    expect(() => assetIdFromText('')).toThrow(RangeCheckError);
    expect(() => assetIdFromText('ABCDEFGHIJKLMNOP')).toThrow(RangeCheckError);
    expect(() => assetIdFromText('BTC 10')).toThrow(RangeCheckError);
    expect(() => assetIdFromText('BTC-é')).toThrow(RangeCheckError);
    expect(() => assetIdToText(0n)).toThrow(RangeCheckError);
    expect(() => assetIdToText(1n << 120n)).toThrow(RangeCheckError);
    expect(() => assetIdToText(0x41004200000000000000000000000n)).toThrow(RangeCheckError); // zero byte inside
    expect(() => assetIdToText(0x01n)).toThrow(RangeCheckError); // control character
  });
});

describe('shared state', () => {
  it(`encodes l1tree-encode-state-expected.json word for word`, () => {
    const v = readVector('l1tree-encode-state-expected.json');
    const s: SharedState = {
      positionsRoot: BigInt(v.input.positionRoot),
      positionsTreeHeight: BigInt(v.input.positionHeight),
      ordersRoot: BigInt(v.input.orderRoot),
      ordersTreeHeight: BigInt(v.input.orderHeight),
      fundingIndices: v.input.indices.map((i: { assetId: string; value: string }) => ({
        assetId: assetIdFromText(i.assetId),
        fundingIndex: BigInt(i.value),
      })),
      fundingTimestamp: BigInt(v.input.timestamp),
      oraclePrices: v.input.oraclePrices.map((p: { assetId: string; price: string }) => ({
        assetId: assetIdFromText(p.assetId),
        price: BigInt(p.price),
      })),
      systemTime: BigInt(v.input.systemTime),
    };
    const words: bigint[] = v.expectedWordsDecimal.map(BigInt);
    // The vector's roots are l2beat's fake hashes 0x0abc00…/0x0def00…, above the field prime: no
    // Pedersen root can be that, so both directions refuse them ...
    expect(() => encodeSharedState(s)).toThrow(RangeCheckError);
    expect(() => decodeSharedState(words)).toThrow(DecodeError);
    // ... and with real field elements in their place every other word is reproduced.
    const fixed = { ...s, positionsRoot: 0xabcn, ordersRoot: 0xdefn };
    expect(encodeSharedState(fixed)).toEqual([0xabcn, words[1], 0xdefn, ...words.slice(3)]);
    expect(decodeSharedState([0xabcn, words[1]!, 0xdefn, ...words.slice(3)])).toEqual(fixed);
  });

  it('decode(encode(s)) == s for random valid shared states', () => {
    fc.assert(
      fc.property(sharedStateArb, (s) => {
        expect(decodeSharedState(encodeSharedState(s))).toEqual(s);
      }),
      { numRuns: 100 },
    );
  });

  const base = (): bigint[] => [7n, 64n, 8n, 64n, 2n, 10n, 1n << 63n, 11n, 5n, 1000n, 1n, 10n, 3n, 2000n];

  it('accepts the hand-made base state', () => {
    expect(decodeSharedState(base()).fundingIndices).toEqual([
      { assetId: 10n, fundingIndex: 0n },
      { assetId: 11n, fundingIndex: 5n - (1n << 63n) },
    ]);
  });

  it.each([
    ['truncated (the price count no longer fits)', (w: bigint[]) => w.slice(0, -1), 'number of oracle prices'],
    ['truncated inside the roots', (w: bigint[]) => w.slice(0, 2), 'end of data'],
    ['over-long', (w: bigint[]) => [...w, 0n], 'end of shared state'],
    ['count past the end', (w: bigint[]) => ((w[4] = 1000n), w), 'number of funding indices'],
    ['a word >= P', (w: bigint[]) => ((w[0] = 2n ** 251n + 17n * 2n ** 192n + 1n), w), 'positions root'],
    ['unsorted asset ids', (w: bigint[]) => ((w[5] = 12n), w), 'sorted, no duplicates'],
    ['duplicate asset ids', (w: bigint[]) => ((w[7] = 10n), w), 'sorted, no duplicates'],
    ['asset id >= 2^120', (w: bigint[]) => ((w[5] = 1n << 120n), w), 'asset id'],
    ['biased funding index >= 2^64', (w: bigint[]) => ((w[6] = 1n << 64n), w), 'biased funding index'],
    ['price >= 2^64', (w: bigint[]) => ((w[12] = 1n << 64n), w), 'oracle price'],
  ])('rejects %s with a DecodeError', (_name, mutate, message) => {
    expect(() => decodeSharedState(mutate(base()))).toThrow(DecodeError);
    expect(() => decodeSharedState(mutate(base()))).toThrow(message);
  });

  it('error offsets are relative to the enclosing page', () => {
    try {
      decodeSharedState([...base(), 0n], 100);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DecodeError);
      expect((e as DecodeError).offset).toBe(114);
    }
  });

  it('the encoder refuses what the decoder would refuse', () => {
    const s = decodeSharedState(base());
    expect(() => encodeSharedState({ ...s, fundingIndices: [...s.fundingIndices].reverse() })).toThrow(RangeCheckError);
    expect(() => encodeSharedState({ ...s, oraclePrices: [{ assetId: 1n, price: 1n << 64n }] })).toThrow(
      RangeCheckError,
    );
    expect(() => encodeSharedState({ ...s, fundingIndices: [{ assetId: 1n, fundingIndex: 1n << 63n }] })).toThrow(
      RangeCheckError,
    );
  });
});
