import { dydx, starkKeyPair } from '../../src/index.js';
import type { StarkKeyPair } from '../../src/index.js';
import type { MarketConfig } from './config.js';
import type { Exchange } from './exchange.js';

/**
 * Trading bots: each bot quotes a bid and an ask around the oracle price on every market and
 * now and then crosses the spread, so the book moves and fills happen. Bots sign with their own
 * stark keys through src/ and place orders through the same validation path as the API.
 */
export type Bot = { keys: StarkKeyPair; positionId: bigint; name: string };

/** Fixed, public devnet keys: bot i has private key BOT_KEY_BASE + i. */
export const BOT_KEY_BASE = 0xb07_0000_0000n;

export function botKeys(count: number): StarkKeyPair[] {
  return Array.from({ length: count }, (_, i) => starkKeyPair(BOT_KEY_BASE + BigInt(i)));
}

function decimals(step: string): number {
  return step.includes('.') ? step.split('.')[1]!.length : 0;
}

/** `usd` rounded to the market's tick size, as a decimal string. */
function toTick(m: MarketConfig, usd: number): string {
  const tick = Number(m.tickSize);
  return Math.max(tick, Math.round(usd / tick) * tick).toFixed(decimals(m.tickSize));
}

function toStep(m: MarketConfig, size: number): string {
  const step = Number(m.stepSize);
  return Math.max(step, Math.round(size / step) * step).toFixed(decimals(m.stepSize));
}

export class Bots {
  #n = 0;
  #round = 0;
  constructor(
    readonly exchange: Exchange,
    readonly bots: Bot[],
    readonly random: () => number = Math.random,
    /** Open orders a bot keeps per market; older ones are cancelled. */
    readonly maxOpenPerMarket = 4,
  ) {}

  #place(bot: Bot, m: MarketConfig, side: 'BUY' | 'SELL', price: string, size: string, now: number): void {
    const expiration = new Date(now + 86_400_000).toISOString();
    const clientId = `${bot.name}-${now}-${++this.#n}`;
    const params = {
      positionId: bot.positionId,
      humanSize: size,
      humanPrice: price,
      limitFee: '0.001',
      market: m.market,
      side,
      expirationIsoTimestamp: expiration,
      clientId,
    };
    const signed = dydx.signOrder(params, 1, bot.keys.privateKey);
    try {
      this.exchange.placeOrder(
        {
          market: m.market,
          side,
          size,
          price,
          limitFee: '0.001',
          expiration,
          clientId,
          signature: signed.signatureHex,
          positionId: bot.positionId.toString(),
        },
        now,
      );
    } catch {
      // A bot out of margin just skips this round.
    }
  }

  /**
   * One round: each bot refreshes its quotes on one market (bots and markets rotate, so signing
   * stays cheap); one in three times it also takes liquidity.
   */
  step(now = Date.now()): void {
    if (this.exchange.halted) return; // frozen: the bots stop with the exchange
    const markets = [...this.exchange.markets.values()];
    this.#round++;
    for (const [i, bot] of this.bots.entries()) {
      for (const m of [markets[(this.#round + i) % markets.length]!]) {
        const open = [...this.exchange.orders.values()].filter(
          (o) => o.positionId === bot.positionId && o.market === m.market && o.status === 'OPEN',
        );
        for (const o of open.slice(0, Math.max(0, open.length - this.maxOpenPerMarket + 2)))
          this.exchange.cancelOrder(o.id);
        const mid = Number(this.exchange.priceUsd(m));
        const spread = mid * (0.0005 + this.random() * 0.002);
        const size = toStep(m, (200 + this.random() * 800) / mid);
        const position =
          this.exchange.ledger.position(bot.positionId).assets.find((a) => a.assetId === m.syntheticAssetId)?.balance ??
          0n;
        this.#place(bot, m, 'BUY', toTick(m, mid - spread), size, now);
        this.#place(bot, m, 'SELL', toTick(m, mid + spread), size, now);
        if (this.random() < 0.34) {
          // Lean against the bot's own position so it stays small.
          const side = position > 0n ? 'SELL' : position < 0n ? 'BUY' : this.random() < 0.5 ? 'BUY' : 'SELL';
          this.#place(bot, m, side, toTick(m, side === 'BUY' ? mid * 1.01 : mid * 0.99), toStep(m, 100 / mid), now);
        }
      }
    }
  }
}
