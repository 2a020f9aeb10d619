import { FIELD_PRIME } from '../crypto/field.js';
import { dydxMarketTable } from '../messages/dydx-markets.js';
import { checkForcedTradeRequest, type ForcedTradeRequest } from '../messages/forced-trade.js';
import { collateralQuantaOf } from './collateral-amount.js';
import { ExitInputError } from './errors.js';
import { positionIdOf } from './stress-view.js';

/*
 * The forced-trade offer as a form party B fills in (issue 17: it was raw tagged JSON): keys and
 * position ids, the market by name, amounts in the market's units and USDC, and the direction in
 * words. Each field is checked here and refused naming the field, the text and the range; the
 * result is the request `createForcedTradeOffer` signs.
 */

export type ForcedTradeForm = {
  /** Party A's stark key, 0x-hex (the party that submits the trade on L1). */
  starkKeyA: string;
  positionIdA: string;
  /** Party B's (the signer's own) position id. */
  positionIdB: string;
  /** "ETH-USD". */
  market: string;
  /** In the market's asset, e.g. "0.5" ETH. */
  amountSynthetic: string;
  /** In USDC, e.g. "1,000.25". */
  amountCollateral: string;
  /** Party A buys the synthetic from party B, or sells it to B. */
  direction: 'a-buys' | 'a-sells';
  /** Decimal; empty: `nonce` from the context (a random one). */
  nonce?: string;
  /** How long party A has to submit it, hours (default 168, one week). */
  validHours?: string;
};

export type ForcedTradeFormContext = {
  /** Party B's own stark key (the wallet's). */
  starkKeyB: bigint;
  /**
   * The exchange's collateral asset id, `getSystemAssetType()` read from L1: a forced trade naming
   * any other is refused by the contract (checkForcedTrade: SYSTEM_ASSET_NOT_IN_TRADE). dYdX v3's
   * is network 1's USDC; a devnet's or another deployment's is the type of its own token.
   */
  collateralAssetId: bigint;
  nowMs: number;
  /** Used when the form's nonce is empty: a random value below P. */
  randomNonce: bigint;
};

const HOUR_MS = 3_600_000;

function starkKeyOf(field: string, text: string): bigint {
  const t = String(text ?? '').trim();
  if (!/^0x[0-9a-fA-F]{1,64}$/.test(t) || BigInt(t) === 0n || BigInt(t) >= FIELD_PRIME)
    throw new ExitInputError(field, text, 'a stark key: 0x-hex, 0 < key < P');
  return BigInt(t);
}

/** An amount of `decimals` places typed as a person would ("0.5", "1,000"), in quanta: > 0 and < 2^64. */
function syntheticQuantaOf(text: string, decimals: number, asset: string): bigint {
  const range = `an amount of ${asset} > 0 with at most ${decimals} decimals, below 2^64 quanta`;
  const t = String(text ?? '')
    .trim()
    .replace(/[,_]/g, '');
  const m = /^(\d{0,20})(?:\.(\d*))?$/.exec(t);
  if (!m || (m[1] === '' && !m[2]) || (m[2]?.length ?? 0) > decimals)
    throw new ExitInputError('amountSynthetic', text, range);
  const q = BigInt(m[1] || '0') * 10n ** BigInt(decimals) + BigInt((m[2] ?? '').padEnd(decimals, '0') || '0');
  if (q === 0n || q >= 1n << 64n) throw new ExitInputError('amountSynthetic', text, range);
  return q;
}

/** The forced-trade request of a filled form; the first bad field is refused with its name, text and range. */
export function forcedTradeOfForm(form: ForcedTradeForm, ctx: ForcedTradeFormContext): ForcedTradeRequest {
  const table = dydxMarketTable(1);
  const market = table.markets[String(form.market).trim()];
  if (!market) throw new ExitInputError('market', form.market, `one of ${Object.keys(table.markets).join(', ')}`);
  if (form.direction !== 'a-buys' && form.direction !== 'a-sells')
    throw new ExitInputError('direction', form.direction, '"a-buys" or "a-sells"');
  const positionIdA = positionIdOf(form.positionIdA, 'positionIdA');
  const positionIdB = positionIdOf(form.positionIdB, 'positionIdB');
  if (positionIdA === positionIdB)
    throw new ExitInputError('positionIdB', form.positionIdB, 'a position other than party A’s');
  const nonceText = String(form.nonce ?? '').trim();
  let nonce = ctx.randomNonce;
  if (nonceText !== '') {
    if (!/^\d{1,77}$/.test(nonceText) || BigInt(nonceText) >= FIELD_PRIME)
      throw new ExitInputError('nonce', form.nonce, 'a decimal integer 0 <= nonce < P');
    nonce = BigInt(nonceText);
  }
  const hoursText = String(form.validHours ?? '').trim() || '168';
  if (!/^\d{1,5}$/.test(hoursText) || Number(hoursText) < 1 || Number(hoursText) > 8760)
    throw new ExitInputError('validHours', form.validHours, 'whole hours, 1 to 8760');
  return checkForcedTradeRequest({
    starkKeyA: starkKeyOf('starkKeyA', form.starkKeyA),
    starkKeyB: ctx.starkKeyB,
    positionIdA,
    positionIdB,
    collateralAssetId: ctx.collateralAssetId,
    syntheticAssetId: market.syntheticAssetId,
    amountCollateral: collateralQuantaOf(form.amountCollateral, 6, 'amountCollateral'),
    amountSynthetic: syntheticQuantaOf(form.amountSynthetic, market.resolution, market.asset),
    aIsBuyingSynthetic: form.direction === 'a-buys',
    nonce,
    submissionExpirationTime: BigInt(Math.floor(ctx.nowMs / HOUR_MS) + Number(hoursText)),
  });
}
