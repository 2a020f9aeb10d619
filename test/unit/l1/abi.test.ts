import { describe, expect, it } from 'vitest';
import {
  toEventSelector,
  toFunctionSelector,
  toFunctionSignature,
  toEventSignature,
  type AbiEvent,
  type AbiFunction,
} from 'viem';
import {
  gpsFactAdapterAbi,
  gpsStatementVerifierAbi,
  memoryPageFactRegistryAbi,
  perpetualEscapeVerifierAbi,
  starkPerpetualAbi,
  starkwareProxyAbi,
} from '../../helpers/core.js';
import { readVector } from '../../helpers/vectors.js';

const ALL: readonly (AbiFunction | AbiEvent)[] = [
  starkPerpetualAbi,
  starkwareProxyAbi,
  perpetualEscapeVerifierAbi,
  memoryPageFactRegistryAbi,
  gpsStatementVerifierAbi,
  gpsFactAdapterAbi,
].flat() as (AbiFunction | AbiEvent)[];

describe(`L1 ABIs match the spec's selectors and topics`, () => {
  const vector = readVector<{ functions: Record<string, string>; events: Record<string, string> }>(
    'l1tree-selectors-topics.json',
  );

  it('every function selector equals the published one', () => {
    const fns = ALL.filter((x): x is AbiFunction => x.type === 'function');
    expect(fns.length).toBeGreaterThan(40);
    for (const fn of fns) {
      const signature = toFunctionSignature(fn);
      expect(vector.functions[signature], `${signature} is in the vector`).toBeDefined();
      expect(toFunctionSelector(fn), signature).toBe(vector.functions[signature]);
    }
  });

  it('every event topic equals the published one', () => {
    const events = ALL.filter((x): x is AbiEvent => x.type === 'event');
    expect(events.length).toBeGreaterThan(15);
    for (const ev of events) {
      const signature = toEventSignature(ev);
      expect(vector.events[signature], `${signature} is in the vector`).toBeDefined();
      expect(toEventSelector(ev), signature).toBe(vector.events[signature]);
    }
  });
});
