/*
 * StarkPerpetual storage slots (l1-data-tree.md §1.6; the devnet's
 * devnet/contracts/perpetual/PerpetualStorage.sol keeps the same layout). The storage lives in the
 * proxy's address (delegatecall). `sharedStateHash` (slot 2^64 + 3) is SHARED_STATE_HASH_SLOT in
 * src/starkex/shared-state.ts.
 */

/** `sequenceNumber`: one more per `updateState`. */
export const SEQUENCE_NUMBER_SLOT = 12n;

/**
 * `escapeVerifier_` (address, bytes 0–19) packed with `stateFrozen` (bool, byte 20): Solidity packs
 * the bool into the address's slot from the low-order end.
 */
export const STATE_FROZEN_SLOT = 4n;
export const STATE_FROZEN_BYTE_OFFSET = 20n;
