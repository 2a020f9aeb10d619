import type { Position } from '../state/position.js';
import { NoValidForcedWithdrawalError } from './errors.js';
import { escapeAmount } from './escape.js';
import { checkMarketState, priceTable } from './fixed-point.js';
import { maxForcedWithdrawal } from './forced-withdrawal.js';
import { applyFunding } from './funding.js';
import { riskTable, type RiskParams } from './risk-config.js';
import { positionStatusWith, wellLeveraged, type PositionStatus } from './status.js';
import type { MarketState } from './update-position.js';

/** Everything the dashboard shows for one position at one verified state (signing-risk.md B1–B2). */
export type PositionRiskReport = {
  /** The position with funding applied at the state's global indices (B1.3). */
  funded: Position;
  /** TV_rep (.32) and TR_rep (.64) of the funded position, with the program's range verdict. */
  status: PositionStatus;
  wellLeveraged: boolean;
  /** Not well-leveraged (B1.5). */
  liquidatable: boolean;
  /** TV < 0 (B1.6). */
  deleveragable: boolean;
  /** Largest valid forced withdrawal at exactly these prices, or null if none is (B2.1). */
  maxForcedWithdrawal: bigint | null;
  /** What the escape verifier would pay against this state (B2.2); only > 0 is payable. */
  escapeAmount: bigint;
};

export function positionRiskReport(position: Position, state: MarketState, riskParams: RiskParams): PositionRiskReport {
  checkMarketState(state);
  const funded = applyFunding(position, state.fundingIndices);
  const status = positionStatusWith(funded, priceTable(state.oraclePrices), riskTable(riskParams));
  const healthy = wellLeveraged(status.totalValue, status.totalRisk);
  let max: bigint | null;
  try {
    max = maxForcedWithdrawal(position, state, riskParams);
  } catch (e) {
    if (!(e instanceof NoValidForcedWithdrawalError)) throw e;
    max = null;
  }
  return {
    funded,
    status,
    wellLeveraged: healthy,
    liquidatable: !healthy,
    deleveragable: status.totalValue < 0n,
    maxForcedWithdrawal: max,
    escapeAmount: escapeAmount(position, state),
  };
}
