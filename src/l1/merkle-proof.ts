import { verifyMerkleProof } from '@ethereumjs/mpt';
import { fromRlp, hexToBytes, keccak256, type Hex } from 'viem';
import { MerkleProofError } from './errors.js';

/*
 * EIP-1186 Merkle-Patricia proofs (issue 16; verification-and-performance.md Part 1 §1.3: "DIY
 * `@ethereumjs/mpt` proof checks" against a verified stateRoot). Ethereum's state and storage tries
 * are secure tries: the path is keccak256(key). Verification is @ethereumjs/mpt's
 * `verifyMerkleProof`; when it refuses a proof, `brokenProofNode` locates the first node that is
 * not the one its parent commits to, so the error can name it.
 */

/** keccak256(rlp("")): the root of an empty trie (an account without storage). */
export const EMPTY_TRIE_ROOT: Hex = '0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421';

export type TrieProofParams = {
  trie: 'account' | 'storage';
  /** The trie's root the proof must lead from. */
  root: Hex;
  /** The unhashed key: a 20-byte address (account trie) or a 32-byte slot (storage trie). */
  key: Hex;
  /** The proof's nodes, root first, as the RPC gave them. */
  proof: readonly Hex[];
  /** Who gave the proof (redacted URL), for the error. */
  url: string;
};

/** Hashes of 32 bytes referenced by a node (branch children, an extension's child). */
function childReferences(node: Hex): Set<string> {
  const out = new Set<string>();
  const walk = (x: unknown) => {
    if (Array.isArray(x)) for (const y of x) walk(y);
    else if (typeof x === 'string' && x.length === 66) out.add(x.toLowerCase());
  };
  try {
    walk(fromRlp(node, 'hex'));
  } catch {
    // Not RLP: it references nothing.
  }
  return out;
}

/**
 * The index of the first proof node that is not committed to by the root (node 0) or by the node
 * before it, or undefined when the chain of hashes is whole.
 */
export function brokenProofNode(root: Hex, proof: readonly Hex[]): number | undefined {
  for (let i = 0; i < proof.length; i++) {
    const h = keccak256(proof[i]!).toLowerCase();
    if (i === 0 ? h !== root.toLowerCase() : !childReferences(proof[i - 1]!).has(h)) return i;
  }
  return undefined;
}

/**
 * The value the proof proves for `key` under `root`: the raw bytes stored at keccak256(key) (an RLP
 * item), or null for a valid proof of absence. An empty trie proves every key absent, whatever the
 * nodes given. Throws `MerkleProofError` naming the trie, the key, the root, the RPC and, when one
 * is to blame, the node.
 */
export async function verifyTrieProof(p: TrieProofParams): Promise<Uint8Array | null> {
  if (p.root.toLowerCase() === EMPTY_TRIE_ROOT) return null;
  const fail = (reason: string, node?: number, cause?: unknown): never => {
    throw new MerkleProofError(p.trie, p.key, p.root, p.url, reason, node, cause === undefined ? {} : { cause });
  };
  if (p.proof.length === 0) fail('the proof is empty but the trie is not');
  try {
    return await verifyMerkleProof(
      hexToBytes(p.key),
      p.proof.map((n) => hexToBytes(n)),
      {
        root: hexToBytes(p.root),
        useKeyHashing: true,
      },
    );
  } catch (err) {
    const node = brokenProofNode(p.root, p.proof);
    if (node === 0) return fail('proof node 0 does not hash to the root', 0, err);
    if (node !== undefined)
      return fail(`proof node ${node} is not the node its parent (node ${node - 1}) commits to`, node, err);
    return fail('the proof nodes link up but do not lead to the key', undefined, err);
  }
}
