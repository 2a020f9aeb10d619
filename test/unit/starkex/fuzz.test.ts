import { describe, expect, it } from 'vitest';
import {
  DecodeError,
  decodeOnChainData,
  decodeProgramOutput,
  decodeStateUpdate,
  encodeOnChainData,
  encodeProgramOutput,
  FIELD_PRIME,
} from './imports.js';
import { readPackedWords, readPages } from './fixtures.js';

/*
 * Mutation fuzzing of the real pages: truncate, extend, overwrite words, change size/count words,
 * insert and delete words. Every case must end in a valid decode (which then re-encodes to the very
 * same words: the encoding is canonical, so nothing was silently dropped) or in a DecodeError; any
 * other exception fails. Seeded, so a failure reproduces: VIGIL_FUZZ_SEED=<seed> to replay.
 */
const SEED = Number(process.env.VIGIL_FUZZ_SEED ?? 0x5eed_4a11);
const CASES = Number(process.env.VIGIL_FUZZ_CASES ?? 10_000);

/** mulberry32: small, fast, deterministic. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  const bits = (n: number): bigint => {
    let v = 0n;
    for (let i = 0; i < n; i += 32) v = (v << 32n) | BigInt(int(2 ** 32));
    return v & ((1n << BigInt(n)) - 1n);
  };
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  return { next, int, bits, pick };
}
type Rng = ReturnType<typeof prng>;

function randomWord(rng: Rng, old: bigint | undefined): bigint {
  switch (rng.int(10)) {
    case 0: return BigInt(rng.int(8));
    case 1: return BigInt(rng.int(5000));
    case 2: return rng.bits(64);
    case 3: return rng.bits(251);
    case 4: return rng.pick([FIELD_PRIME, FIELD_PRIME - 1n, (1n << 256n) - 1n, 1n << 64n, (1n << 64n) - 1n, 1n << 63n, 1n << 120n, 1n << 184n, 1n << 250n]);
    case 5: return rng.bits(256);
    case 6: return (old ?? 0n) + 1n;
    case 7: return old === undefined || old === 0n ? 0n : old - 1n;
    case 8: return (old ?? 0n) ^ (1n << BigInt(rng.int(256)));
    default: return (1n << BigInt(rng.int(256))) - BigInt(rng.int(3));
  }
}

function mutate(rng: Rng, input: readonly bigint[]): bigint[] {
  const w = [...input];
  const rounds = 1 + rng.int(3);
  for (let r = 0; r < rounds; r++) {
    const i = rng.int(w.length + 1);
    switch (rng.int(6)) {
      case 0: // truncate
        w.length = rng.int(w.length + 1);
        break;
      case 1: // extend
        for (let k = 1 + rng.int(4); k > 0; k--) w.push(randomWord(rng, undefined));
        break;
      case 2: // overwrite any word
        if (w.length) w[i % w.length] = randomWord(rng, w[i % w.length]);
        break;
      case 3: {
        // change a size or count word: the small words of these pages are the counts, sizes,
        // heights and type words (timestamps, keys, balances and hashes are all large)
        const small = w.flatMap((x, k) => (x < 1n << 16n ? [k] : []));
        if (small.length) {
          const k = rng.pick(small);
          w[k] = rng.pick([w[k]! + 1n, w[k]! > 0n ? w[k]! - 1n : 0n, 0n, w[k]! * 2n, BigInt(rng.int(2000)), 1n << 64n, FIELD_PRIME - 1n]);
        }
        break;
      }
      case 4: // insert a word
        w.splice(i, 0, randomWord(rng, w[i]));
        break;
      default: // delete a word
        w.splice(i, 1);
    }
  }
  return w;
}

/** Runs `fn`; returns 'ok' or 'error'; anything but a DecodeError is rethrown with the case's seed. */
function outcome(label: string, fn: () => void): 'ok' | 'error' {
  try {
    fn();
    return 'ok';
  } catch (e) {
    if (e instanceof DecodeError) return 'error';
    throw new Error(`${label}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)} (replay with VIGIL_FUZZ_SEED=${SEED})`, { cause: e });
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
