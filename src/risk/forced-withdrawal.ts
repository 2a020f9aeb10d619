import { TypeCheckError } from '../errors.js';
import type { Position } from '../state/position.js';
import { NoValidForcedWithdrawalError, RiskInputError } from './errors.js';
import {
  AMOUNT_UPPER_BOUND,
  BALANCE_UPPER_BOUND,
  FXP_32_ONE,
  checkMarketState,
  floorDiv,
  priceTable,
} from './fixed-point.js';
import { applyFunding } from './funding.js';
import type { PerpetualReturnCode } from './return-code.js';
import { riskTable, type RiskParams } from './risk-config.js';
import { positionStatusWith } from './status.js';
import { updatePosition, type MarketState } from './update-position.js';

/*
 * How the program judges a forced withdrawal (signing-risk.md B2.1,
 * `transactions/forced_withdrawal.cairo`): `update_position` with the request's key and
 * `collateral_delta = −amount`, at the prices and funding indices in effect when the operator serves
 * it. `SUCCESS` means the operator must mark it valid.
 */

/** The program's return code for a forced withdrawal of `amount` by `requestStarkKey`. */
export function forcedWithdrawalVerdict(
  position: Position,
  requestStarkKey: bigint,
  amount: bigint,
  state: MarketState,
  riskParams: RiskParams,
): PerpetualReturnCode {
  if (typeof amount !== 'bigint') throw new TypeCheckError('amount', amount, 'bigint');
  if (amount < 0n || amount >= AMOUNT_UPPER_BOUND) throw new RiskInputError('amount', amount, '0 <= amount < 2^64');
  return updatePosition(position, { requestPublicKey: requestStarkKey, collateralDelta: -amount }, state, riskParams)
    .returnCode;
}

/**
 * The largest amount whose forced withdrawal the program accepts at `state`:
 * `A_max = max(0, floor((TV_rep·2^32 − TR_rep) / 2^64))` on the funded position — floor(TV − TR) in
 * collateral quanta, 0 for a position that is not well-leveraged — capped by `collateral + 2^63`
 * (the balance bound) and `2^64 − 1`. `A_max` itself is checked against the program's rule, so the
 * result is exact: `A_max` succeeds and `A_max + 1` does not.
 *
 * `requestStarkKey` defaults to the position's key. Throws `NoValidForcedWithdrawalError` when not
 * even 0 would succeed (key mismatch, total value or risk out of range).
 */
export function maxForcedWithdrawal(
  position: Position,
  state: MarketState,
  riskParams: RiskParams,
  requestStarkKey = position.starkKey,
): bigint {
  checkMarketState(state);
  const funded = applyFunding(position, state.fundingIndices);
  const s = positionStatusWith(funded, priceTable(state.oraclePrices), riskTable(riskParams));
  let amount = floorDiv(s.totalValue * FXP_32_ONE - s.totalRisk, FXP_32_ONE * FXP_32_ONE);
  if (amount < 0n) amount = 0n;
  const balanceCap = funded.collateral + BALANCE_UPPER_BOUND;
  if (amount > balanceCap) amount = balanceCap;
  if (amount > AMOUNT_UPPER_BOUND - 1n) amount = AMOUNT_UPPER_BOUND - 1n;
  const verdict = forcedWithdrawalVerdict(position, requestStarkKey, amount, state, riskParams);
  if (verdict !== 'SUCCESS') throw new NoValidForcedWithdrawalError(verdict);
  return amount;
}
