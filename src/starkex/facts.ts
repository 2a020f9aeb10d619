import { RangeCheckError, TypeCheckError } from '../errors.js';
import { memoryPageHash } from './memory-page.js';
import { checkPages, checkWordArray, keccakWords, WORD_BOUND, type Hex } from './words.js';

/** A page known by its hash and length (e.g. from `LogMemoryPagesHashes`, whose sizes are known elsewhere). */
export type PageDigest = { hash: Hex | bigint; size: number };

/** `+1`: marks an inner node of the GPS fact tree (l1-data-tree.md §2.5); wraps like uint256. */
function innerNode(words: bigint[]): bigint {
  return (BigInt(keccakWords(words)) + 1n) % WORD_BOUND;
}

function toWord(field: string, h: Hex | bigint): bigint {
  let w: bigint;
  if (typeof h === 'bigint') w = h;
  else if (typeof h === 'string' && /^0x[0-9a-fA-F]{1,64}$/.test(h)) w = BigInt(h);
  else throw new TypeCheckError(field, h, 'bigint or 0x-hex string of at most 64 digits');
  if (w < 0n || w >= WORD_BOUND) throw new RangeCheckError(field, w, `0 <= ${field} < 2^256`);
  return w;
}

function checkSize(field: string, n: number): bigint {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeCheckError(field, n, `a non-negative integer`);
  return BigInt(n);
}

/**
 * onchainDataHash = keccak256(h_1‖u(end_1) ‖ … ‖ h_n‖u(end_n)) + 1, where end_i counts words from
 * the first word of the main page (end_i = L + s_1 + … + s_i). Always an inner node, even for one page.
 */
export function onchainDataHash(
  mainPageLength: number,
  dataPages: readonly PageDigest[],
): { hash: bigint; size: bigint } {
  if (!Array.isArray(dataPages)) throw new TypeCheckError('dataPages', dataPages, 'an array of { hash, size }');
  if (dataPages.length === 0) throw new RangeCheckError('dataPages.length', 0, 'at least one data page (rollup mode)');
  let end = checkSize('mainPageLength', mainPageLength);
  const words: bigint[] = [];
  Array.from(dataPages).forEach((p: PageDigest | undefined, i) => {
    if (p === null || typeof p !== 'object') throw new TypeCheckError(`dataPages[${i}]`, p, '{ hash, size }');
    end += checkSize(`dataPages[${i}].size`, p.size);
    words.push(toWord(`dataPages[${i}].hash`, p.hash), end);
  });
  return { hash: innerNode(words), size: end - BigInt(mainPageLength) };
}

/**
 * stateTransitionFact = keccak256(h_main ‖ u(L) ‖ onchainDataHash ‖ u(L + D)) + 1, from page hashes
 * and sizes (l1-data-tree.md §2.5). Equals `LogMemoryPagesHashes.factHash` and the fact
 * `updateState` logs.
 */
export function stateTransitionFactFromPages(mainPage: PageDigest, dataPages: readonly PageDigest[]): Hex {
  if (mainPage === null || typeof mainPage !== 'object')
    throw new TypeCheckError('mainPage', mainPage, '{ hash, size }');
  const da = onchainDataHash(mainPage.size, dataPages);
  return factFromParts(toWord('mainPage.hash', mainPage.hash), BigInt(mainPage.size), da.hash, da.size);
}

/** The state-transition fact of a main page and its data pages (l1-data-tree.md §2.5). */
export function stateTransitionFact(mainPage: bigint[], dataPages: bigint[][]): Hex {
  checkWordArray('mainPage', mainPage);
  checkPages('dataPages', dataPages);
  return stateTransitionFactFromPages(
    { hash: memoryPageHash(mainPage), size: mainPage.length },
    dataPages.map((p) => ({ hash: memoryPageHash(p), size: p.length })),
  );
}

/**
 * What the contract computes from the `updateState` programOutput alone: the last two words are
 * onchainDataHash and onchainDataSize, the rest is the main page (OnchainDataFactTreeEncoder).
 */
export function stateTransitionFactFromProgramOutput(programOutput: bigint[]): Hex {
  checkWordArray('programOutput', programOutput);
  if (programOutput.length < 2)
    throw new RangeCheckError('programOutput.length', programOutput.length, 'programOutput.length >= 2');
  const main = programOutput.slice(0, -2);
  const hash = toWord('onchainDataHash', programOutput[programOutput.length - 2]!);
  const size = toWord('onchainDataSize', programOutput[programOutput.length - 1]!);
  return factFromParts(BigInt(memoryPageHash(main)), BigInt(main.length), hash, size);
}

function factFromParts(mainHash: bigint, mainLength: bigint, daHash: bigint, daSize: bigint): Hex {
  return `0x${innerNode([mainHash, mainLength, daHash, (mainLength + daSize) % WORD_BOUND])
    .toString(16)
    .padStart(64, '0')}`;
}

/**
 * The fact the GPS verifier registers for a program's output: keccak256(abi.encode(programHash,
 * outputFact)); the fact adapter's `isValid(f)` checks it for f = the state-transition fact.
 */
export function gpsFact(programHash: bigint, outputFact: Hex | bigint): Hex {
  return keccakWords([toWord('programHash', programHash), toWord('outputFact', outputFact)]);
}
