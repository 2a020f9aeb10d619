import { FIELD_PRIME } from '../crypto/field.js';
import { RangeCheckError, TypeCheckError } from '../errors.js';
import { checkWordArray, keccakWords, type Hex } from './words.js';

/** MemoryPageFactRegistry's page kind for `registerContinuousMemoryPage`. */
const CONTINUOUS_PAGE = 1n;

/** Page hash (`memoryHash`) = keccak256 of the page's values as 32-byte words (l1-data-tree.md §2.4). */
export function memoryPageHash(words: bigint[]): Hex {
  return keccakWords(words, 'memory page');
}

export type ContinuousPageFact = {
  /** The registered fact, keccak256(1, prime, n, z, alpha, prod, memoryHash, startAddr). */
  factHash: Hex;
  memoryHash: Hex;
  /** ∏ (z − (startAddr + i + alpha·values[i])) mod prime. */
  prod: bigint;
};

/**
 * The fact `registerContinuousMemoryPage(startAddr, values, z, alpha, prime)` registers and the
 * values its `LogMemoryPageFactContinuous` event carries (l1-data-tree.md §2.4). Mirrors the
 * contract's input checks, so anything it accepts the contract accepts too.
 */
export function continuousPageFact(
  startAddr: bigint,
  values: bigint[],
  z: bigint,
  alpha: bigint,
  prime: bigint = FIELD_PRIME,
): ContinuousPageFact {
  for (const [field, v] of [
    ['startAddr', startAddr],
    ['z', z],
    ['alpha', alpha],
    ['prime', prime],
  ] as const) {
    if (typeof v !== 'bigint') throw new TypeCheckError(field, v, 'bigint');
  }
  checkWordArray('values', values);
  if (values.length >= 2 ** 20) throw new RangeCheckError('values.length', values.length, 'values.length < 2^20');
  // Hashing first also validates every value (bigint uint256 words, no holes) before the product loop.
  const memoryHash = memoryPageHash(values);
  if (prime <= 1n || prime >= 1n << 254n) throw new RangeCheckError('prime', prime, '1 < prime < 2^254');
  if (z < 0n || z >= prime) throw new RangeCheckError('z', z, '0 <= z < prime');
  if (alpha < 0n || alpha >= prime) throw new RangeCheckError('alpha', alpha, '0 <= alpha < prime');
  if (startAddr < 0n || startAddr >= prime || startAddr >= 1n << 64n)
    throw new RangeCheckError('startAddr', startAddr, '0 <= startAddr < min(prime, 2^64)');
  let prod = 1n;
  for (let i = 0; i < values.length; i++) {
    // The contract reduces alpha·value mod prime, so values >= prime are accepted as their residue.
    const term = (z - ((startAddr + BigInt(i) + alpha * values[i]!) % prime)) % prime;
    prod = (prod * (term < 0n ? term + prime : term)) % prime;
  }
  const factHash = keccakWords([
    CONTINUOUS_PAGE,
    prime,
    BigInt(values.length),
    z,
    alpha,
    prod,
    BigInt(memoryHash),
    startAddr,
  ]);
  return { factHash, memoryHash, prod };
}
