import {
  checkAddress,
  checkArray,
  checkBigint,
  checkBoolean,
  checkFelt,
  checkInteger,
  checkObject,
  checkString,
} from '../checks.js';
import { FIELD_PRIME } from '../crypto/field.js';
import { RangeCheckError, TypeCheckError } from '../errors.js';
import { DYDX_V3_MAINNET, devnetDeployment, type StarkExDeployment } from '../l1/deployment.js';
import { customDeployment } from '../l1/deployment-presets.js';
import { fundingTable, priceTable } from '../risk/fixed-point.js';
import { checkRiskParams } from '../risk/presets.js';
import type { SharedState } from '../starkex/shared-state.js';

/**
 * The verifier's settings (issue 9, issue 15): which deployment to follow, through which RPCs at
 * what pace, from where, and what to watch. They arrive typed by hand (the dashboard's form) or
 * from a test; every field is checked here, at the edge, and an error names the field, the value
 * and the allowed range (RangeCheckError). The engine behind trusts the result.
 */
export type SyncSettings = {
  deployment: StarkExDeployment;
  rpcUrls: string[];
  /** Requests per second per RPC, by position in `rpcUrls` (none: the provider's 429s set the pace). */
  rpcRates?: Array<number | undefined>;
  initialSharedState?: SharedState;
  initialBatchId?: bigint;
  maxBlockRange?: bigint;
  pageLookbackBlocks?: bigint;
  /** Follow head − confirmations (reorg safety on mainnet). */
  confirmations?: bigint;
  maxBatchAgeSeconds?: bigint;
  forcedRequestAlarmShare?: number;
  watchedStarkKeys?: bigint[];
  /** Minutes between alarm-driven sync runs (chrome.alarms, ≥ 0.5). */
  periodMinutes?: number;
};

/** At most this many RPCs: each read goes to all of them (a quorum), so more only costs quota. */
export const MAX_RPC_URLS = 8;
/** At most this many watched keys: each is a lookup per batch. */
export const MAX_WATCHED_STARK_KEYS = 64;

/** The integer settings, each with its allowed range (inclusive). */
const INTEGER_RANGES = {
  initialBatchId: [0n, (1n << 64n) - 1n],
  // A provider's eth_getLogs window; the engine halves it on a "range too large" answer.
  maxBlockRange: [1n, 1_000_000n],
  pageLookbackBlocks: [0n, 10_000_000n],
  // Ethereum finalises in 64 blocks; more than a day (7,200) is a mistake.
  confirmations: [0n, 7_200n],
  maxBatchAgeSeconds: [60n, 365n * 24n * 3600n],
} as const satisfies Record<string, readonly [bigint, bigint]>;

const HTTP_URL = /^https?:\/\/[^\s/]+(\/\S*)?$/;

/** The endpoint a URL names, for spotting the same RPC twice: scheme and host in lower case, no default port, no lone trailing slash. */
function sameEndpoint(url: string): string {
  const m = /^(https?):\/\/([^/?#]*)(.*)$/i.exec(url)!;
  const scheme = m[1]!.toLowerCase();
  const host = m[2]!.toLowerCase().replace(scheme === 'https' ? /:443$/ : /:80$/, '');
  const rest = m[3] === '/' ? '' : m[3]!;
  return `${scheme}://${host}${rest}`;
}

/**
 * Checks settings as sent by a page (bigints already revived from tagged JSON). The deployment is
 * `preset: 'dydx-mainnet'`, a devnet's deploy output (`devnet`) or a whole `deployment`.
 */
export function parseSyncSettings(value: unknown): SyncSettings {
  const raw = checkObject('settings', value, 'a settings object');
  const rpcUrls = Array.from(checkArray('rpcUrls', raw.rpcUrls, 'an array of http(s) URLs'), (u, i) =>
    checkString(`rpcUrls[${i}]`, u, { maxLength: 2048, pattern: HTTP_URL, expected: 'an http(s) URL' }),
  );
  if (rpcUrls.length < 1 || rpcUrls.length > MAX_RPC_URLS)
    throw new RangeCheckError('rpcUrls', rpcUrls, `1 to ${MAX_RPC_URLS} URLs`);
  // Each URL is one voice in the cross-check (issue 15): the same endpoint twice would agree with
  // itself and count as two RPCs confirming a block hash or a log.
  const seen = new Map<string, number>();
  rpcUrls.forEach((u, i) => {
    const same = seen.get(sameEndpoint(u));
    if (same !== undefined)
      throw new RangeCheckError(
        `rpcUrls[${i}]`,
        u,
        `an RPC not listed already (rpcUrls[${same}] is the same endpoint)`,
      );
    seen.set(sameEndpoint(u), i);
  });
  const out: SyncSettings = { deployment: deploymentOf(raw), rpcUrls };
  if (raw.rpcRates !== undefined) out.rpcRates = rpcRatesOf(raw.rpcRates, rpcUrls.length);
  if (raw.initialSharedState !== undefined)
    out.initialSharedState = checkSharedState('initialSharedState', raw.initialSharedState);
  for (const [k, [min, max]] of Object.entries(INTEGER_RANGES) as [keyof typeof INTEGER_RANGES, [bigint, bigint]][])
    if (raw[k] !== undefined) out[k] = integerSetting(k, raw[k], min, max);
  if (raw.watchedStarkKeys !== undefined) {
    const keys = checkArray('watchedStarkKeys', raw.watchedStarkKeys, 'an array of Stark keys');
    if (keys.length > MAX_WATCHED_STARK_KEYS)
      throw new RangeCheckError('watchedStarkKeys', keys.length, `at most ${MAX_WATCHED_STARK_KEYS} keys`);
    out.watchedStarkKeys = Array.from(keys, (v, i) =>
      integerSetting(`watchedStarkKeys[${i}]`, v, 1n, FIELD_PRIME - 1n),
    );
  }
  if (raw.forcedRequestAlarmShare !== undefined)
    out.forcedRequestAlarmShare = numberSetting(
      'forcedRequestAlarmShare',
      raw.forcedRequestAlarmShare,
      0,
      1,
      '0 < share <= 1',
    );
  if (raw.periodMinutes !== undefined)
    out.periodMinutes = numberSetting('periodMinutes', raw.periodMinutes, 0.5, 1440, '0.5 to 1440 minutes', true);
  return out;
}

/**
 * The stark keys the sync watches for forced-request deadlines: the user's `watchedStarkKeys` and
 * the wallet's own keys, always (issue 17 item 4: the wallet's key was watched only when pasted
 * into Settings). The wallet's keys come from the service worker with each run, never from the
 * stored settings, so saving settings cannot drop them. Each key once; at most
 * `MAX_WATCHED_STARK_KEYS` + the wallet's. Wallet keys are hex; a malformed one is refused naming it.
 */
export function watchedStarkKeysWith(settings: SyncSettings, walletStarkKeys: readonly string[]): bigint[] {
  const keys = [...(settings.watchedStarkKeys ?? [])];
  walletStarkKeys.forEach((hex, i) => {
    if (typeof hex !== 'string' || !/^0x[0-9a-fA-F]{1,64}$/.test(hex))
      throw new TypeCheckError(`walletStarkKeys[${i}]`, hex, 'a 0x-prefixed hex Stark key');
    keys.push(integerSetting(`walletStarkKeys[${i}]`, BigInt(hex), 1n, FIELD_PRIME - 1n));
  });
  return [...new Set(keys)];
}

/**
 * Saving one form never drops a setting it does not show (issue 15): for the same deployment the
 * new settings are laid over the old. Per-RPC rates belong to their URLs: a new URL list without
 * rates drops the old ones. Another deployment starts from the new settings alone.
 */
export function mergeSyncSettings(old: SyncSettings | undefined, next: SyncSettings): SyncSettings {
  if (!old || !sameDeployment(old.deployment, next.deployment)) return next;
  const merged: SyncSettings = { ...old, ...next };
  if (next.rpcRates === undefined && old.rpcUrls.join('\n') !== next.rpcUrls.join('\n')) delete merged.rpcRates;
  return merged;
}

/** The keys that name the deployment to follow: exactly one is given. */
const DEPLOYMENT_SOURCES = ['preset', 'devnet', 'custom', 'deployment'] as const;
/** Settings that belong to one deployment's chain history: never carried over to another deployment. */
const DEPLOYMENT_BOUND = ['initialSharedState', 'initialBatchId'] as const;

/** The devnet the extension was handed (npm start), to offer again as the "devnet" preset. */
export type KnownDevnet = { deployment: StarkExDeployment; initialSharedState?: SharedState };

/**
 * One settings form's save (issue 17 "saving one setting never drops another"): `patch` holds only
 * the fields that form shows; every other setting is taken from `old`. A patch without a
 * deployment keeps the followed one; `preset: "devnet"` is the known devnet with its genesis state.
 * A patch that changes the deployment does not carry the old deployment's starting point
 * (`initialSharedState`, `initialBatchId`). Per-RPC rates go with their URLs: a patch with URLs
 * and no rates has none. The result is checked whole (parseSyncSettings) and merged (mergeSyncSettings).
 */
export function patchSyncSettings(
  old: SyncSettings | undefined,
  patch: Record<string, unknown>,
  knownDevnet?: KnownDevnet,
): SyncSettings {
  const next: Record<string, unknown> = { ...patch };
  if (next.preset === 'devnet') {
    if (!knownDevnet) throw new RangeCheckError('preset', 'devnet', '"dydx-mainnet" (no devnet is known to Vigil)');
    delete next.preset;
    next.deployment = knownDevnet.deployment;
    if (knownDevnet.initialSharedState && next.initialSharedState === undefined)
      next.initialSharedState = knownDevnet.initialSharedState;
  }
  if (!old) return parseSyncSettings(next);
  const changesDeployment = DEPLOYMENT_SOURCES.some((k) => next[k] !== undefined);
  const carried: Record<string, unknown> = { ...old };
  delete carried.deployment;
  if (next.rpcUrls !== undefined) delete carried.rpcRates;
  // A stored rate list marks "no rate" as undefined; the edge takes null for it.
  else if (old.rpcRates) carried.rpcRates = old.rpcRates.map((r) => r ?? null);
  if (!changesDeployment) carried.deployment = old.deployment;
  const parsed = parseSyncSettings(
    changesDeployment ? { ...withoutBound(carried, next), ...next } : { ...carried, ...next },
  );
  if (changesDeployment && !sameDeployment(old.deployment, parsed.deployment)) return parsed;
  return mergeSyncSettings(old, parsed);
}

/** `carried` without the old deployment's starting point, unless the patch gives one. */
function withoutBound(carried: Record<string, unknown>, next: Record<string, unknown>): Record<string, unknown> {
  const out = { ...carried };
  for (const k of DEPLOYMENT_BOUND) if (next[k] === undefined) delete out[k];
  return out;
}

/** The same exchange: same id, chain and StarkPerpetual address (any case). */
export function sameDeployment(a: StarkExDeployment, b: StarkExDeployment): boolean {
  return a.id === b.id && a.chainId === b.chainId && a.starkPerpetual.toLowerCase() === b.starkPerpetual.toLowerCase();
}

function deploymentOf(raw: Record<string, unknown>): StarkExDeployment {
  const given = DEPLOYMENT_SOURCES.filter((k) => raw[k] !== undefined);
  if (given.length !== 1)
    throw new RangeCheckError('settings', given, 'exactly one of preset "dydx-mainnet", devnet, custom or deployment');
  // The settings form's custom deployment, typed field by field (src/l1/deployment-presets.ts).
  if (raw.custom !== undefined)
    return customDeployment(checkObject('custom', raw.custom, 'the custom deployment form'));
  if (raw.preset !== undefined) {
    if (raw.preset !== 'dydx-mainnet') throw new RangeCheckError('preset', raw.preset, '"dydx-mainnet"');
    return { ...DYDX_V3_MAINNET };
  }
  if (raw.devnet !== undefined) {
    const d = checkObject('devnet', raw.devnet, "a devnet's deploy output { chainId, addresses, programHash, … }");
    const a = checkObject('devnet.addresses', d.addresses);
    const address = (k: string) => checkAddress(`devnet.addresses.${k}`, a[k]);
    return devnetDeployment({
      chainId: checkInteger('devnet.chainId', d.chainId, 1),
      addresses: {
        starkPerpetual: address('starkPerpetual'),
        memoryPageFactRegistry: address('memoryPageFactRegistry'),
        gpsStatementVerifier: address('gpsStatementVerifier'),
        gpsFactAdapter: address('gpsFactAdapter'),
        escapeVerifier: address('escapeVerifier'),
        usdc: address('usdc'),
      },
      programHash: integerSetting('devnet.programHash', d.programHash, 0n, FIELD_PRIME - 1n),
      usdcAssetType: integerSetting('devnet.usdcAssetType', d.usdcAssetType, 0n, FIELD_PRIME - 1n),
      ...(d.firstBlock === undefined ? {} : { firstBlock: blockNumber('devnet.firstBlock', d.firstBlock) }),
      ...(d.riskParams === undefined ? {} : { riskParams: checkRiskParams('devnet.riskParams', d.riskParams) }),
    });
  }
  const d = checkObject('deployment', raw.deployment, 'a StarkEx deployment');
  const addresses = (k: string) =>
    Array.from(checkArray(`deployment.${k}`, d[k], 'an array of addresses'), (x, i) =>
      checkAddress(`deployment.${k}[${i}]`, x),
    );
  const c = checkObject('deployment.collateral', d.collateral, '{ token, assetType, quantum, decimals }');
  return {
    id: checkString('deployment.id', d.id, {
      pattern: /^[a-z0-9][a-z0-9-]{0,39}$/,
      expected: 'a short id (a-z, 0-9, -)',
    }),
    name: checkString('deployment.name', d.name, { maxLength: 100 }),
    chainId: checkInteger('deployment.chainId', d.chainId, 1),
    starkPerpetual: checkAddress('deployment.starkPerpetual', d.starkPerpetual),
    perpetualEscapeVerifier: checkAddress('deployment.perpetualEscapeVerifier', d.perpetualEscapeVerifier),
    memoryPageFactRegistry: checkAddress('deployment.memoryPageFactRegistry', d.memoryPageFactRegistry),
    gpsStatementVerifiers: addresses('gpsStatementVerifiers'),
    factAdapters: addresses('factAdapters'),
    programHash: integerSetting('deployment.programHash', d.programHash, 0n, FIELD_PRIME - 1n),
    collateral: {
      token: checkAddress('deployment.collateral.token', c.token),
      assetType: integerSetting('deployment.collateral.assetType', c.assetType, 0n, FIELD_PRIME - 1n),
      quantum: integerSetting('deployment.collateral.quantum', c.quantum, 1n, (1n << 64n) - 1n),
      decimals: checkInteger('deployment.collateral.decimals', c.decimals, 0, 36),
    },
    firstBlock: blockNumber('deployment.firstBlock', d.firstBlock),
    daModeWord: checkBoolean('deployment.daModeWord', d.daModeWord),
    ...(d.frozen === undefined ? {} : { frozen: checkBoolean('deployment.frozen', d.frozen) }),
    ...(d.riskParams === undefined ? {} : { riskParams: checkRiskParams('deployment.riskParams', d.riskParams) }),
  };
}

function rpcRatesOf(value: unknown, urls: number): Array<number | undefined> {
  const rates = checkArray('rpcRates', value, 'an array of requests per second (or null), one per RPC URL');
  if (rates.length !== urls) throw new RangeCheckError('rpcRates', rates.length, `one entry per RPC URL (${urls})`);
  return Array.from(rates, (r, i) =>
    r === null
      ? undefined
      : numberSetting(`rpcRates[${i}]`, r, 0.1, 1000, 'requests per second from 0.1 to 1000, or null', true),
  );
}

/** An integer typed by hand: a bigint, a safe number, or a decimal / 0x-hex string. */
function integerSetting(field: string, v: unknown, min: bigint, max: bigint): bigint {
  const n =
    typeof v === 'bigint'
      ? v
      : typeof v === 'number' && Number.isSafeInteger(v)
        ? BigInt(v)
        : typeof v === 'string' && /^(0x[0-9a-fA-F]{1,64}|\d{1,78})$/.test(v)
          ? BigInt(v)
          : undefined;
  if (n === undefined) throw new TypeCheckError(field, v, 'an integer (number, decimal or 0x-hex string)');
  return checkBigint(field, n, min, max);
}

const blockNumber = (field: string, v: unknown) => integerSetting(field, v, 0n, (1n << 64n) - 1n);

/** A finite number in [min, max] (`minInclusive` false: min itself excluded). */
function numberSetting(field: string, v: unknown, min: number, max: number, range: string, minInclusive = false) {
  if (typeof v !== 'number') throw new TypeCheckError(field, v, `a number, ${range}`);
  if (!Number.isFinite(v) || v > max || v < min || (!minInclusive && v === min))
    throw new RangeCheckError(field, v, range);
  return v;
}

/** A shared state given by hand as the verifier's starting point (it is then checked against L1). */
function checkSharedState(field: string, value: unknown): SharedState {
  const s = checkObject(field, value, 'a shared state');
  const felt = (k: string) => checkFelt(`${field}.${k}`, s[k]);
  const height = (k: string) => checkBigint(`${field}.${k}`, s[k], 0n, 251n);
  const uint64 = (k: string) => checkBigint(`${field}.${k}`, s[k], 0n, (1n << 64n) - 1n);
  const state: SharedState = {
    positionsRoot: felt('positionsRoot'),
    positionsTreeHeight: height('positionsTreeHeight'),
    ordersRoot: felt('ordersRoot'),
    ordersTreeHeight: height('ordersTreeHeight'),
    fundingIndices: checkArray(`${field}.fundingIndices`, s.fundingIndices) as SharedState['fundingIndices'],
    fundingTimestamp: uint64('fundingTimestamp'),
    oraclePrices: checkArray(`${field}.oraclePrices`, s.oraclePrices) as SharedState['oraclePrices'],
    systemTime: uint64('systemTime'),
  };
  // Each entry range-checked, duplicates refused (the same checks the risk engine applies).
  fundingTable(state.fundingIndices);
  priceTable(state.oraclePrices);
  return state;
}
