import { expect } from 'vitest';
import { DecodeError, encodeProgramOutput, type ProgramOutput, type SharedState } from './imports.js';

/** Small hand-made inputs whose word layout the validation tests rely on. */
export const state = (fundingTimestamp: bigint, indices: [bigint, bigint][]): SharedState => ({
  positionsRoot: 1n,
  positionsTreeHeight: 64n,
  ordersRoot: 2n,
  ordersTreeHeight: 64n,
  fundingIndices: indices.map(([assetId, fundingIndex]) => ({ assetId, fundingIndex })),
  fundingTimestamp,
  oraclePrices: indices.map(([assetId]) => ({ assetId, price: 1n << 32n })),
  systemTime: fundingTimestamp + 5n,
});

/** A small valid output: 2 asset configs, 1 modification, a withdrawal and a trade, 1 condition. */
export const output = (): ProgramOutput => ({
  generalConfigHash: 99n,
  assetConfigHashes: [
    { assetId: 10n, configHash: 1n },
    { assetId: 20n, configHash: 2n },
  ],
  prevSharedState: state(1000n, [
    [10n, 5n],
    [20n, -5n],
  ]),
  newSharedState: state(2000n, [
    [10n, 6n],
    [20n, -6n],
  ]),
  minimumExpirationTimestamp: 450000n,
  modifications: [{ starkKey: 3n, positionId: 4n, delta: -7n }],
  forcedActions: [
    { type: 'withdrawal', starkKey: 3n, positionId: 4n, quantizedAmount: 8n },
    {
      type: 'trade',
      starkKeyA: 1n,
      starkKeyB: 2n,
      positionIdA: 3n,
      positionIdB: 4n,
      syntheticAssetId: 10n,
      amountCollateral: 5n,
      amountSynthetic: 6n,
      aIsBuyingSynthetic: true,
      nonce: 7n,
    },
  ],
  conditions: [123n],
});

/** Word offsets in `encodeProgramOutput(output())`. */
export const at = { nConfigs: 1, firstAssetId: 2, prevSize: 6, prevState: 7 } as const;
export const words = () => encodeProgramOutput(output());
export const layout = () => {
  const w = words();
  const stateLen = Number(w[at.prevSize]);
  const newSize = at.prevState + stateLen;
  const minExp = newSize + 1 + stateLen;
  const nMods = minExp + 1;
  const forcedSize = nMods + 4;
  return {
    w,
    newSize,
    nMods,
    forcedSize,
    nForced: forcedSize + 1,
    firstForced: forcedSize + 2,
    nConditions: forcedSize + 2 + 14,
  };
};

export function expectDecodeError(fn: () => unknown, offset: number, text?: string | RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(DecodeError);
  expect((caught as DecodeError).offset).toBe(offset);
  if (text) expect((caught as Error).message).toMatch(text);
}
