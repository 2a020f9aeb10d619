import { RangeCheckError, TypeCheckError } from '../errors.js';
import type { Position } from '../state/position.js';
import { ASSET_ID_BOUND } from '../starkex/asset-id.js';
import { checkLeafPosition } from '../tree/position-leaf.js';
import { duplicateAssetId, RiskInputError, missingAssetData } from './errors.js';

/*
 * Scales and bounds of the perpetual program (stark-perpetual definitions/constants.cairo, quoted in
 * signing-risk.md B1.1) and the checks every risk function runs on its inputs.
 */

/** 1.0 in 32.32 / 0.32 fixed point (`FXP_32_ONE`). */
export const FXP_32_ONE = 1n << 32n;
/** Balances and collateral: `-2^63 <= x < 2^63` (`BALANCE_UPPER_BOUND`). */
export const BALANCE_UPPER_BOUND = 1n << 63n;
/** Internal oracle prices: `1 <= price < 2^64`. */
export const PRICE_UPPER_BOUND = 1n << 64n;
/** Risk factors (0.32): `1 <= risk < 2^32`. */
export const RISK_FACTOR_UPPER_BOUND = FXP_32_ONE;
/** Funding indices (signed 32.32): `-2^63 <= index < 2^63`. */
export const FUNDING_INDEX_UPPER_BOUND = 1n << 63n;
/** TV_rep must satisfy `-2^95 <= TV_rep < 2^95` (2^63 collateral units in .32). */
export const TOTAL_VALUE_UPPER_BOUND_REP = (1n << 63n) * FXP_32_ONE;
/** TR_rep must satisfy `TR_rep < 2^128` (2^64 collateral units in .64). */
export const TOTAL_RISK_UPPER_BOUND_REP = (1n << 64n) * FXP_32_ONE * FXP_32_ONE;
/** Forced-withdrawal amounts: `0 <= amount < 2^64`. */
export const AMOUNT_UPPER_BOUND = 1n << 64n;
/** `POSITION_MAX_SUPPORTED_N_ASSETS`. */
export const POSITION_MAX_SUPPORTED_N_ASSETS = 64;
/** `ASSET_ID_UPPER_BOUND` (so an asset packs into a leaf word): the starkex constant. */
export const ASSET_ID_UPPER_BOUND = ASSET_ID_BOUND;

/** Floor division (rounds toward −∞), like Cairo's `signed_div_rem`; `d > 0`. */
export function floorDiv(n: bigint, d: bigint): bigint {
  const q = n / d;
  return n % d !== 0n && n < 0n ? q - 1n : q;
}

/** Ceiling division (rounds toward +∞); `d > 0`. */
export function ceilDiv(n: bigint, d: bigint): bigint {
  return -floorDiv(-n, d);
}

export function abs(x: bigint): bigint {
  return x < 0n ? -x : x;
}

export function hexId(assetId: bigint): string {
  return `0x${assetId.toString(16)}`;
}

function isBigint(field: string, value: unknown): asserts value is bigint {
  if (typeof value !== 'bigint') throw new TypeCheckError(field, value, 'bigint');
}

export function checkPrice(field: string, price: bigint): void {
  isBigint(field, price);
  if (price < 1n || price >= PRICE_UPPER_BOUND) throw new RiskInputError(field, price, `1 <= ${field} < 2^64`);
}

export function checkFundingIndex(field: string, index: bigint): void {
  isBigint(field, index);
  if (index < -FUNDING_INDEX_UPPER_BOUND || index >= FUNDING_INDEX_UPPER_BOUND) {
    throw new RiskInputError(field, index, `-2^63 <= ${field} < 2^63`);
  }
}

/** A balance or collateral value the program can store. */
export function checkBalance(field: string, value: bigint): void {
  isBigint(field, value);
  if (value < -BALANCE_UPPER_BOUND || value >= BALANCE_UPPER_BOUND) {
    throw new RiskInputError(field, value, `-2^63 <= ${field} < 2^63`);
  }
}

/**
 * Checks a position is one the program could have stored (B1.1): an object, key a field element, balances in
 * range and non-zero, asset ids below 2^120 and strictly ascending, at most 64 assets, cached
 * indices in range. The rule has one implementation, the leaf's (`checkLeafPosition`, l1-data-tree.md
 * §4.3); here its range errors are re-thrown as `RiskInputError`, the risk model's class.
 */
export function checkPosition(p: Position, what = 'position'): void {
  // checkLeafPosition walks the assets with forEach, which skips holes: refuse them first.
  if (p !== null && typeof p === 'object' && Array.isArray(p.assets)) checkList(`${what}.assets`, p.assets);
  try {
    checkLeafPosition(p, what);
  } catch (err) {
    // A wrong type stays a TypeCheckError; only range errors become the risk model's class.
    if (err instanceof RangeCheckError && !(err instanceof TypeCheckError)) {
      throw new RiskInputError(err.field, err.value, err.range, { cause: err });
    }
    throw err;
  }
}

/** A list argument: a real array without holes (a hole would be skipped by forEach, or read as undefined). */
function checkList(field: string, list: unknown): asserts list is readonly unknown[] {
  if (!Array.isArray(list)) throw new TypeCheckError(field, list, 'an array');
  for (let i = 0; i < list.length; i++) {
    const e: unknown = list[i];
    if (e === null || typeof e !== 'object') throw new TypeCheckError(`${field}[${i}]`, e, 'an object');
  }
}

function checkAssetId(field: string, assetId: unknown): asserts assetId is bigint {
  isBigint(field, assetId);
  if (assetId < 0n || assetId >= ASSET_ID_UPPER_BOUND)
    throw new RiskInputError(field, assetId, `0 <= ${field} < 2^120`);
}

/** The global funding indices (unbiased signed 32.32), as in `SharedState.fundingIndices`. */
export type FundingIndices = readonly { assetId: bigint; fundingIndex: bigint }[];
/** Internal oracle prices (unsigned 32.32), as in `SharedState.oraclePrices`. */
export type OraclePrices = readonly { assetId: bigint; price: bigint }[];

/** `state` must be an object holding the two lists (a `MarketState` / `SharedState`); the lists are checked where read. */
export function checkMarketState(state: unknown, field = 'state'): void {
  if (state === null || typeof state !== 'object')
    throw new TypeCheckError(field, state, '{ fundingIndices, oraclePrices }');
}

/** Asset id → price, every price range-checked, duplicates rejected. */
export function priceTable(prices: OraclePrices): Map<bigint, bigint> {
  checkList('oraclePrices', prices);
  const m = new Map<bigint, bigint>();
  prices.forEach(({ assetId, price }, i) => {
    checkAssetId(`oraclePrices[${i}].assetId`, assetId);
    if (m.has(assetId)) throw duplicateAssetId('oraclePrices', assetId);
    checkPrice(`oraclePrices[${i}].price`, price);
    m.set(assetId, price);
  });
  return m;
}

/** Asset id → global funding index, every index range-checked, duplicates rejected. */
export function fundingTable(indices: FundingIndices): Map<bigint, bigint> {
  checkList('fundingIndices', indices);
  const m = new Map<bigint, bigint>();
  indices.forEach(({ assetId, fundingIndex }, i) => {
    checkAssetId(`fundingIndices[${i}].assetId`, assetId);
    if (m.has(assetId)) throw duplicateAssetId('fundingIndices', assetId);
    checkFundingIndex(`fundingIndices[${i}].fundingIndex`, fundingIndex);
    m.set(assetId, fundingIndex);
  });
  return m;
}

export function priceOf(table: ReadonlyMap<bigint, bigint>, assetId: bigint): bigint {
  const p = table.get(assetId);
  if (p === undefined) throw missingAssetData('oraclePrices', assetId);
  return p;
}

export function fundingIndexOf(table: ReadonlyMap<bigint, bigint>, assetId: bigint): bigint {
  const f = table.get(assetId);
  if (f === undefined) throw missingAssetData('fundingIndices', assetId);
  return f;
}
