import { checkObject } from '../checks.js';
import { TypeCheckError } from '../errors.js';
import { NoValidForcedWithdrawalError } from '../risk/errors.js';
import { escapeAmount } from '../risk/escape.js';
import { maxSafeForcedWithdrawal } from '../risk/adverse.js';
import { fundingOwedRep } from '../risk/funding.js';
import { liquidationPrices } from '../risk/liquidation.js';
import { formatRatio, ratio, type Ratio } from '../risk/ratio.js';
import { oraclePriceToUsd } from '../risk/oracle-price.js';
import { DYDX_COLLATERAL_RESOLUTION, dydxMarketTable } from '../messages/dydx-markets.js';
import { positionRiskReport } from '../risk/report.js';
import type { RiskParams } from '../risk/risk-config.js';
import type { SharedState } from '../starkex/shared-state.js';
import type { Position } from '../state/position.js';
import { ExitInputError } from './errors.js';
import type { VerifiedBasis } from '../sync/read-model.js';

/*
 * The margin view of one position (issue 10 "Margin view"; signing-risk.md B1–B2): every number is
 * computed by src/risk from a shared state that the verifier accepted, and the view says which
 * batch it is based on, so a stale number is never shown as current.
 */

/** Which verified state the numbers come from: the read model's basis. */
export type MarginBasis = VerifiedBasis;

export type MarginViewInput = {
  positionId: bigint;
  /** The position's leaf as stored in the verified tree (funding not yet applied). */
  position: Position;
  sharedState: SharedState;
  basis: MarginBasis;
  riskParams: RiskParams;
  /** Adverse price move for the safe forced withdrawal, basis points (default 500 = 5 %). */
  adverseMoveBps?: bigint;
};

export type SyntheticLine = {
  assetId: bigint;
  /** Signed synthetic quanta. */
  balance: bigint;
  /** Oracle price of the shared state, 32.32 collateral quanta per synthetic quantum. */
  price: bigint;
  /** balance·price, .32 collateral quanta. */
  valueRep: bigint;
  /** First liquidatable price with the other prices held (B1.5), or null if none. */
  liquidationPrice: bigint | null;
  /**
   * The same in a trader's units when the asset is a dYdX market (issue 17 item 2: the page showed
   * raw hex ids and 32.32 prices): the market ("ETH-USD"), the balance in the asset's units, and
   * the prices in USD, exact decimals (cents; the balance to its resolution). Absent for an unknown asset.
   */
  shown?: { market: string; balance: string; priceUsd: string; liquidationPriceUsd: string | null };
};

export type MarginView = {
  positionId: bigint;
  starkKey: bigint;
  basis: MarginBasis & { systemTime: bigint };
  /** Collateral after funding (B1.3), collateral quanta. */
  collateral: bigint;
  synthetics: SyntheticLine[];
  /** Funding the position owes at the state's indices, .32 collateral quanta (> 0: it pays). */
  fundingOwedRep: bigint;
  /** TV_rep (.32) and TR_rep (.64) of the funded position (B1.2). */
  totalValueRep: bigint;
  totalRiskRep: bigint;
  /** TV / TR, or null when TR = 0 (no synthetic exposure). Below 1 the position is liquidatable. */
  marginRatio: Ratio | null;
  wellLeveraged: boolean;
  liquidatable: boolean;
  /** Largest valid forced withdrawal at exactly these prices (B2.1), null if not even 0 is valid. */
  maxForcedWithdrawal: bigint | null;
  /** Largest forced withdrawal still valid after an adverse move of `adverseMoveBps` (B2.1). */
  safeForcedWithdrawal: { amount: bigint | null; adverseMoveBps: bigint };
  /** What `verifyEscape` would register against this state (B2.2); payable only when > 0. */
  escapeAmount: bigint;
  escapePayable: boolean;
};

export const DEFAULT_ADVERSE_MOVE_BPS = 500n;

export function checkAdverseMoveBps(bps: unknown): bigint {
  if (typeof bps !== 'bigint') throw new TypeCheckError('adverseMoveBps', bps, 'bigint');
  if (bps < 0n || bps > 10_000n) throw new ExitInputError('adverseMoveBps', bps, '0 <= adverseMoveBps <= 10000');
  return bps;
}

/** The largest safe forced withdrawal, or null when not even 0 would be valid (B2.1). */
export function safeForcedWithdrawalAmount(
  position: Position,
  sharedState: SharedState,
  riskParams: RiskParams,
  adverseMoveBps: bigint,
): bigint | null {
  try {
    return maxSafeForcedWithdrawal(position, sharedState, riskParams, { adverseMoveBps }).amount;
  } catch (e) {
    if (e instanceof NoValidForcedWithdrawalError) return null;
    throw e;
  }
}

export function marginView(input: MarginViewInput): MarginView {
  checkObject('marginView', input, '{ positionId, position, sharedState, basis, riskParams }');
  const { position, sharedState, riskParams, basis } = input;
  if (typeof input.positionId !== 'bigint' || input.positionId < 0n || input.positionId >= 1n << 64n)
    throw new ExitInputError('positionId', input.positionId, '0 <= positionId < 2^64');
  const bps = checkAdverseMoveBps(input.adverseMoveBps ?? DEFAULT_ADVERSE_MOVE_BPS);
  const report = positionRiskReport(position, sharedState, riskParams);
  const prices = new Map(sharedState.oraclePrices.map((p) => [p.assetId, p.price]));
  const liq = new Map(
    liquidationPrices(report.funded, sharedState.oraclePrices, riskParams).map((l) => [l.assetId, l.price]),
  );
  const { totalValue, totalRisk } = report.status;
  const escape = escapeAmount(position, sharedState);
  return {
    positionId: input.positionId,
    starkKey: position.starkKey,
    basis: { ...basis, systemTime: sharedState.systemTime },
    collateral: report.funded.collateral,
    synthetics: report.funded.assets.map((a) => ({
      assetId: a.assetId,
      balance: a.balance,
      price: prices.get(a.assetId)!,
      valueRep: prices.get(a.assetId)! * a.balance,
      liquidationPrice: liq.get(a.assetId) ?? null,
      ...shownLine(a.assetId, a.balance, prices.get(a.assetId)!, liq.get(a.assetId) ?? null),
    })),
    fundingOwedRep: fundingOwedRep(position, sharedState.fundingIndices),
    totalValueRep: totalValue,
    totalRiskRep: totalRisk,
    // TV_rep is .32 and TR_rep .64: TV/TR = TV_rep·2^32 / TR_rep.
    marginRatio: totalRisk === 0n ? null : ratio(totalValue << 32n, totalRisk),
    wellLeveraged: report.wellLeveraged,
    liquidatable: report.liquidatable,
    maxForcedWithdrawal: report.maxForcedWithdrawal,
    safeForcedWithdrawal: {
      amount: safeForcedWithdrawalAmount(position, sharedState, riskParams, bps),
      adverseMoveBps: bps,
    },
    escapeAmount: escape,
    escapePayable: escape > 0n,
  };
}

/** A synthetic line in a trader's units (see `SyntheticLine.shown`); collateral is USDC, 6 decimals. */
function shownLine(
  assetId: bigint,
  balance: bigint,
  price: bigint,
  liquidationPrice: bigint | null,
): Pick<SyntheticLine, 'shown'> {
  const m = Object.values(dydxMarketTable(1).markets).find((x) => x.syntheticAssetId === assetId);
  if (!m) return {};
  const res = 10n ** BigInt(m.resolution);
  const usd = (p: bigint) => formatRatio(oraclePriceToUsd(p, res, 10n ** BigInt(DYDX_COLLATERAL_RESOLUTION)), 2);
  return {
    shown: {
      market: m.market,
      balance: formatRatio(ratio(balance, res), m.resolution),
      priceUsd: usd(price),
      liquidationPriceUsd: liquidationPrice === null ? null : usd(liquidationPrice),
    },
  };
}
