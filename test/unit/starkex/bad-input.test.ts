import { describe, expect, it } from 'vitest';
import { TypeCheckError } from '../../../src/errors.js';
import {
  DecodeError,
  RangeCheckError,
  continuousPageFact,
  decodeOnChainData,
  decodeProgramOutput,
  decodeSharedState,
  decodeStateUpdate,
  encodeOnChainData,
  encodeProgramOutput,
  encodeSharedState,
  gpsFact,
  memoryPageHash,
  onchainDataHash,
  sharedStateHash,
  stateTransitionFact,
  stateTransitionFactFromProgramOutput,
  type SharedState,
} from './imports.js';

/*
 * Malformed arguments to the public starkex functions (issue 4 "bad input"): wrong types, null,
 * arrays with holes, sparse arrays with a huge length. Each must fail at once with an error that
 * names the argument — a TypeCheckError for a wrong type, DecodeError / RangeCheckError for a bad value —
 * never "Cannot read properties of null" from deep inside, and never allocate from the length.
 */
function expectNamed(fn: () => unknown, cls: new (...a: any[]) => Error, field: RegExp) {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(cls);
  expect((err as Error).message).toMatch(field);
  expect((err as Error).message).not.toMatch(/Cannot read|is not a function|Cannot mix BigInt|Cannot convert/);
}
const holes = (n: number): bigint[] => new Array<bigint>(n);
const sparse = (): bigint[] => {
  const a: bigint[] = [];
  a.length = 2 ** 30; // 32 GiB if anything allocated length·32 bytes
  return a;
};
const shared: SharedState = {
  positionsRoot: 1n,
  positionsTreeHeight: 64n,
  ordersRoot: 2n,
  ordersTreeHeight: 64n,
  fundingIndices: [],
  fundingTimestamp: 0n,
  oraclePrices: [],
  systemTime: 0n,
};

describe('starkex: malformed arguments fail at once, naming the argument', () => {
  it('decoders: null, a string, holes, a sparse array', () => {
    expectNamed(() => decodeProgramOutput(null as any), TypeCheckError, /^program output: expected an array/);
    expectNamed(() => decodeProgramOutput('abc' as any), TypeCheckError, /^program output: expected an array/);
    expectNamed(() => decodeProgramOutput(holes(50)), TypeCheckError, /^program output\[0\]: expected bigint/);
    expectNamed(() => decodeOnChainData(null as any), TypeCheckError, /^on-chain data: expected an array/);
    expectNamed(() => decodeOnChainData(sparse()), TypeCheckError, /^on-chain data\[0\]/);
    expectNamed(() => decodeSharedState(undefined as any), TypeCheckError, /^shared state: expected an array/);
  });

  it('hashes and facts: no allocation from a sparse length, typed errors for wrong types', () => {
    expectNamed(() => memoryPageHash(sparse()), TypeCheckError, /^memory page\[0\]: expected bigint/);
    expectNamed(() => memoryPageHash(null as any), TypeCheckError, /^memory page: expected an array/);
    expectNamed(() => sharedStateHash(null as any), TypeCheckError, /^shared state: expected an array/);
    expectNamed(() => stateTransitionFact(null as any, [[1n]]), TypeCheckError, /^mainPage/);
    expectNamed(() => stateTransitionFact([1n], null as any), TypeCheckError, /^dataPages/);
    expectNamed(() => stateTransitionFact([1n], [null as any]), TypeCheckError, /^dataPages\[0\]/);
    // flat() would silently drop this hole and shift every later word.
    const holed = [1n, 2n, 3n];
    delete (holed as any)[1];
    expectNamed(() => stateTransitionFact([1n], [holed]), TypeCheckError, /^dataPages\[0\]\[1\]/);
    expectNamed(() => stateTransitionFactFromProgramOutput(null as any), TypeCheckError, /^programOutput/);
    expectNamed(() => onchainDataHash(1, null as any), TypeCheckError, /^dataPages/);
    expectNamed(() => onchainDataHash(1, [{ hash: 'zz' as any, size: 1 }]), TypeCheckError, /^dataPages\[0\]\.hash/);
    expectNamed(() => onchainDataHash(1, [null as any]), TypeCheckError, /^dataPages\[0\]/);
    expectNamed(() => gpsFact(1 as any, 1n), TypeCheckError, /^programHash/);
    expectNamed(() => gpsFact(1n, `0x${'f'.repeat(65)}` as any), TypeCheckError, /^outputFact/);
    expectNamed(() => continuousPageFact(1 as any, [1n], 1n, 1n), TypeCheckError, /^startAddr/);
    expectNamed(() => continuousPageFact(0n, null as any, 1n, 1n), TypeCheckError, /^values/);
    expectNamed(() => continuousPageFact(0n, holes(3), 1n, 1n), TypeCheckError, /^memory page\[0\]/);
  });

  it('decodeStateUpdate: the data pages are checked word by word before decoding', () => {
    expectNamed(() => decodeStateUpdate([], null as any), TypeCheckError, /^dataPages/);
    const holed = [0n, 0n];
    delete (holed as any)[0];
    expectNamed(() => decodeStateUpdate([], [holed]), TypeCheckError, /^dataPages\[0\]\[0\]/);
  });

  it('encoders: null objects, missing lists, holes in lists', () => {
    expectNamed(() => encodeSharedState(null as any), TypeCheckError, /^shared state/);
    expectNamed(
      () => encodeSharedState({ ...shared, fundingIndices: undefined as any }),
      TypeCheckError,
      /^fundingIndices: expected an array/,
    );
    expectNamed(
      () => encodeSharedState({ ...shared, oraclePrices: new Array(2) }),
      TypeCheckError,
      /^oraclePrices\[0\]: expected an object/,
    );
    expectNamed(() => encodeOnChainData(null as any), TypeCheckError, /^on-chain data/);
    expectNamed(() => encodeOnChainData({} as any), TypeCheckError, /^fundingEntries: expected an array/);
    expectNamed(
      () =>
        encodeOnChainData({
          fundingEntries: [],
          positions: [{ positionId: 1n, starkKey: 1n, collateral: 0n, fundingTimestamp: 0n, assets: null as any }],
        }),
      TypeCheckError,
      /^positions\[0\]\.assets/,
    );
    expectNamed(() => encodeProgramOutput({} as any), TypeCheckError, /^assetConfigHashes/);
    // Values keep their range errors.
    expectNamed(() => encodeSharedState({ ...shared, positionsRoot: -1n }), RangeCheckError, /^positions root/);
    expectNamed(() => decodeProgramOutput([-1n]), DecodeError, /word 0/);
  });
});
