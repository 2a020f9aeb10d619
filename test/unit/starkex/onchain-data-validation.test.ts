import { describe, expect, it } from 'vitest';
import {
  decodeOnChainData,
  decodeStateUpdate,
  encodeOnChainData,
  encodeProgramOutput,
  FIELD_PRIME,
  memoryPageHash,
  onchainDataHash,
  type OnChainData,
} from './imports.js';
import { expectDecodeError, output } from './samples.js';

const data = (): OnChainData => ({
  fundingEntries: [
    {
      indices: [
        { assetId: 10n, fundingIndex: 7n },
        { assetId: 20n, fundingIndex: -7n },
      ],
      timestamp: 1500n,
    },
  ],
  positions: [
    {
      positionId: 4n,
      starkKey: 3n,
      collateral: 100n,
      fundingTimestamp: 1500n,
      assets: [
        { assetId: 10n, balance: -2n },
        { assetId: 20n, balance: 0n },
      ],
    },
    { positionId: 9n, starkKey: 0n, collateral: 0n, fundingTimestamp: 0n, assets: [] },
  ],
});
// Words: [1, 2, 10, b, 20, b, 1500 | 6, 4, 3, c, 1500, a10, a20 | 4, 9, 0, c, 0]
const REC1 = 7;
const REC2 = 14;

describe('on-chain data: bad input is a DecodeError at the right word', () => {
  it('the layout assumed below is right', () => {
    const w = encodeOnChainData(data());
    expect(w.length).toBe(19);
    expect([w[REC1], w[REC2]]).toEqual([6n, 4n]);
    expect(decodeOnChainData(w)).toEqual(data());
    expect(decodeOnChainData([0n])).toEqual({ fundingEntries: [], positions: [] });
  });

  it('truncated and over-long data', () => {
    const w = encodeOnChainData(data());
    expectDecodeError(() => decodeOnChainData(w.slice(0, -1)), REC2, /position record size <= 3 \(fits/);
    expectDecodeError(() => decodeOnChainData([...w, 5n]), w.length, /position record size <= 0/);
    expectDecodeError(() => decodeOnChainData([]), 0, /end of data/);
  });

  it('size and count words that point past the end', () => {
    const w = encodeOnChainData(data());
    w[0] = 1n << 200n;
    expectDecodeError(() => decodeOnChainData(w), 0, /number of funding entries <=/);
    const v = encodeOnChainData(data());
    v[1] = 100n;
    expectDecodeError(() => decodeOnChainData(v), 1, /number of funding indices <=/);
    const u = encodeOnChainData(data());
    u[REC1] = 3n;
    expectDecodeError(() => decodeOnChainData(u), REC1, /position record size >= 4/);
    const t = encodeOnChainData(data());
    t[REC2] = 6n;
    expectDecodeError(() => decodeOnChainData(t), REC2, /position record size <= 4 \(fits/);
  });

  it('unsorted or duplicate ids', () => {
    const w = encodeOnChainData(data());
    w[REC2 + 1] = 4n;
    expectDecodeError(() => decodeOnChainData(w), REC2 + 1, /sorted, no duplicates/);
    const v = encodeOnChainData(data());
    v[4] = 10n;
    expectDecodeError(() => decodeOnChainData(v), 4, /sorted, no duplicates/);
    const u = encodeOnChainData(data());
    [u[REC1 + 5], u[REC1 + 6]] = [u[REC1 + 6]!, u[REC1 + 5]!];
    expectDecodeError(() => decodeOnChainData(u), REC1 + 6, /sorted, no duplicates/);
  });

  it('ranges: asset word padding, biased collateral, field prime', () => {
    const w = encodeOnChainData(data());
    w[REC1 + 5] = w[REC1 + 5]! | (1n << 190n);
    expectDecodeError(() => decodeOnChainData(w), REC1 + 5, /asset word/);
    const v = encodeOnChainData(data());
    v[REC1 + 3] = 1n << 64n;
    expectDecodeError(() => decodeOnChainData(v), REC1 + 3, /collateral/);
    const u = encodeOnChainData(data());
    u[REC1 + 2] = FIELD_PRIME;
    expectDecodeError(() => decodeOnChainData(u), REC1 + 2, /stark key/);
  });
});

describe('decodeStateUpdate: the pages must agree with each other', () => {
  const pages = (d = data(), o = output()) => ({ main: encodeProgramOutput(o), dataPages: [encodeOnChainData(d)] });

  it('accepts a consistent update; a zero funding timestamp means the old state timestamp', () => {
    const { main, dataPages } = pages();
    expect(decodeStateUpdate(main, dataPages)).toEqual({ programOutput: output(), onChainData: data() });
  });

  it('a funding timestamp that is neither the old state one nor a tick of the batch', () => {
    const d = data();
    d.positions[0]!.fundingTimestamp = 1501n;
    const { main, dataPages } = pages(d);
    expectDecodeError(() => decodeStateUpdate(main, dataPages), REC1 + 4, /funding timestamp/);
  });

  it('an asset missing from the shared state at the record timestamp (deleted assets need none)', () => {
    const d = data();
    d.positions[0]!.assets = [
      { assetId: 10n, balance: 1n },
      { assetId: 30n, balance: 1n },
    ];
    const { main, dataPages } = pages(d);
    expectDecodeError(() => decodeStateUpdate(main, dataPages), REC1 + 6, /funding index at timestamp 1500/);
    const e = data();
    e.positions[0]!.assets = [
      { assetId: 10n, balance: 1n },
      { assetId: 30n, balance: 0n },
    ];
    expect(() => decodeStateUpdate(pages(e).main, pages(e).dataPages)).not.toThrow();
  });

  it('the on-chain data words of updateState must match the data pages', () => {
    const { main, dataPages } = pages();
    const split = [dataPages[0]!.slice(0, 5), dataPages[0]!.slice(5)];
    const da = onchainDataHash(
      main.length,
      split.map((p) => ({ hash: memoryPageHash(p), size: p.length })),
    );
    expect(decodeStateUpdate([...main, da.hash, da.size], split).onChainData).toEqual(data());
    expectDecodeError(
      () => decodeStateUpdate([...main, da.hash, da.size], dataPages),
      main.length,
      /on-chain data hash/,
    );
    expectDecodeError(
      () => decodeStateUpdate([...main, da.hash, da.size + 1n], split),
      main.length + 1,
      /on-chain data size/,
    );
    expectDecodeError(() => decodeStateUpdate([...main, da.hash, da.size], []), main.length, /data pages/);
  });
});
