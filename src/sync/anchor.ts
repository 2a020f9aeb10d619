import type { StarkExL1Reader } from '../l1/starkex-reader.js';
import type { Hex } from '../starkex/words.js';

export type AnchorCheck = {
  ok: boolean;
  block: bigint;
  onChain: Hex;
  local?: Hex;
  onChainSequenceNumber: bigint;
  message: string;
  /** How the on-chain words were checked (issue 16): a storage proof against the agreed block hash. */
  checked: 'storage-proof-against-agreed-block-hash';
  /** The block hash every RPC agreed on, whose header hashed to it, and its stateRoot. */
  blockHash: Hex;
  stateRoot: Hex;
};

/**
 * The anchor (l1-data-tree.md §1.6, §4.7; verification-and-performance.md Part 1): at a block all
 * of whose batches we have verified, StarkPerpetual's `sharedStateHash` (slot 2^64+3) must equal
 * keccak of the last verified shared state and `sequenceNumber` (slot 12) our last sequence
 * number — the latter catches an RPC that hid a whole state update. Both words are proven (issue
 * 16): storage proofs against the stateRoot of the block hash every RPC agrees on, the header's
 * hash recomputed; a read that does not prove throws (an RPC alarm), it never reads as a mismatch.
 * Undefined when there is nothing local to compare yet.
 */
export async function checkAnchor(
  reader: StarkExL1Reader,
  local: { sequenceNumber: bigint; sharedStateHash?: Hex },
  block: bigint,
): Promise<AnchorCheck | undefined> {
  if (local.sharedStateHash === undefined) return undefined;
  const proven = await reader.provenStateAt(block);
  const onChain = proven.sharedStateHash;
  const seq = proven.sequenceNumber;
  const hashOk = BigInt(onChain) === BigInt(local.sharedStateHash);
  const seqOk = seq === local.sequenceNumber;
  const message =
    hashOk && seqOk
      ? `sharedStateHash at block ${block} matches the last verified state (sequence ${seq})`
      : `at block ${block} the contract holds sharedStateHash ${onChain} (sequence ${seq}); the last verified state hashes to ${local.sharedStateHash} (sequence ${local.sequenceNumber})`;
  return {
    ok: hashOk && seqOk,
    block,
    onChain,
    local: local.sharedStateHash,
    onChainSequenceNumber: seq,
    message,
    checked: proven.checked,
    blockHash: proven.blockHash,
    stateRoot: proven.stateRoot,
  };
}
