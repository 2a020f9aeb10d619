import type { Hex } from 'viem';
import type { ForcedTradeRequest } from '../messages/forced-trade.js';
import { ExitFlowStateError } from './errors.js';
import type { MarginBasis } from './margin-view.js';

/*
 * The exit flow as persisted data and a pure reducer (issue 10; l1-data-tree.md §5.0):
 *
 *   request ──mined──▶ tracking ──served valid──▶ withdraw ──mined──▶ done
 *                         │  └──served invalid──▶ done
 *                         └──grace period over──▶ freeze ──mined──▶ verify-escape
 *   (frozen seen at any of request / tracking / freeze) ─────────────▶ verify-escape
 *   verify-escape ──LogEscapeVerified──▶ escape ──mined──▶ withdraw ──mined──▶ done
 *   (escape already used) ──▶ withdraw if a balance is pending, else done
 *
 * Every transaction is recorded signed (its raw bytes, hash and nonce) before it is broadcast, so a
 * flow reloaded after a service-worker death or browser restart looks the transaction up, or
 * re-sends those same bytes, and never builds a new one. On a frozen deployment a flow starts at
 * verify-escape.
 */

export type ExitStep = 'request' | 'tracking' | 'freeze' | 'verify-escape' | 'escape' | 'withdraw' | 'done';
export type ExitTxKind = 'forced-request' | 'freeze' | 'verify-escape' | 'escape' | 'withdraw';
export type ExitOutcome =
  | 'withdrawn'
  | 'served-invalid'
  | 'served-trade'
  | 'escape-already-used'
  | 'nothing-to-withdraw';

export type TrackedTx = {
  hash: Hex;
  /** Local clock, milliseconds. */
  sentAt: number;
  status: 'pending' | 'success' | 'reverted';
  /** The signed transaction (EIP-1559, the deployment's chain id), stored before it is broadcast. */
  raw?: Hex;
  /** The sender and the nonce it uses. */
  from?: Hex;
  nonce?: number;
  /** Local clock, ms: when an RPC first accepted it; absent = not known to be broadcast (a resume re-sends `raw`). */
  broadcastAt?: number;
  blockNumber?: bigint;
  /** Chain time of the block, seconds. */
  timestamp?: bigint;
};

export type ExitRequest =
  | { kind: 'withdrawal'; quantizedAmount: bigint; premiumCost: boolean }
  | { kind: 'trade'; trade: ForcedTradeRequest; signature: Hex; premiumCost: boolean };

/** The escape's inputs, fixed once built from the verified tree so a resumed flow sends the same words. */
export type EscapeData = {
  merkleProof: bigint[];
  nAssets: number;
  sharedState: bigint[];
  sharedStateHash: Hex;
  /** What Vigil computed locally (verifyEscapeProof); the event's amount must equal it. */
  expectedAmount: bigint;
  basis?: MarginBasis;
  /** From `LogEscapeVerified`. */
  verifiedAmount?: bigint;
};

export type ExitFlow = {
  format: 'vigil-exit-flow';
  version: 1;
  id: string;
  deploymentId: string;
  chainId: number;
  starkKey: bigint;
  positionId: bigint;
  /** Absent when the flow went straight to the escape. */
  request?: ExitRequest;
  step: ExitStep;
  txs: Partial<Record<ExitTxKind, TrackedTx>>;
  /** `FREEZE_GRACE_PERIOD` read from the chain, seconds. */
  gracePeriod?: bigint;
  /** Latest chain time seen while tracking, seconds (for the countdown). */
  chainTime?: bigint;
  service?: { txHash: Hex; batchId: bigint; valid: boolean | undefined };
  escape?: EscapeData;
  /** Pending withdrawal balance read before `withdraw`; what the user receives. */
  withdrawal?: { expected: bigint };
  outcome?: ExitOutcome;
  /** The last thing that went wrong (a revert reason), shown until the step moves on. */
  problem?: string;
  history: { at: number; step: ExitStep; note: string }[];
};

export type ExitEvent =
  | { type: 'tx-sent'; tx: ExitTxKind; hash: Hex; raw?: Hex; from?: Hex; nonce?: number }
  /** The stored transaction can never be mined: its nonce was used by another transaction of the sender. */
  | { type: 'tx-replaced'; tx: ExitTxKind; hash: Hex }
  | { type: 'tx-broadcast'; tx: ExitTxKind; hash: Hex }
  | {
      type: 'tx-mined';
      tx: ExitTxKind;
      hash: Hex;
      status: 'success' | 'reverted';
      blockNumber: bigint;
      timestamp: bigint;
      reason?: string;
    }
  | { type: 'grace-period'; seconds: bigint }
  | { type: 'tick'; chainTime: bigint }
  | { type: 'served'; txHash: Hex; batchId: bigint; valid: boolean | undefined }
  | { type: 'frozen' }
  | { type: 'escape-prepared'; escape: EscapeData }
  | { type: 'escape-verified'; amount: bigint; txHash: Hex }
  | { type: 'escape-already-used'; pendingWithdrawal: bigint }
  | { type: 'withdrawal-balance'; amount: bigint };

/** The step whose transaction each kind is. */
export const TX_STEP: Record<ExitTxKind, ExitStep> = {
  'forced-request': 'request',
  freeze: 'freeze',
  'verify-escape': 'verify-escape',
  escape: 'escape',
  withdraw: 'withdraw',
};
export const STEP_TX: Partial<Record<ExitStep, ExitTxKind>> = {
  request: 'forced-request',
  freeze: 'freeze',
  'verify-escape': 'verify-escape',
  escape: 'escape',
  withdraw: 'withdraw',
};

export type NewExitFlow = Pick<ExitFlow, 'id' | 'deploymentId' | 'chainId' | 'starkKey' | 'positionId' | 'request'> & {
  /** The exchange is frozen (read from the chain, or known: dYdX v3). */
  frozen: boolean;
  now: number;
};

/** A new flow: a forced request on a live exchange, straight to the escape on a frozen one. */
export function startExitFlow(n: NewExitFlow): ExitFlow {
  if (!n.frozen && n.request === undefined)
    throw new ExitFlowStateError('start', 'start', 'a live exchange needs a forced request first (§5.2–5.3)');
  const step: ExitStep = n.frozen ? 'verify-escape' : 'request';
  const flow: ExitFlow = {
    format: 'vigil-exit-flow',
    version: 1,
    id: n.id,
    deploymentId: n.deploymentId,
    chainId: n.chainId,
    starkKey: n.starkKey,
    positionId: n.positionId,
    step,
    txs: {},
    history: [],
  };
  if (n.request) flow.request = n.request;
  return note(
    flow,
    n.now,
    n.frozen ? 'exchange is frozen: straight to the escape' : `forced ${n.request!.kind} planned`,
  );
}

function note(f: ExitFlow, at: number, text: string): ExitFlow {
  return { ...f, history: [...f.history, { at, step: f.step, note: text }].slice(-50) };
}
function moveTo(f: ExitFlow, step: ExitStep, at: number, text: string): ExitFlow {
  const { problem: _dropped, ...rest } = f;
  return note({ ...rest, step }, at, text);
}
function refuse(f: ExitFlow, e: ExitEvent, why: string): never {
  throw new ExitFlowStateError(f.step, e.type, why);
}

/** Applies one observation or action result; throws `ExitFlowStateError` for an event the step cannot take. */
export function applyExitEvent(f: ExitFlow, e: ExitEvent, now: number): ExitFlow {
  switch (e.type) {
    case 'tx-sent': {
      if (TX_STEP[e.tx] !== f.step) refuse(f, e, `a ${e.tx} transaction belongs to step ${TX_STEP[e.tx]}`);
      const prev = f.txs[e.tx];
      if (prev && prev.status !== 'reverted') refuse(f, e, `${e.tx} already sent (${prev.hash}, ${prev.status})`);
      const signed: TrackedTx = {
        hash: e.hash,
        sentAt: now,
        status: 'pending',
        ...(e.raw !== undefined ? { raw: e.raw } : {}),
        ...(e.from !== undefined ? { from: e.from } : {}),
        ...(e.nonce !== undefined ? { nonce: e.nonce } : {}),
      };
      return note(
        { ...f, txs: { ...f.txs, [e.tx]: signed } },
        now,
        `${e.tx} signed (nonce ${e.nonce ?? '?'}): ${e.hash}`,
      );
    }
    case 'tx-replaced': {
      const prev = f.txs[e.tx];
      if (!prev || prev.hash !== e.hash || prev.status !== 'pending')
        refuse(f, e, `no pending ${e.tx} transaction ${e.hash}`);
      // Counted as failed: the step may be sent again (a new transaction, by the user's choice).
      const txs = { ...f.txs, [e.tx]: { ...prev, status: 'reverted' as const } };
      return note(
        {
          ...f,
          txs,
          problem: `${e.tx} ${e.hash} was never mined: nonce ${prev.nonce} was used by another transaction of ${prev.from}`,
        },
        now,
        `${e.tx} replaced`,
      );
    }
    case 'tx-broadcast': {
      const prev = f.txs[e.tx];
      if (!prev || prev.hash !== e.hash) refuse(f, e, `no ${e.tx} transaction ${e.hash} is tracked`);
      if (prev.broadcastAt !== undefined) return f;
      return note(
        { ...f, txs: { ...f.txs, [e.tx]: { ...prev, broadcastAt: now } } },
        now,
        `${e.tx} broadcast: ${e.hash}`,
      );
    }
    case 'tx-mined': {
      const prev = f.txs[e.tx];
      if (!prev || prev.hash !== e.hash) refuse(f, e, `no ${e.tx} transaction ${e.hash} is tracked`);
      const txs = {
        ...f.txs,
        [e.tx]: { ...prev, status: e.status, blockNumber: e.blockNumber, timestamp: e.timestamp },
      };
      const g = { ...f, txs };
      if (e.status === 'reverted')
        return note({ ...g, problem: `${e.tx} reverted${e.reason ? `: ${e.reason}` : ''}` }, now, `${e.tx} reverted`);
      if (f.step !== TX_STEP[e.tx]) return note(g, now, `${e.tx} mined after the flow moved on`);
      if (e.tx === 'forced-request') return moveTo(g, 'tracking', now, `request mined in block ${e.blockNumber}`);
      if (e.tx === 'freeze') return moveTo(g, 'verify-escape', now, 'exchange frozen by our freeze request');
      if (e.tx === 'escape') return moveTo(g, 'withdraw', now, 'escape credited to the pending withdrawal');
      if (e.tx === 'withdraw')
        return { ...moveTo(g, 'done', now, 'withdrawn to the owner address'), outcome: 'withdrawn' };
      return note(g, now, 'verifyEscape mined: waiting for LogEscapeVerified');
    }
    case 'grace-period':
      return { ...f, gracePeriod: e.seconds };
    case 'tick': {
      const g = { ...f, chainTime: e.chainTime };
      const deadline = freezableAt(g);
      if (f.step === 'tracking' && deadline !== undefined && e.chainTime >= deadline)
        return moveTo(g, 'freeze', now, 'grace period over: freeze request possible');
      return g;
    }
    case 'served': {
      if (f.step !== 'tracking' && f.step !== 'request' && f.step !== 'freeze')
        refuse(f, e, 'only a tracked request can be served');
      const g = { ...f, service: { txHash: e.txHash, batchId: e.batchId, valid: e.valid } };
      if (f.request?.kind === 'trade')
        return { ...moveTo(g, 'done', now, `forced trade served in batch ${e.batchId}`), outcome: 'served-trade' };
      if (e.valid) return moveTo(g, 'withdraw', now, `served as valid in batch ${e.batchId}`);
      return {
        ...moveTo(g, 'done', now, `served as invalid in batch ${e.batchId}: nothing was withdrawn`),
        outcome: 'served-invalid',
      };
    }
    case 'frozen':
      if (f.step === 'request' || f.step === 'tracking' || f.step === 'freeze')
        return moveTo(f, 'verify-escape', now, 'exchange is frozen: escape');
      return f;
    case 'escape-prepared':
      if (f.step !== 'verify-escape') refuse(f, e, 'the escape is prepared at verify-escape');
      if (f.escape && f.txs['verify-escape']?.status !== 'reverted' && f.txs['verify-escape'])
        refuse(f, e, 'verifyEscape was already sent with other words');
      return note({ ...f, escape: e.escape }, now, `escape proof built (amount ${e.escape.expectedAmount})`);
    case 'escape-verified': {
      if (f.step !== 'verify-escape' || !f.escape) refuse(f, e, 'no escape is being verified');
      const g = { ...f, escape: { ...f.escape, verifiedAmount: e.amount } };
      const moved = moveTo(g, 'escape', now, `LogEscapeVerified: amount ${e.amount} (tx ${e.txHash})`);
      // The event's amount is what `escape` must be sent with (§5.5 step 4); a difference from Vigil's own is worth showing.
      return e.amount === f.escape.expectedAmount
        ? moved
        : { ...moved, problem: `the verifier registered ${e.amount}, Vigil computed ${f.escape.expectedAmount}` };
    }
    case 'escape-already-used': {
      if (f.step !== 'verify-escape' && f.step !== 'escape') refuse(f, e, 'only an escape can be already used');
      const g = { ...f, problem: 'this position has already escaped' };
      if (e.pendingWithdrawal > 0n)
        return {
          ...note({ ...g, step: 'withdraw' }, now, 'escape already used; a withdrawal is pending'),
          withdrawal: { expected: e.pendingWithdrawal },
        };
      return {
        ...note({ ...g, step: 'done' }, now, 'escape already used and nothing is pending'),
        outcome: 'escape-already-used',
      };
    }
    case 'withdrawal-balance': {
      if (f.step !== 'withdraw') refuse(f, e, 'the balance is read before withdraw');
      if (e.amount === 0n && f.txs.withdraw?.status !== 'pending')
        return { ...moveTo(f, 'done', now, 'nothing pending to withdraw'), outcome: 'nothing-to-withdraw' };
      return { ...f, withdrawal: { expected: e.amount } };
    }
  }
}

/** Chain time from which anyone may freeze (request time + grace period), if known. */
export function freezableAt(f: ExitFlow): bigint | undefined {
  const t = f.txs['forced-request']?.timestamp;
  return t === undefined || f.gracePeriod === undefined ? undefined : t + f.gracePeriod;
}

export type ExitAction =
  | { kind: 'send'; tx: ExitTxKind }
  | { kind: 'wait-tx'; tx: ExitTxKind; hash: Hex }
  | { kind: 'wait-service'; freezableAt: bigint | undefined; secondsLeft: bigint | undefined }
  | { kind: 'prepare-escape' }
  | { kind: 'wait-escape-verified' }
  | { kind: 'done'; outcome: ExitOutcome | undefined };

/** What the flow needs next (the UI's "next step" and the runner's loop). */
export function nextExitAction(f: ExitFlow): ExitAction {
  if (f.step === 'done') return { kind: 'done', outcome: f.outcome };
  if (f.step === 'tracking') {
    const at = freezableAt(f);
    const left = at === undefined || f.chainTime === undefined ? undefined : at > f.chainTime ? at - f.chainTime : 0n;
    return { kind: 'wait-service', freezableAt: at, secondsLeft: left };
  }
  if (f.step === 'verify-escape' && !f.escape) return { kind: 'prepare-escape' };
  const kind = STEP_TX[f.step]!;
  const tx = f.txs[kind];
  if (tx?.status === 'pending') return { kind: 'wait-tx', tx: kind, hash: tx.hash };
  if (f.step === 'verify-escape' && tx?.status === 'success') return { kind: 'wait-escape-verified' };
  return { kind: 'send', tx: kind };
}
