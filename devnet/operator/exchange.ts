import { starkKeyPair } from '../../src/index.js';
import type { SharedState } from '../../src/index.js';
import { OrderBook, crosses, type BookOrder } from './book.js';
import { liquidatePositions, walkMarkets } from './market-clock.js';
import { matchTaker, type Fill } from './matching.js';
import {
  COLLATERAL_RESOLUTION,
  DEFAULT_MARKETS,
  decimalString,
  internalPriceOf,
  riskParamsOf,
  usdOfRatio,
  type MarketConfig,
} from './config.js';
import { badField, notFound, OperatorApiError } from './errors.js';
import { Ledger } from './ledger.js';
import { parseOrder, parseTransfer, parseWithdrawal, positionIdOf, requireObject } from './requests.js';
import { seededRandom } from '../lib/rng.js';

/**
 * The exchange's business: accounts, order matching (price-time, partial fills, maker/taker fees),
 * withdrawals, transfers, deposits and forced actions from L1, oracle random walks, funding ticks
 * and liquidations. Synchronous: every request is validated completely before anything changes,
 * so a refused request leaves the state exactly as it was.
 */
export type Account = { positionId: bigint; starkKey: bigint; ethAddress?: string; label?: string; createdAt: string };
export type { Fill } from './matching.js';

export type ExchangeOptions = {
  markets?: readonly MarketConfig[];
  genesis: SharedState;
  /** Fees and liquidations go to this position, owned by the operator's stark key. */
  insurancePositionId?: bigint;
  insuranceStarkKey: bigint;
  /** Per-million of the fill's collateral. */
  makerFeePpm?: bigint;
  takerFeePpm?: bigint;
  /** For the random walks; a fixed seed gives a reproducible exchange. */
  seed?: number;
};

export class Exchange {
  readonly ledger: Ledger;
  readonly markets = new Map<string, MarketConfig>();
  readonly accounts = new Map<bigint, Account>();
  readonly orders = new Map<string, BookOrder>();
  readonly books = new Map<string, OrderBook>();
  readonly fills: Fill[] = [];
  readonly insurancePositionId: bigint;
  readonly insuranceStarkKey: bigint;
  /** Set when the exchange stops for good (frozen on L1): no order, withdrawal or transfer is taken after. */
  halted?: string;
  #nonces = new Set<string>();
  #nextPositionId: bigint;
  #seq = 0;
  #random: () => number;
  #makerFeePpm: bigint;
  #takerFeePpm: bigint;

  constructor(opts: ExchangeOptions) {
    const markets = opts.markets ?? DEFAULT_MARKETS;
    this.ledger = new Ledger(markets, riskParamsOf(markets), opts.genesis);
    for (const m of markets) {
      this.markets.set(m.market, m);
      this.books.set(m.market, new OrderBook());
      if (!this.ledger.prices.has(m.syntheticAssetId))
        this.ledger.prices.set(m.syntheticAssetId, internalPriceOf(m, m.initialPrice));
    }
    this.insurancePositionId = opts.insurancePositionId ?? 1n;
    this.insuranceStarkKey = opts.insuranceStarkKey;
    this.#nextPositionId = this.insurancePositionId + 1n;
    this.#random = seededRandom(opts.seed ?? 7);
    this.#makerFeePpm = opts.makerFeePpm ?? 200n;
    this.#takerFeePpm = opts.takerFeePpm ?? 500n;
    this.#addAccount(this.insurancePositionId, this.insuranceStarkKey, undefined, 'insurance');
  }

  #addAccount(positionId: bigint, starkKey: bigint, ethAddress?: string, label?: string): Account {
    const a: Account = {
      positionId,
      starkKey,
      createdAt: new Date().toISOString(),
      ...(ethAddress ? { ethAddress } : {}),
      ...(label ? { label } : {}),
    };
    this.accounts.set(positionId, a);
    if (positionId >= this.#nextPositionId) this.#nextPositionId = positionId + 1n;
    return a;
  }

  /**
   * Stops the exchange for good (the operator calls it when L1 is frozen): every open order is
   * cancelled with `reason`, and new orders, withdrawals and transfers are refused. Returns the
   * number of orders cancelled.
   */
  halt(reason: string): number {
    if (this.halted) return 0;
    this.halted = reason;
    let n = 0;
    for (const o of this.orders.values())
      if (o.status === 'OPEN') {
        this.#cancel(o, reason);
        n++;
      }
    return n;
  }

  /** Throws 409 EXCHANGE_FROZEN once halted. */
  assertOpen(): void {
    if (this.halted)
      throw new OperatorApiError(
        409,
        'EXCHANGE_FROZEN',
        'exchange',
        'the exchange is frozen on L1: it takes no orders, withdrawals, transfers or deposits; use the escape hatch (GET /v3/status)',
      );
  }

  accountOfKey(starkKey: bigint): Account | undefined {
    for (const a of this.accounts.values()) if (a.starkKey === starkKey) return a;
    return undefined;
  }

  /** The account of a stark key, created with the next free position id when new. */
  onboard(starkKey: bigint, ethAddress?: string, label?: string): Account {
    return this.accountOfKey(starkKey) ?? this.#addAccount(this.#nextPositionId, starkKey, ethAddress, label);
  }

  account(o: Record<string, unknown>): Account {
    const id = positionIdOf(o);
    const a = this.accounts.get(id);
    if (!a) throw notFound('positionId', `no account has position ${id}`);
    return a;
  }

  #useNonce(positionId: bigint, nonce: bigint): void {
    const key = `${positionId}:${nonce}`;
    if (this.#nonces.has(key))
      throw badField('clientId', `nonce ${nonce} was already used by position ${positionId}`, 'DUPLICATE_NONCE');
    this.#nonces.add(key);
  }

  #checkNonce(positionId: bigint, nonce: bigint): void {
    if (this.#nonces.has(`${positionId}:${nonce}`))
      throw badField('clientId', `nonce ${nonce} was already used by position ${positionId}`, 'DUPLICATE_NONCE');
  }

  // ---- orders ----

  placeOrder(body: unknown, now = Date.now()): BookOrder {
    this.assertOpen();
    const o = requireObject(body);
    if (typeof o.market === 'string' && !this.markets.has(o.market))
      throw badField(
        'market',
        `unknown market ${JSON.stringify(o.market)}; listed: ${[...this.markets.keys()].join(', ')}`,
        'UNKNOWN_MARKET',
      );
    const account = this.account(o);
    const p = parseOrder(o, account.positionId, account.starkKey, now);
    this.#checkNonce(account.positionId, p.stark.nonce);
    if (this.orders.has(`0x${p.hash.toString(16)}`))
      throw badField('signature', 'this order was already placed', 'DUPLICATE_ORDER');
    const m = this.markets.get(p.market)!;
    // The whole order, filled at its limit with its maximum fee, must keep the position valid.
    const buy = p.side === 'BUY';
    const full = this.ledger.update(account.positionId, {
      requestPublicKey: account.starkKey,
      collateralDelta:
        (buy ? -p.stark.quantumsAmountCollateral : p.stark.quantumsAmountCollateral) - p.stark.quantumsAmountFee,
      syntheticAssetId: m.syntheticAssetId,
      syntheticDelta: buy ? p.stark.quantumsAmountSynthetic : -p.stark.quantumsAmountSynthetic,
    });
    if (full.returnCode !== 'SUCCESS') {
      throw badField(
        'size',
        `filling ${String(o.size)} ${m.asset} at ${String(o.price)} would leave position ${account.positionId} ${full.returnCode}`,
        'INSUFFICIENT_MARGIN',
      );
    }
    this.#useNonce(account.positionId, p.stark.nonce);
    const order: BookOrder = {
      id: `0x${p.hash.toString(16)}`,
      market: p.market,
      side: p.side,
      positionId: account.positionId,
      starkKey: account.starkKey,
      stark: p.stark,
      signature: p.signature,
      clientId: p.clientId,
      postOnly: p.postOnly,
      remaining: p.stark.quantumsAmountSynthetic,
      feePaid: 0n,
      status: 'OPEN',
      seq: ++this.#seq,
      createdAt: new Date(now).toISOString(),
      expiresAt: p.expiration,
    };
    this.orders.set(order.id, order);
    const book = this.books.get(order.market)!;
    const best = book.opposite(order)[0];
    if (order.postOnly && best && crosses(order, best)) {
      this.#cancel(order, 'WOULD_TAKE');
      return order;
    }
    const insurance = { positionId: this.insurancePositionId, starkKey: this.insuranceStarkKey };
    matchTaker(
      {
        ledger: this.ledger,
        syntheticAssetId: m.syntheticAssetId,
        makerFeePpm: this.#makerFeePpm,
        takerFeePpm: this.#takerFeePpm,
        insurance,
        cancel: (o, r) => this.#cancel(o, r),
        fills: this.fills,
      },
      book,
      order,
      now,
    );
    if (order.status === 'OPEN' && order.remaining > 0n) book.add(order);
    return order;
  }

  cancelOrder(id: string): BookOrder {
    const order = this.orders.get(id);
    if (!order) throw notFound('id', `no order ${id}`);
    if (order.status !== 'OPEN')
      throw new OperatorApiError(409, 'ORDER_NOT_OPEN', 'id', `order ${id} is ${order.status}`);
    this.#cancel(order, 'USER_CANCELED');
    return order;
  }

  #cancel(order: BookOrder, reason: string): void {
    order.status = 'CANCELED';
    order.cancelReason = reason;
    this.books.get(order.market)!.remove(order);
  }

  // ---- withdrawals and transfers ----

  withdraw(body: unknown, now = Date.now()): { positionId: bigint; amount: bigint; id: string } {
    this.assertOpen();
    const o = requireObject(body);
    const account = this.account(o);
    const w = parseWithdrawal(o, account.positionId, account.starkKey, now);
    this.#checkNonce(account.positionId, w.stark.nonce);
    const r = this.ledger.update(account.positionId, {
      requestPublicKey: account.starkKey,
      collateralDelta: -w.stark.quantumsAmount,
    });
    if (r.returnCode !== 'SUCCESS')
      throw badField(
        'amount',
        `withdrawing ${String(o.amount)} USDC would leave position ${account.positionId} ${r.returnCode}`,
        'INSUFFICIENT_COLLATERAL',
      );
    this.#useNonce(account.positionId, w.stark.nonce);
    this.ledger.commit(account.positionId, r.updated);
    this.ledger.modify({ starkKey: account.starkKey, positionId: account.positionId, delta: -w.stark.quantumsAmount });
    return { positionId: account.positionId, amount: w.stark.quantumsAmount, id: `0x${w.hash.toString(16)}` };
  }

  transfer(body: unknown, now = Date.now()): { id: string; sender: bigint; receiver: bigint; amount: bigint } {
    this.assertOpen();
    const o = requireObject(body);
    const account = this.account(o);
    const t = parseTransfer(o, account.positionId, account.starkKey, now);
    this.#checkNonce(account.positionId, t.stark.nonce);
    this.#moveCollateral(
      account.positionId,
      account.starkKey,
      t.stark.receiverPositionId,
      t.stark.receiverPublicKey,
      t.stark.quantumsAmount,
    );
    this.#useNonce(account.positionId, t.stark.nonce);
    return {
      id: `0x${t.hash.toString(16)}`,
      sender: account.positionId,
      receiver: t.stark.receiverPositionId,
      amount: t.stark.quantumsAmount,
    };
  }

  #moveCollateral(from: bigint, fromKey: bigint, to: bigint, toKey: bigint, amount: bigint): void {
    const holder = this.ledger.position(to).starkKey;
    if (holder !== 0n && holder !== toKey)
      throw badField('receiverPublicKey', `position ${to} belongs to another stark key`, 'WRONG_RECEIVER');
    const rs = this.ledger.update(from, { requestPublicKey: fromKey, collateralDelta: -amount });
    if (rs.returnCode !== 'SUCCESS')
      throw badField(
        'amount',
        `sending ${decimalString(amount, COLLATERAL_RESOLUTION)} USDC would leave position ${from} ${rs.returnCode}`,
        'INSUFFICIENT_COLLATERAL',
      );
    const rr = this.ledger.update(to, { requestPublicKey: toKey, collateralDelta: amount });
    if (rr.returnCode !== 'SUCCESS')
      throw badField('receiverPositionId', `position ${to} cannot receive: ${rr.returnCode}`);
    this.ledger.commit(from, rs.updated);
    this.ledger.commit(to, rr.updated);
    if (!this.accounts.has(to)) this.#addAccount(to, toKey);
  }

  /** Devnet only: `count` new positions with fresh keys, each sent `amount` from the insurance fund. */
  airdrop(count: number, amount: bigint): bigint[] {
    this.assertOpen();
    const ids: bigint[] = [];
    for (let i = 0; i < count; i++) {
      const key = starkKeyPair(BigInt(Math.floor(this.#random() * 2 ** 48)) + 1n).publicKey;
      const id = this.#nextPositionId;
      this.#moveCollateral(this.insurancePositionId, this.insuranceStarkKey, id, key, amount);
      ids.push(id);
    }
    return ids;
  }

  // ---- from L1 ----

  /** Credits a deposit waiting on L1; false (left pending there) if the position has another key. */
  creditDeposit(starkKey: bigint, positionId: bigint, amount: bigint): boolean {
    if (amount <= 0n) return false;
    const r = this.ledger.update(positionId, { requestPublicKey: starkKey, collateralDelta: amount });
    if (r.returnCode !== 'SUCCESS') return false;
    this.ledger.commit(positionId, r.updated);
    this.ledger.modify({ starkKey, positionId, delta: amount });
    if (!this.accounts.has(positionId)) this.#addAccount(positionId, starkKey);
    return true;
  }

  /** Serves a forced withdrawal: always output (clears the request), applied only if valid. */
  serveForcedWithdrawal(starkKey: bigint, positionId: bigint, amount: bigint): boolean {
    const r = this.ledger.update(positionId, { requestPublicKey: starkKey, collateralDelta: -amount });
    this.ledger.forcedAction({ type: 'withdrawal', starkKey, positionId, quantizedAmount: amount });
    if (r.returnCode !== 'SUCCESS') return false;
    this.ledger.commit(positionId, r.updated);
    this.ledger.modify({ starkKey, positionId, delta: -amount });
    return true;
  }

  serveForcedTrade(t: {
    starkKeyA: bigint;
    starkKeyB: bigint;
    positionIdA: bigint;
    positionIdB: bigint;
    syntheticAssetId: bigint;
    amountCollateral: bigint;
    amountSynthetic: bigint;
    aIsBuyingSynthetic: boolean;
    nonce: bigint;
  }): boolean {
    this.ledger.forcedAction({ type: 'trade', ...t });
    const listed = [...this.markets.values()].some((m) => m.syntheticAssetId === t.syntheticAssetId);
    if (!listed || t.positionIdA === t.positionIdB) return false;
    const sign = t.aIsBuyingSynthetic ? 1n : -1n;
    const ra = this.ledger.update(t.positionIdA, {
      requestPublicKey: t.starkKeyA,
      collateralDelta: -sign * t.amountCollateral,
      syntheticAssetId: t.syntheticAssetId,
      syntheticDelta: sign * t.amountSynthetic,
    });
    const rb = this.ledger.update(t.positionIdB, {
      requestPublicKey: t.starkKeyB,
      collateralDelta: sign * t.amountCollateral,
      syntheticAssetId: t.syntheticAssetId,
      syntheticDelta: -sign * t.amountSynthetic,
    });
    if (ra.returnCode !== 'SUCCESS' || rb.returnCode !== 'SUCCESS') return false;
    this.ledger.commit(t.positionIdA, ra.updated);
    this.ledger.commit(t.positionIdB, rb.updated);
    return true;
  }

  // ---- time: prices, funding, liquidations ----

  /** Opens a batch period: oracle random walk, a funding tick at `timestamp`, then liquidations. */
  advance(timestamp: bigint, now = Date.now()): bigint[] {
    walkMarkets(this.ledger, [...this.markets.values()], this.#random, timestamp);
    for (const o of this.orders.values())
      if (o.status === 'OPEN' && Date.parse(o.expiresAt) <= now) this.#cancel(o, 'EXPIRED');
    this.#forgetOldOrders();
    return this.liquidate();
  }

  /** A long-running exchange keeps the last ~2000 closed orders and 10000 fills (nonces are kept forever). */
  #forgetOldOrders(): void {
    let closed = 0;
    for (const o of this.orders.values()) if (o.status !== 'OPEN') closed++;
    if (closed > 5000) {
      for (const [id, o] of this.orders) {
        if (closed <= 2000) break;
        if (o.status !== 'OPEN') {
          this.orders.delete(id);
          closed--;
        }
      }
    }
    if (this.fills.length > 20_000) this.fills.splice(0, this.fills.length - 10_000);
  }

  /** Positions no longer well-leveraged are closed into the insurance fund; their orders cancelled. */
  liquidate(): bigint[] {
    const done = liquidatePositions(this.ledger, {
      positionId: this.insurancePositionId,
      starkKey: this.insuranceStarkKey,
    });
    for (const o of this.orders.values())
      if (o.status === 'OPEN' && done.includes(o.positionId)) this.#cancel(o, 'LIQUIDATED');
    return done;
  }

  // ---- views ----

  priceUsd(m: MarketConfig): string {
    return usdOfRatio(m, this.ledger.prices.get(m.syntheticAssetId)!, 1n << 32n);
  }
}
