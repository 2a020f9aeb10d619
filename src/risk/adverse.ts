import type { Position } from '../state/position.js';
import { RiskInputError, RiskFactorSegmentError } from './errors.js';
import {
  FUNDING_INDEX_UPPER_BOUND,
  FXP_32_ONE,
  PRICE_UPPER_BOUND,
  abs,
  ceilDiv,
  checkMarketState,
  checkPosition,
  floorDiv,
  fundingIndexOf,
  fundingTable,
  priceOf,
  priceTable,
} from './fixed-point.js';
import { maxForcedWithdrawal } from './forced-withdrawal.js';
import { assetRiskOf, riskFactorFor, riskTable, type RiskParams, type RiskTable } from './risk-config.js';
import type { MarketState } from './update-position.js';

/*
 * The operator's latitude when it serves a forced withdrawal (signing-risk.md B2.1, B1.7): any price
 * inside the batch's signed range and whatever funding accrues until then. The wallet therefore asks
 * for an amount that is valid in the worst case of a scenario it states explicitly.
 */

export type AdverseScenario = {
  /** Every price may move by up to this many basis points against or for the position (0..10000). */
  adverseMoveBps: bigint;
  /** Optional funding projection: the config's `max_funding_rate` (32.32, 1/(time·price)) … */
  maxFundingRate?: bigint;
  /** … over this many seconds until the request is served. */
  elapsedSeconds?: bigint;
};

export type AdverseOutcome = {
  /** The largest forced withdrawal valid at every price and funding in the scenario. */
  amount: bigint;
  /** The worst-case state the amount was computed at (held assets moved, others unchanged). */
  state: MarketState;
};

/** The contribution of one holding to `TV_rep·2^32 − TR_rep` at price `p` (what A_max is floor of /2^64). */
function marginTerm(risk: RiskTable, assetId: bigint, balance: bigint, p: bigint): bigint {
  const absBalance = abs(balance);
  return p * (balance * FXP_32_ONE - riskFactorFor(risk, assetId, absBalance, p) * absBalance);
}

/**
 * The price in `[lo, hi]` that minimises the holding's margin term. With a single risk factor (or
 * risk by balance only) the term is monotone: lowest price for a long, highest for a short. With
 * value-selected v3.2 segments it is monotone inside each segment, so the minimum is at `lo`, `hi`
 * or next to a segment bound; all those candidates are evaluated. Prices whose amount exceeds the
 * last segment cannot occur in a provable batch and are skipped.
 */
export function worstPriceInRange(risk: RiskTable, assetId: bigint, balance: bigint, lo: bigint, hi: bigint): bigint {
  const r = assetRiskOf(risk, assetId);
  if (r.kind === 'single' || risk.isRiskByBalanceOnly) return balance > 0n ? lo : hi;
  const absBalance = abs(balance);
  const candidates = new Set<bigint>([lo, hi]);
  for (const s of r.segments) {
    const edge = s.upperBound / absBalance; // last price inside the segment
    for (const p of [edge, edge + 1n]) if (p >= lo && p <= hi) candidates.add(p);
  }
  let best: { p: bigint; term: bigint } | undefined;
  for (const p of [...candidates].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    let term: bigint;
    try {
      term = marginTerm(risk, assetId, balance, p);
    } catch (e) {
      if (e instanceof RiskFactorSegmentError) continue;
      throw e;
    }
    // Ties go to the price further from the position's favour (lower for a long, higher for a short).
    if (best === undefined || term < best.term || (term === best.term && balance < 0n)) best = { p, term };
  }
  if (best === undefined)
    throw new RiskFactorSegmentError(
      `price range of 0x${assetId.toString(16)}`,
      `${lo}..${hi}`,
      'a price whose risk amount is within the segments',
    );
  return best.p;
}

function checkScenario(s: AdverseScenario): void {
  if (typeof s.adverseMoveBps !== 'bigint' || s.adverseMoveBps < 0n || s.adverseMoveBps > 10_000n) {
    throw new RiskInputError('adverseMoveBps', s.adverseMoveBps, '0 <= adverseMoveBps <= 10000');
  }
  if ((s.maxFundingRate === undefined) !== (s.elapsedSeconds === undefined)) {
    throw new RiskInputError(
      'maxFundingRate/elapsedSeconds',
      s.maxFundingRate ?? s.elapsedSeconds,
      'both given or both omitted',
    );
  }
  for (const [f, v] of [
    ['maxFundingRate', s.maxFundingRate],
    ['elapsedSeconds', s.elapsedSeconds],
  ] as const) {
    if (v !== undefined && (typeof v !== 'bigint' || v < 0n)) throw new RiskInputError(f, v, `0 <= ${f}`);
  }
}

/**
 * The worst-case state of a scenario for this position: each held asset's price moved to the
 * margin-minimising end of `[p·(1 − bps), p·(1 + bps)]` (rounded outward, clamped to
 * `[1, 2^64 − 1]`), and, with a funding projection, each held asset's global index moved against the
 * position by the most a funding tick may (`|Δindex|·2^32 <= max_funding_rate·price·Δt`, B1.3, using
 * the highest price of the range), clamped to the index range.
 */
export function adverseState(
  position: Position,
  state: MarketState,
  riskParams: RiskParams,
  scenario: AdverseScenario,
): MarketState {
  checkPosition(position);
  checkMarketState(state);
  checkScenario(scenario);
  const prices = priceTable(state.oraclePrices);
  const indices = fundingTable(state.fundingIndices);
  const risk = riskTable(riskParams);
  const newPrices = new Map(prices);
  const newIndices = new Map(indices);
  const bps = scenario.adverseMoveBps;
  for (const a of position.assets) {
    const p = priceOf(prices, a.assetId);
    const lo = floorDiv(p * (10_000n - bps), 10_000n) || 1n;
    const hiRaw = ceilDiv(p * (10_000n + bps), 10_000n);
    const hi = hiRaw < PRICE_UPPER_BOUND ? hiRaw : PRICE_UPPER_BOUND - 1n;
    newPrices.set(a.assetId, worstPriceInRange(risk, a.assetId, a.balance, lo, hi));
    if (scenario.maxFundingRate !== undefined && scenario.elapsedSeconds !== undefined) {
      const step = (scenario.maxFundingRate * hi * scenario.elapsedSeconds) / FXP_32_ONE;
      const g = fundingIndexOf(indices, a.assetId) + (a.balance > 0n ? step : -step);
      const clamped =
        g >= FUNDING_INDEX_UPPER_BOUND
          ? FUNDING_INDEX_UPPER_BOUND - 1n
          : g < -FUNDING_INDEX_UPPER_BOUND
            ? -FUNDING_INDEX_UPPER_BOUND
            : g;
      newIndices.set(a.assetId, clamped);
    }
  }
  return {
    oraclePrices: state.oraclePrices.map(({ assetId }) => ({ assetId, price: newPrices.get(assetId)! })),
    fundingIndices: state.fundingIndices.map(({ assetId }) => ({ assetId, fundingIndex: newIndices.get(assetId)! })),
  };
}

/**
 * The largest forced withdrawal that stays valid at every price within `adverseMoveBps` of `state`
 * (and, optionally, under the worst funding the config allows until it is served). Because
 * `TV_rep·2^32 − TR_rep` is a sum of per-asset terms plus the funded collateral, the worst case is
 * each asset at its own worst price, so this is exact for the scenario, not a bound.
 */
export function maxSafeForcedWithdrawal(
  position: Position,
  state: MarketState,
  riskParams: RiskParams,
  scenario: AdverseScenario,
): AdverseOutcome {
  const worst = adverseState(position, state, riskParams, scenario);
  return { amount: maxForcedWithdrawal(position, worst, riskParams), state: worst };
}
