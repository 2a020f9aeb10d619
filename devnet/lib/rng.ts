/**
 * The devnet's seeded PRNG (mulberry32): the exchange's random walks and the RPC proxy's flaky
 * answers and latency jitter repeat exactly for a given seed, so a failing test can be replayed.
 */
export function seededRandom(seed: number): () => number {
  const next = seededUint32(seed);
  return () => next() / 4294967296;
}

/** The same mulberry32 stream as unsigned 32-bit integers (Numbers only: cheap for 10^6 draws). */
export function seededUint32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/**
 * xorshift128+ over 64-bit words (verification-and-performance.md §2.1): the benchmarks' and the
 * Pedersen tests' seeded inputs. A zero seed word is replaced (1, 2): the state must not be all zero.
 */
export function xorshift128plus(seed0: bigint, seed1: bigint): () => bigint {
  const M = (1n << 64n) - 1n;
  let s0 = seed0 & M || 1n;
  let s1 = seed1 & M || 2n;
  return () => {
    let x = s0;
    const y = s1;
    s0 = y;
    x ^= (x << 23n) & M;
    s1 = x ^ y ^ (x >> 17n) ^ (y >> 26n);
    return (s1 + y) & M;
  };
}
