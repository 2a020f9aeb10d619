import type { StarkExDeployment } from '../l1/deployment.js';
import type { ProvenStarkExState } from '../l1/proven-state.js';
import type { StarkExL1Reader, StateTransitionLog } from '../l1/starkex-reader.js';
import { decodeProgramOutput } from '../starkex/program-output.js';
import { encodeSharedState, sharedStateHash } from '../starkex/shared-state.js';
import type { Hex } from '../starkex/words.js';
import { EscapeNotPossibleError } from './errors.js';

/**
 * The final state of a frozen exchange, from L1 alone (issue 16 "The final state, proven"): once
 * frozen, the state never changes again, so the escape needs no replay. StarkPerpetual holds
 * `sequenceNumber` (slot 12) and `sharedStateHash` (slot 2^64 + 3, l1-data-tree.md §1.6), read with
 * a storage proof against a block hash every RPC agrees on (src/l1/proven-state.ts); the last
 * state update is the `LogUpdateState` with that sequence number; its `updateState` calldata holds
 * the program output, whose new shared state (§2.2) is accepted only if its keccak equals the slot.
 * The positions root, tree height, funding indices, prices and timestamps of the escape all come
 * from it — never from whoever serves the Merkle proof.
 */
export type FinalState = {
  /** The shared state words (`encodeSharedState`), as `verifyEscape` takes them. */
  sharedState: bigint[];
  sharedStateHash: Hex;
  sequenceNumber: bigint;
  /** The block the slots were read at, and how: a storage proof against a block hash every RPC agrees on. */
  block: bigint;
  proof: Pick<ProvenStarkExState, 'blockHash' | 'stateRoot' | 'checked' | 'isFrozen' | 'escapeVerifier'>;
  /** The state update that produced it. */
  update: Pick<StateTransitionLog, 'txHash' | 'blockNumber' | 'batchId' | 'sequenceNumber'>;
  /** What was compared: the decoded shared state's keccak with the contract's proven slot at `block`. */
  check: 'calldata-shared-state-keccak-equals-proven-slot';
};

export type FinalStateOptions = {
  /**
   * The block to read the slots at (default: the head — the escape executes against the latest
   * state, and a frozen exchange's state no longer changes).
   */
  block?: bigint;
  /** First window of the backward search for the last update (default 2,000 blocks; doubles up to `maxWindow`). */
  window?: bigint;
  maxWindow?: bigint;
  /** The proven slots (default `reader.provenStateAt`); tests stand in a lying one. */
  stateAt?: (block: bigint) => Promise<ProvenStarkExState>;
};

/** Finds the last state update at or before `opts.block` and proves its shared state against the contract's slot. */
export async function finalSharedState(
  reader: StarkExL1Reader,
  deployment: StarkExDeployment,
  opts: FinalStateOptions = {},
): Promise<FinalState> {
  const block = opts.block ?? (await reader.latestBlock());
  const proven = await (opts.stateAt ?? ((b: bigint) => reader.provenStateAt(b)))(block);
  const { sharedStateHash: onChain, sequenceNumber } = proven;
  // verifyEscape goes to the deployment's escape verifier; `escape` asks the one StarkPerpetual
  // holds (slot 4, proven with the rest). A deployment setting that names another contract would
  // register the proof where the escape never looks: refused before any transaction.
  if (BigInt(proven.escapeVerifier) !== BigInt(deployment.perpetualEscapeVerifier)) {
    throw new EscapeNotPossibleError(
      'escape-verifier-mismatch',
      `StarkPerpetual's escape verifier at block ${block} is ${proven.escapeVerifier}; the deployment settings name ${deployment.perpetualEscapeVerifier}`,
    );
  }
  const update = await lastUpdate(reader, block, sequenceNumber, opts);
  const { programOutput } = await reader.updateStateCall(update.txHash);
  const decoded = decodeProgramOutput(programOutput, { daModeWord: deployment.daModeWord });
  const sharedState = encodeSharedState(decoded.newSharedState);
  const hash = sharedStateHash(sharedState);
  if (BigInt(hash) !== BigInt(onChain)) {
    throw new EscapeNotPossibleError(
      'shared-state-mismatch',
      `the shared state of update ${update.sequenceNumber} (tx ${update.txHash}) hashes to ${hash}; StarkPerpetual's sharedStateHash at block ${block} is ${onChain}`,
    );
  }
  return {
    sharedState,
    sharedStateHash: hash,
    sequenceNumber,
    block,
    proof: {
      blockHash: proven.blockHash,
      stateRoot: proven.stateRoot,
      checked: proven.checked,
      isFrozen: proven.isFrozen,
      escapeVerifier: proven.escapeVerifier,
    },
    update: {
      txHash: update.txHash,
      blockNumber: update.blockNumber,
      batchId: update.batchId,
      sequenceNumber: update.sequenceNumber,
    },
    check: 'calldata-shared-state-keccak-equals-proven-slot',
  };
}

/**
 * Searches backwards from `block` in growing windows for the update with `sequenceNumber`, down to
 * block 0: the deployment's `firstBlock` is where a verifier starts to follow, a setting, not a
 * bound the final state may depend on.
 */
async function lastUpdate(
  reader: StarkExL1Reader,
  block: bigint,
  sequenceNumber: bigint,
  opts: FinalStateOptions,
): Promise<StateTransitionLog> {
  const maxWindow = opts.maxWindow ?? 100_000n;
  let window = opts.window ?? 2_000n;
  let to = block;
  while (to >= 0n) {
    const from = to - window + 1n > 0n ? to - window + 1n : 0n;
    const found = (await reader.stateTransitions(from, to)).filter((t) => t.sequenceNumber === sequenceNumber);
    if (found.length > 0) return found.at(-1)!;
    to = from - 1n;
    // An empty window says nothing about the next one: widen (the reader splits what a provider refuses).
    window = window * 2n > maxWindow ? maxWindow : window * 2n;
  }
  throw new EscapeNotPossibleError(
    'final-state-not-found',
    `no state update with sequence number ${sequenceNumber} at or before block ${block}`,
  );
}
