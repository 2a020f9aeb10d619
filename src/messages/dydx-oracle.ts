import { humanToQuantums } from './decimal.js';
import { dydxMarket } from './dydx-markets.js';
import { isoTimestampToEpochSeconds } from './dydx-helpers.js';
import { OraclePriceError } from './errors.js';
import { type StarkOraclePrice, checkStarkOraclePrice, oracleSignedAssetId } from './oracle-price.js';
import { RangeCheckError } from '../errors.js';
import { checkObject } from '../checks.js';

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
/** The signed price is a 120-bit field of the oracle price message (A2.5). */
export const ORACLE_PRICE_UPPER_BOUND = 1n << 120n;

/**
 * A human USD price ("42922.855") → the oracle's external price, price × 10^18 exactly, < 2^120
 * (A2.5). The one implementation of this scaling: the risk model's `externalPriceFromDecimal`
 * (signing-risk.md B1.1) calls it too.
 */
export function oraclePriceFromHuman(humanPrice: unknown, field = 'humanPrice'): bigint {
  const q = humanToQuantums(humanPrice, ORACLE_PRICE_DECIMALS, 'exact', field);
  if (q >= ORACLE_PRICE_UPPER_BOUND) throw new OraclePriceError(field, humanPrice, '0 <= price·10^18 < 2^120');
  return q;
}

export function oraclePriceToStark(p: DydxOraclePriceParams): StarkOraclePrice {
  checkObject('oracle price', p);
  if ((p.market === undefined) === (p.assetName === undefined))
    throw new RangeCheckError('market', p.market, 'exactly one of market and assetName');
  const assetName = p.market !== undefined ? dydxMarket(p.market).market.replace('-', '') : p.assetName!;
  const signedPrice = oraclePriceFromHuman(p.humanPrice);
  if (signedPrice === 0n) throw new OraclePriceError('humanPrice', p.humanPrice, '> 0');
  return checkStarkOraclePrice({
    signedAssetId: oracleSignedAssetId(assetName, p.oracleName),
    signedPrice,
    expirationEpochSeconds: isoTimestampToEpochSeconds(p.isoTimestamp, 'isoTimestamp'),
  });
}
