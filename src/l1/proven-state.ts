import { numberToHex, type Address, type Hex } from 'viem';
import { SHARED_STATE_HASH_SLOT } from '../starkex/shared-state.js';
import { EMPTY_CODE_HASH } from './account-proof.js';
import type { StarkExDeployment } from './deployment.js';
import { L1DataError, StorageSlotRangeError, type BlockRef } from './errors.js';
import type { MultiRpc } from './multi-rpc.js';
import { getProvenStorage, PROVEN_STORAGE_CHECK } from './proven-storage.js';
import { SEQUENCE_NUMBER_SLOT, STATE_FROZEN_BYTE_OFFSET, STATE_FROZEN_SLOT } from './starkex-slots.js';

/*
 * StarkPerpetual's final state, proven (issue 16; verification-and-performance.md Part 1 §1.3 step
 * 2: "prove StarkPerpetual's sharedStateHash (and sequenceNumber, lastBatchId, the frozen flag)").
 * One `eth_getProof` for the three slots of l1-data-tree.md §1.6, at one agreed block.
 */

export type ProvenStarkExState = {
  /** keccak256 of the last accepted shared state (slot 2^64 + 3). */
  sharedStateHash: Hex;
  /** Slot 12. */
  sequenceNumber: bigint;
  /** `stateFrozen`, byte 20 of slot 4. */
  isFrozen: boolean;
  /** `escapeVerifier_`, bytes 0–19 of slot 4. */
  escapeVerifier: Address;
  block: bigint;
  blockHash: Hex;
  stateRoot: Hex;
  /** How the values were checked: `storage-proof-against-agreed-block-hash`. */
  checked: typeof PROVEN_STORAGE_CHECK;
};

/** `sequenceNumber` counts state updates: far below 2^64 on any chain. */
const MAX_SEQUENCE_NUMBER = (1n << 64n) - 1n;

/** Slot 4 split into its packed variables (range-checked: a bool is 0 or 1, nothing above it). */
export function decodeFrozenSlot(word: bigint): { isFrozen: boolean; escapeVerifier: Address } {
  const flag = (word >> (STATE_FROZEN_BYTE_OFFSET * 8n)) & 0xffn;
  const above = word >> ((STATE_FROZEN_BYTE_OFFSET + 1n) * 8n);
  if (flag > 1n || above !== 0n)
    throw new StorageSlotRangeError(
      'stateFrozen',
      STATE_FROZEN_SLOT,
      word,
      'escapeVerifier_ in bytes 0–19, stateFrozen 0 or 1 in byte 20, zero above',
    );
  return {
    isFrozen: flag === 1n,
    escapeVerifier: numberToHex(word & ((1n << 160n) - 1n), { size: 20 }),
  };
}

/**
 * StarkPerpetual's sharedStateHash, sequenceNumber and frozen flag at `block` (a number or
 * `finalized`), each proven against the stateRoot of a block hash all RPCs agree on.
 */
export async function provenSharedStateHash(
  rpc: MultiRpc,
  deployment: Pick<StarkExDeployment, 'starkPerpetual'>,
  block: BlockRef,
): Promise<ProvenStarkExState> {
  const r = await getProvenStorage(rpc, {
    address: deployment.starkPerpetual,
    slots: [SHARED_STATE_HASH_SLOT, SEQUENCE_NUMBER_SLOT, STATE_FROZEN_SLOT],
    block,
  });
  if (!r.account.exists || r.account.codeHash === EMPTY_CODE_HASH)
    throw new L1DataError('starkPerpetual', `no contract at ${deployment.starkPerpetual} at block ${r.block}`);
  const [hash, seq, frozenWord] = r.values as [bigint, bigint, bigint];
  if (seq > MAX_SEQUENCE_NUMBER)
    throw new StorageSlotRangeError('sequenceNumber', SEQUENCE_NUMBER_SLOT, seq, '0 <= sequenceNumber <= 2^64 - 1');
  return {
    sharedStateHash: numberToHex(hash, { size: 32 }),
    sequenceNumber: seq,
    ...decodeFrozenSlot(frozenWord),
    block: r.block,
    blockHash: r.blockHash,
    stateRoot: r.stateRoot,
    checked: PROVEN_STORAGE_CHECK,
  };
}
