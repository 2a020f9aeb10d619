import { numberToHex } from 'viem';
import { checkBlockHeader, type CheckedBlockHeader } from './block-header.js';
import { BlockHashDisagreementError, L1DataError, type BlockRef } from './errors.js';
import type { MultiRpc } from './multi-rpc.js';
import { redactUrl } from './provider/errors.js';
import { hexQuantity, MAX_BLOCK_NUMBER } from './rpc-values.js';

/*
 * The block a proven read is made at (issue 16; verification-and-performance.md Part 1 §1.3 step
 * 1). Without a light client, the header's authority is the agreement of every configured RPC on
 * its hash, plus the header's own fields hashing to it: a proof is then checked against a stateRoot
 * that no single RPC chose.
 */

/** The block number a `BlockRef` names: `finalized` is the lowest finalized block among the RPCs. */
export async function resolveBlock(rpc: MultiRpc, block: BlockRef): Promise<bigint> {
  if (block !== 'finalized') return block;
  // RPCs may sit at different finalized heights: the lowest one every RPC has finalized.
  return rpc.lowest('eth_getBlockByNumber', ['finalized', false], (b) => {
    const n = (b as { number?: unknown } | null)?.number;
    if (typeof n !== 'string') throw new L1DataError('eth_getBlockByNumber', 'the finalized block has no number');
    return hexQuantity('finalized block number', n, MAX_BLOCK_NUMBER);
  });
}

/**
 * The header of `block` as every answering RPC gives it: all must state the same block hash (else
 * `BlockHashDisagreementError` naming the block and each RPC's hash), and each header's fields must
 * hash to it (else `BlockHeaderHashMismatchError` naming the RPC).
 */
export async function getAgreedBlockHeader(rpc: MultiRpc, block: BlockRef): Promise<CheckedBlockHeader> {
  const n = await resolveBlock(rpc, block);
  const answers = await rpc.answers('eth_getBlockByNumber', [numberToHex(n), false]);
  const stated = answers.map((a) => ({
    url: redactUrl(a.url),
    hash: String((a.result as { hash?: unknown } | null)?.hash ?? null).toLowerCase(),
  }));
  if (new Set(stated.map((s) => s.hash)).size > 1) throw new BlockHashDisagreementError(n, stated);
  const headers = answers.map((a) => checkBlockHeader(redactUrl(a.url), a.result, n));
  return headers[0]!;
}
