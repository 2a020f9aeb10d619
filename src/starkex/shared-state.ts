import { FIELD_PRIME } from '../crypto/field.js';
import { DecodeError } from './decode-error.js';

/** 2^63: the bias of funding indices in serialised form (l1-data-tree.md §2.3). */
export const FUNDING_INDEX_BIAS = 1n << 63n;

/**
 * The perpetual shared state (l1-data-tree.md §2.3). Funding indices are unbiased signed 32.32;
 * prices are unsigned 32.32 collateral quanta per synthetic quantum.
 */
export type SharedState = {
  positionsRoot: bigint;
  positionsTreeHeight: bigint;
  ordersRoot: bigint;
  ordersTreeHeight: bigint;
  /** Global funding index per synthetic asset, in serialised order. */
  fundingIndices: { assetId: bigint; fundingIndex: bigint }[];
  /** Seconds. */
  fundingTimestamp: bigint;
  oraclePrices: { assetId: bigint; price: bigint }[];
  /** Seconds. */
  systemTime: bigint;
};

/**
 * Decodes the shared-state words (without the size word). `offset` is where these words start in
 * the enclosing page, so errors point at the right word there.
 */
export function decodeSharedState(words: readonly bigint[], offset = 0): SharedState {
  const what = 'shared state';
  const at = (i: number, expected: string): bigint => {
    const w = words[i];
    if (w === undefined) throw new DecodeError(what, offset + i, expected, 'end of data');
    if (w < 0n || w >= FIELD_PRIME) throw new DecodeError(what, offset + i, 'a field element below P', w);
    return w;
  };
  const count = (i: number, name: string): number => {
    const n = at(i, name);
    // Each entry takes two words; never trust a count that points past the end.
    const room = Math.max(0, Math.floor((words.length - i - 1) / 2));
    if (n > BigInt(room)) throw new DecodeError(what, offset + i, `${name} <= ${room} (words left)`, n);
    return Number(n);
  };
  let i = 0;
  const positionsRoot = at(i++, 'positions root');
  const positionsTreeHeight = at(i++, 'positions tree height');
  const ordersRoot = at(i++, 'orders root');
  const ordersTreeHeight = at(i++, 'orders tree height');
  const nIndices = count(i++, 'number of funding indices');
  const fundingIndices: SharedState['fundingIndices'] = [];
  for (let k = 0; k < nIndices; k++) {
    const assetId = at(i++, 'asset id');
    const biased = at(i++, 'biased funding index');
    if (biased >= 1n << 64n) throw new DecodeError(what, offset + i - 1, 'biased funding index < 2^64', biased);
    fundingIndices.push({ assetId, fundingIndex: biased - FUNDING_INDEX_BIAS });
  }
  const fundingTimestamp = at(i++, 'funding timestamp');
  const nPrices = count(i++, 'number of oracle prices');
  const oraclePrices: SharedState['oraclePrices'] = [];
  for (let k = 0; k < nPrices; k++) {
    const assetId = at(i++, 'asset id');
    const price = at(i++, 'oracle price');
    oraclePrices.push({ assetId, price });
  }
  const systemTime = at(i++, 'system time');
  if (i !== words.length) throw new DecodeError(what, offset + i, `end of shared state (${i} words)`, `${words.length - i} more words`);
  return { positionsRoot, positionsTreeHeight, ordersRoot, ordersTreeHeight, fundingIndices, fundingTimestamp, oraclePrices, systemTime };
}

/** The inverse of `decodeSharedState`: the words `verifyEscape` and the shared-state hash take. */
export function encodeSharedState(s: SharedState): bigint[] {
  const out: bigint[] = [s.positionsRoot, s.positionsTreeHeight, s.ordersRoot, s.ordersTreeHeight, BigInt(s.fundingIndices.length)];
  for (const f of s.fundingIndices) out.push(f.assetId, f.fundingIndex + FUNDING_INDEX_BIAS);
  out.push(s.fundingTimestamp, BigInt(s.oraclePrices.length));
  for (const p of s.oraclePrices) out.push(p.assetId, p.price);
  out.push(s.systemTime);
  return out;
}
