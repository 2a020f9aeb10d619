import { FIELD_PRIME } from '../../src/crypto/field.js';
import { seededRandom } from '../../devnet/lib/rng.js';

/*
 * Seeded mutation helpers shared by the fuzz suites (test/unit/starkex/fuzz.test.ts for the page
 * decoders, test/unit/l1/fuzz-rpc.test.ts for the RPC-answer parsers). Deterministic from a seed,
 * so a failing case replays exactly.
 */

/** mulberry32 (the devnet's seeded PRNG): small, fast, deterministic. */
export function prng(seed: number) {
  const next: () => number = seededRandom(seed);
  const int = (n: number): number => Math.floor(next() * n);
  const bits = (n: number): bigint => {
    let v = 0n;
    for (let i = 0; i < n; i += 32) v = (v << 32n) | BigInt(int(2 ** 32));
    return v & ((1n << BigInt(n)) - 1n);
  };
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  return { next, int, bits, pick };
}
export type Rng = ReturnType<typeof prng>;

export function randomWord(rng: Rng, old: bigint | undefined): bigint {
  switch (rng.int(10)) {
    case 0:
      return BigInt(rng.int(8));
    case 1:
      return BigInt(rng.int(5000));
    case 2:
      return rng.bits(64);
    case 3:
      return rng.bits(251);
    case 4:
      return rng.pick([
        FIELD_PRIME,
        FIELD_PRIME - 1n,
        (1n << 256n) - 1n,
        1n << 64n,
        (1n << 64n) - 1n,
        1n << 63n,
        1n << 120n,
        1n << 184n,
        1n << 250n,
      ]);
    case 5:
      return rng.bits(256);
    case 6:
      return (old ?? 0n) + 1n;
    case 7:
      return old === undefined || old === 0n ? 0n : old - 1n;
    case 8:
      return (old ?? 0n) ^ (1n << BigInt(rng.int(256)));
    default:
      return (1n << BigInt(rng.int(256))) - BigInt(rng.int(3));
  }
}

/** Page words mutated: truncate, extend, overwrite, change a size/count word, insert, delete. */
export function mutateWords(rng: Rng, input: readonly bigint[]): bigint[] {
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
          w[k] = rng.pick([
            w[k]! + 1n,
            w[k]! > 0n ? w[k]! - 1n : 0n,
            0n,
            w[k]! * 2n,
            BigInt(rng.int(2000)),
            1n << 64n,
            FIELD_PRIME - 1n,
          ]);
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

/** A value as a JSON-RPC answer can hold it (the transport JSON-parses every answer). */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const HEX = '0123456789abcdef';
const randomHex = (rng: Rng, chars: number) => Array.from({ length: chars }, () => HEX[rng.int(16)]).join('');

/** A 32-byte word as hex without 0x: small, large, boundary or random. */
function wordHex(rng: Rng): string {
  const v = rng.pick([
    0n,
    1n,
    2n,
    0x20n,
    0x40n,
    0xffn,
    BigInt(rng.int(5000)),
    1n << 32n,
    1n << 53n,
    1n << 64n,
    (1n << 255n) - 1n,
    1n << 255n,
    (1n << 256n) - 1n,
    rng.bits(256),
  ]);
  return v.toString(16).padStart(64, '0');
}

/**
 * ABI-encoded hex (event data, calldata after `prefixChars` of selector) mutated word-wise: flip a
 * byte, overwrite an offset/length word with a boundary value, insert or drop a word, or cut the
 * string anywhere (odd lengths included).
 */
export function mutateAbiHex(rng: Rng, hex: string, prefixChars = 0): string {
  if (!/^0x[0-9a-fA-F]*$/.test(hex)) return hex;
  const head = hex.slice(2, 2 + prefixChars);
  let body = hex.slice(2 + prefixChars);
  const words = Math.floor(body.length / 64);
  const at = (w: number) => w * 64;
  switch (rng.int(7)) {
    case 0: {
      const i = rng.int(Math.max(1, body.length));
      body = body.slice(0, i) + HEX[rng.int(16)] + body.slice(i + 1);
      break;
    }
    case 1:
    case 2:
      if (words) {
        const w = rng.int(Math.min(words, rng.int(2) ? 4 : words)); // the offset/length words lead
        body = body.slice(0, at(w)) + wordHex(rng) + body.slice(at(w + 1));
      }
      break;
    case 3:
      body = body.slice(0, at(rng.int(words + 1))) + wordHex(rng) + body.slice(at(rng.int(words + 1)));
      break;
    case 4:
      if (words) {
        const w = rng.int(words);
        body = body.slice(0, at(w)) + body.slice(at(w + 1));
      }
      break;
    case 5:
      body = body.slice(0, rng.int(body.length + 1));
      break;
    default:
      body += rng.int(2) ? wordHex(rng) : randomHex(rng, 1 + rng.int(3));
  }
  return `0x${head}${body}`;
}

/** A hex string (hash, quantity, address) mutated as a string: odd length, case, non-hex, no prefix, sign, padding. */
export function mutateHexString(rng: Rng, s: string): Json {
  switch (rng.int(14)) {
    case 0:
      return s.slice(0, rng.int(s.length + 1)); // truncated, odd length too
    case 1:
      return s + randomHex(rng, 1 + rng.int(4)); // extended
    case 2:
      return s.toUpperCase(); // "0X…" and upper-case digits
    case 3:
      return s.startsWith('0x') ? `0x${s.slice(2).toUpperCase()}` : s;
    case 4:
      return s.replace(/^0x/, ''); // no prefix
    case 5: {
      const i = rng.int(Math.max(1, s.length));
      return s.slice(0, i) + rng.pick(['z', 'g', ' ', '-', '.', 'x', '\u0000', '\u00e9']) + s.slice(i + 1); // non-hex
    }
    case 6:
      return rng.pick([
        '0x',
        '',
        '0x0',
        '0x00',
        '-0x1',
        ' 0x1',
        '0x1 ',
        '1e3',
        '0b1',
        '0o7',
        'NaN',
        'Infinity',
        'null',
        `0x${'0'.repeat(64)}`,
        `0x${'f'.repeat(64)}`,
      ]);
    case 7:
      return `0x${'0'.repeat(1 + rng.int(80))}${s.replace(/^0x/, '')}`; // leading zeros
    case 8:
      return `0x${randomHex(rng, rng.pick([1, 2, 7, 39, 40, 41, 63, 64, 65, 128]))}`;
    case 9:
      return `0x${'f'.repeat(rng.pick([16, 64, 65, 200, 4000]))}`; // huge
    case 10:
      return Number.parseInt(s, 16) || rng.int(1000); // hex → number
    case 11: {
      const i = rng.int(Math.max(1, s.length - 2)) + 2;
      return s.slice(0, i) + HEX[rng.int(16)] + s.slice(i + 1); // flipped digit (still valid hex)
    }
    case 12:
      return mutateAbiHex(rng, s);
    default:
      return String(BigInt.asUintN(64, BigInt(rng.int(2 ** 30)))); // decimal text
  }
}

/** A value of another JSON type (or an edge of the same type). */
export function randomJson(rng: Rng, depth = 0): Json {
  switch (rng.int(depth > 2 ? 6 : 9)) {
    case 0:
      return null;
    case 1:
      return rng.int(2) === 0;
    case 2:
      return rng.pick([0, 1, -1, 1.5, 2 ** 53, 2 ** 64, 1e308, -0, Number.MAX_SAFE_INTEGER + 2]);
    case 3:
      return rng.pick(['', '0x', 'latest', 'undefined', '[object Object]', '0x1']);
    case 4:
      return `0x${randomHex(rng, rng.int(70))}`;
    case 5:
      return 'x'.repeat(rng.int(300));
    case 6:
      return Array.from({ length: rng.int(4) }, () => randomJson(rng, depth + 1));
    case 7:
      return Object.fromEntries(
        Array.from({ length: rng.int(4) }, (_, i) => [
          rng.pick(['a', 'topics', 'data', 'number', 'hash', `k${i}`]),
          randomJson(rng, depth + 1),
        ]),
      );
    default:
      return {};
  }
}

type Slot = {
  get(): Json;
  set(v: Json): void;
  drop?(): void;
  parent?: Json[] | { [k: string]: Json };
  key?: string | number;
};

/** Every place in `root` (itself included) a mutation can hit. */
function slots(holder: { v: Json }): Slot[] {
  const out: Slot[] = [{ get: () => holder.v, set: (x) => void (holder.v = x) }];
  const walk = (v: Json, depth: number) => {
    if (depth > 6 || v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      v.forEach((x, i) => {
        out.push({ get: () => v[i]!, set: (y) => void (v[i] = y), drop: () => void v.splice(i, 1), parent: v, key: i });
        walk(x, depth + 1);
      });
    } else {
      for (const k of Object.keys(v)) {
        out.push({ get: () => v[k]!, set: (y) => void (v[k] = y), drop: () => void delete v[k], parent: v, key: k });
        walk(v[k]!, depth + 1);
      }
    }
  };
  walk(holder.v, 0);
  return out;
}

/**
 * A JSON answer mutated 1–3 times at random places: hex strings as hex (see `mutateHexString`),
 * `hexFields` keys as ABI data, types swapped (string ↔ number ↔ null ↔ object ↔ array), fields
 * dropped, duplicated or added, arrays cut, shuffled, duplicated or grown (bounded: at most
 * `maxArray` elements added), or the whole answer replaced.
 */
export function mutateJson(
  rng: Rng,
  value: Json,
  opts: { abiHexFields?: Record<string, number>; maxArray?: number } = {},
): Json {
  const holder = { v: structuredClone(value) };
  const maxArray = opts.maxArray ?? 2000;
  for (let r = 1 + rng.int(3); r > 0; r--) {
    const all = slots(holder);
    // Prefer leaves and deeper places: the root is replaced rarely.
    const s = rng.int(20) === 0 ? all[0]! : (all[1 + rng.int(Math.max(1, all.length - 1))] ?? all[0]!);
    const v = s.get();
    const abiPrefix = typeof s.key === 'string' ? opts.abiHexFields?.[s.key] : undefined;
    switch (rng.int(8)) {
      case 0:
        s.set(randomJson(rng)); // another type
        break;
      case 1:
        if (s.drop) s.drop();
        else s.set(null);
        break;
      case 2: // duplicate into a sibling (or a new key)
        if (Array.isArray(s.parent)) s.parent.splice(rng.int(s.parent.length + 1), 0, structuredClone(v));
        else if (s.parent)
          s.parent[rng.pick(['extra', 'topics', 'data', 'result', 'number', 'logIndex', String(s.key).toUpperCase()])] =
            structuredClone(v);
        break;
      case 3:
        if (Array.isArray(v)) {
          switch (rng.int(5)) {
            case 0:
              v.length = rng.int(v.length + 1);
              break;
            case 1:
              if (v.length)
                v.push(
                  ...Array.from({ length: 1 + rng.int(rng.int(50) ? 16 : maxArray) }, () =>
                    structuredClone(v[rng.int(v.length)]!),
                  ),
                );
              break;
            case 2:
              v.reverse();
              break;
            case 3:
              v.push(randomJson(rng));
              break;
            default:
              v.splice(
                rng.int(v.length + 1),
                0,
                ...Array.from({ length: rng.int(4) }, () => `0x${randomHex(rng, 64)}`),
              );
          }
        } else s.set(randomJson(rng));
        break;
      default:
        if (typeof v === 'string')
          s.set(abiPrefix !== undefined && rng.int(3) ? mutateAbiHex(rng, v, abiPrefix) : mutateHexString(rng, v));
        else if (typeof v === 'number')
          s.set(rng.pick([-v, v + 0.5, v * 2 ** 40, String(v), `0x${v.toString(16)}`, null]));
        else if (typeof v === 'boolean') s.set(rng.pick([!v, 'true', 0, 1, null]));
        else s.set(randomJson(rng));
    }
  }
  return holder.v;
}
