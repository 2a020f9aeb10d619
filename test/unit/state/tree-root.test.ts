import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PositionTree } from '../../../src/tree/index.js';
import { applyStateUpdate, EMPTY_POSITION } from './imports.js';
import { batchChainArb } from './scenario.js';

/*
 * Acceptance (issue 4): applying a sequence of generated updates one by one gives the same root as
 * building the final positions from scratch. The changed entries of each applyStateUpdate go into
 * one tree batch by batch; a second tree gets only the final positions. Height 5 (ids < 32) keeps
 * the reference Pedersen cheap.
 */
describe('positions tree fed by applyStateUpdate', () => {
  it('batch-by-batch root == from-scratch root', async () => {
    await fc.assert(
      fc.asyncProperty(batchChainArb(3), async ({ start, batches }) => {
        const live = await PositionTree.create(undefined, { height: 5 });
        await live.update([...start]);
        let positions = start;
        for (const b of batches) {
          const step = applyStateUpdate(positions, {
            programOutput: { prevSharedState: b.prevSharedState },
            onChainData: b.onChainData,
          });
          await live.update(step.changed);
          positions = step.positions;
        }
        const scratch = await PositionTree.create(undefined, { height: 5 });
        await scratch.update([...positions]);
        expect(await live.root()).toBe(await scratch.root());
        // Emptied positions really are empty leaves in the live tree.
        for (const b of batches)
          for (const r of b.onChainData.positions)
            if (!positions.has(r.positionId)) expect(await live.position(r.positionId)).toEqual(EMPTY_POSITION);
      }),
      { numRuns: 12 },
    );
  });
});
