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

// The exit page's figures (issue 17 "one number formatter everywhere"): every amount and price on
// it goes through `decimal` below — thousands grouped, exact, at least cents — so the same figure
// reads the same in the margin table, the stress view and the approval window.

/** Collateral quanta as USDC on screen: 1234567890n → "1,234.56789"; at least 2 decimals. */
export const usdcFigure = (quanta: bigint) => decimal(usdc(quanta), 2);

/** A .32 figure over collateral quanta (total value, funding) on screen, to the quantum (floor). */
export const usdcFigureOfRep32 = (rep: bigint) => usdcFigure(rep >> 32n);

/** A .64 figure over collateral quanta (total risk) on screen, to the quantum (floor). */
export const usdcFigureOfRep64 = (rep: bigint) => usdcFigure(rep >> 64n);

/** TV/TR as a plain number to 4 decimals, rounded half up exactly ("1,234.5678"); null: no risk. */
export const marginRatioFigure = (r: { num: bigint; den: bigint } | null) =>
  r === null ? '∞ (no risk)' : decimal(ratioText(r, 4), 4);

/** A non-negative or negative fraction as a decimal string of `digits` places, half away from zero. */
function ratioText(r: { num: bigint; den: bigint }, digits: number): string {
  const neg = r.num < 0n !== r.den < 0n;
  const n = (r.num < 0n ? -r.num : r.num) * 10n ** BigInt(digits);
  const d = r.den < 0n ? -r.den : r.den;
  const q = (2n * n + d) / (2n * d);
  return `${neg && q !== 0n ? '-' : ''}${fixed(q, digits).replace(/^−/, '')}`;
}
export const eth = (wei: bigint) => fixed(wei, 18);

// The approval window's figures (issue 17 item 3). The service worker sends exact decimal strings
// (src/wallet/order-approval.ts, margin-impact.ts); these only lay them out, never round a price.

const MINUS = '−';

/** "1234567.500000" → "1,234,567.5": thousands grouped, trailing zeros dropped down to `minDecimals`. */
export function decimal(value: string, minDecimals = 0): string {
  const m = /^([-−]?)(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!m) return value; // not a plain decimal (e.g. raw quantums of an unknown market): shown as given
  const [, sign, int, frac = ''] = m;
  let f = frac.replace(/0+$/, '');
  if (f.length < minDecimals) f = f.padEnd(minDecimals, '0');
  const grouped = int!.replace(/^0+(?=\d)/, '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const zero = /^0*$/.test(int! + f);
  return `${sign && !zero ? MINUS : ''}${grouped}${f ? `.${f}` : ''}`;
}

/**
 * A decimal string rounded half away from zero to `digits` decimals, exactly (no float).
 * "3598.455405", 2 → "3598.46".
 */
export function roundDecimal(value: string, digits: number): string {
  const m = /^([-−]?)(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!m) return value;
  const [, sign, int, frac = ''] = m;
  if (frac.length <= digits) return value;
  const scaled = BigInt(int! + frac.slice(0, digits)) + (Number(frac[digits]) >= 5 ? 1n : 0n);
  return `${sign}${fixed(scaled, digits).replace(/^−/, '')}`.replace(/\.$/, '');
}

/**
 * US dollars: "$2,061.30"; at least cents, more decimals only when the value has them. `cents`:
 * rounded to the cent when the amount is a dollar or more (oracle and liquidation prices: a figure
 * to read, not a limit that is signed).
 */
export function usd(value: string, opts: { cents?: boolean } = {}): string {
  const big = /^[-−]?0*[1-9]\d*(\.|$)/.test(value.trim());
  const d = decimal(opts.cents && big ? roundDecimal(value, 2) : value, 2);
  return d.startsWith(MINUS) ? `${MINUS}$${d.slice(1)}` : `$${d}`;
}

/** A signed percentage: "+12.5 %", "−3.25 %". */
export function percent(value: string): string {
  const d = decimal(value, 1);
  return d.startsWith(MINUS) || /^0(\.0+)?$/.test(d) ? `${d} %` : `+${d} %`;
}

/** An ISO time as "12 Dec 2026, 00:00 UTC" (one reading for every locale). */
export function utcDate(iso: string): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][t.getUTCMonth()];
  const hh = String(t.getUTCHours()).padStart(2, '0');
  const mm = String(t.getUTCMinutes()).padStart(2, '0');
  return `${t.getUTCDate()} ${month} ${t.getUTCFullYear()}, ${hh}:${mm} UTC`;
}

/** The fields of a decoded order the summary line needs (signing.ts approvalView → order). */
export type OrderSummaryFields = {
  side: string;
  size: string;
  market: string;
  price: string;
  maxFee: string;
  expiry: string;
};

/**
 * The order in one line, first on the approval: "Buy 5 ETH-USD at ≤ $2,061.30, max fee $10.31,
 * expires 12 Dec 2026, 00:00 UTC". A buy fills at the limit or below, a sell at the limit or above.
 */
export function orderSummary(o: OrderSummaryFields): string {
  const buy = o.side === 'BUY';
  return `${buy ? 'Buy' : 'Sell'} ${decimal(o.size)} ${o.market} at ${buy ? '≤' : '≥'} ${usd(o.price)}, max fee ${usd(o.maxFee)}, expires ${utcDate(o.expiry)}`;
}

/**
 * The approval's liquidation sentence (issue 17), from the worker's exact figures:
 * "Liquidation at $1,234.56, 38.2 % below the oracle price $2,000.00". `fromOracle` is
 * src/risk liquidation-distance.ts's answer (unsigned percent, the side the price must move to).
 */
export function liquidationLine(
  market: string,
  liquidationPrice: string | null,
  fromOracle: { percent: string; side: 'below' | 'above' | 'at' } | null,
  oraclePrice: string | null,
): string {
  if (liquidationPrice === null)
    return `After the order, no ${market} price (other prices held) makes the position liquidatable.`;
  const liq = usd(liquidationPrice, { cents: true });
  if (fromOracle === null || oraclePrice === null)
    return `Liquidation at ${liq} (no verified oracle price to compare).`;
  const oracle = usd(oraclePrice, { cents: true });
  if (fromOracle.side === 'at') return `Liquidation at ${liq}, the oracle price itself: liquidatable now.`;
  return `Liquidation at ${liq}, ${decimal(fromOracle.percent, 1)} % ${fromOracle.side} the oracle price ${oracle}.`;
}

/** Seconds down to the second, as "13d 23h 59m 12s": a deadline the user watches count down. */
export const countdown = (s: bigint) => `${s / 86_400n}d ${(s % 86_400n) / 3600n}h ${(s % 3600n) / 60n}m ${s % 60n}s`;

/** Seconds as "12 s", "4 min 5 s", "3 h 20 min", "2 d 4 h": an age or a wait. */
export function duration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h${s % 3600 >= 60 ? ` ${Math.floor((s % 3600) / 60)} min` : ''}`;
  return `${Math.floor(s / 86_400)} d${s % 86_400 >= 3600 ? ` ${Math.floor((s % 86_400) / 3600)} h` : ''}`;
}
