import { ASSET_ID_BOUND } from './asset-id.js';
import { WordReader, readAssetEntries } from './word-reader.js';
import { WordWriter, checkedList, checkedObject } from './word-writer.js';
import { keccakWords, type Hex } from './words.js';

/** 2^63: the bias of funding indices in serialised form (l1-data-tree.md §2.3). */
export const FUNDING_INDEX_BIAS = 1n << 63n;

/**
 * Storage slot of `sharedStateHash` in the StarkPerpetual proxy: PerpetualStorage starts after the
 * 2^64-slot MainStorage layout, and it is its 4th variable (l1-data-tree.md §1.6; derived, not yet
 * checked against chain data).
 */
export const SHARED_STATE_HASH_SLOT = (1n << 64n) + 3n;

const U64 = 1n << 64n;

/**
 * The perpetual shared state (l1-data-tree.md §2.3). Funding indices are unbiased signed 32.32;
 * prices are unsigned 32.32 collateral quanta per synthetic quantum.
 */
export type SharedState = {
  positionsRoot: bigint;
  positionsTreeHeight: bigint;
  ordersRoot: bigint;
  ordersTreeHeight: bigint;
  /** Global funding index per synthetic asset, in serialised order (ascending asset id). */
  fundingIndices: { assetId: bigint; fundingIndex: bigint }[];
  /** Seconds. */
  fundingTimestamp: bigint;
  /** Ascending asset id. */
  oraclePrices: { assetId: bigint; price: bigint }[];
  /** Seconds. */
  systemTime: bigint;
};

/**
 * Decodes the shared-state words (without the size word). `offset` is where these words start in
 * the enclosing page, so errors point at the right word there.
 */
export function decodeSharedState(words: readonly bigint[], offset = 0): SharedState {
  return readSharedState(new WordReader(words, 'shared state', offset));
}

/** Reads a shared state that must fill `r` exactly. */
export function readSharedState(r: WordReader): SharedState {
  const positionsRoot = r.read('positions root');
  const positionsTreeHeight = r.read('positions tree height');
  const ordersRoot = r.read('orders root');
  const ordersTreeHeight = r.read('orders tree height');
  // Each entry takes two words; the funding timestamp, price count and system time follow.
  const nIndices = r.count('number of funding indices', 2, 3);
  const fundingIndices: SharedState['fundingIndices'] = readAssetEntries(r, nIndices, (assetId) => ({
    assetId,
    fundingIndex: r.read('biased funding index', U64) - FUNDING_INDEX_BIAS,
  }));
  const fundingTimestamp = r.read('funding timestamp', U64);
  const nPrices = r.count('number of oracle prices', 2, 1);
  const oraclePrices: SharedState['oraclePrices'] = readAssetEntries(r, nPrices, (assetId) => ({
    assetId,
    price: r.read('oracle price', U64),
  }));
  const systemTime = r.read('system time', U64);
  r.expectEnd('end of shared state');
  return {
    positionsRoot,
    positionsTreeHeight,
    ordersRoot,
    ordersTreeHeight,
    fundingIndices,
    fundingTimestamp,
    oraclePrices,
    systemTime,
  };
}

/** The inverse of `decodeSharedState`: the words `verifyEscape` and the shared-state hash take. */
export function encodeSharedState(s: SharedState): bigint[] {
  checkedObject('shared state', s);
  checkedList('fundingIndices', s.fundingIndices);
  checkedList('oraclePrices', s.oraclePrices);
  const w = new WordWriter();
  w.put('positions root', s.positionsRoot).put('positions tree height', s.positionsTreeHeight);
  w.put('orders root', s.ordersRoot).put('orders tree height', s.ordersTreeHeight);
  w.ascending(
    'funding index asset id',
    s.fundingIndices.map((f) => f.assetId),
  );
  w.putCount('number of funding indices', s.fundingIndices.length);
  for (const f of s.fundingIndices)
    w.put('asset id', f.assetId, ASSET_ID_BOUND).putBiased('funding index', f.fundingIndex, FUNDING_INDEX_BIAS, U64);
  w.put('funding timestamp', s.fundingTimestamp, U64);
  w.ascending(
    'oracle price asset id',
    s.oraclePrices.map((p) => p.assetId),
  );
  w.putCount('number of oracle prices', s.oraclePrices.length);
  for (const p of s.oraclePrices) w.put('asset id', p.assetId, ASSET_ID_BOUND).put('oracle price', p.price, U64);
  w.put('system time', s.systemTime, U64);
  return w.out;
}

/**
 * keccak256 of the shared-state words (size word excluded): what `updateState` stores in
 * `sharedStateHash` and what links consecutive state updates (l1-data-tree.md §2.3).
 */
export function sharedStateHash(sharedStateWords: readonly bigint[]): Hex {
  return keccakWords(sharedStateWords, 'shared state');
}
