import { type OrderBook, collateralAt, crosses, feeLimitFor, respectsLimit, type BookOrder } from './book.js';
import type { Ledger } from './ledger.js';

/**
 * One taker against a book (price-time priority, partial fills): each fill trades at the maker's
 * price, charges maker and taker fees within each order's signed fee limit, and runs the program's
 * update_position on both positions before either changes; a maker that fails is cancelled, a
 * taker that fails stops matching. Fees go to the insurance position.
 */
export type Fill = {
  orderId: string;
  market: string;
  side: 'BUY' | 'SELL';
  liquidity: 'MAKER' | 'TAKER';
  positionId: bigint;
  size: bigint;
  collateral: bigint;
  fee: bigint;
  createdAt: string;
};

export type MatchContext = {
  ledger: Ledger;
  syntheticAssetId: bigint;
  /** Per-million of the fill's collateral. */
  makerFeePpm: bigint;
  takerFeePpm: bigint;
  insurance: { positionId: bigint; starkKey: bigint };
  cancel(order: BookOrder, reason: string): void;
  fills: Fill[];
};

const min = (a: bigint, b: bigint) => (a < b ? a : b);
const feeOf = (collateral: bigint, ppm: bigint) => (collateral * ppm + 999_999n) / 1_000_000n;

export function matchTaker(ctx: MatchContext, book: OrderBook, taker: BookOrder, now: number): void {
  const { ledger, insurance } = ctx;
  for (const maker of [...book.opposite(taker)]) {
    if (taker.remaining === 0n || !crosses(taker, maker)) break;
    if (maker.positionId === taker.positionId) continue; // no self-trades
    if (Date.parse(maker.expiresAt) <= now) {
      ctx.cancel(maker, 'EXPIRED');
      continue;
    }
    const q = min(taker.remaining, maker.remaining);
    const collateral = collateralAt(maker, q);
    if (!respectsLimit(taker, q, collateral) || !respectsLimit(maker, q, collateral)) break;
    const makerFee = min(feeOf(collateral, ctx.makerFeePpm), feeLimitFor(maker, q));
    const takerFee = min(feeOf(collateral, ctx.takerFeePpm), feeLimitFor(taker, q));
    const side = (o: BookOrder, fee: bigint) => ({
      requestPublicKey: o.starkKey,
      collateralDelta: (o.side === 'BUY' ? -collateral : collateral) - fee,
      syntheticAssetId: ctx.syntheticAssetId,
      syntheticDelta: o.side === 'BUY' ? q : -q,
    });
    const rm = ledger.update(maker.positionId, side(maker, makerFee));
    if (rm.returnCode !== 'SUCCESS') {
      ctx.cancel(maker, `MARGIN_${rm.returnCode}`);
      continue;
    }
    const rt = ledger.update(taker.positionId, side(taker, takerFee));
    if (rt.returnCode !== 'SUCCESS') {
      ctx.cancel(taker, `MARGIN_${rt.returnCode}`);
      break;
    }
    ledger.commit(maker.positionId, rm.updated);
    ledger.commit(taker.positionId, rt.updated);
    if (maker.positionId !== insurance.positionId && taker.positionId !== insurance.positionId) {
      const fees = ledger.update(insurance.positionId, {
        requestPublicKey: insurance.starkKey,
        collateralDelta: makerFee + takerFee,
      });
      if (fees.returnCode === 'SUCCESS') ledger.commit(insurance.positionId, fees.updated);
    }
    const createdAt = new Date(now).toISOString();
    for (const [o, fee, liquidity] of [
      [maker, makerFee, 'MAKER'],
      [taker, takerFee, 'TAKER'],
    ] as const) {
      o.remaining -= q;
      o.feePaid += fee;
      ctx.fills.push({
        orderId: o.id,
        market: o.market,
        side: o.side,
        liquidity,
        positionId: o.positionId,
        size: q,
        collateral,
        fee,
        createdAt,
      });
    }
    if (maker.remaining === 0n) {
      maker.status = 'FILLED';
      book.remove(maker);
    }
  }
  if (taker.remaining === 0n && taker.status === 'OPEN') taker.status = 'FILLED';
}
