import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { starkKeyPair } from '../../../../src/keys/stark-key.js';
import { dydx } from '../../../../src/messages/dydx.js';
import { applyStateUpdate } from '../../../../src/state/apply-update.js';
import { isWellLeveraged } from '../../../../src/risk/status.js';
import { applyFunding } from '../../../../src/risk/funding.js';
import type { StarkOrder } from '../../../../src/messages/order.js';
import { genesisSharedState } from '../../../../devnet/deploy.js';
import { OrderBook, collateralAt, crosses, respectsLimit, type BookOrder } from '../../../../devnet/operator/book.js';
import { DEFAULT_MARKETS } from '../../../../devnet/operator/config.js';
import { Exchange } from '../../../../devnet/operator/exchange.js';

// The order book's priority and rounding, and liquidations, without L1.

let seq = 0;
function bookOrder(side: 'BUY' | 'SELL', collateral: bigint, synthetic: bigint): BookOrder {
  const stark = {
    quantumsAmountCollateral: collateral,
    quantumsAmountSynthetic: synthetic,
    quantumsAmountFee: 0n,
  } as StarkOrder;
  return {
    id: `o${++seq}`,
    market: 'ETH-USD',
    side,
    positionId: 9n,
    starkKey: 1n,
    stark,
    signature: '',
    clientId: '',
    postOnly: false,
    remaining: synthetic,
    feePaid: 0n,
    status: 'OPEN',
    seq,
    createdAt: '',
    expiresAt: '',
  };
}
const price = (o: BookOrder) => Number(o.stark.quantumsAmountCollateral) / Number(o.stark.quantumsAmountSynthetic);

describe('OrderBook: price-time priority', () => {
  it('keeps bids best (highest) first and asks lowest first; equal prices in arrival order', () => {
    const arb = fc.array(fc.record({ buy: fc.boolean(), c: fc.bigInt(1n, 50n), s: fc.bigInt(1n, 5n) }), {
      maxLength: 30,
    });
    fc.assert(
      fc.property(arb, (specs) => {
        const book = new OrderBook();
        for (const x of specs) book.add(bookOrder(x.buy ? 'BUY' : 'SELL', x.c, x.s));
        for (const [side, dir] of [
          [book.bids, -1],
          [book.asks, 1],
        ] as const) {
          for (let i = 1; i < side.length; i++) {
            const [a, b] = [side[i - 1]!, side[i]!];
            const cmp =
              a.stark.quantumsAmountCollateral * b.stark.quantumsAmountSynthetic -
              b.stark.quantumsAmountCollateral * a.stark.quantumsAmountSynthetic;
            // Exact ratios: never a worse price before a better one; ties by arrival.
            expect(cmp === 0n ? a.seq < b.seq : dir * Number(cmp) < 0).toBe(true);
          }
        }
        expect(book.bids.length + book.asks.length).toBe(specs.length);
      }),
      { numRuns: 100 },
    );
  });

  it('a fill at the maker price never breaks either signed limit', () => {
    fc.assert(
      fc.property(
        fc.bigInt(1n, 10n ** 12n),
        fc.bigInt(1n, 10n ** 9n),
        fc.bigInt(1n, 10n ** 12n),
        fc.bigInt(1n, 10n ** 9n),
        fc.bigInt(1n, 10n ** 9n),
        fc.boolean(),
        (mc, ms, tc, ts, q0, takerBuys) => {
          const maker = bookOrder(takerBuys ? 'SELL' : 'BUY', mc, ms);
          const taker = bookOrder(takerBuys ? 'BUY' : 'SELL', tc, ts);
          const q = (q0 % (ms < ts ? ms : ts)) + 1n;
          const c = collateralAt(maker, q);
          expect(respectsLimit(maker, q, c)).toBe(true);
          // When the prices cross, the maker's price is at least as good for the taker (up to one quantum of rounding).
          if (crosses(taker, maker))
            expect(takerBuys ? price(maker) <= price(taker) : price(maker) >= price(taker)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('liquidations', () => {
  it('a position pushed under maintenance margin by the oracle is closed into the insurance fund; its orders are cancelled', () => {
    const insurance = starkKeyPair(0x1n).publicKey;
    const user = starkKeyPair(0x77n);
    const ex = new Exchange({ genesis: genesisSharedState(), insuranceStarkKey: insurance });
    const eth = DEFAULT_MARKETS[1]!;
    ex.advance(1_700_000_000n);
    const prev = new Map(ex.ledger.positions);
    expect(ex.creditDeposit(insurance, 1n, 10n ** 12n)).toBe(true);
    expect(ex.creditDeposit(user.publicKey, 5n, 100_000_000n)).toBe(true); // 100 USDC
    const oracle = ex.ledger.prices.get(eth.syntheticAssetId)!;
    const oneEth = 1_000_000_000n;
    const cost = (oneEth * oracle) >> 32n;
    // 1 ETH long at the oracle price from the insurance fund: 20× leverage, still valid.
    expect(
      ex.serveForcedTrade({
        starkKeyA: user.publicKey,
        starkKeyB: insurance,
        positionIdA: 5n,
        positionIdB: 1n,
        syntheticAssetId: eth.syntheticAssetId,
        amountCollateral: cost,
        amountSynthetic: oneEth,
        aIsBuyingSynthetic: true,
        nonce: 1n,
      }),
    ).toBe(true);
    const expiration = new Date(Date.now() + 86_400_000).toISOString();
    const signed = dydx.signOrder(
      {
        positionId: 5n,
        humanSize: '0.1',
        humanPrice: '1',
        limitFee: '0.001',
        market: 'ETH-USD',
        side: 'BUY',
        expirationIsoTimestamp: expiration,
        clientId: 'x',
      },
      1,
      user.privateKey,
    );
    const order = ex.placeOrder({
      market: 'ETH-USD',
      side: 'BUY',
      size: '0.1',
      price: '1',
      limitFee: '0.001',
      expiration,
      clientId: 'x',
      signature: signed.signatureHex,
      positionId: '5',
    });
    expect(order.status).toBe('OPEN');
    expect(ex.liquidate()).toEqual([]);
    // −3 %: equity 100 − 3 % of ~2000 < 3 % maintenance.
    ex.ledger.prices.set(eth.syntheticAssetId, (oracle * 97n) / 100n);
    const state = ex.ledger.marketState();
    expect(
      isWellLeveraged(
        applyFunding(ex.ledger.position(5n), state.fundingIndices),
        state.oraclePrices,
        ex.ledger.riskParams,
      ),
    ).toBe(false);
    const fundBefore = ex.ledger.position(1n).assets.find((a) => a.assetId === eth.syntheticAssetId)?.balance ?? 0n;
    expect(ex.liquidate()).toEqual([5n]);
    expect(ex.ledger.position(5n).assets).toEqual([]);
    expect(ex.ledger.position(5n).collateral).toBe(100_000_000n - cost + ((oneEth * ((oracle * 97n) / 100n)) >> 32n));
    expect(ex.ledger.position(1n).assets.find((a) => a.assetId === eth.syntheticAssetId)?.balance ?? 0n).toBe(
      fundBefore + oneEth,
    );
    expect(fundBefore).toBe(-oneEth);
    expect(order.status).toBe('CANCELED');
    expect(order.cancelReason).toBe('LIQUIDATED');
    // The liquidation is ordinary batch data.
    const content = ex.ledger.seal(1_700_000_100n);
    expect(
      applyStateUpdate(prev, {
        programOutput: { prevSharedState: content.prevSharedState },
        onChainData: { fundingEntries: content.fundingEntries, positions: content.records },
      }).positions,
    ).toEqual(ex.ledger.positions);
  });
});
