import { ASSET_ID_BOUND } from './asset-id.js';
import { FUNDING_INDEX_BIAS } from './shared-state.js';
import { WordReader, checkAscending, readAssetEntries } from './word-reader.js';
import { checkedWord, WordWriter, checkedList, checkedObject } from './word-writer.js';

const U64 = 1n << 64n;
/** Balances and collateral are biased by 2^63 (l1-data-tree.md §3.3). */
export const BALANCE_BIAS = 1n << 63n;
/** An asset word is assetId·2^64 + biased balance with assetId < 2^120: 9 zero padding bytes. */
const ASSET_WORD_BOUND = ASSET_ID_BOUND << 64n;

/** One funding tick inside the batch (l1-data-tree.md §3.2). */
export type FundingEntry = {
  /** Ascending asset id; unbiased signed 32.32 indices. */
  indices: { assetId: bigint; fundingIndex: bigint }[];
  /** Seconds. */
  timestamp: bigint;
};

/**
 * One position touched by the batch: the new key and collateral, the funding timestamp it is
 * settled at, and only the assets whose balance changed (balance 0 = asset deleted).
 */
export type PositionRecord = {
  positionId: bigint;
  /** 0 when the position became empty. */
  starkKey: bigint;
  collateral: bigint;
  /** Seconds; 0 is the dYdX bug of l1-data-tree.md §3.4 (means the old state's timestamp). */
  fundingTimestamp: bigint;
  /** Ascending asset id. */
  assets: { assetId: bigint; balance: bigint }[];
};

/** The decoded data-availability payload: concat(pages[1..n]) (l1-data-tree.md §3.1–§3.2). */
export type OnChainData = {
  fundingEntries: FundingEntry[];
  /** Ascending position id, each at most once (a squashed dict). */
  positions: PositionRecord[];
};

/** Where each decoded item sits in the words, for errors found by later cross-checks. */
export type OnChainDataOffsets = {
  positions: { record: number; fundingTimestamp: number; assets: number[] }[];
};

/** Decodes the concatenated on-chain data pages. */
export function decodeOnChainData(words: bigint[]): OnChainData {
  return decodeOnChainDataWithOffsets(words).data;
}

export function decodeOnChainDataWithOffsets(words: readonly bigint[]): {
  data: OnChainData;
  offsets: OnChainDataOffsets;
} {
  const r = new WordReader(words, 'on-chain data');
  // An entry is at least its count word and its timestamp.
  const nEntries = r.count('number of funding entries', 2);
  const fundingEntries: FundingEntry[] = [];
  for (let e = 0; e < nEntries; e++) {
    const n = r.count('number of funding indices', 2, 1);
    const indices: FundingEntry['indices'] = readAssetEntries(r, n, (assetId) => ({
      assetId,
      fundingIndex: r.read('biased funding index', U64) - FUNDING_INDEX_BIAS,
    }));
    fundingEntries.push({ indices, timestamp: r.read('funding timestamp', U64) });
  }
  const positions: PositionRecord[] = [];
  const offsets: OnChainDataOffsets = { positions: [] };
  let prevId: bigint | undefined;
  while (r.remaining > 0) {
    const record = r.pos;
    const sizeWord = r.read('position record size (4 + number of assets)');
    if (sizeWord < 4n) r.fail('position record size >= 4', sizeWord, record);
    if (sizeWord > BigInt(r.remaining))
      r.fail(`position record size <= ${r.remaining} (fits in the words left)`, sizeWord, record);
    const nAssets = Number(sizeWord) - 4;
    const idAt = r.pos;
    const positionId = r.read('position id', U64);
    checkAscending(r, prevId, positionId, idAt, 'position id');
    prevId = positionId;
    const starkKey = r.read('stark key');
    const collateral = r.read('biased collateral balance', U64) - BALANCE_BIAS;
    const fundingTimestampAt = r.offset;
    const fundingTimestamp = r.read('funding timestamp', U64);
    const assets: PositionRecord['assets'] = [];
    const assetOffsets: number[] = [];
    let prevAsset: bigint | undefined;
    for (let k = 0; k < nAssets; k++) {
      const at = r.pos;
      const word = r.read('asset word (asset id · 2^64 + biased balance)', ASSET_WORD_BOUND);
      const assetId = word >> 64n;
      checkAscending(r, prevAsset, assetId, at, 'asset id');
      prevAsset = assetId;
      assets.push({ assetId, balance: (word & (U64 - 1n)) - BALANCE_BIAS });
      assetOffsets.push(r.base + at);
    }
    positions.push({ positionId, starkKey, collateral, fundingTimestamp, assets });
    offsets.positions.push({ record: r.base + record, fundingTimestamp: fundingTimestampAt, assets: assetOffsets });
  }
  return { data: { fundingEntries, positions }, offsets };
}

/** The inverse of `decodeOnChainData`: the DA payload before it is cut into pages. */
export function encodeOnChainData(d: OnChainData): bigint[] {
  checkedObject('on-chain data', d);
  checkedList('fundingEntries', d.fundingEntries).forEach((e, k) =>
    checkedList(`fundingEntries[${k}].indices`, e.indices),
  );
  checkedList('positions', d.positions).forEach((p, k) => checkedList(`positions[${k}].assets`, p.assets));
  const w = new WordWriter();
  w.putCount('number of funding entries', d.fundingEntries.length);
  for (const e of d.fundingEntries) {
    w.ascending(
      'funding entry asset id',
      e.indices.map((i) => i.assetId),
    );
    w.putCount('number of funding indices', e.indices.length);
    for (const i of e.indices)
      w.put('asset id', i.assetId, ASSET_ID_BOUND).putBiased('funding index', i.fundingIndex, FUNDING_INDEX_BIAS, U64);
    w.put('funding timestamp', e.timestamp, U64);
  }
  w.ascending(
    'position id',
    d.positions.map((p) => p.positionId),
  );
  for (const p of d.positions) {
    w.ascending(
      `position ${p.positionId} asset id`,
      p.assets.map((a) => a.assetId),
    );
    w.putCount('position record size', 4 + p.assets.length);
    w.put('position id', p.positionId, U64).put('stark key', p.starkKey);
    w.putBiased('collateral', p.collateral, BALANCE_BIAS, U64).put('funding timestamp', p.fundingTimestamp, U64);
    for (const a of p.assets) {
      w.out.push(
        (checkedWord('asset id', a.assetId, ASSET_ID_BOUND) << 64n) |
          checkedWord('balance', a.balance, U64, BALANCE_BIAS),
      );
    }
  }
  return w.out;
}
