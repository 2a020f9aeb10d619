import { describe, expect, it } from 'vitest';
import { DYDX_V3_MAINNET } from '../../../src/l1/deployment.js';
import type { StarkExL1Reader } from '../../../src/l1/starkex-reader.js';
import { encodeSharedState } from '../../../src/starkex/shared-state.js';
import { RangeCheckError } from '../../../src/errors.js';
import { SnapshotRejectedError } from '../../../src/sync/errors.js';
import {
  importSnapshot,
  parseSnapshot,
  serializeSnapshot,
  SNAPSHOT_FORMAT,
  type PositionsSnapshot,
} from '../../../src/sync/snapshot.js';
import { MemorySyncStore, OverlayNodeStore } from '../../../src/sync/sync-store.js';
import { GENESIS } from './evidence.js';

const snap = (): PositionsSnapshot => ({
  format: SNAPSHOT_FORMAT,
  deploymentId: DYDX_V3_MAINNET.id,
  chainId: 1,
  starkPerpetual: DYDX_V3_MAINNET.starkPerpetual,
  sequenceNumber: 3n,
  batchId: 30n,
  blockNumber: 100n,
  sharedState: encodeSharedState(GENESIS),
  positions: [
    [5n, { starkKey: 9n, collateral: -4n, assets: [{ assetId: 1n, balance: -2n, cachedFundingIndex: -(1n << 40n) }] }],
  ],
});
const rejection = async (p: Promise<unknown>) => ((await p.catch((e: unknown) => e)) as SnapshotRejectedError).reason;
const noReader = {} as StarkExL1Reader;

describe('snapshot files', () => {
  it('round-trip through JSON, negative and 252-bit values included', () => {
    const s = snap();
    expect(parseSnapshot(serializeSnapshot(s))).toEqual(s);
  });

  it('reject malformed files with the format reason', () => {
    const text = serializeSnapshot(snap());
    const bad = [
      'not json',
      text.replace(SNAPSHOT_FORMAT, 'other/1'),
      text.replace('"sequenceNumber":"3"', '"sequenceNumber":3'),
      text.replace('"collateral":"-4"', '"collateral":"1e3"'),
      // ids must ascend
      serializeSnapshot({ ...snap(), positions: [snap().positions[0]!, snap().positions[0]!] }),
      // a leaf outside its ranges (stark key ≥ P)
      text.replace('"starkKey":"9"', `"starkKey":"${(1n << 252n).toString()}"`),
    ];
    for (const t of bad) {
      const err = (() => {
        try {
          parseSnapshot(t);
        } catch (e) {
          return e;
        }
      })();
      expect(err, t.slice(0, 60)).toBeInstanceOf(SnapshotRejectedError);
      expect((err as SnapshotRejectedError).reason).toBe('format');
    }
  });

  it('a format rejection carries the failed check (field, value, range) as its cause', () => {
    const text = serializeSnapshot(snap());
    const causeOf = (t: string): RangeCheckError => {
      try {
        parseSnapshot(t);
      } catch (e) {
        expect(e).toBeInstanceOf(SnapshotRejectedError);
        expect((e as SnapshotRejectedError).cause).toBeInstanceOf(RangeCheckError);
        return (e as SnapshotRejectedError).cause as RangeCheckError;
      }
      throw new Error('expected a rejection');
    };
    expect(causeOf(text.replace('"sequenceNumber":"3"', '"sequenceNumber":3'))).toMatchObject({
      name: 'TypeCheckError',
      field: 'sequenceNumber',
      value: 3,
    });
    expect(causeOf(text.replace('"collateral":"-4"', '"collateral":"1e3"'))).toMatchObject({
      field: 'positions[0].collateral',
      value: '1e3',
      range: 'a decimal integer string',
    });
    expect(causeOf(text.replace(SNAPSHOT_FORMAT, 'other/1'))).toMatchObject({ field: 'format', value: 'other/1' });
    expect(
      causeOf(serializeSnapshot({ ...snap(), positions: [snap().positions[0]!, snap().positions[0]!] })),
    ).toMatchObject({ field: 'positions[1][0]', value: 5n });
    expect(causeOf('null')).toMatchObject({ name: 'TypeCheckError', field: 'snapshot', value: null });
    // A hole in the positions list is refused, not skipped.
    expect(causeOf(text.replace('"positions":[', '"positions":[null,'))).toMatchObject({
      field: 'positions[0]',
      value: null,
    });
  });

  it('a snapshot of another deployment is refused before anything is read', async () => {
    const store = new MemorySyncStore();
    expect(
      await rejection(
        importSnapshot({ ...snap(), chainId: 5 }, { deployment: DYDX_V3_MAINNET, reader: noReader, store }),
      ),
    ).toBe('deployment');
    expect(
      await rejection(
        importSnapshot({ ...snap(), sharedState: [1n] }, { deployment: DYDX_V3_MAINNET, reader: noReader, store }),
      ),
    ).toBe('shared-state');
    expect(await store.checkpoint()).toBeUndefined();
  });
});

describe('OverlayNodeStore', () => {
  it('shows its writes to readers but not to the base store until committed', async () => {
    const base = new MemorySyncStore();
    await base.write({ nodes: [[{ height: 1, index: 0n }, 11n]], positions: [] });
    const o = new OverlayNodeStore(base);
    await o.write({
      nodes: [
        [{ height: 0, index: 1n }, 7n],
        [{ height: 1, index: 0n }, undefined],
      ],
      positions: [[1n, { starkKey: 1n, collateral: 2n, assets: [] }]],
    });
    expect(
      await o.getNodes([
        { height: 0, index: 1n },
        { height: 1, index: 0n },
        { height: 0, index: 2n },
      ]),
    ).toEqual([7n, undefined, undefined]);
    expect(
      await base.getNodes([
        { height: 0, index: 1n },
        { height: 1, index: 0n },
      ]),
    ).toEqual([undefined, 11n]);
    expect((await o.getPositions([1n]))[0]?.collateral).toBe(2n);
    expect(await base.getPositions([1n])).toEqual([undefined]);
    await base.write(o.pending());
    expect(
      await base.getNodes([
        { height: 0, index: 1n },
        { height: 1, index: 0n },
      ]),
    ).toEqual([7n, undefined]);
  });
});
