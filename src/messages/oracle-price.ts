import { pedersen } from '../crypto/pedersen.js';
import { asciiToFelt } from '../starkex/asset-id.js';
import { OraclePriceError } from './errors.js';
import { decUint, hexUint, pack, type UintLike } from './fields.js';
import { checkObject, checkString } from '../checks.js';

/**
 * Oracle price message (signing-risk.md A2.5; stark-perpetual `oracle_price.cairo`, starkex-lib
 * `SignableOraclePrice`): hash = H(asset_name:128 ‖ oracle_name:40, price:120 ‖ timestamp:32).
 * Field names are starkex-lib's `StarkwareOraclePrice`.
 */
export type StarkOraclePriceOf<N> = {
  /** (asset name, left-aligned in 128 bits) ‖ (oracle name, left-aligned in 40 bits): see oracleSignedAssetId. */
  signedAssetId: N;
  /** USD price × 10^18, an integer < 2^120. */
  signedPrice: N;
  /** Unix seconds, < 2^32. */
  expirationEpochSeconds: N;
};
export type StarkOraclePrice = StarkOraclePriceOf<bigint>;

const ASSET_NAME_BYTES = 16;
const ORACLE_NAME_BYTES = 5;

function leftAlignedAscii(field: string, raw: unknown, bytes: number): bigint {
  const text = checkString(field, raw);
  if (!/^[\x20-\x7e]+$/.test(text) || text.length > bytes) {
    throw new OraclePriceError(field, text, `1 to ${bytes} printable ASCII characters`);
  }
  return asciiToFelt(text, bytes);
}

/** The signed asset id of an oracle price: e.g. ("BTCUSD", "Maker") (A2.5). */
export function oracleSignedAssetId(assetName: string, oracleName: string): bigint {
  const asset = leftAlignedAscii('assetName', assetName, ASSET_NAME_BYTES);
  const oracle = leftAlignedAscii('oracleName', oracleName, ORACLE_NAME_BYTES);
  return pack([
    [asset, 8 * ASSET_NAME_BYTES],
    [oracle, 8 * ORACLE_NAME_BYTES],
  ]);
}

export function checkStarkOraclePrice(p: StarkOraclePriceOf<UintLike>): StarkOraclePrice {
  checkObject('oracle price', p);
  return {
    signedAssetId: hexUint('signedAssetId', p.signedAssetId, OraclePriceError, { bits: 168, min: 1n }),
    signedPrice: decUint('signedPrice', p.signedPrice, OraclePriceError, { bits: 120 }),
    expirationEpochSeconds: decUint('expirationEpochSeconds', p.expirationEpochSeconds, OraclePriceError, { bits: 32 }),
  };
}

export function oraclePriceHash(price: StarkOraclePriceOf<UintLike>): bigint {
  const p = checkStarkOraclePrice(price);
  return pedersen(
    p.signedAssetId,
    pack([
      [p.signedPrice, 120],
      [p.expirationEpochSeconds, 32],
    ]),
  );
}
