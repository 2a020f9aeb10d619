import { describe, expect, it } from 'vitest';
import { applyStateUpdate, decodeStateUpdate, EMPTY_POSITION } from './imports.js';
import { readPages } from '../starkex/fixtures.js';

describe(`the real dYdX batches apply cleanly`, () => {
  it.each(['encoded-example.json', 'encoded-forced.json'])(
    '%s onto an empty map: one change per record, indices from the batch table',
    (file) => {
      const [main, ...data] = readPages(file);
      const u = decodeStateUpdate(main!, data);
      const { positions, changed } = applyStateUpdate(new Map(), u);
      const records = u.onChainData.positions;
      expect(changed.map(([id]) => id)).toEqual(records.map((r) => r.positionId));
      const table = new Map([
        [u.programOutput.prevSharedState.fundingTimestamp, u.programOutput.prevSharedState.fundingIndices],
        ...u.onChainData.fundingEntries.map((e) => [e.timestamp, e.indices] as const),
      ]);
      records.forEach((r, i) => {
        const [, p] = changed[i]!;
        const held = r.assets.filter((a) => a.balance !== 0n);
        if (r.starkKey === 0n && r.collateral === 0n && held.length === 0) {
          expect(p).toBe(EMPTY_POSITION);
          expect(positions.has(r.positionId)).toBe(false);
          return;
        }
        const ts = r.fundingTimestamp === 0n ? u.programOutput.prevSharedState.fundingTimestamp : r.fundingTimestamp;
        expect(p.assets.map((a) => a.balance)).toEqual(held.map((a) => a.balance));
        for (const a of p.assets)
          expect(a.cachedFundingIndex).toBe(table.get(ts)!.find((f) => f.assetId === a.assetId)!.fundingIndex);
        expect(positions.get(r.positionId)).toBe(p);
      });
    },
  );
});
