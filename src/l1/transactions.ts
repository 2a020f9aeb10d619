import { checkArray, checkObject } from '../checks.js';
import { TypeCheckError, RangeCheckError } from '../errors.js';
import {
  BaseError,
  ContractFunctionRevertedError,
  encodeFunctionData,
  type Abi,
  type Address,
  type Hex,
  type PublicClient,
} from 'viem';
import { FIELD_PRIME } from '../crypto/field.js';
import type { ForcedTradeRequest } from '../messages/forced-trade.js';
import { perpetualEscapeVerifierAbi, starkPerpetualAbi } from './abi.js';
import type { StarkExDeployment } from './deployment.js';
import { L1TransactionInputError, L1TransactionRevertedError } from './transaction-errors.js';

/*
 * Typed builders for the exit transactions (l1-data-tree.md §1.3, §5.2–5.5): each returns the
 * target, calldata and the decoded call, so a UI can show what is sent and a sender can send it with
 * any Ethereum key. Arguments are range-checked against the contract's own bounds (§1.5) so an
 * obviously doomed transaction is refused before gas is spent.
 */

export type ExitFunctionName =
  | 'forcedWithdrawalRequest'
  | 'forcedTradeRequest'
  | 'freezeRequest'
  | 'verifyEscape'
  | 'escape'
  | 'withdraw';

/** One L1 call: where, what, and the decoded form (for previews and gas estimation). */
export type L1Transaction = {
  to: Address;
  data: Hex;
  value: 0n;
  functionName: ExitFunctionName;
  abi: Abi;
  args: readonly unknown[];
};

const U64 = 1n << 64n;
const U256 = 1n << 256n;

function bounded(field: string, v: unknown, bound: bigint, range: string): bigint {
  if (typeof v !== 'bigint') throw new TypeCheckError(field, v, 'bigint');
  if (v < 0n || v >= bound) throw new L1TransactionInputError(field, v, range);
  return v;
}
const starkKeyArg = (f: string, v: unknown) => bounded(f, v, FIELD_PRIME, `0 <= ${f} < P`);
const positionIdArg = (f: string, v: unknown) => bounded(f, v, U64, `0 <= ${f} < 2^64`);
const amountArg = (f: string, v: unknown) => bounded(f, v, U64, `0 <= ${f} < 2^64`);
const assetArg = (f: string, v: unknown) => bounded(f, v, FIELD_PRIME, `0 <= ${f} < P`);
const boolArg = (f: string, v: unknown): boolean => {
  if (typeof v !== 'boolean') throw new TypeCheckError(f, v, 'boolean');
  return v;
};

function tx(to: Address, abi: Abi, functionName: ExitFunctionName, args: readonly unknown[]): L1Transaction {
  const data = encodeFunctionData({ abi, functionName, args } as never);
  return { to, data, value: 0n, functionName, abi, args };
}

/** `forcedWithdrawalRequest(starkKey, positionId, quantizedAmount, premiumCost)` (§5.2); sent by `ethKeys[starkKey]`. */
export function forcedWithdrawalRequestTx(
  d: StarkExDeployment,
  p: { starkKey: bigint; positionId: bigint; quantizedAmount: bigint; premiumCost?: boolean },
): L1Transaction {
  const args = [
    starkKeyArg('starkKey', p.starkKey),
    positionIdArg('positionId', p.positionId),
    amountArg('quantizedAmount', p.quantizedAmount),
    boolArg('premiumCost', p.premiumCost ?? false),
  ];
  return tx(d.starkPerpetual, starkPerpetualAbi, 'forcedWithdrawalRequest', args);
}

/** The ten trade fields of `LogForcedTradeRequest` / `freezeRequest` / `getForcedTradeRequest`, checked. */
export function forcedTradeFields(
  t: ForcedTradeRequest,
): readonly [bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint, boolean, bigint] {
  checkObject('trade', t, 'a forced-trade request');
  const posA = positionIdArg('positionIdA', t.positionIdA);
  const posB = positionIdArg('positionIdB', t.positionIdB);
  if (posA === posB)
    throw new L1TransactionInputError('positionIdB', posB, 'a position id different from positionIdA (§5.3)');
  return [
    starkKeyArg('starkKeyA', t.starkKeyA),
    starkKeyArg('starkKeyB', t.starkKeyB),
    posA,
    posB,
    assetArg('collateralAssetId', t.collateralAssetId),
    assetArg('syntheticAssetId', t.syntheticAssetId),
    amountArg('amountCollateral', t.amountCollateral),
    amountArg('amountSynthetic', t.amountSynthetic),
    boolArg('aIsBuyingSynthetic', t.aIsBuyingSynthetic),
    bounded('nonce', t.nonce, FIELD_PRIME, '0 <= nonce < P'),
  ];
}

/** `forcedTradeRequest(...)` (§5.3): party A submits party B's 65-byte Ethereum signature. */
export function forcedTradeRequestTx(
  d: StarkExDeployment,
  trade: ForcedTradeRequest,
  signature: Hex,
  premiumCost = false,
): L1Transaction {
  const f = forcedTradeFields(trade);
  if (typeof signature !== 'string' || !/^0x[0-9a-fA-F]{130}$/.test(signature)) {
    throw new L1TransactionInputError('signature', signature, '65 bytes r ‖ s ‖ v as 0x-hex (§5.3)');
  }
  const expiration = bounded(
    'submissionExpirationTime',
    trade.submissionExpirationTime,
    1n << 32n,
    '0 <= submissionExpirationTime < 2^32 (hours)',
  );
  const args = [...f.slice(0, 9), expiration, f[9], signature, boolArg('premiumCost', premiumCost)];
  return tx(d.starkPerpetual, starkPerpetualAbi, 'forcedTradeRequest', args);
}

/** The request a freeze is based on: an overdue forced withdrawal or forced trade (§5.4). */
export type FreezeBasis =
  | { kind: 'withdrawal'; starkKey: bigint; positionId: bigint; quantizedAmount: bigint }
  | { kind: 'trade'; trade: ForcedTradeRequest };

/** Both `freezeRequest` overloads (§5.4): 3 arguments for a withdrawal, 10 for a trade. Anyone may send it. */
export function freezeRequestTx(d: StarkExDeployment, basis: FreezeBasis): L1Transaction {
  if (basis?.kind === 'withdrawal') {
    const args = [
      starkKeyArg('starkKey', basis.starkKey),
      positionIdArg('positionId', basis.positionId),
      amountArg('quantizedAmount', basis.quantizedAmount),
    ];
    return tx(d.starkPerpetual, starkPerpetualAbi, 'freezeRequest', args);
  }
  if (basis?.kind === 'trade')
    return tx(d.starkPerpetual, starkPerpetualAbi, 'freezeRequest', forcedTradeFields(basis.trade));
  throw new RangeCheckError('freeze basis', basis, "{ kind: 'withdrawal' | 'trade' }");
}

function wordsArg(field: string, words: readonly bigint[]): bigint[] {
  checkArray(field, words, 'an array of uint256 words');
  return words.map((w, i) => bounded(`${field}[${i}]`, w, U256, `0 <= ${field}[${i}] < 2^256`));
}

/** `verifyEscape(merkleProof, nAssets, sharedState)` on the escape verifier (§4.6, §5.5 step 4). */
export function verifyEscapeTx(
  d: StarkExDeployment,
  p: { merkleProof: readonly bigint[]; nAssets: number; sharedState: readonly bigint[] },
): L1Transaction {
  const proof = wordsArg('merkleProof', p.merkleProof);
  // PedersenMerkleVerifier: 4 <= length <= 402, even (§4.6).
  if (proof.length < 4 || proof.length > 402 || proof.length % 2 !== 0)
    throw new L1TransactionInputError('merkleProof.length', proof.length, 'an even number of words in [4, 402]');
  if (!Number.isSafeInteger(p.nAssets) || p.nAssets < 0 || p.nAssets > 64)
    throw new L1TransactionInputError('nAssets', p.nAssets, '0 <= nAssets <= 64');
  return tx(d.perpetualEscapeVerifier, perpetualEscapeVerifierAbi, 'verifyEscape', [
    proof,
    BigInt(p.nAssets),
    wordsArg('sharedState', p.sharedState),
  ]);
}

/** `escape(starkKey, positionId, quantizedAmount)` on StarkPerpetual (§5.5 step 5); frozen only, once per position. */
export function escapeTx(
  d: StarkExDeployment,
  p: { starkKey: bigint; positionId: bigint; quantizedAmount: bigint },
): L1Transaction {
  const args = [
    starkKeyArg('starkKey', p.starkKey),
    positionIdArg('positionId', p.positionId),
    bounded('quantizedAmount', p.quantizedAmount, U256, '0 <= quantizedAmount < 2^256'),
  ];
  return tx(d.starkPerpetual, starkPerpetualAbi, 'escape', args);
}

/** `withdraw(starkKey, assetType)` (§5.2 step 3, §5.5 step 6): pays `ethKeys[starkKey]`; anyone may send it. */
export function withdrawTx(d: StarkExDeployment, p: { starkKey: bigint; assetType?: bigint }): L1Transaction {
  return tx(d.starkPerpetual, starkPerpetualAbi, 'withdraw', [
    starkKeyArg('starkKey', p.starkKey),
    assetArg('assetType', p.assetType ?? d.collateral.assetType),
  ]);
}

/** The contract's revert string inside a viem error (or undefined if it is not a revert). */
export function revertReasonOf(err: unknown): string | undefined {
  if (!(err instanceof BaseError)) return undefined;
  const reverted = err.walk((e) => e instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError | null;
  if (!reverted) return undefined;
  if (reverted.reason !== undefined) return reverted.reason;
  if (reverted.data?.errorName === 'Panic') return `Panic(${String(reverted.data.args?.[0])})`;
  return reverted.shortMessage;
}

export type GasEstimate = {
  /** `eth_estimateGas` for this sender. */
  gas: bigint;
  /** What to send as the gas limit: the estimate plus 20 % (estimates are tight for loops like the premium cost). */
  gasLimit: bigint;
};

/**
 * Estimates gas for `t` sent from `from` (shown to the user before sending). A call the contract
 * would revert throws `L1TransactionRevertedError` with the revert reason.
 */
export async function estimateL1TransactionGas(
  client: Pick<PublicClient, 'estimateContractGas'>,
  from: Address,
  t: L1Transaction,
): Promise<GasEstimate> {
  try {
    const gas = await client.estimateContractGas({
      address: t.to,
      abi: t.abi,
      functionName: t.functionName,
      args: t.args,
      account: from,
    } as never);
    return { gas, gasLimit: (gas * 12n) / 10n };
  } catch (err) {
    throw new L1TransactionRevertedError(t.functionName, revertReasonOf(err), { cause: err });
  }
}
