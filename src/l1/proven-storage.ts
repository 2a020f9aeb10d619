import { numberToHex, type Address, type Hex } from 'viem';
import { verifyAccountProof, verifyStorageProof, type ProvenAccount } from './account-proof.js';
import { getAgreedBlockHeader } from './agreed-block.js';
import type { CheckedBlockHeader } from './block-header.js';
import {
  L1DataError,
  ProvenValueMismatchError,
  type BlockHashDisagreementError,
  type BlockHeaderHashMismatchError,
  type BlockRef,
  type MerkleProofError,
  type RpcUnreachableError,
} from './errors.js';
import type { MultiRpc } from './multi-rpc.js';
import { redactUrl } from './provider/errors.js';
import { hexBytes, hexQuantity, jsonObject } from './rpc-values.js';

/*
 * Proven storage reads (issue 16, "The final state, proven"; verification-and-performance.md Part 1
 * §1.3 "storage-anchored verification", step 2): storage words of one contract at one block, each
 * proven by an EIP-1186 proof against the stateRoot of a header every RPC agrees on
 * (agreed-block.ts). `eth_getProof` is asked of every RPC and every answer is verified: one
 * verified proof would be enough for the value (the proofs are self-verifying against the agreed
 * stateRoot, so all verified answers prove the same words), but an RPC serving a proof that does not
 * verify is lying and is named, like every other disagreement the multi-RPC reader finds.
 */

export type GetProvenStorageParameters = {
  address: Address;
  slots: readonly bigint[];
  /** A block number or `finalized` (the lowest finalized block among the RPCs). */
  block: BlockRef;
};

export type GetProvenStorageReturnType = {
  block: bigint;
  blockHash: Hex;
  stateRoot: Hex;
  header: CheckedBlockHeader;
  account: ProvenAccount;
  /** The proven words, in the order of `slots`. */
  values: bigint[];
};

export type GetProvenStorageErrorType =
  | BlockHashDisagreementError
  | BlockHeaderHashMismatchError
  | MerkleProofError
  | ProvenValueMismatchError
  | L1DataError
  | RpcUnreachableError;

/** What the sync's anchor and the escape flow record about how a value was checked. */
export const PROVEN_STORAGE_CHECK = 'storage-proof-against-agreed-block-hash';

function hexList(field: string, v: unknown): Hex[] {
  if (!Array.isArray(v)) throw new L1DataError(field, 'is not a list of proof nodes');
  return v.map((n, i) => hexBytes(`${field}[${i}]`, n));
}

/** One RPC's `eth_getProof` answer, verified against `stateRoot`: the proven words of `slots`. */
export async function verifyProofAnswer(p: {
  url: string;
  answer: unknown;
  stateRoot: Hex;
  address: Address;
  slots: readonly bigint[];
}): Promise<{ account: ProvenAccount; values: bigint[] }> {
  const a = jsonObject(`eth_getProof from ${p.url}`, p.answer);
  const account = await verifyAccountProof({
    stateRoot: p.stateRoot,
    address: p.address,
    proof: hexList('accountProof', a.accountProof),
    url: p.url,
  });
  // The RPC's own storageHash must be the proven one (an absent account's is not compared:
  // clients differ in what they state for it).
  const claimedRoot = hexBytes('storageHash', a.storageHash, 32).toLowerCase();
  if (account.exists && claimedRoot !== account.storageRoot)
    throw new ProvenValueMismatchError(`storageHash of ${p.address}`, p.url, claimedRoot, account.storageRoot);
  if (!Array.isArray(a.storageProof))
    throw new L1DataError('storageProof', `${p.url} answered no list of storage proofs`);
  const entries = a.storageProof.map((e, i) => jsonObject(`storageProof[${i}]`, e));
  const values: bigint[] = [];
  for (const slot of p.slots) {
    const entry = entries.find((e) => {
      try {
        return hexQuantity('storageProof key', e.key) === slot;
      } catch {
        return false;
      }
    });
    if (!entry) throw new L1DataError('storageProof', `${p.url} answered no proof for slot ${numberToHex(slot)}`);
    const value = await verifyStorageProof({
      storageRoot: account.storageRoot,
      slot,
      proof: hexList(`storageProof[${numberToHex(slot)}].proof`, entry.proof),
      url: p.url,
    });
    const claimed = hexQuantity(`storageProof[${numberToHex(slot)}].value`, entry.value);
    if (claimed !== value)
      throw new ProvenValueMismatchError(
        `slot ${numberToHex(slot)} value`,
        p.url,
        numberToHex(claimed),
        numberToHex(value),
      );
    values.push(value);
  }
  return { account, values };
}

/**
 * The words of `slots` in `address`'s storage at `block`, proven: the agreed header (all RPCs, hash
 * recomputed), then every RPC's `eth_getProof` at that block hash (EIP-1898, so a reorg in between
 * cannot mix two blocks) verified against its stateRoot.
 */
export async function getProvenStorage(
  rpc: MultiRpc,
  params: GetProvenStorageParameters,
): Promise<GetProvenStorageReturnType> {
  const header = await getAgreedBlockHeader(rpc, params.block);
  const keys = params.slots.map((s) => numberToHex(s, { size: 32 }));
  const answers = await rpc.answers('eth_getProof', [params.address, keys, { blockHash: header.hash }]);
  const proven = await Promise.all(
    answers.map((a) =>
      verifyProofAnswer({
        url: redactUrl(a.url),
        answer: a.result,
        stateRoot: header.stateRoot,
        address: params.address,
        slots: params.slots,
      }),
    ),
  );
  const first = proven[0]!;
  return {
    block: header.number,
    blockHash: header.hash,
    stateRoot: header.stateRoot,
    header,
    account: first.account,
    values: first.values,
  };
}
