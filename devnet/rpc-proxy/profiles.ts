/**
 * Provider profiles of the devnet RPC proxy: each imitates one way real JSON-RPC providers limit or
 * misbehave (issue 15, "Mainnet-grade L1 sync"), so the adaptive L1 layer can be tested against
 * anvil under the same answers it will meet on mainnet. A profile is a name plus options; a proxy
 * runs a list of them, combined. Parsing lives here so the CLI and tests share one syntax:
 * `name` or `name:key=value;key=value`, several joined by commas (e.g. `results-10k:max=50,latency:ms=20`).
 */

/** `eth_getLogs` over more than `maxRange` blocks → a JSON-RPC error (public endpoints). */
export type RangeProfile = { name: 'range-1000' | 'tiny-range-10'; maxRange?: number; message?: string; code?: number };
/** Infura style: more than `max` logs → -32005 "query returned more than N results. Try with this block range [..]". */
export type ResultsProfile = { name: 'results-10k'; max?: number };
/** Token bucket of `rps` requests per second (each batch member counts); over it → HTTP 429 + Retry-After. */
export type RateProfile = { name: 'rate-25rps'; rps?: number; burst?: number };
/** Adds `ms` (± `jitterMs`, seeded) before each HTTP answer. */
export type LatencyProfile = { name: 'latency'; ms?: number; jitterMs?: number };
/** Seeded fraction of HTTP requests answered 5xx (`error5xx`) or never answered (`hang`). */
export type FlakyProfile = { name: 'flaky'; error5xx?: number; hang?: number };
/** Reports a head `blocks` behind upstream and refuses (null / error) anything above it. */
export type LaggingProfile = { name: 'lagging'; blocks?: number };
/**
 * Alters answers: one field (`field`) of the first log of `eth_getLogs` (default `data`), of the
 * transaction of `eth_getTransactionByHash` (default `input`), and the value of `eth_getStorageAt`.
 * `methods` restricts which of the three are altered (default all). Named in `methods` only (not by
 * default): `eth_getBlockByNumber` header reads (default `hash`, or any header field) and
 * `eth_getProof` (default the first storage proof's `value`; `accountProof` / `proof` alter the
 * last node of the account / first storage proof, `storageHash` the stated storage root).
 */
export type LyingProfile = { name: 'lying'; field?: string; methods?: string[] };
/** An endpoint without JSON-RPC batching: a batch is answered with one -32600 error object, not an array. */
export type NoBatchProfile = { name: 'no-batch' };

export type Profile =
  | RangeProfile
  | ResultsProfile
  | RateProfile
  | LatencyProfile
  | FlakyProfile
  | LaggingProfile
  | LyingProfile
  | NoBatchProfile;
export type ProfileName = Profile['name'];

export const PROFILE_NAMES: readonly ProfileName[] = [
  'range-1000',
  'tiny-range-10',
  'results-10k',
  'rate-25rps',
  'latency',
  'flaky',
  'lagging',
  'lying',
  'no-batch',
];

/** Defaults, so a bare name is a complete profile. */
export const PROFILE_DEFAULTS = {
  'range-1000': { maxRange: 1000, code: -32000, message: 'exceed maximum block range: 1000' },
  // Alchemy's free tier wording (2025): the job cannot be done 10 blocks at a time.
  'tiny-range-10': {
    maxRange: 10,
    code: -32600,
    message:
      'Under the Free tier plan, you can make eth_getLogs requests with up to a 10 block range. Based on your parameters, this block range should work: [{from}, {to}]',
  },
  'results-10k': { max: 10_000 },
  'rate-25rps': { rps: 25, burst: 25 },
  latency: { ms: 50, jitterMs: 0 },
  flaky: { error5xx: 0.05, hang: 0.02 },
  lagging: { blocks: 5 },
  lying: {
    field: undefined as string | undefined,
    methods: ['eth_getLogs', 'eth_getTransactionByHash', 'eth_getStorageAt'],
  },
} as const;

export class ProfileParseError extends Error {
  override name = 'ProfileParseError';
}

const NUMBER_KEYS = new Set([
  'maxRange',
  'code',
  'max',
  'rps',
  'burst',
  'ms',
  'jitterMs',
  'error5xx',
  'hang',
  'blocks',
]);

/** Parses `range-1000,results-10k:max=50,lying:field=data;methods=eth_getLogs` into profiles. */
export function parseProfiles(spec: string): Profile[] {
  return spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((item) => {
      const [name, opts = ''] = item.split(/:(.*)/s) as [string, string?];
      if (!(PROFILE_NAMES as readonly string[]).includes(name))
        throw new ProfileParseError(`unknown profile "${name}"; known: ${PROFILE_NAMES.join(', ')}`);
      const profile: Record<string, unknown> = { name };
      for (const kv of opts.split(';').filter(Boolean)) {
        const [k, v] = kv.split('=') as [string, string?];
        if (v === undefined) throw new ProfileParseError(`profile ${name}: option "${kv}" is not key=value`);
        if (NUMBER_KEYS.has(k)) {
          const n = Number(v);
          if (!Number.isFinite(n)) throw new ProfileParseError(`profile ${name}: ${k}=${v} is not a number`);
          profile[k] = n;
        } else if (k === 'methods') profile[k] = v.split('|');
        else profile[k] = v;
      }
      return profile as Profile;
    });
}

/** A profile given as a name, a spec string or an object, normalised to objects. */
export type ProfileInput = Profile | string;
export function normaliseProfiles(list: readonly ProfileInput[]): Profile[] {
  return list.flatMap((p) => (typeof p === 'string' ? parseProfiles(p) : [p]));
}
