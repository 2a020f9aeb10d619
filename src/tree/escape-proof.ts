import { FIELD_PRIME } from '../crypto/field.js';
import { RangeCheckError, TypeCheckError } from '../errors.js';
import { DecodeError } from '../starkex/decode-error.js';
import type { Position } from '../state/position.js';
import { checkLeafPosition, positionHashChain, type NodePair } from './position-leaf.js';
import { BALANCE_BIAS } from '../starkex/onchain-data.js';

/**
 * The `merkleProof` words of `verifyEscape` (l1-data-tree.md §4.6, SC PedersenMerkleVerifier.sol):
 * each pair (left, right) of 252-bit nodes is the 512-bit big-endian value left·2^260 + right·2^8,
 * i.e. the words `left<<4 | right>>248` and `(right mod 2^248)<<8`; the final pair is
 * root·2^260 + nodeIdx·2^8, i.e. `root<<4` and `nodeIdx<<8`. The first n+2 pairs are the
 * position's hash chain, then one pair per tree level, lowest first; nodeIdx =
 * positionId << (n + 2) because the chain levels always take the left element.
 */

const NODE_BOUND = 1n << 252n;
const IDX_BOUND = 1n << 248n;
const WORD_BOUND = 1n << 256n;
const LOW_248 = IDX_BOUND - 1n;

function inRange(field: string, v: unknown, bound: bigint, range: string): bigint {
  if (typeof v !== 'bigint') throw new TypeCheckError(field, v, 'bigint');
  if (v < 0n || v >= bound) throw new RangeCheckError(field, v, range);
  return v;
}

/** Packs pairs + (root, nodeIdx) into words. Pure format: nodes need only fit 252 bits here. */
export function packEscapeProof(pairs: readonly NodePair[], root: bigint, nodeIdx: bigint): bigint[] {
  const words: bigint[] = [];
  pairs.forEach(([left, right], k) => {
    inRange(`pairs[${k}].left`, left, NODE_BOUND, '0 <= left < 2^252');
    inRange(`pairs[${k}].right`, right, NODE_BOUND, '0 <= right < 2^252');
    words.push((left << 4n) | (right >> 248n), (right & LOW_248) << 8n);
  });
  inRange('root', root, NODE_BOUND, '0 <= root < 2^252');
  inRange('nodeIdx', nodeIdx, IDX_BOUND, '0 <= nodeIdx < 2^248');
  words.push(root << 4n, nodeIdx << 8n);
  return words;
}

/** The inverse of `packEscapeProof`; refuses words with non-zero padding bits. */
export function unpackEscapeProof(words: readonly bigint[]): { pairs: NodePair[]; root: bigint; nodeIdx: bigint } {
  const what = 'escape proof';
  if (!Array.isArray(words) || words.length < 2 || words.length % 2 !== 0) {
    throw new DecodeError(
      what,
      Array.isArray(words) ? words.length : 0,
      'an even number (>= 2) of words',
      Array.isArray(words) ? words.length : words,
    );
  }
  words.forEach((w, i) => {
    if (typeof w !== 'bigint' || w < 0n || w >= WORD_BOUND) throw new DecodeError(what, i, 'a uint256 word', w);
    const padding = i === words.length - 2 ? 0xfn : i % 2 === 1 ? 0xffn : 0n;
    if ((w & padding) !== 0n) throw new DecodeError(what, i, 'zero padding bits', w);
  });
  const pairs: NodePair[] = [];
  for (let k = 0; k + 2 < words.length; k += 2) {
    pairs.push([words[k]! >> 4n, ((words[k]! & 0xfn) << 248n) | (words[k + 1]! >> 8n)]);
  }
  return { pairs, root: words.at(-2)! >> 4n, nodeIdx: words.at(-1)! >> 8n };
}

/**
 * The position an escape proof claims (the first nAssets + 2 right nodes), decoded with the
 * corrected asset-balance decoding (§4.6), and its positionId. Checks the chain starts at 0, the
 * low nAssets + 2 bits of nodeIdx are 0, the asset count in the collateral word equals nAssets
 * and the position is valid. Does not hash anything: `verifyEscapeProof` is the check.
 */
export function escapeProofPosition(
  words: readonly bigint[],
  nAssets: number,
): { positionId: bigint; position: Position } {
  const what = 'escape proof';
  const { pairs, nodeIdx } = unpackEscapeProof(words);
  if (!Number.isSafeInteger(nAssets) || nAssets < 0 || nAssets + 3 > pairs.length) {
    throw new RangeCheckError(
      'nAssets',
      nAssets,
      `0 <= nAssets <= ${pairs.length - 3} (chain + at least one tree level)`,
    );
  }
  if (pairs[0]![0] !== 0n) throw new DecodeError(what, 0, 'a hash chain starting at 0', pairs[0]![0]);
  const chain = BigInt(nAssets + 2);
  if ((nodeIdx & ((1n << chain) - 1n)) !== 0n) {
    throw new DecodeError(what, words.length - 1, `nodeIdx with its low ${chain} bits 0`, nodeIdx);
  }
  const right = pairs.map((p) => p[1]);
  const last = right[nAssets + 1]!;
  if ((last & 0xffffn) !== BigInt(nAssets))
    throw new DecodeError(what, 2 * nAssets + 3, `asset count ${nAssets}`, last & 0xffffn);
  const mask64 = (1n << 64n) - 1n;
  const bias = BALANCE_BIAS;
  const position: Position = {
    starkKey: right[nAssets]!,
    collateral: (last >> 16n) - bias,
    assets: right.slice(0, nAssets).map((w) => ({
      assetId: w >> 128n,
      balance: (w & mask64) - bias,
      cachedFundingIndex: ((w >> 64n) & mask64) - bias,
    })),
  };
  checkLeafPosition(position, 'escape proof position');
  return { positionId: nodeIdx >> chain, position };
}

/**
 * Encodes the `verifyEscape` proof of `position` at `positionId` from the tree's path pairs
 * (lowest level first, each (left, right), one pair per tree level) and the root.
 * Computes the n + 2 chain hashes; checks the position's leaf sits where bit 0 of positionId says
 * in the lowest pair (a cheap guard against pairing a position with another position's path).
 */
export function encodeEscapeProof(
  position: Position,
  pathPairs: readonly NodePair[],
  root: bigint,
  positionId: bigint,
): bigint[] {
  return encodeEscapeProofFromChain(positionHashChain(position), pathPairs, root, positionId);
}

/** `encodeEscapeProof` with the position's chain already hashed (the tree checks it first). */
export function encodeEscapeProofFromChain(
  chain: { pairs: readonly NodePair[]; leaf: bigint },
  pathPairs: readonly NodePair[],
  root: bigint,
  positionId: bigint,
): bigint[] {
  if (!Array.isArray(pathPairs) || pathPairs.length === 0) {
    throw new RangeCheckError(
      'pathPairs.length',
      Array.isArray(pathPairs) ? pathPairs.length : pathPairs,
      '>= 1 (one pair per tree level)',
    );
  }
  pathPairs.forEach(([l, r], k) => {
    inRange(`pathPairs[${k}].left`, l, FIELD_PRIME, '0 <= left < P');
    inRange(`pathPairs[${k}].right`, r, FIELD_PRIME, '0 <= right < P');
  });
  inRange('root', root, FIELD_PRIME, '0 <= root < P');
  const height = BigInt(pathPairs.length);
  inRange('positionId', positionId, 1n << height, `0 <= positionId < 2^${height} (tree height)`);
  const side = Number(positionId & 1n);
  if (pathPairs[0]![side] !== chain.leaf) {
    throw new RangeCheckError(
      `pathPairs[0].${side ? 'right' : 'left'}`,
      pathPairs[0]![side],
      `the position's leaf hash ${chain.leaf}`,
    );
  }
  return packEscapeProof([...chain.pairs, ...pathPairs], root, positionId << BigInt(chain.pairs.length));
}
