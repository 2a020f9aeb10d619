import { describe, expect, it } from 'vitest';
import {
  DecodeError,
  decodeOnChainData,
  decodeProgramOutput,
  decodeStateUpdate,
  encodeOnChainData,
  encodeProgramOutput,
} from './imports.js';
import { readPackedWords, readPages } from './fixtures.js';
import { mutateWords as mutate, prng } from '../../helpers/fuzz.js';

/*
 * Mutation fuzzing of the real pages: truncate, extend, overwrite words, change size/count words,
 * insert and delete words. Every case must end in a valid decode (which then re-encodes to the very
 * same words: the encoding is canonical, so nothing was silently dropped) or in a DecodeError; any
 * other exception fails. Seeded, so a failure reproduces: VIGIL_FUZZ_SEED=<seed> to replay.
 */
const SEED = Number(process.env.VIGIL_FUZZ_SEED ?? 0x5eed_4a11);
const CASES = Number(process.env.VIGIL_FUZZ_CASES ?? 10_000);

/** Runs `fn`; returns 'ok' or 'error'; anything but a DecodeError is rethrown with the case's seed. */
function outcome(label: string, fn: () => void): 'ok' | 'error' {
  try {
    fn();
    return 'ok';
  } catch (e) {
    if (e instanceof DecodeError) return 'error';
    throw new Error(
      `${label}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)} (replay with VIGIL_FUZZ_SEED=${SEED})`,
      { cause: e },
    );
  }
}

describe(`fuzzing the real pages`, () => {
  it(`${CASES} mutated pages end in a valid decode or a DecodeError (seed ${SEED})`, () => {
    const rng = prng(SEED);
    const [exMain, ...exData] = readPages('encoded-example.json');
    const [fMain, ...fData] = readPages('encoded-forced.json');
    const apex = readPackedWords('encoded-with-dataavail-field.json');
    const mains: { words: bigint[]; daModeWord: boolean }[] = [
      { words: exMain!, daModeWord: false },
      { words: fMain!, daModeWord: false },
      { words: apex, daModeWord: true },
    ];
    const datas = [exData.flat(), fData.flat()];
    const tally = { ok: 0, error: 0 };
    for (let c = 0; c < CASES; c++) {
      const label = `case ${c}`;
      const kind = rng.int(3);
      let result: 'ok' | 'error';
      if (kind === 0) {
        const m = rng.pick(mains);
        // Sometimes decode with the other layout too: still only DecodeErrors.
        const opts = { daModeWord: rng.int(5) === 0 ? !m.daModeWord : m.daModeWord };
        const words = mutate(rng, m.words);
        result = outcome(label, () => {
          const p = decodeProgramOutput(words, opts);
          expect(encodeProgramOutput(p)).toEqual(words);
        });
      } else if (kind === 1) {
        const words = mutate(rng, rng.pick(datas));
        result = outcome(label, () => {
          const d = decodeOnChainData(words);
          expect(encodeOnChainData(d)).toEqual(words);
        });
      } else {
        // A whole update: main page and data pages, mutated independently.
        const i = rng.int(2);
        const main = rng.int(2) ? mutate(rng, mains[i]!.words) : mains[i]!.words;
        const pages = (i === 0 ? exData : fData).map((p) => (rng.int(2) ? mutate(rng, p) : p));
        result = outcome(label, () => void decodeStateUpdate(main, pages));
      }
      tally[result]++;
    }
    expect(tally.ok + tally.error).toBe(CASES);
    // Both outcomes occur: the mutations are neither all fatal nor all harmless.
    expect(tally.error).toBeGreaterThan(CASES / 10);
    expect(tally.ok).toBeGreaterThan(CASES / 100);
  });
});
