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

/** An RPC answered `eth_chainId` with another chain than the deployment's: nothing is signed or sent through it. */
export class ChainIdMismatchError extends VigilError {
  override name = 'ChainIdMismatchError';
  readonly url: string;
  readonly answered: number | undefined;
  readonly expected: number;
  constructor(url: string, answered: number | undefined, expected: number, options: VigilErrorOptions = {}) {
    super(
      answered === undefined
        ? `RPC ${url} did not answer eth_chainId; the deployment is on chain ${expected}: nothing was signed`
        : `RPC ${url} answered eth_chainId ${answered}, the deployment is on chain ${expected}: nothing was signed`,
      options,
    );
    this.url = url;
    this.answered = answered;
    this.expected = expected;
  }
}

/** The network asks more than the user's cap (max fee per gas) or the call needs more gas than the gas-limit cap. */
export class FeeCapExceededError extends VigilError {
  override name = 'FeeCapExceededError';
  readonly field: 'maxFeePerGas' | 'gasLimit';
  readonly value: bigint;
  readonly cap: bigint;
  constructor(field: 'maxFeePerGas' | 'gasLimit', value: bigint, cap: bigint, message: string) {
    super(`${message}: nothing was signed`, { details: `${field} ${value} > cap ${cap}` });
    this.field = field;
    this.value = value;
    this.cap = cap;
  }
}

/**
 * The sender cannot pay for the transaction's gas (issue 17 item 4: with 0 ETH the page showed the
 * node's whole error with the calldata). Raised before anything is signed, with the figures.
 */
export class InsufficientEthError extends VigilError {
  override name = 'InsufficientEthError';
  readonly balance: bigint;
  readonly maxCost: bigint | undefined;
  constructor(from: string, balance: bigint, maxCost?: bigint) {
    super(
      maxCost === undefined
        ? `Not enough ETH for gas: ${from} holds 0 ETH. Send ETH to this address first; nothing was signed`
        : `Not enough ETH for gas: ${from} holds ${ethText(balance)} ETH and this transaction can cost up to ${ethText(maxCost)} ETH. Send ETH to this address first; nothing was signed`,
    );
    this.balance = balance;
    this.maxCost = maxCost;
  }
}

/** Wei as ETH, exactly, trailing zeros dropped. */
function ethText(wei: bigint): string {
  const s = wei.toString().padStart(19, '0');
  return `${s.slice(0, -18)}.${s.slice(-18)}`.replace(/\.?0+$/, '');
}

/** A previewed transaction that is no longer what would be sent (another step, nonce or chain): preview again. */
export class PreparedTransactionError extends VigilError {
  override name = 'PreparedTransactionError';
  readonly field: string;
  constructor(field: string, message: string) {
    super(`the previewed transaction is not the one to send: ${field}: ${message}; nothing was signed`);
    this.field = field;
  }
}

/** No RPC accepted a signed transaction (the stored bytes stay; the flow re-sends them, never new ones). */
export class L1BroadcastError extends VigilError {
  override name = 'L1BroadcastError';
  readonly hash: string;
  constructor(hash: string, message: string, options: VigilErrorOptions = {}) {
    super(`broadcast of ${hash}: ${message}`, options);
    this.hash = hash;
  }
}
