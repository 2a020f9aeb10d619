import { ExitInputError } from './errors.js';

/**
 * A collateral amount as a person types it — USDC with up to `decimals` decimals, e.g. "1,250.5" —
 * in collateral quanta (issue 17 item 2: the forced-withdrawal field took raw quanta, so "100" meant
 * 0.0001 USDC). Exact decimal arithmetic, no floats; "," and "_" group digits and are ignored.
 * Refused, naming the field, the text and the range: empty, not a number, more decimals than the
 * collateral has, zero, or 2^64 quanta and above (the forced-request amount is a uint64 on L1).
 */
export function collateralQuantaOf(text: string, decimals = 6, field = 'amount'): bigint {
  const shown = String(text ?? '');
  const range = `a USDC amount > 0 with at most ${decimals} decimals, below ${usdcLimit(decimals)} USDC`;
  const t = shown.trim().replace(/[,_]/g, '');
  const m = /^(\d{0,20})(?:\.(\d*))?$/.exec(t);
  if (!m || (m[1] === '' && !m[2]) || (m[2]?.length ?? 0) > decimals) throw new ExitInputError(field, shown, range);
  const quanta = BigInt(m[1] || '0') * 10n ** BigInt(decimals) + BigInt((m[2] ?? '').padEnd(decimals, '0') || '0');
  if (quanta === 0n || quanta >= 1n << 64n) throw new ExitInputError(field, shown, range);
  return quanta;
}

/** 2^64 quanta in USDC: the first amount refused. */
function usdcLimit(decimals: number): string {
  const s = (1n << 64n).toString().padStart(decimals + 1, '0');
  return `${s.slice(0, -decimals)}.${s.slice(-decimals)}`;
}
