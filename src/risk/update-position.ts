import { checkObject } from '../checks.js';
import { RangeCheckError } from '../errors.js';
import type { Position, PositionAsset } from '../state/position.js';
import {
  BALANCE_UPPER_BOUND,
  POSITION_MAX_SUPPORTED_N_ASSETS,
  checkMarketState,
  checkPosition,
  fundingTable,
  priceTable,
  type FundingIndices,
  type OraclePrices,
} from './fixed-point.js';
import { applyFunding } from './funding.js';
import type { PerpetualReturnCode } from './return-code.js';
import { riskTable, type RiskParams } from './risk-config.js';
import { checkValidTransitionWith } from './transition.js';

/*
 * `update_position` (signing-risk.md B1.4; stark-perpetual `position/update_position.cairo`,
 * `position/position.cairo`, `position/add_asset.cairo`): the one path every position change takes.
 */

/** The prices and funding indices in effect; a `SharedState` satisfies this type. */
export type MarketState = { fundingIndices: FundingIndices; oraclePrices: OraclePrices };

export type PositionUpdateRequest = {
  /** The key the request is signed for; 0 means "take it from the position" (the program's rule). */
  requestPublicKey: bigint;
  /** Signed collateral quanta (a withdrawal is negative). */
  collateralDelta: bigint;
  /** Omitted: no synthetic change (`NO_SYNTHETIC_DELTA_ASSET_ID`); then `syntheticDelta` must be 0. */
  syntheticAssetId?: bigint;
  syntheticDelta?: bigint;
};

export type PositionUpdateResult = {
  returnCode: PerpetualReturnCode;
  /** The new position on success; the funded position otherwise (the program writes that back). */
  updated: Position;
  /** The position after funding, before the change. */
  funded: Position;
};

const inRange = (x: bigint) => x >= -BALANCE_UPPER_BOUND && x < BALANCE_UPPER_BOUND;

/** `create_maybe_empty_position`: no collateral and no assets is the empty position (key 0). */
function maybeEmpty(starkKey: bigint, collateral: bigint, assets: PositionAsset[]): Position {
  return collateral === 0n && assets.length === 0
    ? { starkKey: 0n, collateral: 0n, assets: [] }
    : { starkKey, collateral, assets };
}

/**
 * Runs the program's `update_position` and returns its return code with the resulting position.
 * Throws (batch not provable) for a held asset without a funding index, price or risk factor, or a
 * malformed position.
 */
export function updatePosition(
  position: Position,
  request: PositionUpdateRequest,
  state: MarketState,
  riskParams: RiskParams,
): PositionUpdateResult {
  checkPosition(position);
  checkMarketState(state);
  checkObject('request', request, '{ requestPublicKey, collateralDelta, ... }');
  const { requestPublicKey, collateralDelta } = request;
  const syntheticDelta = request.syntheticDelta ?? 0n;
  if (request.syntheticAssetId === undefined && syntheticDelta !== 0n) {
    throw new RangeCheckError('syntheticDelta', syntheticDelta, '0 when there is no syntheticAssetId');
  }
  const prices = priceTable(state.oraclePrices);
  const indices = fundingTable(state.fundingIndices);
  const risk = riskTable(riskParams);
  const funded = applyFunding(position, state.fundingIndices);
  const fail = (returnCode: PerpetualReturnCode): PositionUpdateResult => ({ returnCode, updated: funded, funded });

  // `is_asset_id_tradable`: checked even for a zero delta, when an asset id is given.
  const assetId = request.syntheticAssetId;
  if (assetId !== undefined) {
    if (!prices.has(assetId)) return fail('MISSING_ORACLE_PRICE');
    if (!indices.has(assetId)) return fail('MISSING_GLOBAL_FUNDING_INDEX');
  }

  let publicKey: bigint;
  if (requestPublicKey === 0n) {
    if (position.starkKey === 0n) {
      // An empty position without a request key may only stay unchanged.
      return syntheticDelta !== 0n || collateralDelta !== 0n
        ? fail('INVALID_PUBLIC_KEY')
        : { returnCode: 'SUCCESS', updated: funded, funded };
    }
    publicKey = position.starkKey;
  } else {
    if (position.starkKey !== 0n && position.starkKey !== requestPublicKey) return fail('INVALID_PUBLIC_KEY');
    publicKey = requestPublicKey;
  }

  // `position_add_collateral`.
  const collateral = funded.collateral + collateralDelta;
  if (!inRange(collateral)) return fail('OUT_OF_RANGE_BALANCE');
  let updated = maybeEmpty(publicKey, collateral, funded.assets);

  // `position_add_asset` (a zero delta changes nothing, even for an unknown asset id).
  if (syntheticDelta !== 0n && assetId !== undefined) {
    const current = funded.assets.find((a) => a.assetId === assetId);
    const balance = (current?.balance ?? 0n) + syntheticDelta;
    if (!inRange(balance)) return fail('OUT_OF_RANGE_BALANCE');
    const others = funded.assets.filter((a) => a.assetId !== assetId);
    const assets =
      balance === 0n
        ? others
        : [
            ...others,
            { assetId, balance, cachedFundingIndex: current?.cachedFundingIndex ?? indices.get(assetId)! },
          ].sort((x, y) => (x.assetId < y.assetId ? -1 : 1));
    if (assets.length > POSITION_MAX_SUPPORTED_N_ASSETS) return fail('TOO_MANY_SYNTHETIC_ASSETS_IN_POSITION');
    updated = maybeEmpty(publicKey, collateral, assets);
  }

  const returnCode = checkValidTransitionWith(funded, updated, prices, risk);
  return returnCode === 'SUCCESS' ? { returnCode, updated, funded } : fail(returnCode);
}
