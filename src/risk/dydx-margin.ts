import { checkArray, checkObject } from '../checks.js';
import { TypeCheckError } from '../errors.js';
import { RiskInputError } from './errors.js';
import { riskFactorFromFraction } from './oracle-price.js';
import {
  checkRatio,
  parseRatio,
  ratio,
  ratioAbs,
  ratioAdd,
  ratioCeil,
  ratioDiv,
  ratioFloor,
  ratioMul,
  ratioSign,
  ratioSub,
  type Ratio,
} from './ratio.js';
import type { RiskParams } from './risk-config.js';

/*
 * dYdX v3 user-facing margin numbers (signing-risk.md B3), in exact rational USD. StarkEx itself only
 * enforces the maintenance rule (TV >= TR, B1.2); these are the exchange's own, stricter numbers.
 * S = signed size, P = oracle price, Q = USDC balance (may be negative).
 */

/** The risk fields of one market of `GET /v3/markets` (decimal strings, as the API returns them). */
export type DydxMarketParams = {
  market: string;
  initialMarginFraction: string;
  maintenanceMarginFraction: string;
  incrementalInitialMarginFraction?: string;
  incrementalPositionSize?: string;
  baselinePositionSize?: string;
  maxPositionSize?: string;
};

export type DydxPositionInput = { market: string; size: string | Ratio; oraclePrice: string | Ratio };
export type DydxAccountInput = { usdcBalance: string | Ratio; positions: readonly DydxPositionInput[] };
export type DydxMarginOptions = {
  /**
   * Whether a partial `incrementalPositionSize` step above the baseline counts (`ceil`, the
   * conservative default) or not (`floor`); the sources do not say (B3, open question 3).
   */
  imfStepRounding?: 'ceil' | 'floor';
};

export type DydxPositionMargin = {
  market: string;
  size: Ratio;
  oraclePrice: Ratio;
  /** S·P (signed). */
  notional: Ratio;
  /** The size-dependent IMF I(S). */
  initialMarginFraction: Ratio;
  maintenanceMarginFraction: Ratio;
  exceedsMaxPositionSize: boolean;
  /** Price of this market at which V = W, other prices fixed; null if no positive price does it. */
  liquidationPrice: Ratio | null;
  /** The docs' "close price for liquidations" P·(1 ∓ M·V/W) at the current price. */
  closePrice: Ratio | null;
  /** Price of this market at which V = 0, other prices fixed. */
  bankruptcyPrice: Ratio | null;
};

export type DydxAccountMargin = {
  /** V = Q + Σ S·P. */
  totalAccountValue: Ratio;
  /** IM = Σ |S·P·I(S)|. */
  initialMarginRequirement: Ratio;
  /** W = Σ |S·P·M|. */
  maintenanceMarginRequirement: Ratio;
  /** V − IM. */
  freeCollateral: Ratio;
  /** V < W. */
  liquidatable: boolean;
  /** Σ |S·P| / V, null when V <= 0. */
  leverage: Ratio | null;
  positions: DydxPositionMargin[];
};

const asRatio = (field: string, v: string | Ratio): Ratio =>
  typeof v === 'string' ? parseRatio(field, v) : checkRatio(field, v);
const optional = (field: string, v: string | undefined): Ratio | undefined =>
  v === undefined ? undefined : parseRatio(field, v);
const positiveOrNull = (r: Ratio): Ratio | null => (ratioSign(r) > 0 ? r : null);

/** I(S) = IMF + incrementalIMF·k, k = the incrementalPositionSize steps by which |S| exceeds the baseline. */
export function dydxInitialMarginFraction(
  params: DydxMarketParams,
  size: Ratio,
  options: DydxMarginOptions = {},
): Ratio {
  checkObject('params', params, 'a market params object');
  checkRatio('size', size);
  const base = parseRatio(`${params.market}.initialMarginFraction`, params.initialMarginFraction);
  const inc = optional(`${params.market}.incrementalInitialMarginFraction`, params.incrementalInitialMarginFraction);
  const step = optional(`${params.market}.incrementalPositionSize`, params.incrementalPositionSize);
  const baseline = optional(`${params.market}.baselinePositionSize`, params.baselinePositionSize);
  if (inc === undefined || step === undefined || baseline === undefined || ratioSign(step) <= 0) return base;
  const excess = ratioSub(ratioAbs(size), baseline);
  if (ratioSign(excess) <= 0) return base;
  const steps = ratioDiv(excess, step);
  const k = (options.imfStepRounding ?? 'ceil') === 'ceil' ? ratioCeil(steps) : ratioFloor(steps);
  return ratioAdd(base, ratioMul(inc, ratio(k)));
}

function checkFraction(field: string, r: Ratio): Ratio {
  if (ratioSign(r) <= 0 || r.num >= r.den) throw new RiskInputError(field, `${r.num}/${r.den}`, `0 < ${field} < 1`);
  return r;
}

/** B3 account numbers; `markets` is any list of market params (e.g. a `/v3/markets` response). */
export function dydxAccountMargin(
  account: DydxAccountInput,
  markets: readonly DydxMarketParams[],
  options: DydxMarginOptions = {},
): DydxAccountMargin {
  checkObject('account', account, '{ usdcBalance, positions }');
  checkArray('account.positions', account.positions);
  checkArray('markets', markets, 'an array of market params');
  const q = asRatio('usdcBalance', account.usdcBalance);
  // A for loop, not map: map skips holes, and a hole must fail like any other bad entry.
  const rows = Array.from({ length: account.positions.length }, (_, i) => {
    const p = account.positions[i];
    if (p === null || typeof p !== 'object') throw new TypeCheckError(`positions[${i}]`, p, 'a position object');
    const params = markets.find((m) => m?.market === p.market);
    if (params === undefined)
      throw new RiskInputError(`positions[${i}].market`, p.market, 'a market present in the market params');
    const size = asRatio(`positions[${i}].size`, p.size);
    const price = asRatio(`positions[${i}].oraclePrice`, p.oraclePrice);
    if (ratioSign(price) <= 0) throw new RiskInputError(`positions[${i}].oraclePrice`, p.oraclePrice, 'a price > 0');
    const mmf = checkFraction(
      `${p.market}.maintenanceMarginFraction`,
      parseRatio(`${p.market}.maintenanceMarginFraction`, params.maintenanceMarginFraction),
    );
    const imf = dydxInitialMarginFraction(params, size, options);
    const max = optional(`${p.market}.maxPositionSize`, params.maxPositionSize);
    const notional = ratioMul(size, price);
    return {
      market: p.market,
      size,
      price,
      notional,
      imf,
      mmf,
      exceedsMax: max !== undefined && ratioSign(ratioSub(ratioAbs(size), max)) > 0,
    };
  });
  let v = q;
  let im = ratio(0n);
  let w = ratio(0n);
  let gross = ratio(0n);
  for (const r of rows) {
    v = ratioAdd(v, r.notional);
    im = ratioAdd(im, ratioAbs(ratioMul(r.notional, r.imf)));
    w = ratioAdd(w, ratioAbs(ratioMul(r.notional, r.mmf)));
    gross = ratioAdd(gross, ratioAbs(r.notional));
  }
  const positions = rows.map((r): DydxPositionMargin => {
    const absSize = ratioAbs(r.size);
    const mmRow = ratioMul(ratioMul(absSize, r.price), r.mmf);
    const vOthers = ratioSub(v, r.notional);
    const wOthers = ratioSub(w, mmRow);
    const isZero = ratioSign(r.size) === 0;
    // V(p) = W(p): V_o + S·p = W_o + |S|·M·p  ⇒  p* = (W_o − V_o) / (S − |S|·M).
    const liquidationPrice = isZero
      ? null
      : positiveOrNull(ratioDiv(ratioSub(wOthers, vOthers), ratioSub(r.size, ratioMul(absSize, r.mmf))));
    // Docs close price: P·(1 − M·V/W) for a long, P·(1 + M·V/W) for a short.
    const closePrice =
      isZero || ratioSign(w) === 0
        ? null
        : positiveOrNull(
            ratioMul(
              r.price,
              ratioSub(ratio(1n), ratioMul(ratio(BigInt(ratioSign(r.size))), ratioDiv(ratioMul(r.mmf, v), w))),
            ),
          );
    const bankruptcyPrice = isZero ? null : positiveOrNull(ratioDiv(ratioSub(ratio(0n), vOthers), r.size));
    return {
      market: r.market,
      size: r.size,
      oraclePrice: r.price,
      notional: r.notional,
      initialMarginFraction: r.imf,
      maintenanceMarginFraction: r.mmf,
      exceedsMaxPositionSize: r.exceedsMax,
      liquidationPrice,
      closePrice,
      bankruptcyPrice,
    };
  });
  return {
    totalAccountValue: v,
    initialMarginRequirement: im,
    maintenanceMarginRequirement: w,
    freeCollateral: ratioSub(v, im),
    liquidatable: ratioSign(ratioSub(v, w)) < 0,
    leverage: ratioSign(v) > 0 ? ratioDiv(gross, v) : null,
    positions,
  };
}

/**
 * StarkEx risk parameters from maintenance margin fractions (B3 "Mapping to StarkEx": the risk
 * factor is the MMF in 0.32 fixed point). The market → asset id mapping is the caller's.
 */
export function riskParamsFromMarginFractions(
  entries: readonly { assetId: bigint; maintenanceMarginFraction: string }[],
  rounding: 'floor' | 'ceil' = 'floor',
): RiskParams {
  return {
    assets: entries.map((e) => ({
      assetId: e.assetId,
      riskFactor: riskFactorFromFraction(e.maintenanceMarginFraction, rounding),
    })),
  };
}
