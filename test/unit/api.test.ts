import { describe, expect, it } from 'vitest';
import * as api from '../../src/index.js';
import {
  PositionTree,
  conditionalTransferHash,
  decodeOnChainData,
  decodeProgramOutput,
  deriveDydxStarkKey,
  dydx,
  memoryPageHash,
  orderHash,
  positionLeafHash,
  sharedStateHash,
  signHash,
  stateTransitionFact,
  transferHash,
  verifyEscapeProof,
  verifyHash,
  withdrawalHash,
} from '../../src/index.js';

// The names issues 3 and 4 declare stable ("other checks call these"). Imported by name so a
// rename fails to compile, and looked up on the namespace so an `export *` collision (which makes
// an ESM name ambiguous and silently drops it from the namespace) fails here too.
const ISSUE_3_FUNCTIONS = {
  deriveDydxStarkKey,
  orderHash,
  transferHash,
  conditionalTransferHash,
  withdrawalHash,
  signHash,
  verifyHash,
};
const ISSUE_3_DYDX = ['orderToStark', 'withdrawalToStark', 'transferToStark', 'conditionalTransferToStark'] as const;
const ISSUE_4_FUNCTIONS = {
  decodeProgramOutput,
  decodeOnChainData,
  memoryPageHash,
  stateTransitionFact,
  sharedStateHash,
  positionLeafHash,
  verifyEscapeProof,
};

describe('src/index.ts: the stable public names of issues 3 and 4', () => {
  it.each(Object.entries({ ...ISSUE_3_FUNCTIONS, ...ISSUE_4_FUNCTIONS }))('%s is an exported function', (name, fn) => {
    expect(typeof fn).toBe('function');
    expect((api as Record<string, unknown>)[name]).toBe(fn);
  });

  it.each(ISSUE_3_DYDX)('dydx.%s is a function', (name) => {
    expect((api as Record<string, unknown>).dydx).toBe(dydx);
    expect(typeof dydx[name]).toBe('function');
  });

  it('PositionTree is a class with static create and the async update / root / escapeProof methods', async () => {
    expect((api as Record<string, unknown>).PositionTree).toBe(PositionTree);
    expect(typeof PositionTree).toBe('function');
    expect(typeof PositionTree.create).toBe('function');
    for (const m of ['update', 'root', 'escapeProof'] as const)
      expect(typeof PositionTree.prototype[m]).toBe('function');
    const tree = await PositionTree.create();
    expect(tree).toBeInstanceOf(PositionTree);
  });
});
