import { describe, expect, it } from 'vitest';
import {
  DecodeError,
  decodeOnChainData,
  decodeProgramOutput,
  decodeSharedState,
  decodeStateUpdate,
  encodeOnChainData,
  encodeProgramOutput,
  encodeSharedState,
} from '../../../src/starkex/index.js';
import { hexToWord } from '../../../src/starkex/words.js';
import { readVector } from '../../helpers/vectors.js';
import { forcedActionsAsJson, onChainDataAsJson, programOutputAsJson, readPackedWords, readPages } from './fixtures.js';

describe(`real pages decode to l2beat's decoded JSON`, () => {
  it('dYdX 2021-05-25 batch (3 pages): every field of decoded-example.json', () => {
    const [main, ...data] = readPages('encoded-example.json');
    const expected = readVector('decoded-example.json');
    const p = decodeProgramOutput(main!);
    const d = decodeOnChainData(data.flat());
    expect({ ...programOutputAsJson(p), ...onChainDataAsJson(d) }).toEqual(expected);
    expect(p.onchainData).toBeUndefined();
  });

  it('dYdX 2021-03-25 batch: the 13 forced actions of decoded-forced.json, size word checked', () => {
    const [main, ...data] = readPages('encoded-forced.json');
    const p = decodeProgramOutput(main!);
    expect(forcedActionsAsJson(p)).toEqual(readVector('decoded-forced.json').forcedActions);
    expect(p.forcedActions.length).toBe(13);
    // The JSON holds 2^64 - 1 rounded to 18446744073709552000; the exact word decodes to 2^64 - 1.
    expect(p.forcedActions.some((a) => a.type === 'withdrawal' && a.quantizedAmount === (1n << 64n) - 1n)).toBe(true);
    expect(() => decodeOnChainData(data.flat())).not.toThrow();
  });

  it('ApeX output with the data-availability-mode word (l2beat labels the DA word as the config hash)', () => {
    const words = readPackedWords('encoded-with-dataavail-field.json');
    const p = decodeProgramOutput(words, { daModeWord: true });
    expect(p.dataAvailabilityMode).toBe(0n);
    // vectors/README.md: the true general config hash is word 0.
    expect(p.generalConfigHash).toBe(0x06845b5b85918abc6335f0d4ead5f9c27eb7194ae8637b07ecc414d7fb4f41ean);
    expect(programOutputAsJson(p, p.dataAvailabilityMode)).toEqual(readVector('decoded-with-dataavail-field.json'));
  });
});

describe(`re-encoding real pages gives the same words`, () => {
  it.each(['encoded-example.json', 'encoded-forced.json'])('%s: main page and on-chain data', (file) => {
    const [main, ...data] = readPages(file);
    expect(encodeProgramOutput(decodeProgramOutput(main!))).toEqual(main);
    expect(encodeOnChainData(decodeOnChainData(data.flat()))).toEqual(data.flat());
  });

  it('ApeX output with the DA-mode word', () => {
    const words = readPackedWords('encoded-with-dataavail-field.json');
    expect(encodeProgramOutput(decodeProgramOutput(words, { daModeWord: true }))).toEqual(words);
  });

  it('the real 160-word shared state of the mainnet escape vector', () => {
    const words = readVector(
      'l1tree-escape-dydx-mainnet-position1-block17605965.json',
    ).verifyEscapeArgs.sharedState.map(hexToWord);
    const s = decodeSharedState(words);
    expect(s.fundingIndices.length).toBe(38);
    expect(s.oraclePrices.length).toBe(38);
    expect(s.positionsTreeHeight).toBe(64n);
    expect(encodeSharedState(s)).toEqual(words);
  });
});

describe(`StarkEx spot output is not a perpetual output`, () => {
  it('the perpetual decoder rejects it with a DecodeError in either layout', () => {
    const words = readPackedWords('spot-encoded-example.json');
    expect(() => decodeProgramOutput(words)).toThrow(DecodeError);
    expect(() => decodeProgramOutput(words, { daModeWord: true })).toThrow(DecodeError);
  });
});

describe(`real updates are self-consistent`, () => {
  it.each(['encoded-example.json', 'encoded-forced.json'])(
    '%s: updateState programOutput + data pages pass decodeStateUpdate',
    (file) => {
      const [main, ...data] = readPages(file);
      const tail = readVector('l1tree-derived-fixture-facts.json').fixtures[
        file
      ].expectedUpdateStateProgramOutputTail.map(hexToWord);
      const u = decodeStateUpdate([...main!, ...tail], data);
      expect(u.onChainData).toEqual(decodeOnChainData(data.flat()));
      // Every record is settled at the old state's timestamp or at one of the batch's ticks, and the
      // batch's last tick is the new state's funding timestamp.
      const ticks = new Set([
        u.programOutput.prevSharedState.fundingTimestamp,
        ...u.onChainData.fundingEntries.map((e) => e.timestamp),
      ]);
      expect(u.onChainData.positions.every((p) => p.fundingTimestamp === 0n || ticks.has(p.fundingTimestamp))).toBe(
        true,
      );
      expect(u.onChainData.fundingEntries.at(-1)?.timestamp).toBe(u.programOutput.newSharedState.fundingTimestamp);
      // The last data word (a balance or a timestamp) off by one: still decodes, but the pages no
      // longer match the on-chain data hash.
      const tampered = data.map((p) => [...p]);
      const last = tampered.at(-1)!;
      last[last.length - 1] = last.at(-1)! ^ 1n;
      expect(() => decodeStateUpdate([...main!, ...tail], tampered)).toThrow(/on-chain data hash/);
    },
  );
});
