import { DYDX_COLLATERAL_RESOLUTION, dydxMarketTable } from '../messages/dydx-markets.js';
import { oraclePriceToUsd, usdToOraclePrice } from '../risk/oracle-price.js';
import { formatRatio, ratio } from '../risk/ratio.js';
import { stressedSharedState, type PriceMove } from '../risk/stress.js';
import { ExitInputError } from './errors.js';
import { marginView, type MarginView, type MarginViewInput } from './margin-view.js';

/*
 * The stress view (issue 17 "Stress view"): the trader moves any market's price — as a typed USD
 * price or a percentage from the verified oracle price — and sees the margin view recomputed by
 * src/risk on the verified state with those prices: margin ratio, total value and risk, the
 * liquidation price of each market, and the largest forced withdrawal still valid under the move.
 */

/** A market moved by name: to `priceUsd` (a decimal), or by `movePercent` from its verified price. */
export type MarketMove = { market: string; priceUsd?: string; movePercent?: string };

/** One market of the state as the stress view shows it: verified and stressed price in USD, exact decimals. */
export type StressMarket = {
  market: string;
  assetId: bigint;
  verifiedPriceUsd: string;
  priceUsd: string;
  /** The move from the verified price, percent with 2 decimals ("0.00" when unmoved). */
  movePercent: string;
  moved: boolean;
};

export type StressView = { markets: StressMarket[]; view: MarginView };

const COLLATERAL_RES = 10n ** BigInt(DYDX_COLLATERAL_RESOLUTION);
/** The price range a move may reach (the program's `1 <= price < 2^64`, in practice far wider than any market). */
const PERCENT_RANGE = 'a percentage with at most 2 decimals, −99.99 to +10000';
const USD_RANGE = 'a USD price > 0 with at most 6 decimals';

const marketByAsset = () =>
  new Map(Object.values(dydxMarketTable(1).markets).map((m) => [m.syntheticAssetId, m] as const));

/** A move in the program's units; refused naming the field (`moves.ETH-USD.priceUsd`), the value and the range. */
export function priceMoveOf(move: MarketMove, oraclePrices: MarginViewInput['sharedState']['oraclePrices']): PriceMove {
  const m = dydxMarketTable(1).markets[String(move?.market)];
  if (!m) throw new ExitInputError('moves.market', move?.market, 'a dYdX market name such as "ETH-USD"');
  const verified = oraclePrices.find((p) => p.assetId === m.syntheticAssetId);
  if (!verified) throw new ExitInputError('moves.market', m.market, 'a market with a verified oracle price');
  const res = 10n ** BigInt(m.resolution);
  if (move.priceUsd !== undefined) {
    const text = String(move.priceUsd).trim().replace(/[,$_]/g, '');
    const d = /^(\d{1,15})(?:\.(\d{1,6}))?$/.exec(text);
    if (!d || /^0*(\.0*)?$/.test(text))
      throw new ExitInputError(`moves.${m.market}.priceUsd`, move.priceUsd, USD_RANGE);
    const frac = d[2] ?? '';
    const usd = ratio(BigInt(d[1]! + frac), 10n ** BigInt(frac.length));
    return { assetId: m.syntheticAssetId, price: usdToOraclePrice(usd, res, COLLATERAL_RES, 'floor') };
  }
  const text = String(move.movePercent ?? '0').trim();
  const p = /^([-+−]?)(\d{1,5})(?:\.(\d{1,2}))?$/.exec(text);
  const bps = p ? BigInt(p[2]! + (p[3] ?? '').padEnd(2, '0')) * (p[1] === '-' || p[1] === '−' ? -1n : 1n) : null;
  if (bps === null || bps <= -10_000n || bps > 1_000_000n)
    throw new ExitInputError(`moves.${m.market}.movePercent`, move.movePercent, PERCENT_RANGE);
  const price = (verified.price * (10_000n + bps)) / 10_000n;
  return { assetId: m.syntheticAssetId, price: price < 1n ? 1n : price };
}

/** The margin view of the position with `moves` applied to the verified oracle prices, and every market's prices. */
export function stressView(input: MarginViewInput & { moves: readonly MarketMove[] }): StressView {
  const { sharedState } = input;
  const moves = input.moves.map((m) => priceMoveOf(m, sharedState.oraclePrices));
  const stressed = stressedSharedState(sharedState, moves);
  const markets = marketByAsset();
  const usd = (price: bigint, resolution: number) =>
    formatRatio(oraclePriceToUsd(price, 10n ** BigInt(resolution), COLLATERAL_RES), 2);
  return {
    view: marginView({ ...input, sharedState: stressed }),
    markets: sharedState.oraclePrices.flatMap(({ assetId, price }) => {
      const m = markets.get(assetId);
      if (!m) return [];
      const now = stressed.oraclePrices.find((p) => p.assetId === assetId)!.price;
      return [
        {
          market: m.market,
          assetId,
          verifiedPriceUsd: usd(price, m.resolution),
          priceUsd: usd(now, m.resolution),
          movePercent: formatRatio(ratio((now - price) * 100n, price), 2),
          moved: now !== price,
        },
      ];
    }),
  };
}

/**
 * A position id as typed in the picker: a decimal integer, 0 <= id < 2^64 (the tree's leaf
 * index). Refused naming the field, the text and the range.
 */
export function positionIdOf(text: unknown, field = 'positionId'): bigint {
  const t = String(text ?? '').trim();
  if (!/^\d{1,20}$/.test(t) || BigInt(t) >= 1n << 64n)
    throw new ExitInputError(field, text, 'an integer 0 <= positionId < 2^64');
  return BigInt(t);
}
