import { TypeCheckError } from '../errors.js';
import { batchFundingTable, settledFundingTimestamp } from '../starkex/funding-table.js';
import type { OnChainData, PositionRecord } from '../starkex/onchain-data.js';
import type { SharedState } from '../starkex/shared-state.js';
import { assetLabel } from '../starkex/asset-id.js';
import { EMPTY_POSITION, isEmptyPosition, type Position, type PositionAsset } from './position.js';
import { StateUpdateError } from './state-update-error.js';

/** What applying a batch needs: the old shared state (funding at its timestamp) and the on-chain data. */
export type PositionsUpdate = {
  programOutput: { prevSharedState: SharedState };
  onChainData: OnChainData;
};

/** Changed leaves in ascending position id; an emptied position appears as EMPTY_POSITION. */
export type PositionChanges = Array<[positionId: bigint, position: Position]>;

/**
 * The new value of every position the batch touches (l1-data-tree.md §3.5): start from the
 * previous position, replace the assets the record lists (balance 0 deletes), keep the rest, and
 * set every asset's cached funding index to the global index at the record's funding timestamp
 * (0 → the old state's timestamp, §3.4). Reads `positions` only; throws StateUpdateError before
 * returning anything if any record cannot be applied.
 */
export function computePositionChanges(
  positions: ReadonlyMap<bigint, Position>,
  update: PositionsUpdate,
): PositionChanges {
  checkUpdateShape(positions, update);
  const prev = update.programOutput.prevSharedState;
  const table = batchFundingTable(prev, update.onChainData.fundingEntries);
  const changes: PositionChanges = [];
  let lastId: bigint | undefined;
  for (const record of update.onChainData.positions) {
    // A squashed dict: a second record for the same id would be applied to the stale leaf.
    if (lastId !== undefined && record.positionId <= lastId) {
      throw new StateUpdateError(
        record.positionId,
        `records must be in ascending position id without repeats (follows ${lastId})`,
      );
    }
    lastId = record.positionId;
    const timestamp = settledFundingTimestamp(record.fundingTimestamp, prev);
    const indices = table.get(timestamp);
    if (!indices) {
      throw new StateUpdateError(
        record.positionId,
        `funding timestamp ${record.fundingTimestamp} is neither the old state's (${prev.fundingTimestamp}) nor one of the batch's funding ticks`,
      );
    }
    const balances = mergeBalances(positions.get(record.positionId) ?? EMPTY_POSITION, record);
    const assets: PositionAsset[] = [];
    for (const [assetId, balance] of balances) {
      const cachedFundingIndex = indices.get(assetId);
      if (cachedFundingIndex === undefined) {
        throw new StateUpdateError(
          record.positionId,
          `asset ${assetLabel(assetId)} has no funding index at timestamp ${timestamp}`,
        );
      }
      assets.push({ assetId, balance, cachedFundingIndex });
    }
    const next: Position = { starkKey: record.starkKey, collateral: record.collateral, assets };
    changes.push([record.positionId, isEmptyPosition(next) ? EMPTY_POSITION : next]);
  }
  return changes;
}

const isObject = (v: unknown): v is object => v !== null && typeof v === 'object';
function checkList(field: string, list: unknown): asserts list is readonly unknown[] {
  if (!Array.isArray(list)) throw new TypeCheckError(field, list, 'an array');
  for (let i = 0; i < list.length; i++)
    if (!isObject(list[i])) throw new TypeCheckError(`${field}[${i}]`, list[i], 'an object');
}

/**
 * The shapes a decoder returns (decodeOnChainData, decodeProgramOutput): anything else is a
 * TypeError naming the field, before any record is read. Values are the decoders' business.
 */
function checkUpdateShape(positions: unknown, update: unknown): void {
  if (!isObject(positions) || typeof (positions as Map<unknown, unknown>).get !== 'function') {
    throw new TypeCheckError('positions', positions, 'a Map of position id → Position');
  }
  if (!isObject(update)) throw new TypeCheckError('update', update, '{ programOutput, onChainData }');
  const u = update as PositionsUpdate;
  if (!isObject(u.programOutput) || !isObject(u.programOutput.prevSharedState)) {
    throw new TypeCheckError(
      'update.programOutput.prevSharedState',
      (update as { programOutput?: { prevSharedState?: unknown } }).programOutput?.prevSharedState,
      'the decoded old shared state',
    );
  }
  checkList('update.programOutput.prevSharedState.fundingIndices', u.programOutput.prevSharedState.fundingIndices);
  if (!isObject(u.onChainData))
    throw new TypeCheckError('update.onChainData', u.onChainData, 'the decoded on-chain data');
  checkList('update.onChainData.fundingEntries', u.onChainData.fundingEntries);
  u.onChainData.fundingEntries.forEach((e, i) =>
    checkList(`update.onChainData.fundingEntries[${i}].indices`, e.indices),
  );
  checkList('update.onChainData.positions', u.onChainData.positions);
  u.onChainData.positions.forEach((r, i) => {
    if (typeof r.positionId !== 'bigint')
      throw new TypeCheckError(`update.onChainData.positions[${i}].positionId`, r.positionId, 'bigint');
    checkList(`update.onChainData.positions[${i}].assets`, r.assets);
  });
}

/** Previous balances with the record's applied; zero balances dropped; ascending asset id. */
function mergeBalances(previous: Position, record: PositionRecord): [bigint, bigint][] {
  const balances = new Map<bigint, bigint>();
  for (const a of previous.assets) balances.set(a.assetId, a.balance);
  for (const a of record.assets) {
    if (a.balance === 0n) balances.delete(a.assetId);
    else balances.set(a.assetId, a.balance);
  }
  return [...balances].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Writes computed changes into `positions` in place (empty positions are removed). Cannot fail on
 * what `computePositionChanges` returns (malformed input is refused before the first write), so the
 * map is never left half-updated; use this for a long replay
 * where copying the map per batch would cost too much.
 */
export function applyPositionChanges(positions: Map<bigint, Position>, changes: PositionChanges): void {
  // Validate everything before the first write, so a bad entry never leaves the map half-updated.
  if (!(positions instanceof Map)) throw new TypeCheckError('positions', positions, 'a Map');
  if (!Array.isArray(changes)) throw new TypeCheckError('changes', changes, 'an array of [positionId, position]');
  for (let i = 0; i < changes.length; i++) {
    const c: unknown = changes[i];
    if (!Array.isArray(c) || typeof c[0] !== 'bigint' || !isObject(c[1]))
      throw new TypeCheckError(`changes[${i}]`, c, '[positionId: bigint, position]');
  }
  for (const [id, p] of changes) {
    if (isEmptyPosition(p)) positions.delete(id);
    else positions.set(id, p);
  }
}

/**
 * Applies a decoded state update to a positions map and returns a NEW map (the input is never
 * modified) plus the changed entries a positions tree needs (`PositionTree.update(changed)`).
 */
export function applyStateUpdate(
  positions: ReadonlyMap<bigint, Position>,
  update: PositionsUpdate,
): { positions: Map<bigint, Position>; changed: PositionChanges } {
  const changed = computePositionChanges(positions, update);
  const next = new Map(positions);
  applyPositionChanges(next, changed);
  return { positions: next, changed };
}
