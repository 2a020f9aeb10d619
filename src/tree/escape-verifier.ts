import { checkArray } from '../checks.js';
import { FIELD_PRIME } from '../crypto/field.js';
import { pedersen } from '../crypto/pedersen.js';
import { RangeCheckError, TypeCheckError } from '../errors.js';
import { BALANCE_BIAS } from '../starkex/onchain-data.js';
import { decodeSharedState } from '../starkex/shared-state.js';
import type { Position } from '../state/position.js';
import { EscapeVerificationError } from './errors.js';
import { positionLeafWords } from './position-leaf.js';

/**
 * A mirror of the on-chain `PerpetualEscapeVerifier.verifyEscape` and `PedersenMerkleVerifier.
 * verifyMerkle` (l1-data-tree.md §4.6, signing-risk.md B2.2; SC HEAD, the code with the corrected
 * asset-balance decoding and `LogEscapeVerified`). Same checks in the same order, same revert
 * strings, all arithmetic mod 2^256 with the final int256 reinterpretation, so the amount returned
 * is the one the contract would register and pass to `escape`.
 */

const U256 = 1n << 256n;
const M256 = U256 - 1n;
const M64 = (1n << 64n) - 1n;
const FXP_BITS = 32n;
const PRIME_MINUS_ONE = FIELD_PRIME - 1n;
// ProgramOutputOffsets.sol: STATE_OFFSET_VAULTS_ROOT, _HEIGHT, _FUNDING.
const STATE_OFFSET_FUNDING = 5n;

const u = (x: bigint): bigint => x & M256;
const int256 = (x: bigint): bigint => (x >= 1n << 255n ? x - U256 : x);

function revert(reason: string, details?: string): never {
  throw new EscapeVerificationError(reason, details === undefined ? {} : { details });
}

/** `array[idx]` as Solidity 0.6 reads it: out of bounds is an `invalid` opcode (no reason). */
function at(array: readonly bigint[], idx: bigint, name: string): bigint {
  if (idx >= BigInt(array.length))
    revert(
      'array index out of bounds',
      `${name}[${idx}] with length ${array.length} (invalid opcode, no revert reason)`,
    );
  return array[Number(idx)]!;
}

/** Pair k of the proof: words 2k, 2k+1 as 252-bit left and right (the 8 trailing bits unread). */
function pairAt(proof: readonly bigint[], k: number): [bigint, bigint] {
  const hi = proof[2 * k]!;
  return [hi >> 4n, ((hi & 0xfn) << 248n) | (proof[2 * k + 1]! >> 8n)];
}

// A JS-side guard only (the contract's own limits are checked in its order below): no proof or
// shared state comes near this, and it keeps a hostile array from costing minutes.
const MAX_WORDS = 1 << 16;

function checkWords(name: string, words: readonly bigint[]): void {
  checkArray(name, words, 'an array of uint256 words');
  if (words.length > MAX_WORDS)
    throw new RangeCheckError(`${name}.length`, words.length, `${name}.length <= ${MAX_WORDS}`);
  // An indexed loop, not forEach: a sparse array's holes must fail here, not deep in the arithmetic.
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (typeof w !== 'bigint') throw new TypeCheckError(`${name}[${i}]`, w, 'bigint');
    if (w < 0n || w >= U256) throw new RangeCheckError(`${name}[${i}]`, w, `0 <= ${name}[${i}] < 2^256`);
  }
}

/** `findAssetId`: linear search from `start` in steps of 2 (entries are (assetId, value)). */
function findAssetId(assetId: bigint, ss: readonly bigint[], start: bigint, end: bigint): bigint {
  let idx = start;
  // Terminates: every read is bounds-checked and idx grows by 2.
  while (at(ss, idx, 'sharedState') !== assetId) {
    idx = u(idx + 2n);
    if (!(idx < end)) revert('assetId not found.', `asset ${assetId}`);
  }
  return idx;
}

/** `computeFxpBalance`: collateral·2^32 + Σ balance·price + floor32(−Σ balance·Δfunding), as int256. */
function computeFxpBalance(position: readonly bigint[], ss: readonly bigint[]): bigint {
  const lastWord = position[position.length - 1]!;
  const nAssets = lastWord & 0xffffn;
  const biasedBalance = lastWord >> 16n;
  if (BigInt(position.length) !== nAssets + 2n) revert('Bad number of assets.');
  if (biasedBalance >= 1n << 64n) revert('Bad balance.');
  let fxpBalance = u((biasedBalance - BALANCE_BIAS) << FXP_BITS);

  let fundingOffset = STATE_OFFSET_FUNDING;
  const fundingEnd = u(fundingOffset + 2n * at(ss, fundingOffset - 1n, 'sharedState'));
  let pricesOffset = u(fundingEnd + 2n); // skip the funding timestamp and nPrices
  const pricesEnd = u(pricesOffset + 2n * at(ss, u(pricesOffset - 1n), 'sharedState'));

  let fundingTotal = 0n;
  for (let i = 0; i < Number(nAssets); i++) {
    const positionAsset = position[i]!;
    const assetId = positionAsset >> 128n;
    // Both funding indices are biased by 2^63, so the bias cancels in the difference.
    const cachedFunding = (positionAsset >> 64n) & M64;
    // The corrected decoding: (word & (2^64 - 1)) - 2^63 (SC v1.0 parsed it as word & (2^63 - 1)).
    const assetBalance = u((positionAsset & M64) - BALANCE_BIAS);
    fundingOffset = findAssetId(assetId, ss, fundingOffset, fundingEnd);
    fundingTotal = u(fundingTotal - assetBalance * u(at(ss, u(fundingOffset + 1n), 'sharedState') - cachedFunding));
    pricesOffset = findAssetId(assetId, ss, pricesOffset, pricesEnd);
    fxpBalance = u(fxpBalance + assetBalance * at(ss, u(pricesOffset + 1n), 'sharedState'));
  }
  // Clearing the low 32 bits of the two's-complement value rounds the funding term toward −∞.
  const truncatedFunding = fundingTotal & (M256 ^ ((1n << FXP_BITS) - 1n));
  return int256(u(fxpBalance + truncatedFunding));
}

/** `verifyMerkle`: every pair hashes to the chosen node of the next pair; the last one is the root. */
function verifyMerkle(proof: readonly bigint[]): void {
  const len = proof.length;
  if (len < 4) revert('Proof too short.');
  if (len > 402) revert('Proof too long.');
  if (len % 2 !== 0) revert('Proof length must be even.');
  const height = (len - 2) / 2;
  const nodeIdx = proof[len - 1]! >> 8n;
  if (nodeIdx >= 1n << BigInt(height)) revert('nodeIdx not in tree.');
  if ((nodeIdx & 1n) !== 0n) revert('nodeIdx must be even.');
  let [left, right] = pairAt(proof, 0);
  if (left > PRIME_MINUS_ONE || right > PRIME_MINUS_ONE) revert('Bad starkKey or assetId.');
  let selectors = nodeIdx;
  for (let k = 0; k < height; k++) {
    const hash = pedersen(left, right);
    const [next, other] = pairAt(proof, k + 1);
    if (next > PRIME_MINUS_ONE || other > PRIME_MINUS_ONE) revert('Value out of range.', `pair ${k + 1}`);
    selectors >>= 1n;
    const expected = (selectors & 1n) === 1n ? other : next;
    if (hash !== expected) revert('Bad Merkle path.', `level ${k}`);
    [left, right] = [next, other];
  }
}

/** Vigil's own extra checks (`canonical`): no stray bits, and a shared state that decodes. */
function checkCanonical(proof: readonly bigint[], sharedState: readonly bigint[]): void {
  const own = (reason: string, cause?: unknown): never => {
    throw new EscapeVerificationError(reason, { onChain: false, cause });
  };
  if (proof[0]! >> 4n !== 0n) own('non-canonical proof: the hash chain must start with exactly 0');
  proof.forEach((w, i) => {
    const padding = i === proof.length - 2 ? 0xfn : i % 2 === 1 ? 0xffn : 0n;
    if ((w & padding) !== 0n) own(`non-canonical proof: padding bits set in word ${i}`);
  });
  try {
    decodeSharedState(sharedState);
  } catch (err) {
    own('sharedState does not decode', err);
  }
}

export type EscapeVerification = { positionId: bigint; starkKey: bigint; amount: bigint };

/**
 * Verifies `verifyEscape(merkleProof, nAssets, sharedState)` as the contract would and returns
 * what it would register. Throws `EscapeVerificationError` (reason = the revert string) where the
 * contract reverts. It does not compare keccak(sharedState) with the exchange's stored hash: that
 * check happens in `escape` and belongs to the caller (§4.7).
 *
 * `canonical: true` also rejects proofs the contract would accept but Vigil never produces: set
 * padding bits (the contract reads neither the 8 trailing bits of each pair nor the 4 bits after
 * the root) and shared states that do not decode.
 */
export function verifyEscapeProof(
  merkleProof: readonly bigint[],
  nAssets: number,
  sharedState: readonly bigint[],
  opts: { canonical?: boolean } = {},
): EscapeVerification {
  checkWords('merkleProof', merkleProof);
  checkWords('sharedState', sharedState);
  if (!Number.isSafeInteger(nAssets) || nAssets < 0)
    throw new RangeCheckError('nAssets', nAssets, '0 <= nAssets (a safe integer)');
  const len = BigInt(merkleProof.length);

  // extractPosition
  if (at(merkleProof, 0n, 'merkleProof') >> 8n !== 0n) revert('Position hash-chain must start with 0.');
  const positionLength = nAssets + 2;
  const nodeIdx = at(merkleProof, u(len - 1n), 'merkleProof') >> 8n;
  // EVM shifts by >= 256 give 0, so the mask is all ones and positionId 0.
  const mask = positionLength >= 256 ? M256 : (1n << BigInt(positionLength)) - 1n;
  if ((nodeIdx & mask) !== 0n) revert('merkleProof is inconsistent with nAssets.');
  const positionId = positionLength >= 256 ? 0n : nodeIdx >> BigInt(positionLength);
  if (2 * positionLength > merkleProof.length) {
    // Never allocate from nAssets unchecked. The contract reads memory past the proof here and
    // then fails the height check (nHashes - positionLength wraps below zero) unless a check on
    // those stray bytes fails first.
    revert(
      'merkleProof is inconsistent with the height in the sharedState.',
      `nAssets ${nAssets} needs ${2 * positionLength} words, proof has ${len}`,
    );
  }
  const position = Array.from({ length: positionLength }, (_, i) => pairAt(merkleProof, i)[1]);

  const withdrawalAmount = computeFxpBalance(position, sharedState) >> FXP_BITS;
  const nHashes = u(len - 2n) / 2n;
  const positionTreeHeight = u(nHashes - BigInt(positionLength));
  const root = at(merkleProof, u(len - 2n), 'merkleProof') >> 4n;
  if (at(sharedState, 0n, 'sharedState') !== root)
    revert('merkleProof is inconsistent with the root in the sharedState.');
  if (at(sharedState, 1n, 'sharedState') !== positionTreeHeight)
    revert('merkleProof is inconsistent with the height in the sharedState.');
  if (withdrawalAmount <= 0n) revert('Withdrawal amount must be positive.', `amount ${withdrawalAmount}`);
  verifyMerkle(merkleProof);
  if (opts.canonical) checkCanonical(merkleProof, sharedState);
  return { positionId, starkKey: position[nAssets]!, amount: withdrawalAmount };
}

/**
 * The amount `verifyEscape` computes for `position` under `sharedState` (may be <= 0, which the
 * contract refuses). Throws `EscapeVerificationError("assetId not found.")` like the contract.
 */
export function escapeWithdrawalAmount(position: Position, sharedState: readonly bigint[]): bigint {
  checkWords('sharedState', sharedState);
  return computeFxpBalance(positionLeafWords(position), sharedState) >> FXP_BITS;
}
