import { applyFunding, positionStatus } from '../../src/index.js';
import type { BookOrder } from './book.js';
import { COLLATERAL_RESOLUTION, decimalString, usdOfRatio, type MarketConfig } from './config.js';
import type { Exchange } from './exchange.js';
import type { BatchInfo } from './operator.js';

/** JSON views in the dYdX v3 API's shapes (human decimal strings), from the exchange's state. */

const usdc = (quanta: bigint) => decimalString(quanta, COLLATERAL_RESOLUTION);
const hex = (v: bigint) => `0x${v.toString(16)}`;

export function marketsView(ex: Exchange): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const m of ex.markets.values()) {
    out[m.market] = {
      market: m.market,
      status: 'ONLINE',
      baseAsset: m.asset,
      quoteAsset: 'USD',
      oraclePrice: ex.priceUsd(m),
      indexPrice: ex.priceUsd(m),
      stepSize: m.stepSize,
      tickSize: m.tickSize,
      minOrderSize: m.stepSize,
      maintenanceMarginFraction: m.maintenanceMarginFraction,
      syntheticAssetId: hex(m.syntheticAssetId),
      assetResolution: (10n ** BigInt(m.resolution)).toString(),
      fundingIndex: (ex.ledger.fundingIndices.get(m.syntheticAssetId) ?? 0n).toString(),
    };
  }
  return out;
}

export function orderbookView(
  ex: Exchange,
  market: string,
): { bids: { price: string; size: string }[]; asks: { price: string; size: string }[] } {
  const m = ex.markets.get(market)!;
  const book = ex.books.get(market)!;
  const levels = (orders: readonly BookOrder[]) => {
    const out: { price: string; size: string }[] = [];
    const sizes = new Map<string, bigint>();
    for (const o of orders) {
      const price = usdOfRatio(m, o.stark.quantumsAmountCollateral, o.stark.quantumsAmountSynthetic);
      if (!sizes.has(price)) out.push({ price, size: '' });
      sizes.set(price, (sizes.get(price) ?? 0n) + o.remaining);
    }
    return out.map((l) => ({ price: l.price, size: decimalString(sizes.get(l.price)!, m.resolution) }));
  };
  return { bids: levels(book.bids), asks: levels(book.asks) };
}

export function orderView(ex: Exchange, o: BookOrder): Record<string, unknown> {
  const m = ex.markets.get(o.market)!;
  return {
    id: o.id,
    clientId: o.clientId,
    positionId: o.positionId.toString(),
    market: o.market,
    side: o.side,
    type: 'LIMIT',
    size: decimalString(o.stark.quantumsAmountSynthetic, m.resolution),
    remainingSize: decimalString(o.remaining, m.resolution),
    price: usdOfRatio(m, o.stark.quantumsAmountCollateral, o.stark.quantumsAmountSynthetic),
    limitFee: usdc(o.stark.quantumsAmountFee),
    feePaid: usdc(o.feePaid),
    status: o.status,
    ...(o.cancelReason ? { cancelReason: o.cancelReason } : {}),
    postOnly: o.postOnly,
    createdAt: o.createdAt,
    expiresAt: o.expiresAt,
  };
}

export function accountView(ex: Exchange, positionId: bigint): Record<string, unknown> {
  const a = ex.accounts.get(positionId)!;
  const state = ex.ledger.marketState();
  const position = ex.ledger.position(positionId);
  const funded = applyFunding(position, state.fundingIndices);
  const status = positionStatus(funded, state.oraclePrices, ex.ledger.riskParams);
  const openPositions: Record<string, unknown> = {};
  for (const asset of funded.assets) {
    const m = [...ex.markets.values()].find((x: MarketConfig) => x.syntheticAssetId === asset.assetId);
    const name = m?.market ?? hex(asset.assetId);
    openPositions[name] = {
      market: name,
      side: asset.balance > 0n ? 'LONG' : 'SHORT',
      size: m ? decimalString(asset.balance, m.resolution) : asset.balance.toString(),
      balanceQuanta: asset.balance.toString(),
      oraclePrice: m ? ex.priceUsd(m) : null,
    };
  }
  return {
    positionId: positionId.toString(),
    starkKey: hex(a.starkKey),
    ethereumAddress: a.ethAddress ?? null,
    quoteBalance: usdc(funded.collateral),
    equity: usdc(status.totalValue >> 32n),
    maintenanceRequirement: usdc(status.totalRisk >> 64n),
    wellLeveraged: status.totalRisk <= status.totalValue << 32n,
    openPositions,
    openOrders: [...ex.orders.values()].filter((o) => o.positionId === positionId && o.status === 'OPEN').length,
    inPendingBatch: ex.ledger.touched().includes(positionId),
  };
}

export function batchView(b: BatchInfo): Record<string, unknown> {
  return {
    batchId: b.batchId.toString(),
    sequenceNumber: b.sequenceNumber.toString(),
    updateStateTx: b.updateStateTx,
    blockNumber: b.blockNumber.toString(),
    positionsRoot: hex(b.positionsRoot),
    positionIds: b.positionIds.map(String),
    dataWords: b.dataWords,
    dataPages: b.dataPages,
    systemTime: b.systemTime.toString(),
    misbehaviour: b.misbehaviour,
  };
}
