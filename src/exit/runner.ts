import { parseEventLogs, type Hex } from 'viem';
import { perpetualEscapeVerifierAbi } from '../l1/abi.js';
import type { StarkExDeployment } from '../l1/deployment.js';
import type { ExitChainReader } from '../l1/exit-reader.js';
import { L1TransactionRevertedError } from '../l1/transaction-errors.js';
import type { PreparedL1Transaction } from '../l1/exit-rpc.js';
import {
  escapeTx,
  forcedTradeRequestTx,
  forcedWithdrawalRequestTx,
  freezeRequestTx,
  verifyEscapeTx,
  withdrawTx,
  type L1Transaction,
} from '../l1/transactions.js';
import type { ForcedAction } from '../starkex/forced-actions.js';
import { sharedStateHash } from '../starkex/shared-state.js';
import { verifyEscapeProof } from '../tree/escape-verifier.js';
import { EscapeNotPossibleError, ExitFlowStateError } from './errors.js';
import { applyExitEvent, nextExitAction, STEP_TX, type ExitAction, type ExitEvent, type ExitFlow } from './flow.js';
import type { MarginBasis } from './margin-view.js';

/*
 * Drives an exit flow against L1 (l1-data-tree.md §5): observes the chain, turns what it sees into
 * flow events, and sends the step's transaction when asked. Everything chain- or key-specific is
 * injected, so the same code runs in Node tests against anvil and in the extension's service worker.
 */

export type EscapeSource = () => Promise<{
  merkleProof: bigint[];
  nAssets: number;
  sharedState: bigint[];
  basis?: MarginBasis;
}>;

/** Prepares and signs with the user's Ethereum key (in Vigil: `ExitTxSender`, src/l1/exit-rpc.ts). */
export interface ExitTransactionSigner {
  /** The request to preview and sign (chain asserted, reads cross-checked, fee cap applied). */
  prepare(tx: L1Transaction): Promise<PreparedL1Transaction>;
  /** Re-checks a previewed request against the flow's transaction and the chain now; returns it unchanged. */
  confirm(prepared: PreparedL1Transaction, tx: L1Transaction): Promise<PreparedL1Transaction>;
  /** Signs exactly `prepared`; the hash is of the signed bytes. */
  sign(prepared: PreparedL1Transaction): Promise<{ raw: Hex; hash: Hex }>;
}

export type ExitRunnerDeps = {
  deployment: StarkExDeployment;
  chain: ExitChainReader;
  /** Absent when only observing (Vigil locked): a stored signed transaction is still re-sent. */
  signer?: ExitTransactionSigner;
  /** Sends signed bytes (idempotent: "already known" and "mined" are success). Needs no key. */
  broadcast: (raw: Hex, hash: Hex) => Promise<void>;
  /** Persists the flow (called after every change; a signed transaction is saved before it is broadcast). */
  save: (flow: ExitFlow) => Promise<void>;
  /** The escape proof from the verified tree or a verified snapshot, with the shared-state words it is against. */
  escapeSource?: EscapeSource;
  /** Milliseconds (history timestamps). */
  now?: () => number;
};

/** The transaction of the flow's current step (for a preview with gas before sending). */
export function exitTransaction(flow: ExitFlow, d: StarkExDeployment): L1Transaction {
  const { starkKey, positionId } = flow;
  switch (flow.step) {
    case 'request': {
      const r = flow.request;
      if (!r) throw new ExitFlowStateError(flow.step, 'send', 'no forced request in this flow');
      if (r.kind === 'withdrawal')
        return forcedWithdrawalRequestTx(d, {
          starkKey,
          positionId,
          quantizedAmount: r.quantizedAmount,
          premiumCost: r.premiumCost,
        });
      return forcedTradeRequestTx(d, r.trade, r.signature, r.premiumCost);
    }
    case 'freeze': {
      const r = flow.request!;
      return freezeRequestTx(
        d,
        r.kind === 'withdrawal'
          ? { kind: 'withdrawal', starkKey, positionId, quantizedAmount: r.quantizedAmount }
          : { kind: 'trade', trade: r.trade },
      );
    }
    case 'verify-escape': {
      const e = flow.escape;
      if (!e) throw new ExitFlowStateError(flow.step, 'send', 'the escape proof is not built yet');
      return verifyEscapeTx(d, { merkleProof: e.merkleProof, nAssets: e.nAssets, sharedState: e.sharedState });
    }
    case 'escape': {
      const amount = flow.escape?.verifiedAmount;
      if (amount === undefined) throw new ExitFlowStateError(flow.step, 'send', 'LogEscapeVerified not seen yet');
      return escapeTx(d, { starkKey, positionId, quantizedAmount: amount });
    }
    case 'withdraw':
      return withdrawTx(d, { starkKey });
    default:
      throw new ExitFlowStateError(flow.step, 'send', 'no transaction at this step');
  }
}

function forcedAction(flow: ExitFlow): ForcedAction {
  const r = flow.request!;
  if (r.kind === 'withdrawal')
    return {
      type: 'withdrawal',
      starkKey: flow.starkKey,
      positionId: flow.positionId,
      quantizedAmount: r.quantizedAmount,
    };
  const t = r.trade;
  return {
    type: 'trade',
    starkKeyA: t.starkKeyA,
    starkKeyB: t.starkKeyB,
    positionIdA: t.positionIdA,
    positionIdB: t.positionIdB,
    syntheticAssetId: t.syntheticAssetId,
    amountCollateral: t.amountCollateral,
    amountSynthetic: t.amountSynthetic,
    aIsBuyingSynthetic: t.aIsBuyingSynthetic,
    nonce: t.nonce,
  };
}

/** Checks the escape built from verified data against the chain and the flow (§4.7, §5.5 steps 1–3). */
export async function prepareEscape(flow: ExitFlow, source: EscapeSource, chain: ExitChainReader): Promise<ExitEvent> {
  const { merkleProof, nAssets, sharedState, basis } = await source();
  const hash = sharedStateHash(sharedState);
  const onChain = await chain.sharedStateHash();
  if (hash.toLowerCase() !== onChain.toLowerCase()) {
    throw new EscapeNotPossibleError(
      'shared-state-mismatch',
      `the verified shared state hashes to ${hash}, the exchange holds ${onChain}: sync to the last batch first`,
    );
  }
  let v;
  try {
    v = verifyEscapeProof(merkleProof, nAssets, sharedState, { canonical: true });
  } catch (err) {
    // B2.2: a position whose value is <= 0 at the frozen prices gets nothing; that is not a bad proof.
    const reason =
      (err as { reason?: unknown }).reason === 'Withdrawal amount must be positive.'
        ? 'amount-not-positive'
        : 'proof-invalid';
    throw new EscapeNotPossibleError(reason, `the escape cannot be verified: ${(err as Error).message}`, {
      cause: err,
    });
  }
  if (v.positionId !== flow.positionId || v.starkKey !== flow.starkKey) {
    throw new EscapeNotPossibleError(
      'proof-invalid',
      `the proof is for position ${v.positionId} of key 0x${v.starkKey.toString(16)}, not this flow's`,
    );
  }
  const escape = {
    merkleProof: [...merkleProof],
    nAssets,
    sharedState: [...sharedState],
    sharedStateHash: hash,
    expectedAmount: v.amount,
    ...(basis ? { basis } : {}),
  };
  return { type: 'escape-prepared', escape };
}

/** Reads the chain once and applies everything it shows; saves when the flow changed. */
export async function observeExitFlow(flow: ExitFlow, deps: ExitRunnerDeps): Promise<ExitFlow> {
  const now = deps.now ?? (() => Date.now());
  const { chain } = deps;
  let f = flow;
  const apply = (e: ExitEvent) => (f = applyExitEvent(f, e, now()));

  if ((f.step === 'request' || f.step === 'tracking' || f.step === 'freeze') && (await chain.isFrozen())) {
    // A freeze by anyone ends forced-request tracking (§5.4); unless our own freeze is what froze it.
    if (f.step === 'freeze' && f.txs.freeze?.status === 'pending') {
      /* the receipt below moves the flow on */
    } else apply({ type: 'frozen' });
  }

  const kind = STEP_TX[f.step];
  const pending = kind ? f.txs[kind] : undefined;
  if (kind && pending?.status === 'pending') {
    let r = await chain.receipt(pending.hash);
    if (
      !r &&
      pending.from !== undefined &&
      pending.nonce !== undefined &&
      (await chain.nonce(pending.from)) > pending.nonce
    ) {
      // The sender's nonce moved past ours: ours is mined (read the receipt again: it may have just
      // been, and a loaded node can count the nonce before it serves the receipt) or never will be.
      // Only a transaction the node does not know at all was replaced; a known one is waited for.
      r = await chain.receipt(pending.hash);
      if (!r && !(await chain.transactionKnown(pending.hash)))
        apply({ type: 'tx-replaced', tx: kind, hash: pending.hash });
    }
    if (!r && pending.raw && pending.broadcastAt === undefined && f.txs[kind]?.status === 'pending') {
      // Signed and saved, but not known to be broadcast (the worker died around the send): re-send the same bytes.
      await deps.broadcast(pending.raw, pending.hash);
      apply({ type: 'tx-broadcast', tx: kind, hash: pending.hash });
    }
    if (r) {
      apply({
        type: 'tx-mined',
        tx: kind,
        hash: pending.hash,
        status: r.status,
        blockNumber: r.blockNumber,
        timestamp: r.timestamp,
      });
      if (kind === 'verify-escape' && r.status === 'success') {
        const logs = parseEventLogs({
          abi: perpetualEscapeVerifierAbi,
          logs: r.logs as never,
          eventName: 'LogEscapeVerified',
        });
        const mine = logs.find(
          (l) =>
            l.args.positionId === f.positionId &&
            l.args.sharedStateHash.toLowerCase() === f.escape?.sharedStateHash.toLowerCase(),
        );
        if (mine) apply({ type: 'escape-verified', amount: mine.args.withdrawalAmount, txHash: pending.hash });
      }
    }
  }

  if (f.step === 'tracking' || (f.step === 'freeze' && f.txs.freeze?.status !== 'pending')) {
    if (f.gracePeriod === undefined) apply({ type: 'grace-period', seconds: await chain.freezeGracePeriod() });
    const served = await chain.forcedActionService(
      forcedAction(f),
      f.txs['forced-request']?.blockNumber ?? deps.deployment.firstBlock,
    );
    if (served) apply({ type: 'served', txHash: served.txHash, batchId: served.batchId, valid: served.valid });
    else apply({ type: 'tick', chainTime: (await chain.head()).timestamp });
  }

  if (f.step === 'verify-escape' || (f.step === 'escape' && !f.txs.escape)) {
    if (!f.txs.escape && (await chain.escapeUsed(f.positionId)))
      apply({ type: 'escape-already-used', pendingWithdrawal: await chain.withdrawalBalance(f.starkKey) });
  }
  if (f.step === 'verify-escape' && !f.escape && deps.escapeSource)
    apply(await prepareEscape(f, deps.escapeSource, chain));
  if (f.step === 'verify-escape' && f.escape && f.txs['verify-escape']?.status === 'success') {
    const log = await chain.escapeVerified(
      f.positionId,
      f.escape.sharedStateHash,
      f.txs['verify-escape'].blockNumber ?? 0n,
    );
    if (log) apply({ type: 'escape-verified', amount: log.amount, txHash: log.txHash });
  }
  if (f.step === 'withdraw' && f.withdrawal === undefined && f.txs.withdraw?.status !== 'pending') {
    apply({ type: 'withdrawal-balance', amount: await chain.withdrawalBalance(f.starkKey) });
  }

  if (f !== flow) await deps.save(f);
  return f;
}

/**
 * Sends the current step's transaction: prepares it (or re-checks the previewed `prepared`), signs
 * it, saves the signed bytes, hash and nonce in the flow, and only then broadcasts them, so a
 * restart at any point re-sends the same transaction and never signs a second one.
 */
export async function sendExitStep(
  flow: ExitFlow,
  deps: ExitRunnerDeps,
  opts: { prepared?: PreparedL1Transaction } = {},
): Promise<ExitFlow> {
  const now = deps.now ?? (() => Date.now());
  const action = nextExitAction(flow);
  if (action.kind !== 'send') throw new ExitFlowStateError(flow.step, 'send', `nothing to send now (${action.kind})`);
  if (!deps.signer) throw new ExitFlowStateError(flow.step, 'send', 'no signing key: unlock Vigil to send');
  const tx = exitTransaction(flow, deps.deployment);
  let prepared: PreparedL1Transaction;
  try {
    prepared = opts.prepared ? await deps.signer.confirm(opts.prepared, tx) : await deps.signer.prepare(tx);
  } catch (err) {
    if (err instanceof L1TransactionRevertedError && err.reason === 'ESCAPE_ALREADY_USED') {
      const f = applyExitEvent(
        flow,
        { type: 'escape-already-used', pendingWithdrawal: await deps.chain.withdrawalBalance(flow.starkKey) },
        now(),
      );
      await deps.save(f);
      return f;
    }
    throw err;
  }
  const { raw, hash } = await deps.signer.sign(prepared);
  let f = applyExitEvent(
    flow,
    { type: 'tx-sent', tx: action.tx, hash, raw, from: prepared.from, nonce: prepared.nonce },
    now(),
  );
  await deps.save(f); // persisted before broadcast
  await deps.broadcast(raw, hash);
  f = applyExitEvent(f, { type: 'tx-broadcast', tx: action.tx, hash }, now());
  await deps.save(f);
  return f;
}

export type RunExitOptions = {
  /** Stop before sending this step's transaction (the UI asks the user), or after any action. */
  stopBefore?: (flow: ExitFlow, action: ExitAction) => boolean;
  /** Polling interval while a transaction is pending, ms (default 1000). */
  pollMs?: number;
  maxRounds?: number;
  sleep?: (ms: number) => Promise<void>;
};

// src has no DOM/Node typings; every runtime Vigil runs in has a global setTimeout.
const defaultSleep = (ms: number) =>
  new Promise<void>((r) =>
    (globalThis as unknown as { setTimeout: (f: () => void, ms: number) => unknown }).setTimeout(r, ms),
  );

/**
 * Observes and sends until the flow is done, waits for the operator (tracking: the caller comes
 * back later, e.g. on an alarm), or `stopBefore` says stop. Returns the flow and its next action.
 */
export async function runExitFlow(
  flow: ExitFlow,
  deps: ExitRunnerDeps,
  opts: RunExitOptions = {},
): Promise<{ flow: ExitFlow; action: ExitAction }> {
  let f = flow;
  for (let round = 0; round < (opts.maxRounds ?? 1000); round++) {
    f = await observeExitFlow(f, deps);
    const action = nextExitAction(f);
    if (action.kind === 'done' || action.kind === 'wait-service' || opts.stopBefore?.(f, action))
      return { flow: f, action };
    if (action.kind === 'prepare-escape')
      throw new ExitFlowStateError(
        f.step,
        'prepare-escape',
        'no escape source: build the escape proof from the verified tree first',
      );
    if (action.kind === 'send') f = await sendExitStep(f, deps);
    else await (opts.sleep ?? defaultSleep)(opts.pollMs ?? 1000);
  }
  return { flow: f, action: nextExitAction(f) };
}
