import { describe, expect, it } from 'vitest';
import { TypeCheckError } from '../../../src/errors.js';
import {
  applyPositionChanges,
  applyStateUpdate,
  computePositionChanges,
  positionRecord,
  type Position,
} from './imports.js';

/*
 * Malformed arguments to the state functions (issue 4 "bad input"): a TypeCheckError naming the
 * argument before anything is read or written, never a property read on null deep inside.
 */
function expectNamed(fn: () => unknown, field: RegExp) {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(TypeCheckError);
  expect((err as Error).message).toMatch(field);
  expect((err as Error).message).not.toMatch(/Cannot read|is not a function/);
}

const prevSharedState = {
  positionsRoot: 0n,
  positionsTreeHeight: 64n,
  ordersRoot: 0n,
  ordersTreeHeight: 64n,
  fundingIndices: [],
  fundingTimestamp: 100n,
  oraclePrices: [],
  systemTime: 100n,
};
const record = { positionId: 1n, starkKey: 5n, collateral: 10n, fundingTimestamp: 100n, assets: [] };
const update = (positions: unknown[], fundingEntries: unknown[] = []) =>
  ({ programOutput: { prevSharedState }, onChainData: { fundingEntries, positions } }) as any;

describe('state: malformed updates and maps', () => {
  it('the map and the update must have the decoded shapes', () => {
    expect(applyStateUpdate(new Map(), update([record])).changed).toHaveLength(1);
    expectNamed(() => applyStateUpdate(null as any, update([record])), /^positions: expected a Map/);
    expectNamed(() => applyStateUpdate(new Map(), null as any), /^update: expected/);
    expectNamed(() => applyStateUpdate(new Map(), {} as any), /^update\.programOutput\.prevSharedState/);
    expectNamed(
      () => applyStateUpdate(new Map(), { programOutput: { prevSharedState }, onChainData: null } as any),
      /^update\.onChainData/,
    );
    expectNamed(() => computePositionChanges(new Map(), update([null])), /^update\.onChainData\.positions\[0\]/);
    expectNamed(() => computePositionChanges(new Map(), update(new Array(1))), /^update\.onChainData\.positions\[0\]/);
    expectNamed(
      () => computePositionChanges(new Map(), update([{ ...record, positionId: 1 }])),
      /^update\.onChainData\.positions\[0\]\.positionId/,
    );
    expectNamed(
      () => computePositionChanges(new Map(), update([{ ...record, assets: null }])),
      /^update\.onChainData\.positions\[0\]\.assets/,
    );
    expectNamed(
      () => computePositionChanges(new Map(), update([record], [{ timestamp: 1n, indices: null }])),
      /^update\.onChainData\.fundingEntries\[0\]\.indices/,
    );
  });

  it('applyPositionChanges refuses a bad entry before writing any', () => {
    const map = new Map<bigint, Position>();
    const good: [bigint, Position] = [1n, { starkKey: 5n, collateral: 1n, assets: [] }];
    expectNamed(() => applyPositionChanges(map, [good, [2, good[1]] as any]), /^changes\[1\]/);
    expect(map.size).toBe(0);
    expectNamed(() => applyPositionChanges({} as any, []), /^positions: expected a Map/);
  });

  it('positionRecord needs two positions', () => {
    expectNamed(() => positionRecord(1n, null as any, { starkKey: 1n, collateral: 0n, assets: [] }, 0n), /^previous/);
  });
});
