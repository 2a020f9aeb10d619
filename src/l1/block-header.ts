import { createBlockHeaderFromRPC, type JSONRPCBlock } from '@ethereumjs/block';
import { Common, Hardfork, Mainnet } from '@ethereumjs/common';
import { bytesToHex, type Hex } from 'viem';
import { BlockHeaderHashMismatchError, L1DataError } from './errors.js';
import { hexBytes, hexQuantity, jsonObject, MAX_BLOCK_NUMBER } from './rpc-values.js';

/*
 * A block header from an RPC, checked against its own hash (issue 16, "The final state, proven";
 * verification-and-performance.md Part 1 §1.3 step 1: the header is what a proof is checked
 * against). The hash is keccak256 of the RLP header; which fields the RLP list holds depends on the
 * fork: baseFeePerGas (London), withdrawalsRoot (Shanghai), blobGasUsed, excessBlobGas and
 * parentBeaconBlockRoot (Cancun), requestsHash (Prague), blockAccessListHash and slotNumber
 * (Amsterdam). The encoding is @ethereumjs/block's (createBlockHeaderFromRPC → hash()), with the
 * fork read off the fields the header carries, so one rule serves mainnet and the devnet alike.
 */

/** The header fields a proven read uses, after the header hashed to `hash`. */
export type CheckedBlockHeader = {
  number: bigint;
  hash: Hex;
  parentHash: Hex;
  stateRoot: Hex;
  timestamp: bigint;
};

/**
 * The fork whose header layout matches the fields present (the newest field decides). Only the
 * layout matters here: the chain's parameters do not enter the header hash.
 */
export function headerHardfork(raw: Record<string, unknown>): Hardfork {
  const has = (k: string) => raw[k] !== undefined && raw[k] !== null;
  if (has('blockAccessListHash') || has('slotNumber')) return Hardfork.Amsterdam;
  if (has('requestsHash')) return Hardfork.Prague;
  if (has('parentBeaconBlockRoot') || has('blobGasUsed') || has('excessBlobGas')) return Hardfork.Cancun;
  if (has('withdrawalsRoot')) return Hardfork.Shanghai;
  if (has('baseFeePerGas')) return BigInt(String(raw.difficulty ?? '0x0')) === 0n ? Hardfork.Paris : Hardfork.London;
  return Hardfork.Berlin;
}

/** keccak256(rlp(header)) of an `eth_getBlockByNumber` answer, from its fields (never its `hash`). */
export function recomputeBlockHash(raw: Record<string, unknown>): Hex {
  try {
    const common = new Common({ chain: Mainnet, hardfork: headerHardfork(raw) });
    return bytesToHex(createBlockHeaderFromRPC(raw as unknown as JSONRPCBlock, { common }).hash());
  } catch (err) {
    throw new L1DataError('block header', `the header fields do not encode: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

/**
 * One RPC's header for `block`: its shape checked, its number the one asked for, and its fields
 * hashing to the hash it states (else `BlockHeaderHashMismatchError` naming the RPC, both hashes).
 */
export function checkBlockHeader(url: string, raw: unknown, block?: bigint): CheckedBlockHeader {
  const where = block === undefined ? 'block' : `block ${block}`;
  if (raw === null || raw === undefined) throw new L1DataError('eth_getBlockByNumber', `${where} not found at ${url}`);
  const h = jsonObject(`${where} header`, raw);
  const number = hexQuantity(`${where} number`, h.number, MAX_BLOCK_NUMBER);
  if (block !== undefined && number !== block)
    throw new L1DataError('eth_getBlockByNumber', `${url} answered block ${number} for block ${block}`);
  const hash = hexBytes(`block ${number} hash`, h.hash, 32).toLowerCase() as Hex;
  const header: CheckedBlockHeader = {
    number,
    hash,
    parentHash: hexBytes(`block ${number} parentHash`, h.parentHash, 32).toLowerCase() as Hex,
    stateRoot: hexBytes(`block ${number} stateRoot`, h.stateRoot, 32).toLowerCase() as Hex,
    timestamp: hexQuantity(`block ${number} timestamp`, h.timestamp, MAX_BLOCK_NUMBER),
  };
  const recomputed = recomputeBlockHash(h);
  if (recomputed !== hash) throw new BlockHeaderHashMismatchError(url, number, hash, recomputed);
  return header;
}
