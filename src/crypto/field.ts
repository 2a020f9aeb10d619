/** The STARK field prime P = 2^251 + 17·2^192 + 1 (signing-risk.md part A). */
export const FIELD_PRIME = 2n ** 251n + 17n * 2n ** 192n + 1n;

const P = FIELD_PRIME;

/** x mod P in [0, P), also for negative x (BigInt `%` keeps the sign of the dividend). */
export function modP(x: bigint): bigint {
  const r = x % P;
  return r < 0n ? r + P : r;
}

/** x⁻¹ mod P by the extended Euclidean algorithm (~20 µs); x must be non-zero mod P. */
export function invertP(x: bigint): bigint {
  let a = modP(x);
  if (a === 0n) throw new RangeError('invertP: 0 has no inverse mod P');
  let b = P;
  let u = 1n;
  let v = 0n;
  while (a !== 0n) {
    const q = b / a;
    const r = b - q * a;
    b = a;
    a = r;
    const w = v - q * u;
    v = u;
    u = w;
  }
  return v < 0n ? v + P : v;
}
