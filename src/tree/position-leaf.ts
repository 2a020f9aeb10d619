import { checkArray, checkObject } from '../checks.js';
import { FIELD_PRIME } from '../crypto/field.js';
import { pedersenMany } from '../crypto/pedersen.js';
import { RangeCheckError, TypeCheckError } from '../errors.js';
import { ASSET_ID_BOUND } from '../starkex/asset-id.js';
import { BALANCE_BIAS } from '../starkex/onchain-data.js';
import type { Position } from '../state/position.js';
import { PositionTreeError } from './errors.js';

/**
 * The position leaf (l1-data-tree.md §4.3, signing-risk.md B1.8):
 *   h_0 = 0, h_{i+1} = H(h_i, word_i), leaf = h_{n+2}
 * over the words [asset_0 … asset_{n-1}, publicKey, (collateral + 2^63)·2^16 + n], where
 * asset word = assetId·2^128 + (cachedFundingIndex + 2^63)·2^64 + (balance + 2^63).
 * The same words are the "right" nodes of the first n+2 pairs of an escape proof (§4.6).
 */

const BIAS = BALANCE_BIAS; // balances and funding indices share the 2^63 bias (§4.3)
/** Cairo's POSITION_MAX_SUPPORTED_N_ASSETS (signing-risk.md B1.1). */
export const LEAF_MAX_ASSETS = 64;

/** A pair of sibling nodes (or a hash-chain step): H(left, right) is the node above. */
export type NodePair = readonly [left: bigint, right: bigint];

/** Hashes a[i], b[i] for every i: `pedersenMany`, or a worker pool behind the same shape. */
export type BatchHasher = (a: readonly bigint[], b: readonly bigint[]) => bigint[] | Promise<bigint[]>;

function bigintAt(field: string, v: unknown): bigint {
  if (typeof v !== 'bigint') throw new TypeCheckError(field, v, 'bigint');
  return v;
}

/** `field` is the full path (`position.assets[0].balance`); the range names its last segment. */
function signed64(field: string, v: unknown, extra = ''): bigint {
  const x = bigintAt(field, v);
  const name = field.slice(field.lastIndexOf('.') + 1);
  if (x < -BIAS || x >= BIAS) throw new RangeCheckError(field, x, `-2^63 <= ${name} < 2^63${extra}`);
  return x;
}

/**
 * Checks that `p` is a position the Cairo program can store (signing-risk.md B1.1): key a field
 * element, collateral/balances/funding indices signed 64-bit, asset ids < 2^120 strictly ascending
 * (sorted, no duplicates), at most 64 assets, no zero balance.
 */
export function checkLeafPosition(p: Position, what = 'position'): void {
  checkObject(what, p, 'a position object');
  const key = bigintAt(`${what}.starkKey`, p.starkKey);
  if (key < 0n || key >= FIELD_PRIME) throw new RangeCheckError(`${what}.starkKey`, key, '0 <= starkKey < P');
  signed64(`${what}.collateral`, p.collateral);
  checkArray(`${what}.assets`, p.assets);
  if (p.assets.length > LEAF_MAX_ASSETS) {
    throw new RangeCheckError(`${what}.assets.length`, p.assets.length, `at most ${LEAF_MAX_ASSETS} assets`);
  }
  let previous = -1n;
  // An indexed loop, not forEach: a hole in a sparse array must fail as a missing asset.
  for (let i = 0; i < p.assets.length; i++) {
    const a = p.assets[i];
    const at = `${what}.assets[${i}]`;
    const id = bigintAt(`${at}.assetId`, a?.assetId);
    if (id < 0n || id >= ASSET_ID_BOUND) throw new RangeCheckError(`${at}.assetId`, id, '0 <= assetId < 2^120');
    if (id <= previous) {
      throw new RangeCheckError(
        `${at}.assetId`,
        id,
        `> ${previous} (assets sorted by ascending assetId, no duplicates)`,
      );
    }
    previous = id;
    const balance = signed64(`${at}.balance`, a!.balance, ', balance != 0');
    if (balance === 0n) throw new RangeCheckError(`${at}.balance`, balance, '-2^63 <= balance < 2^63, balance != 0');
    signed64(`${at}.cachedFundingIndex`, a!.cachedFundingIndex);
  }
}

/** The n+2 words the leaf hash chain consumes (validated), in chain order. */
export function positionLeafWords(p: Position): bigint[] {
  checkLeafPosition(p);
  return leafWordsOf(p);
}

/**
 * `positionLeafWords` without the check, for callers that checked the position at their own edge
 * (`PositionTree.update` checks every entry before it writes anything).
 */
export function leafWordsOf(p: Position): bigint[] {
  const words = p.assets.map((a) => (a.assetId << 128n) | ((a.cachedFundingIndex + BIAS) << 64n) | (a.balance + BIAS));
  words.push(p.starkKey, ((p.collateral + BIAS) << 16n) | BigInt(p.assets.length));
  return words;
}

/**
 * Runs one hash chain per word list, all chains advancing together: step j hashes the j-th word
 * of every chain that has one in a single batch (so a worker pool sees one batch per step).
 * Returns, per chain, the states h_0 … h_len.
 */
function chainStep(
  lists: readonly bigint[][],
  states: bigint[][],
  j: number,
): { who: number[]; a: bigint[]; b: bigint[] } {
  const who: number[] = [];
  const a: bigint[] = [];
  const b: bigint[] = [];
  lists.forEach((words, k) => {
    if (j < words.length) {
      who.push(k);
      a.push(states[k]![j]!);
      b.push(words[j]!);
    }
  });
  return { who, a, b };
}

function chainStates(lists: readonly bigint[][]): { states: bigint[][]; steps: number } {
  // A loop, not Math.max(...lengths): spreading 100 k arguments overflows a Web Worker's stack
  // (seen at the first catch-up checkpoint of 100 k positions in the extension, issue 15).
  let steps = 0;
  for (const w of lists) if (w.length > steps) steps = w.length;
  return { states: lists.map(() => [0n]), steps };
}

function record(states: bigint[][], who: number[], out: readonly bigint[]): void {
  if (out.length !== who.length)
    throw new PositionTreeError(`batch hasher returned ${out.length} hashes for ${who.length} inputs`);
  who.forEach((k, i) => states[k]!.push(out[i]!));
}

export function hashChainsSync(lists: readonly bigint[][]): bigint[][] {
  const { states, steps } = chainStates(lists);
  for (let j = 0; j < steps; j++) {
    const { who, a, b } = chainStep(lists, states, j);
    record(states, who, pedersenMany(a, b));
  }
  return states;
}

export async function hashChains(lists: readonly bigint[][], hashMany: BatchHasher): Promise<bigint[][]> {
  const { states, steps } = chainStates(lists);
  for (let j = 0; j < steps; j++) {
    const { who, a, b } = chainStep(lists, states, j);
    record(states, who, await hashMany(a, b));
  }
  return states;
}

/** The leaf hash of one position (n + 2 Pedersen hashes). */
export function positionLeafHash(p: Position): bigint {
  return hashChainsSync([positionLeafWords(p)])[0]!.at(-1)!;
}

/** Leaf hashes of many positions, one `pedersenMany` batch per chain step. */
export function positionLeafHashes(ps: readonly Position[]): bigint[] {
  return hashChainsSync(ps.map(positionLeafWords)).map((s) => s.at(-1)!);
}

/**
 * The position's hash chain as the pairs an escape proof starts with (§4.6):
 * (0, word_0), (h_1, word_1), …, (h_{n+1}, collateral word); `leaf` = H(last pair).
 */
export function positionHashChain(p: Position): { pairs: NodePair[]; leaf: bigint } {
  const words = positionLeafWords(p);
  const states = hashChainsSync([words])[0]!;
  return { pairs: words.map((w, i) => [states[i]!, w] as const), leaf: states.at(-1)! };
}
