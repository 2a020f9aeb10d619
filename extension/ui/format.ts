/**
 * Amounts as the exit page shows them. Collateral is USDC with 6 decimals and quantum 1 on dYdX and
 * the devnet, so a collateral quantum is 10^-6 USDC; the risk code's `…Rep` figures are fixed
 * point over collateral quanta (signing-risk.md B1.2: total value and funding .32, total risk .64).
 */

/** `v` units with `decimals` decimals, exactly (no float): 1234567n, 6 → "1.234567". */
export function fixed(v: bigint, decimals = 6): string {
  const neg = v < 0n;
  const a = neg ? -v : v;
  const s = a.toString().padStart(decimals + 1, '0');
  return `${neg ? '−' : ''}${s.slice(0, -decimals)}.${s.slice(-decimals)}`;
}

/** Collateral quanta as USDC. */
export const usdc = (quanta: bigint) => fixed(quanta, 6);

/**
 * A .32 figure over collateral quanta (total value, funding owed) as USDC, to the quantum (rounded
 * towards −∞, as `>>` does). Was `(v · 10^6) >> 32` shown as USDC: 10^6 too large (issue 17 item 2).
 */
export const usdcOfRep32 = (rep: bigint) => usdc(rep >> 32n);

/** A .64 figure over collateral quanta (total risk) as USDC. */
export const usdcOfRep64 = (rep: bigint) => usdc(rep >> 64n);

export const gwei = (wei: bigint) => fixed(wei, 9);
export const eth = (wei: bigint) => fixed(wei, 18);
