import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeOnChainData, decodeProgramOutput, encodeOnChainData, encodeProgramOutput } from './imports.js';
import { onChainDataArb, programOutputArb } from './arbitraries.js';

describe('round trips for random valid updates', () => {
  it('decodeProgramOutput(encodeProgramOutput(p)) == p, both layouts, with and without the on-chain data words', () => {
    fc.assert(
      fc.property(programOutputArb, (p) => {
        const words = encodeProgramOutput(p);
        expect(decodeProgramOutput(words, { daModeWord: p.dataAvailabilityMode !== undefined })).toEqual(p);
      }),
      { numRuns: 150 },
    );
  });

  it('decodeOnChainData(encodeOnChainData(d)) == d', () => {
    fc.assert(
      fc.property(onChainDataArb, (d) => {
        expect(decodeOnChainData(encodeOnChainData(d))).toEqual(d);
      }),
      { numRuns: 150 },
    );
  });
});
