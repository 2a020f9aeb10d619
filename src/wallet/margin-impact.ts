import type { StarkOrder } from '../messages/order.js';
import { FXP_32_ONE } from '../risk/fixed-point.js';
import { applyFunding } from '../risk/funding.js';
import { liquidationPrice } from '../risk/liquidation.js';
import { liquidationDistance, type LiquidationDistance } from '../risk/liquidation-distance.js';
import { oraclePriceToUsd } from '../risk/oracle-price.js';
import { assetLabel, type RiskParamsSource } from '../risk/presets.js';
import { formatRatio, ratio, ratioDiv, ratioMul, ratioSub } from '../risk/ratio.js';
import { riskTable, type RiskParams } from '../risk/risk-config.js';
import { totalRisk, totalValue } from '../risk/status.js';
import type { MarketState } from '../risk/update-position.js';
import type { Position } from '../state/position.js';

/**
 * The margin impact of an order, filled completely at its limit price and paying its maximum fee
 * (the worst case the signature allows), on Vigil's verified position (signing-risk.md B1).
 * Without a verified state the answer is a plain "not verified yet": nothing is estimated from
 * unverified data.
 */
export type VerifiedAccount = {
  position: Position;
  state: MarketState;
  riskParams: RiskParams;
  /** Where the risk parameters came from (src/risk/presets.ts `effectiveRiskParams`). */
  riskSource?: RiskParamsSource;
  /** The verified batch the state is from, and whether the verifier halted after it. */
  batchId?: bigint;
  halted?: boolean;
};

/** Exact decimal strings (USDC, USD per whole synthetic, percent); the page formats them. */
export type MarginFigures = {
  totalValue: string;
  totalRisk: string;
  marginRatio: string | null;
  liquidationPrice: string | null;
  /** (liquidation price − oracle price) / oracle price, in percent, signed; null without a liquidation price. */
  liquidationDistance: string | null;
  /** The same distance as the approval's sentence words it: unsigned percent (1 decimal), below or above. */
  liquidationFromOracle: LiquidationDistance | null;
};
export type MarginImpact =
  | { verified: false; reason: 'not-verified' | 'no-risk-factor' | 'cannot-compute'; message: string }
  | {
      verified: true;
      /** The verified oracle price of the order's market, USD per whole synthetic. */
      oraclePrice: string | null;
      before: MarginFigures;
      after: MarginFigures;
      riskSource?: RiskParamsSource;
      batchId?: string;
      halted: boolean;
    };

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
  const liqUsd = liq === null ? null : oraclePriceToUsd(liq, 10n ** BigInt(res.resolution), usd);
  const oracle = v.state.oraclePrices.find((o) => o.assetId === assetId)?.price;
  const oracleUsd = oracle === undefined ? null : oraclePriceToUsd(oracle, 10n ** BigInt(res.resolution), usd);
  const fromOracle =
    liqUsd === null || oracleUsd === null || oracleUsd.num <= 0n ? null : liquidationDistance(liqUsd, oracleUsd);
  return {
    totalValue: formatRatio(ratio(tv, FXP_32_ONE * usd), 2),
    totalRisk: formatRatio(ratio(tr, FXP_32_ONE * FXP_32_ONE * usd), 2),
    // TV / TR: the position is liquidatable below 1.
    marginRatio: tr === 0n ? null : formatRatio(ratio(tv * FXP_32_ONE, tr), 4),
    liquidationPrice: liqUsd === null ? null : formatRatio(liqUsd, 6),
    liquidationDistance:
      liqUsd === null || oracleUsd === null || oracleUsd.num === 0n
        ? null
        : formatRatio(ratioMul(ratioDiv(ratioSub(liqUsd, oracleUsd), oracleUsd), ratio(100n)), 2),
    liquidationFromOracle: fromOracle,
  };
}

/** The held assets (before or after the order) that have no risk factor in `params`. */
function assetsWithoutRiskFactor(params: RiskParams, positions: Position[]): bigint[] {
  const known = riskTable(params).byAsset;
  const ids = new Set(positions.flatMap((p) => p.assets.filter((a) => a.balance !== 0n).map((a) => a.assetId)));
  return [...ids].filter((id) => !known.has(id)).sort((a, b) => (a < b ? -1 : 1));
}

export function marginImpact(
  order: StarkOrder,
  verified: VerifiedAccount | undefined,
  res: { resolution: number; collateralDecimals: number } | undefined,
): MarginImpact {
  if (!verified || !res) return { verified: false, reason: 'not-verified', message: NOT_VERIFIED_MESSAGE };
  // Never a dead end (issue 17 item 1): when the figures cannot be computed the approval says why
  // in one line and the order can still be signed.
  try {
    const funded = applyFunding(verified.position, verified.state.fundingIndices);
    const after = positionAfterOrder(funded, order, verified.state);
    const missing = assetsWithoutRiskFactor(verified.riskParams, [funded, after]);
    if (missing.length)
      return {
        verified: false,
        reason: 'no-risk-factor',
        message: `Margin impact not shown: no risk factor for ${missing.map(assetLabel).join(', ')}.`,
      };
    const oracle = verified.state.oraclePrices.find((o) => o.assetId === order.assetIdSynthetic)?.price;
    return {
      verified: true,
      oraclePrice:
        oracle === undefined
          ? null
          : formatRatio(
              oraclePriceToUsd(oracle, 10n ** BigInt(res.resolution), 10n ** BigInt(res.collateralDecimals)),
              6,
            ),
      before: figures(funded, verified, order.assetIdSynthetic, res),
      after: figures(after, verified, order.assetIdSynthetic, res),
      ...(verified.riskSource ? { riskSource: verified.riskSource } : {}),
      ...(verified.batchId !== undefined ? { batchId: verified.batchId.toString() } : {}),
      halted: verified.halted === true,
    };
  } catch (err) {
    return {
      verified: false,
      reason: 'cannot-compute',
      message: `Margin impact not shown: ${(err as Error).message}`,
    };
  }
}
