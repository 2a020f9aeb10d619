import { describe, expect, it } from 'vitest';
import { TypeCheckError } from '../../../src/errors.js';
import { DecodeError, decodeProgramOutput, encodeProgramOutput, FIELD_PRIME, RangeCheckError } from './imports.js';
import { at, expectDecodeError, layout, output, words } from './samples.js';

describe('program output: bad input is a DecodeError at the right word', () => {
  it('the layout assumed below is right', () => {
    const l = layout();
    expect(decodeProgramOutput(l.w)).toEqual(output());
    expect(l.w[l.forcedSize]).toBe(14n);
    expect(l.w[l.nConditions]).toBe(1n);
    expect(l.w.length).toBe(l.nConditions + 2);
  });

  it('truncated page', () => {
    const w = words();
    expectDecodeError(() => decodeProgramOutput(w.slice(0, -1)), w.length - 2, /number of conditions/);
    expectDecodeError(() => decodeProgramOutput(w.slice(0, 1)), 1, /end of data/);
    expectDecodeError(() => decodeProgramOutput([]), 0, /end of data/);
  });

  it('over-long page: 1 or 3 extra words are errors, exactly 2 are the on-chain data words', () => {
    const w = words();
    expectDecodeError(() => decodeProgramOutput([...w, 1n]), w.length, /end of program output/);
    expectDecodeError(() => decodeProgramOutput([...w, 1n, 2n, 3n]), w.length, /end of program output/);
    expect(decodeProgramOutput([...w, FIELD_PRIME + 5n, 2n]).onchainData).toEqual({ hash: FIELD_PRIME + 5n, size: 2n });
    expectDecodeError(() => decodeProgramOutput([...w, 1n << 256n, 2n]), w.length, /on-chain data hash/);
  });

  it('data-availability-mode word: 0 or 1 only, and validium carries no on-chain data words', () => {
    const w = words();
    const withMode = (mode: bigint) => [w[0]!, mode, ...w.slice(1)];
    expect(decodeProgramOutput(withMode(1n), { daModeWord: true }).dataAvailabilityMode).toBe(1n);
    expectDecodeError(() => decodeProgramOutput(withMode(2n), { daModeWord: true }), 1, /data availability mode/);
    expectDecodeError(
      () => decodeProgramOutput([...withMode(0n), 1n, 2n], { daModeWord: true }),
      w.length + 1,
      /validium/,
    );
    expect(decodeProgramOutput([...withMode(1n), 1n, 2n], { daModeWord: true }).onchainData).toEqual({
      hash: 1n,
      size: 2n,
    });
  });

  it('a word at or above the field prime', () => {
    const w = words();
    w[0] = FIELD_PRIME;
    expectDecodeError(() => decodeProgramOutput(w), 0, /general config hash/);
  });

  it('counts that point past the end are refused before anything is allocated', () => {
    for (const huge of [1000n, 1n << 64n, FIELD_PRIME - 1n]) {
      const w = words();
      w[at.nConfigs] = huge;
      expectDecodeError(() => decodeProgramOutput(w), at.nConfigs, /number of asset configs <=/);
      const l = layout();
      l.w[at.prevSize] = huge;
      expectDecodeError(() => decodeProgramOutput(l.w), at.prevSize, /previous shared state size <=/);
      const m = layout();
      m.w[m.nMods] = huge;
      expectDecodeError(() => decodeProgramOutput(m.w), m.nMods, /number of modifications <=/);
      const f = layout();
      f.w[f.forcedSize] = huge;
      expectDecodeError(() => decodeProgramOutput(f.w), f.forcedSize, /forced actions size <=/);
    }
  });

  it('a shared-state size that does not match the state', () => {
    const l = layout();
    l.w[at.prevSize] = l.w[at.prevSize]! - 1n;
    expect(() => decodeProgramOutput(l.w)).toThrow(DecodeError);
  });

  it('unsorted or duplicate asset configs', () => {
    const w = words();
    w[at.firstAssetId + 2] = 10n;
    expectDecodeError(() => decodeProgramOutput(w), at.firstAssetId + 2, /sorted, no duplicates/);
    const v = words();
    v[at.firstAssetId] = 30n;
    expectDecodeError(() => decodeProgramOutput(v), at.firstAssetId + 2, /sorted, no duplicates/);
  });

  it('modification ranges: position id < 2^64, biased delta < 2^65', () => {
    const l = layout();
    l.w[l.nMods + 2] = 1n << 64n;
    expectDecodeError(() => decodeProgramOutput(l.w), l.nMods + 2, /position id/);
    const m = layout();
    m.w[m.nMods + 3] = 1n << 65n;
    expectDecodeError(() => decodeProgramOutput(m.w), m.nMods + 3, /modification delta/);
  });

  it('forced actions: the declared size must equal what the actions take', () => {
    const l = layout();
    l.w[l.forcedSize] = 13n;
    expect(() => decodeProgramOutput(l.w)).toThrow(DecodeError);
    const m = layout();
    // One word more in the size swallows the condition count: the size no longer matches.
    m.w[m.forcedSize] = 15n;
    expectDecodeError(() => decodeProgramOutput(m.w), m.forcedSize, /forced actions size = 14/);
    const n = layout();
    n.w[n.nForced] = 4n; // 4 actions need at least 16 words, the size says 14
    expectDecodeError(() => decodeProgramOutput(n.w), n.nForced, /number of forced actions <= 3/);
    const o = layout();
    o.w[o.nForced] = 1n; // one action parsed, 10 words left over
    expectDecodeError(() => decodeProgramOutput(o.w), o.forcedSize, /forced actions size = 4/);
  });

  it('forced actions: unknown type, non-boolean flag, out-of-range amounts', () => {
    const l = layout();
    l.w[l.firstForced] = 2n;
    expectDecodeError(
      () => decodeProgramOutput(l.w),
      l.firstForced,
      /forced action type 0 \(withdrawal\) or 1 \(trade\)/,
    );
    const m = layout();
    m.w[m.firstForced + 4 + 8] = 2n;
    expectDecodeError(() => decodeProgramOutput(m.w), m.firstForced + 12, /aIsBuyingSynthetic/);
    const n = layout();
    n.w[n.firstForced + 3] = 1n << 64n;
    expectDecodeError(() => decodeProgramOutput(n.w), n.firstForced + 3, /quantized amount/);
  });

  it('conditions are masked to 250 bits', () => {
    const l = layout();
    l.w[l.nConditions + 1] = 1n << 250n;
    expectDecodeError(() => decodeProgramOutput(l.w), l.nConditions + 1, /condition/);
  });

  it('non-bigint words are a TypeCheckError', () => {
    const w: unknown[] = words();
    w[0] = 5;
    expect(() => decodeProgramOutput(w as bigint[])).toThrow(TypeCheckError);
  });

  it('the encoder refuses values the decoder would refuse (RangeCheckError)', () => {
    expect(() => encodeProgramOutput({ ...output(), conditions: [1n << 250n] })).toThrow(RangeCheckError);
    expect(() =>
      encodeProgramOutput({ ...output(), modifications: [{ starkKey: 1n, positionId: 1n, delta: 1n << 64n }] }),
    ).toThrow(RangeCheckError);
    expect(() =>
      encodeProgramOutput({ ...output(), dataAvailabilityMode: 0n, onchainData: { hash: 1n, size: 1n } }),
    ).toThrow(RangeCheckError);
    expect(() =>
      encodeProgramOutput({ ...output(), assetConfigHashes: [...output().assetConfigHashes].reverse() }),
    ).toThrow(RangeCheckError);
    const err = (() => {
      try {
        encodeProgramOutput({ ...output(), forcedActions: [{ type: 'deposit' } as never] });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(RangeCheckError);
    expect(err).toMatchObject({ field: 'forced action type', value: 'deposit', range: "'withdrawal' or 'trade'" });
  });
});
