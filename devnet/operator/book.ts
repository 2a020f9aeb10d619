import type { StarkOrder } from '../../src/index.js';

/**
 * A market's limit-order book: price-time priority (best price first, then arrival), partial
 * fills. Prices are kept exactly as the signed ratio collateral/synthetic of each order, so no
 * rounding ever lets a fill cross a limit the user signed (signing-risk.md A2.1).
 */
export type OrderStatus = 'OPEN' | 'FILLED' | 'CANCELED';

export type BookOrder = {
  /** The order's message hash, 0x-hex: its id. */
  id: string;
  market: string;
  side: 'BUY' | 'SELL';
  positionId: bigint;
  starkKey: bigint;
  stark: StarkOrder;
  signature: string;
  clientId: string;
  postOnly: boolean;
  /** Unfilled synthetic quanta. */
  remaining: bigint;
  /** Fee charged so far, collateral quanta. */
  feePaid: bigint;
  status: OrderStatus;
  cancelReason?: string;
  /** Arrival order: the time half of price-time priority. */
  seq: number;
  createdAt: string;
  expiresAt: string;
};

/** a's price is better (for its side) than b's: higher bid, lower ask. */
function better(a: BookOrder, b: BookOrder): boolean {
  const left = a.stark.quantumsAmountCollateral * b.stark.quantumsAmountSynthetic;
  const right = b.stark.quantumsAmountCollateral * a.stark.quantumsAmountSynthetic;
  return a.side === 'BUY' ? left > right : left < right;
}

/** Whether a taker's limit reaches the maker's price. */
export function crosses(taker: BookOrder, maker: BookOrder): boolean {
  const makerPrice = maker.stark.quantumsAmountCollateral * taker.stark.quantumsAmountSynthetic;
  const takerPrice = taker.stark.quantumsAmountCollateral * maker.stark.quantumsAmountSynthetic;
  return taker.side === 'BUY' ? makerPrice <= takerPrice : makerPrice >= takerPrice;
}

const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b;

/**
 * The collateral of `q` synthetic quanta at `order`'s own price, rounded in the order's favour
 * (a buyer pays no more, a seller gets no less), so the fill respects its signed limit.
 */
export function collateralAt(order: BookOrder, q: bigint): bigint {
  const c = q * order.stark.quantumsAmountCollateral;
  return order.side === 'BUY'
    ? c / order.stark.quantumsAmountSynthetic
    : ceilDiv(c, order.stark.quantumsAmountSynthetic);
}

/** The program's limit rule for one side of a fill: buyer pays ≤ limit, seller receives ≥ limit. */
export function respectsLimit(order: BookOrder, q: bigint, collateral: bigint): boolean {
  const a = collateral * order.stark.quantumsAmountSynthetic;
  const b = order.stark.quantumsAmountCollateral * q;
  return order.side === 'BUY' ? a <= b : a >= b;
}

/** The most fee the order allows on a fill of `q`: its signed fee limit, pro rata. */
export function feeLimitFor(order: BookOrder, q: bigint): bigint {
  return (order.stark.quantumsAmountFee * q) / order.stark.quantumsAmountSynthetic;
}

export class OrderBook {
  readonly bids: BookOrder[] = [];
  readonly asks: BookOrder[] = [];

  add(o: BookOrder): void {
    const side = o.side === 'BUY' ? this.bids : this.asks;
    let i = side.length;
    // After every order at least as good: equal prices keep arrival order.
    while (i > 0 && better(o, side[i - 1]!)) i--;
    side.splice(i, 0, o);
  }

  remove(o: BookOrder): void {
    const side = o.side === 'BUY' ? this.bids : this.asks;
    const i = side.indexOf(o);
    if (i >= 0) side.splice(i, 1);
  }

  /** The resting orders a taker meets, best first. */
  opposite(taker: BookOrder): readonly BookOrder[] {
    return taker.side === 'BUY' ? this.asks : this.bids;
  }
}
