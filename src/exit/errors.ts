import { RangeCheckError, VigilError, type VigilErrorOptions } from '../errors.js';

/*
 * Errors of the exit flow (issue 10; l1-data-tree.md §5, signing-risk.md B2). Each class has a
 * fixed name and, where the caller must branch, a machine-readable `reason`.
 */

/** Why Vigil refuses to send a forced withdrawal (signing-risk.md B2.1). */
export type ForcedWithdrawalRefusal =
  /** The exchange is frozen: forced requests revert (`STATE_IS_FROZEN`); escape instead (§5.4). */
  | 'exchange-frozen'
  /** The request key is not the position's owner: the program returns INVALID_PUBLIC_KEY. */
  | 'not-position-owner'
  /** Invalid at the verified prices right now: the program's return code says why. */
  | 'invalid-now'
  /** Valid now, but not if prices move against the position by the safety margin before it is served. */
  | 'unsafe-under-adverse-prices';

/**
 * A forced withdrawal Vigil will not send, and why. `maximum` is the largest amount that would
 * pass the same check (null if none but 0 does), so the UI can offer it.
 */
export class ForcedWithdrawalRefusedError extends VigilError {
  override name = 'ForcedWithdrawalRefusedError';
  readonly reason: ForcedWithdrawalRefusal;
  readonly amount: bigint;
  readonly maximum: bigint | null;
  readonly returnCode: string | undefined;
  constructor(
    reason: ForcedWithdrawalRefusal,
    amount: bigint,
    maximum: bigint | null,
    message: string,
    opts: { returnCode?: string } & VigilErrorOptions = {},
  ) {
    super(`forced withdrawal of ${amount}: ${message}`, opts);
    this.reason = reason;
    this.amount = amount;
    this.maximum = maximum;
    this.returnCode = opts.returnCode;
  }
}

/** An exit-flow input out of range (amount, position id, margin in basis points). */
export class ExitInputError extends RangeCheckError {
  override name = 'ExitInputError';
}

/** A forced-trade offer string or file that does not decode, fails its checksum or its signature. */
export class ForcedTradeOfferError extends VigilError {
  override name = 'ForcedTradeOfferError';
  readonly field: string;
  constructor(field: string, message: string, options: VigilErrorOptions = {}) {
    super(`forced-trade offer: ${field}: ${message}`, options);
    this.field = field;
  }
}

/** An event that does not apply to the flow's current step (e.g. `escape` before `verifyEscape`). */
export class ExitFlowStateError extends VigilError {
  override name = 'ExitFlowStateError';
  readonly step: string;
  readonly event: string;
  constructor(step: string, event: string, message: string) {
    super(`exit flow at step "${step}": cannot apply "${event}": ${message}`);
    this.step = step;
    this.event = event;
  }
}

/** Persisted flow data that does not parse (corrupt storage, or another format version). */
export class ExitFlowFormatError extends VigilError {
  override name = 'ExitFlowFormatError';
}

/**
 * The escape cannot be built: the shared state does not hash to the chain's `sharedStateHash`, the
 * last state update was not found, the proof (from the verified tree, an escape file or pasted
 * calldata) does not verify or is for another exchange, key or state, the position has escaped
 * already, or the amount is not positive (§4.7, §5.5; issue 16).
 */
export class EscapeNotPossibleError extends VigilError {
  override name = 'EscapeNotPossibleError';
  readonly reason:
    | 'shared-state-mismatch'
    | 'final-state-not-found'
    | 'proof-invalid'
    | 'proof-for-another'
    | 'amount-not-positive'
    | 'escape-already-used'
    | 'escape-verifier-mismatch';
  constructor(reason: EscapeNotPossibleError['reason'], message: string, options: VigilErrorOptions = {}) {
    super(message, options);
    this.reason = reason;
  }
}
