import { decimalToQuantums, parseHumanDecimal } from './decimal.js';
import { dydxMarket } from './dydx-markets.js';
import { isoTimestampToEpochSeconds } from './dydx-helpers.js';
import { OraclePriceError } from './errors.js';
import { type StarkOraclePrice, checkStarkOraclePrice, oracleSignedAssetId } from './oracle-price.js';

/**
 * dYdX oracle price request → StarkEx oracle price message (signing-risk.md A2.5; starkex-lib
 * `SignableOraclePrice`): asset name = market without the hyphen, price × 10^18 exactly,
 * timestamp floor(ms / 1000).
 */
export type DydxOraclePriceParams = {
  /** A dYdX market ("BTC-USD"), or give assetName directly. */
  market?: string;
  assetName?: string;
  oracleName: string;
  humanPrice: string;
  isoTimestamp: string;
};

export const ORACLE_PRICE_DECIMALS = 18;

export function oraclePriceToStark(p: DydxOraclePriceParams): StarkOraclePrice {
  if (p === null || typeof p !== 'object') throw new TypeError('oracle price: expected an object');
  if ((p.market === undefined) === (p.assetName === undefined)) throw new TypeError('market / assetName: give exactly one');
  const assetName = p.market !== undefined ? dydxMarket(p.market).market.replace('-', '') : p.assetName!;
  const signedPrice = decimalToQuantums('humanPrice', p.humanPrice, parseHumanDecimal(p.humanPrice, 'humanPrice'), ORACLE_PRICE_DECIMALS, 'exact');
  if (signedPrice === 0n) throw new OraclePriceError('humanPrice', p.humanPrice, '> 0');
  return checkStarkOraclePrice({
    signedAssetId: oracleSignedAssetId(assetName, p.oracleName),
    signedPrice,
    expirationEpochSeconds: isoTimestampToEpochSeconds(p.isoTimestamp, 'isoTimestamp'),
  });
}
