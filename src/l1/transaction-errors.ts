import { RangeCheckError, VigilError, type VigilErrorOptions } from '../errors.js';

/** A transaction argument the contract would refuse (l1-data-tree.md §1.3, §1.5 bounds). */
export class L1TransactionInputError extends RangeCheckError {
  override name = 'L1TransactionInputError';
}

/**
 * The node refused a transaction before it was sent (gas estimation or simulation reverted).
 * `reason` is the contract's revert string when there is one (e.g. `ESCAPE_ALREADY_USED`,
 * `FORCED_ACTION_PENDING`), so callers branch on it rather than on message text.
 */
export class L1TransactionRevertedError extends VigilError {
  override name = 'L1TransactionRevertedError';
  readonly functionName: string;
  readonly reason: string | undefined;
  constructor(functionName: string, reason: string | undefined, options: VigilErrorOptions = {}) {
    super(`${functionName} would revert${reason ? `: ${reason}` : ''}`, options);
    this.functionName = functionName;
    this.reason = reason;
  }
}
