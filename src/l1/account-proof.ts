import { bytesToHex, fromRlp, hexToBigInt, numberToHex, type Address, type Hex } from 'viem';
import { L1DataError } from './errors.js';
import { EMPTY_TRIE_ROOT, verifyTrieProof } from './merkle-proof.js';

/*
 * An account and its storage slots, proven (issue 16; verification-and-performance.md Part 1 §1.3
 * step 2): the account proof against the header's stateRoot gives rlp([nonce, balance,
 * storageRoot, codeHash]); each storage proof against that storageRoot gives rlp(value), absent
 * slots being 0. Pure functions over the proof's plain data; the RPC action is proven-storage.ts.
 */

/** keccak256 of empty code: an account without a contract. */
export const EMPTY_CODE_HASH: Hex = '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470';

export type ProvenAccount = {
  /** False when the proof proves the address absent from the state trie (then all else is empty). */
  exists: boolean;
  nonce: bigint;
  balance: bigint;
  storageRoot: Hex;
  codeHash: Hex;
};

const EMPTY_ACCOUNT: ProvenAccount = {
  exists: false,
  nonce: 0n,
  balance: 0n,
  storageRoot: EMPTY_TRIE_ROOT,
  codeHash: EMPTY_CODE_HASH,
};

/** An RLP integer (big-endian, no leading zero byte) of at most `bytes` bytes. */
function rlpUint(field: string, v: unknown, bytes: number): bigint {
  if (typeof v !== 'string' || v.length > 2 + 2 * bytes || v.startsWith('0x00'))
    throw new L1DataError(field, `${String(v)} is not an RLP integer of at most ${bytes} bytes`);
  return v === '0x' ? 0n : hexToBigInt(v as Hex);
}

function rlpHash32(field: string, v: unknown): Hex {
  if (typeof v !== 'string' || v.length !== 66) throw new L1DataError(field, `${String(v)} is not 32 bytes`);
  return v.toLowerCase() as Hex;
}

/** The account `address` holds under `stateRoot`, proven by `proof` (throws `MerkleProofError`). */
export async function verifyAccountProof(p: {
  stateRoot: Hex;
  address: Address;
  proof: readonly Hex[];
  url: string;
}): Promise<ProvenAccount> {
  const raw = await verifyTrieProof({ trie: 'account', root: p.stateRoot, key: p.address, proof: p.proof, url: p.url });
  if (raw === null) return EMPTY_ACCOUNT;
  const field = `account ${p.address}`;
  let items: unknown;
  try {
    items = fromRlp(raw, 'hex');
  } catch (err) {
    throw new L1DataError(field, 'the proven leaf is not RLP', { cause: err });
  }
  if (!Array.isArray(items) || items.length !== 4)
    throw new L1DataError(field, 'the proven leaf is not rlp([nonce, balance, storageRoot, codeHash])');
  return {
    exists: true,
    nonce: rlpUint(`${field} nonce`, items[0], 8),
    balance: rlpUint(`${field} balance`, items[1], 32),
    storageRoot: rlpHash32(`${field} storageRoot`, items[2]),
    codeHash: rlpHash32(`${field} codeHash`, items[3]),
  };
}

/** The word at `slot` under `storageRoot`, proven by `proof` (absent: 0; throws `MerkleProofError`). */
export async function verifyStorageProof(p: {
  storageRoot: Hex;
  slot: bigint;
  proof: readonly Hex[];
  url: string;
}): Promise<bigint> {
  const key = numberToHex(p.slot, { size: 32 });
  const raw = await verifyTrieProof({ trie: 'storage', root: p.storageRoot, key, proof: p.proof, url: p.url });
  if (raw === null) return 0n;
  let item: unknown;
  try {
    item = fromRlp(raw, 'hex');
  } catch (err) {
    throw new L1DataError(`slot ${key}`, `the proven leaf ${bytesToHex(raw)} is not RLP`, { cause: err });
  }
  // A stored word is rlp(its big-endian bytes without leading zeros); zero is never stored.
  return rlpUint(`slot ${key}`, item, 32);
}
