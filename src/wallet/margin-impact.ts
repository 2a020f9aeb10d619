import type { StarkOrder } from '../messages/order.js';
import { FXP_32_ONE } from '../risk/fixed-point.js';
import { applyFunding } from '../risk/funding.js';
import { liquidationPrice } from '../risk/liquidation.js';
import { oraclePriceToUsd } from '../risk/oracle-price.js';
import { formatRatio, ratio } from '../risk/ratio.js';
import type { RiskParams } from '../risk/risk-config.js';
import { totalRisk, totalValue } from '../risk/status.js';
import type { MarketState } from '../risk/update-position.js';
import type { Position } from '../state/position.js';

/**
 * The margin impact of an order, filled completely at its limit price and paying its maximum fee
 * (the worst case the signature allows), on Vigil's verified position (signing-risk.md B1).
 * Without a verified state the answer is a plain "not verified yet": nothing is estimated from
 * unverified data.
 */
export type VerifiedAccount = { position: Position; state: MarketState; riskParams: RiskParams };

export type MarginFigures = {
  totalValue: string;
  totalRisk: string;
  marginRatio: string | null;
  liquidationPrice: string | null;
};
export type MarginImpact =
  | { verified: false; message: string }
  | { verified: true; before: MarginFigures; after: MarginFigures };

export const NOT_VERIFIED_MESSAGE =
  'Not verified yet: Vigil has no verified state for this position, so the margin impact is not shown.';

/** The position after the order fills completely. */
export function positionAfterOrder(funded: Position, order: StarkOrder, state: MarketState): Position {
  const sign = order.isBuyingSynthetic ? 1n : -1n;
  const collateral = funded.collateral - sign * order.quantumsAmountCollateral - order.quantumsAmountFee;
  const index = state.fundingIndices.find((f) => f.assetId === order.assetIdSynthetic)?.fundingIndex ?? 0n;
  const assets = funded.assets.map((a) => ({ ...a }));
  const held = assets.find((a) => a.assetId === order.assetIdSynthetic);
  if (held) held.balance += sign * order.quantumsAmountSynthetic;
  else
    assets.push({
      assetId: order.assetIdSynthetic,
      balance: sign * order.quantumsAmountSynthetic,
      cachedFundingIndex: index,
    });
  return {
    starkKey: funded.starkKey,
    collateral,
    assets: assets.filter((a) => a.balance !== 0n).sort((x, y) => (x.assetId < y.assetId ? -1 : 1)),
  };
}

function figures(
  p: Position,
  v: VerifiedAccount,
  assetId: bigint,
  res: { resolution: number; collateralDecimals: number },
): MarginFigures {
  const tv = totalValue(p, v.state.oraclePrices); // .32 collateral quanta
  const tr = totalRisk(p, v.state.oraclePrices, v.riskParams); // .64 collateral quanta
  const usd = 10n ** BigInt(res.collateralDecimals);
  const held = p.assets.some((a) => a.assetId === assetId);
  const liq = held ? liquidationPrice(p, v.state.oraclePrices, v.riskParams, assetId) : null;
  return {
    totalValue: formatRatio(ratio(tv, FXP_32_ONE * usd), 2),
    totalRisk: formatRatio(ratio(tr, FXP_32_ONE * FXP_32_ONE * usd), 2),
    // TV / TR: the position is liquidatable below 1.
    marginRatio: tr === 0n ? null : formatRatio(ratio(tv * FXP_32_ONE, tr), 4),
    liquidationPrice: liq === null ? null : formatRatio(oraclePriceToUsd(liq, 10n ** BigInt(res.resolution), usd), 6),
  };
}

export function marginImpact(
  order: StarkOrder,
  verified: VerifiedAccount | undefined,
  res: { resolution: number; collateralDecimals: number } | undefined,
): MarginImpact {
  if (!verified || !res) return { verified: false, message: NOT_VERIFIED_MESSAGE };
  const funded = applyFunding(verified.position, verified.state.fundingIndices);
  const after = positionAfterOrder(funded, order, verified.state);
  return {
    verified: true,
    before: figures(funded, verified, order.assetIdSynthetic, res),
    after: figures(after, verified, order.assetIdSynthetic, res),
  };
}
