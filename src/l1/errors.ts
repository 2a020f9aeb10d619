import { formatValue, VigilError, type VigilErrorOptions } from '../errors.js';

/** Every configured RPC failed (after retries) for one request: the dashboard's "RPC unreachable" state. */
export class RpcUnreachableError extends VigilError {
  override name = 'RpcUnreachableError';
  readonly method: string;
  constructor(method: string, attempts: number, options: VigilErrorOptions = {}) {
    super(`RPC unreachable: ${method} failed after ${attempts} attempt(s)`, options);
    this.method = method;
  }
}

/** Two RPCs answered the same request (same block) differently: one of them lies (issue 9). */
export class RpcDisagreementError extends VigilError {
  override name = 'RpcDisagreementError';
  readonly method: string;
  readonly urls: readonly string[];
  constructor(method: string, urls: readonly string[], details?: string, options: VigilErrorOptions = {}) {
    super(`RPCs disagree on ${method}: ${urls.join(' vs ')}`, {
      ...options,
      ...(details !== undefined ? { details } : {}),
    });
    this.method = method;
    this.urls = urls;
  }
}

/** An RPC answer that is not what the request asked for (wrong contract, wrong function, bad shape). */
export class L1DataError extends VigilError {
  override name = 'L1DataError';
  readonly field: string;
  constructor(field: string, message: string, options: VigilErrorOptions = {}) {
    super(`${field}: ${message}`, options);
    this.field = field;
  }
}

/*
 * Proven reads (issue 16; verification-and-performance.md Part 1 §1.3 "storage-anchored
 * verification"): a block header every RPC agrees on, its hash recomputed, and account + storage
 * proofs checked against its stateRoot. Each failure below names what did not match, and which RPC
 * answered it. They are L1DataError / RpcDisagreementError, so the sync's alarms classify them as
 * before (rpc-bad-data, rpc-disagreement).
 */

/** Which block a proven read is at: a number, or the tag it was resolved from. */
export type BlockRef = bigint | 'finalized';

/** The configured RPCs answered different hashes for the same block number: at least one lies. */
export class BlockHashDisagreementError extends RpcDisagreementError {
  override name = 'BlockHashDisagreementError';
  readonly block: bigint;
  /** Each answering RPC (URL redacted) and the hash it gave. */
  readonly hashes: ReadonlyArray<{ url: string; hash: string }>;
  constructor(block: bigint, hashes: ReadonlyArray<{ url: string; hash: string }>, options: VigilErrorOptions = {}) {
    super(
      'eth_getBlockByNumber',
      hashes.map((h) => h.url),
      `block ${block} hash: ${hashes.map((h) => `${h.url} → ${h.hash}`).join(', ')}`,
      options,
    );
    this.block = block;
    this.hashes = hashes;
  }
}

/** A header whose fields do not hash (keccak of the RLP header) to the hash the RPC gave with it. */
export class BlockHeaderHashMismatchError extends L1DataError {
  override name = 'BlockHeaderHashMismatchError';
  readonly url: string;
  readonly block: bigint;
  readonly claimed: string;
  readonly recomputed: string;
  constructor(url: string, block: bigint, claimed: string, recomputed: string, options: VigilErrorOptions = {}) {
    super(
      `block ${block} header`,
      `the fields ${url} answered hash to ${recomputed}, not to the block hash ${claimed}`,
      options,
    );
    this.url = url;
    this.block = block;
    this.claimed = claimed;
    this.recomputed = recomputed;
  }
}

/**
 * A Merkle-Patricia proof (EIP-1186) that does not prove its key against the expected root:
 * `nodeIndex` is the first proof node that is not the one its parent (or the root) commits to,
 * when one is; otherwise the nodes link up but do not lead to the key.
 */
export class MerkleProofError extends L1DataError {
  override name = 'MerkleProofError';
  readonly trie: 'account' | 'storage';
  /** The address (account trie) or the slot (storage trie) whose proof failed. */
  readonly key: string;
  readonly root: string;
  readonly url: string;
  readonly nodeIndex: number | undefined;
  constructor(
    trie: 'account' | 'storage',
    key: string,
    root: string,
    url: string,
    reason: string,
    nodeIndex?: number,
    options: VigilErrorOptions = {},
  ) {
    super(`${trie} proof of ${key}`, `${reason} (root ${root}, answered by ${url})`, options);
    this.trie = trie;
    this.key = key;
    this.root = root;
    this.url = url;
    this.nodeIndex = nodeIndex;
  }
}

/** A value an RPC stated beside its proof (storageHash, a slot's value) that differs from the proven one. */
export class ProvenValueMismatchError extends L1DataError {
  override name = 'ProvenValueMismatchError';
  readonly url: string;
  readonly claimed: unknown;
  readonly proven: unknown;
  constructor(field: string, url: string, claimed: unknown, proven: unknown, options: VigilErrorOptions = {}) {
    super(field, `${url} states ${formatValue(claimed)}, its proof proves ${formatValue(proven)}`, options);
    this.url = url;
    this.claimed = claimed;
    this.proven = proven;
  }
}

/** A proven storage word outside what its variable can hold (a flag not 0/1, a counter beyond its range). */
export class StorageSlotRangeError extends L1DataError {
  override name = 'StorageSlotRangeError';
  readonly slot: bigint;
  readonly value: bigint;
  readonly range: string;
  constructor(field: string, slot: bigint, value: bigint, range: string, options: VigilErrorOptions = {}) {
    super(`${field} (slot ${slot})`, `${value} is out of range; expected ${range}`, options);
    this.slot = slot;
    this.value = value;
    this.range = range;
  }
}
