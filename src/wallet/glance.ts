import { DYDX_COLLATERAL_RESOLUTION, dydxMarketTable } from '../messages/dydx-markets.js';
import { FXP_32_ONE } from '../risk/fixed-point.js';
import { applyFunding } from '../risk/funding.js';
import { oraclePriceToUsd } from '../risk/oracle-price.js';
import { assetLabel } from '../risk/presets.js';
import { formatRatio, ratio } from '../risk/ratio.js';
import type { RiskParams } from '../risk/risk-config.js';
import { totalRisk, totalValue } from '../risk/status.js';
import { decodeSharedState } from '../starkex/shared-state.js';
import type { Position } from '../state/position.js';
import type { AlarmKind, PendingForcedRequest } from '../sync/types.js';

/**
 * The popup "at a glance" (issue 17): which deployment, how far the verifier got, the wallet's
 * position in the last verified state (equity, margin ratio, synthetic holdings) and the forced
 * requests still waiting. Pure: the service worker gathers the stored records, this computes the
 * figures, the popup only lays them out. Every figure comes from the last verified batch's shared
 * state (its oracle prices and funding indices), never from the exchange's API.
 */

/** The part of the verifier's checkpoint the glance reads (src/sync/types.ts SyncCheckpoint). */
export type GlanceCheckpoint = {
  sequenceNumber: bigint;
  batchId: bigint;
  blockNumber: bigint;
  sharedState?: bigint[];
  hashedSequenceNumber?: bigint;
  finalizedBlock?: bigint;
  halted?: { sequenceNumber: bigint; failure: AlarmKind };
  pendingForced: PendingForcedRequest[];
  frozen: boolean;
};

export type GlanceInput = {
  deployment?: { id: string; name: string };
  checkpoint?: GlanceCheckpoint;
  /** The wallet's position in the verified store, and whether its leaf and path hash to the committed root. */
  account?: { positionId: bigint; position: Position; leafMatchesRoot: boolean };
  /** Why no position is given (none stored for the key, the store catching up). */
  accountNotShown?: string;
  riskParams: RiskParams;
  /** FREEZE_GRACE_PERIOD as read from the contract, seconds; undefined when not read. */
  gracePeriodSeconds?: bigint;
  nowSeconds: bigint;
};

/**
 * `verified`: the last batch passed every check (fact, data pages, chain, decode, positions root).
 * `root-pending`: the batches after `rootCheckedSequence` are checked but their root is compared at
 * the next checkpoint, so no position is shown. `halted`: a later batch failed; the figures are
 * from the last one that verified.
 */
export type GlanceVerification =
  | { state: 'not-configured' }
  | { state: 'nothing-verified' }
  | {
      state: 'verified' | 'root-pending' | 'halted';
      batchId: string;
      sequenceNumber: string;
      blockNumber: string;
      /** Seconds from the batch's system time (shared state) to now; ≥ 0. */
      ageSeconds: number;
      /** Block ≤ the finalized block the verifier last saw; null when it has not read one. */
      final: boolean | null;
      finalizedBlock: string | null;
      rootCheckedSequence: string | null;
      halted: { sequenceNumber: string; failure: AlarmKind } | null;
      frozen: boolean;
    };

/** One synthetic holding: exact decimals (USD per whole synthetic, USDC), the page formats them. */
export type GlanceHolding = {
  market: string;
  side: 'long' | 'short';
  /** Unsigned size in whole synthetic units; raw quanta for a market Vigil does not know. */
  size: string;
  oraclePrice: string | null;
  value: string | null;
};

export type GlanceAccount = {
  positionId: string;
  leafMatchesRoot: boolean;
  /** Total value (collateral + Σ balance × oracle price, funding applied), USDC to the cent. */
  equity: string;
  collateral: string;
  totalRisk: string | null;
  /** Total value / total risk, 4 decimals; null without risk (nothing held) or without risk factors. */
  marginRatio: string | null;
  /** Why total risk is not shown (a held asset without a risk factor). */
  riskNotShown?: string;
  holdings: GlanceHolding[];
};

export type GlancePending = {
  count: number;
  /** Seconds since the oldest request's block time. */
  oldestAgeSeconds: number | null;
  gracePeriodSeconds: string | null;
  /** Seconds until a freeze may be requested over the oldest one; 0 when the grace period is over. */
  freezePossibleInSeconds: number | null;
};

export type AccountGlance = {
  deployment: { id: string; name: string } | null;
  verification: GlanceVerification;
  account: GlanceAccount | null;
  accountNotShown?: string;
  pending: GlancePending;
};

const USDC = 10n ** BigInt(DYDX_COLLATERAL_RESOLUTION);
const seconds = (v: bigint) => Number(v > 0n ? v : 0n);

function verification(input: GlanceInput): GlanceVerification {
  if (!input.deployment) return { state: 'not-configured' };
  const cp = input.checkpoint;
  // Sequence 0 is the configured genesis state (npm start's devnet hands it over), not a batch
  // Vigil checked: the popup once said "Batch 0 verified from L1, 20789 d ago" before any batch.
  if (!cp?.sharedState || cp.sequenceNumber === 0n) return { state: 'nothing-verified' };
  const systemTime = decodeSharedState(cp.sharedState).systemTime;
  const rootPending = cp.hashedSequenceNumber !== undefined && cp.hashedSequenceNumber !== cp.sequenceNumber;
  return {
    state: rootPending ? 'root-pending' : cp.halted ? 'halted' : 'verified',
    batchId: cp.batchId.toString(),
    sequenceNumber: cp.sequenceNumber.toString(),
    blockNumber: cp.blockNumber.toString(),
    ageSeconds: seconds(input.nowSeconds - systemTime),
    final: cp.finalizedBlock === undefined ? null : cp.blockNumber <= cp.finalizedBlock,
    finalizedBlock: cp.finalizedBlock?.toString() ?? null,
    rootCheckedSequence: rootPending ? cp.hashedSequenceNumber!.toString() : null,
    halted: cp.halted ? { sequenceNumber: cp.halted.sequenceNumber.toString(), failure: cp.halted.failure } : null,
    frozen: cp.frozen,
  };
}

function holding(assetId: bigint, balance: bigint, price: bigint | undefined): GlanceHolding {
  const m = Object.values(dydxMarketTable(1).markets).find((x) => x.syntheticAssetId === assetId);
  const abs = balance < 0n ? -balance : balance;
  const side = balance < 0n ? 'short' : 'long';
  if (!m) return { market: assetLabel(assetId), side, size: `${abs} quanta`, oraclePrice: null, value: null };
  const res = 10n ** BigInt(m.resolution);
  return {
    market: m.market,
    side,
    size: formatRatio(ratio(abs, res), m.resolution),
    oraclePrice: price === undefined ? null : formatRatio(oraclePriceToUsd(price, res, USDC), 2),
    // balance · price is .32 over collateral quanta, as in total value.
    value: price === undefined ? null : formatRatio(ratio(balance * price, FXP_32_ONE * USDC), 2),
  };
}

function account(input: GlanceInput, cp: GlanceCheckpoint): GlanceAccount {
  const a = input.account!;
  const state = decodeSharedState(cp.sharedState!);
  const funded = applyFunding(a.position, state.fundingIndices);
  const tv = totalValue(funded, state.oraclePrices);
  const prices = new Map(state.oraclePrices.map((p) => [p.assetId, p.price]));
  let tr: bigint | null = null;
  let riskNotShown: string | undefined;
  try {
    tr = totalRisk(funded, state.oraclePrices, input.riskParams);
  } catch (err) {
    riskNotShown = (err as Error).message;
  }
  return {
    positionId: a.positionId.toString(),
    leafMatchesRoot: a.leafMatchesRoot,
    equity: formatRatio(ratio(tv, FXP_32_ONE * USDC), 2),
    collateral: formatRatio(ratio(funded.collateral, USDC), 2),
    totalRisk: tr === null ? null : formatRatio(ratio(tr, FXP_32_ONE * FXP_32_ONE * USDC), 2),
    // TV_rep is .32 and TR_rep .64: TV/TR = TV_rep·2^32 / TR_rep; below 1 the position is liquidatable.
    marginRatio: tr === null || tr === 0n ? null : formatRatio(ratio(tv * FXP_32_ONE, tr), 4),
    ...(riskNotShown ? { riskNotShown } : {}),
    holdings: funded.assets.map((x) => holding(x.assetId, x.balance, prices.get(x.assetId))),
  };
}

function pending(input: GlanceInput): GlancePending {
  const list = input.checkpoint?.pendingForced ?? [];
  if (!list.length)
    return { count: 0, oldestAgeSeconds: null, gracePeriodSeconds: null, freezePossibleInSeconds: null };
  const oldest = list.reduce((o, p) => (p.requestedAt < o ? p.requestedAt : o), list[0]!.requestedAt);
  const age = input.nowSeconds - oldest;
  const grace = input.gracePeriodSeconds;
  return {
    count: list.length,
    oldestAgeSeconds: seconds(age),
    gracePeriodSeconds: grace === undefined ? null : grace.toString(),
    freezePossibleInSeconds: grace === undefined ? null : seconds(grace - age),
  };
}

export function accountGlance(input: GlanceInput): AccountGlance {
  const v = verification(input);
  const cp = input.checkpoint;
  // Positions only from a state whose root Vigil reproduced (verified, or the last verified before a halt).
  const showable = (v.state === 'verified' || v.state === 'halted') && cp !== undefined;
  const acct = showable && input.account ? account(input, cp) : null;
  const notShown =
    acct !== null
      ? undefined
      : v.state === 'root-pending'
        ? `the verifier is catching up: its positions root is compared at the next checkpoint`
        : input.accountNotShown;
  return {
    deployment: input.deployment ? { id: input.deployment.id, name: input.deployment.name } : null,
    verification: v,
    account: acct,
    ...(notShown ? { accountNotShown: notShown } : {}),
    pending: pending(input),
  };
}
