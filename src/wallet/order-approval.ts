import { quantumsToHuman } from '../messages/decimal.js';
import { DYDX_COLLATERAL_RESOLUTION, dydxMarketTable } from '../messages/dydx-markets.js';
import { STARK_ORDER_SIGNATURE_EXPIRATION_BUFFER_HOURS } from '../messages/dydx-helpers.js';
import type { StarkOrder } from '../messages/order.js';
import { oraclePriceToUsd } from '../risk/oracle-price.js';
import { formatRatio, ratio, ratioAbs, ratioCmp, ratioDiv, ratioMul, ratioSub, type Ratio } from '../risk/ratio.js';
import { marginImpact, type MarginImpact, type VerifiedAccount } from './margin-impact.js';

/**
 * What the approval page shows for an order (issue 8 "Approval page"; wallet-practice.md §3.4):
 * every number is computed from the StarkEx fields that are hashed and signed, never from the
 * dapp's display values. Prices are USD per whole synthetic.
 */
export type OrderWarning = {
  code:
    | 'unknown-market'
    | 'unknown-collateral'
    | 'price-far-from-oracle'
    | 'no-verified-price'
    | 'expiry-far'
    | 'size-large'
    | 'fee-high';
  message: string;
};

export type OrderApproval = {
  market: string;
  side: 'BUY' | 'SELL';
  size: string;
  price: string;
  notional: string;
  maxFee: string;
  /** The signed expiry (ISO), which includes dYdX's 7-day signature buffer. */
  expiry: string;
  positionId: string;
  nonce: string;
  warnings: OrderWarning[];
  margin: MarginImpact;
};

/** Deviation from the oracle above which the price is flagged. */
export const PRICE_DEVIATION_WARN = ratio(5n, 100n);
/** An order whose signature lives longer than this (beyond dYdX's buffer) is flagged. */
export const EXPIRY_WARN_DAYS = 30;
/** A fee cap above this fraction of the notional is flagged. */
export const FEE_WARN = ratio(1n, 100n);

export type OrderApprovalContext = {
  networkId: number;
  now: number;
  /** Vigil's verified account: the position and the market state it was proven against. */
  verified?: VerifiedAccount;
};

const pow10 = (d: number) => 10n ** BigInt(d);

export function decodeOrderForApproval(order: StarkOrder, ctx: OrderApprovalContext): OrderApproval {
  const table = dydxMarketTable(ctx.networkId);
  const info = Object.values(table.markets).find((m) => m.syntheticAssetId === order.assetIdSynthetic);
  const warnings: OrderWarning[] = [];
  const resolution = info?.resolution ?? 0;
  if (!info)
    warnings.push({
      code: 'unknown-market',
      message: `Unknown synthetic asset 0x${order.assetIdSynthetic.toString(16)}: sizes are shown in raw quantums.`,
    });
  // Notional and fee are shown in USDC: say so loudly when the signed asset ids are something else.
  for (const [field, id] of [
    ['collateral asset', order.assetIdCollateral],
    ['fee asset', order.assetIdFee],
  ] as const) {
    if (id !== table.collateral.assetId)
      warnings.push({
        code: 'unknown-collateral',
        message: `The ${field} 0x${id.toString(16)} is not dYdX's USDC on network ${ctx.networkId}: amounts below are not USDC.`,
      });
  }
  const collateralDecimals = DYDX_COLLATERAL_RESOLUTION;
  // price = (collateral / 10^6) / (synthetic / 10^res)
  const price: Ratio = ratio(
    order.quantumsAmountCollateral * pow10(resolution),
    order.quantumsAmountSynthetic * pow10(collateralDecimals),
  );
  const side = order.isBuyingSynthetic ? 'BUY' : 'SELL';

  const verified = ctx.verified;
  const oracle = verified?.state.oraclePrices.find((p) => p.assetId === order.assetIdSynthetic);
  if (oracle && info) {
    const oracleUsd = oraclePriceToUsd(oracle.price, pow10(info.resolution), pow10(collateralDecimals));
    const deviation = ratioAbs(ratioDiv(ratioSub(price, oracleUsd), oracleUsd));
    if (ratioCmp(deviation, PRICE_DEVIATION_WARN) > 0) {
      warnings.push({
        code: 'price-far-from-oracle',
        message: `The limit price ${formatRatio(price, 6)} is ${formatRatio(ratioMul(deviation, ratio(100n)), 1)}% away from the last verified oracle price ${formatRatio(oracleUsd, 6)}.`,
      });
    }
  } else {
    warnings.push({
      code: 'no-verified-price',
      message: 'No verified oracle price yet: the limit price cannot be checked.',
    });
  }

  const expiryMs = Number(order.expirationEpochHours) * 3_600_000;
  const beyondBufferDays =
    (expiryMs - ctx.now) / 86_400_000 - Number(STARK_ORDER_SIGNATURE_EXPIRATION_BUFFER_HOURS) / 24;
  if (beyondBufferDays > EXPIRY_WARN_DAYS)
    warnings.push({
      code: 'expiry-far',
      message: `The signature stays valid for ${Math.round(beyondBufferDays)} days (more than ${EXPIRY_WARN_DAYS}).`,
    });

  if (ratioCmp(ratio(order.quantumsAmountFee), ratioMul(ratio(order.quantumsAmountCollateral), FEE_WARN)) > 0) {
    warnings.push({
      code: 'fee-high',
      message: `The maximum fee is more than ${formatRatio(ratioMul(FEE_WARN, ratio(100n)), 0)}% of the notional.`,
    });
  }

  if (verified) {
    const held = verified.position.assets.find((a) => a.assetId === order.assetIdSynthetic)?.balance ?? 0n;
    const absHeld = held < 0n ? -held : held;
    if (absHeld > 0n && order.quantumsAmountSynthetic > 2n * absHeld) {
      warnings.push({
        code: 'size-large',
        message: `The order is more than twice the current position (${quantumsToHuman(absHeld, resolution)}).`,
      });
    }
  }

  return {
    market: info?.market ?? `0x${order.assetIdSynthetic.toString(16)}`,
    side,
    size: quantumsToHuman(order.quantumsAmountSynthetic, resolution),
    price: formatRatio(price, 6),
    notional: quantumsToHuman(order.quantumsAmountCollateral, collateralDecimals),
    maxFee: quantumsToHuman(order.quantumsAmountFee, collateralDecimals),
    expiry: new Date(expiryMs).toISOString(),
    positionId: order.positionId.toString(),
    nonce: order.nonce.toString(),
    warnings,
    margin: marginImpact(order, verified, info ? { resolution: info.resolution, collateralDecimals } : undefined),
  };
}
