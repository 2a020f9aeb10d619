import { checkObject } from '../checks.js';
import { TypeCheckError } from '../errors.js';
import { forcedWithdrawalVerdict } from '../risk/forced-withdrawal.js';
import type { RiskParams } from '../risk/risk-config.js';
import type { SharedState } from '../starkex/shared-state.js';
import type { Position } from '../state/position.js';
import { ExitInputError, ForcedWithdrawalRefusedError } from './errors.js';
import {
  DEFAULT_ADVERSE_MOVE_BPS,
  checkAdverseMoveBps,
  safeForcedWithdrawalAmount,
  type MarginBasis,
} from './margin-view.js';

/*
 * Planning a forced withdrawal (issue 10 "Forced withdrawal"; signing-risk.md B2.1,
 * l1-data-tree.md §5.2). The operator may serve the request at any price inside a batch's signed
 * range and after more funding, so Vigil sends only an amount that is valid now *and* after an
 * adverse move of the configured margin; anything else is refused before a transaction exists.
 * Amount 0 is always allowed for the owner: it is the cleanest liveness trigger (B2.1).
 */

export type ForcedWithdrawalPlanInput = {
  starkKey: bigint;
  positionId: bigint;
  /** The position as stored in the verified tree. */
  position: Position;
  sharedState: SharedState;
  basis: MarginBasis;
  riskParams: RiskParams;
  /** Quantized collateral amount. */
  amount: bigint;
  /** Pay ~1M gas to bypass the per-block request cap (§1.5). */
  premiumCost?: boolean;
  adverseMoveBps?: bigint;
  /** From the chain: a frozen exchange takes no forced requests (§5.4). */
  frozen?: boolean;
};

export type ForcedWithdrawalPlan = {
  request: { starkKey: bigint; positionId: bigint; quantizedAmount: bigint; premiumCost: boolean };
  basis: MarginBasis;
  /** The largest amount that passes the same check, for the UI. */
  safeMaximum: bigint | null;
  adverseMoveBps: bigint;
};

const U64 = 1n << 64n;

function checkUint64(field: string, v: unknown): bigint {
  if (typeof v !== 'bigint') throw new TypeCheckError(field, v, 'bigint');
  if (v < 0n || v >= U64) throw new ExitInputError(field, v, `0 <= ${field} < 2^64`);
  return v;
}

/** Checks a forced withdrawal and returns what to send, or throws `ForcedWithdrawalRefusedError` saying why not. */
export function planForcedWithdrawal(input: ForcedWithdrawalPlanInput): ForcedWithdrawalPlan {
  checkObject('planForcedWithdrawal', input);
  const amount = checkUint64('amount', input.amount);
  const positionId = checkUint64('positionId', input.positionId);
  const bps = checkAdverseMoveBps(input.adverseMoveBps ?? DEFAULT_ADVERSE_MOVE_BPS);
  const { position, sharedState, riskParams, starkKey } = input;
  const request = { starkKey, positionId, quantizedAmount: amount, premiumCost: input.premiumCost === true };
  const safe =
    position.starkKey === starkKey ? safeForcedWithdrawalAmount(position, sharedState, riskParams, bps) : null;

  if (input.frozen)
    throw new ForcedWithdrawalRefusedError(
      'exchange-frozen',
      amount,
      null,
      'the exchange is frozen; forced requests revert, use the escape',
    );
  if (position.starkKey !== starkKey) {
    throw new ForcedWithdrawalRefusedError(
      'not-position-owner',
      amount,
      null,
      `position ${positionId} belongs to stark key 0x${position.starkKey.toString(16)}, not 0x${starkKey.toString(16)}`,
      {
        returnCode: 'INVALID_PUBLIC_KEY',
      },
    );
  }
  const verdict = forcedWithdrawalVerdict(position, starkKey, amount, sharedState, riskParams);
  if (verdict !== 'SUCCESS') {
    throw new ForcedWithdrawalRefusedError(
      'invalid-now',
      amount,
      safe,
      `the operator would have to mark it invalid at the prices of batch ${input.basis.batchId} (${verdict})${safe === null ? '' : `; at most ${safe} is safe`}`,
      { returnCode: verdict },
    );
  }
  if (amount > 0n && (safe === null || amount > safe)) {
    throw new ForcedWithdrawalRefusedError(
      'unsafe-under-adverse-prices',
      amount,
      safe,
      `valid now, but not after a ${Number(bps) / 100}% adverse price move before it is served; at most ${safe ?? 0n} is safe`,
    );
  }
  return { request, basis: input.basis, safeMaximum: safe, adverseMoveBps: bps };
}
