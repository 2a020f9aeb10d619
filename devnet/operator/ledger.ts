import { EMPTY_POSITION, isEmptyPosition, positionRecord, updatePosition } from '../../src/index.js';
import type {
  ForcedAction,
  FundingEntry,
  MarketState,
  Modification,
  Position,
  PositionRecord,
  PositionUpdateRequest,
  PositionUpdateResult,
  RiskParams,
  SharedState,
} from '../../src/index.js';
import { EMPTY_ORDERS_ROOT } from '../deploy.js';
import type { MarketConfig } from './config.js';

/**
 * The positions and the batch being built (l1-data-tree.md §3): every change goes through
 * `update` (the program's update_position, so funding is settled on touch) and `commit`, which
 * remembers the position as the batch found it and the funding timestamp it is settled at — what
 * the position's on-chain record needs. `seal` turns the open batch into its program-output parts.
 */
export type BatchContent = {
  prevSharedState: SharedState;
  /** positionsRoot still 0: the caller computes it from `changes`. */
  newSharedState: SharedState;
  fundingEntries: FundingEntry[];
  records: PositionRecord[];
  changes: [bigint, Position][];
  modifications: Modification[];
  forcedActions: ForcedAction[];
};

const byId = <T extends { assetId: bigint }>(a: T, b: T) => (a.assetId < b.assetId ? -1 : 1);

export class Ledger {
  readonly positions = new Map<bigint, Position>();
  readonly prices = new Map<bigint, bigint>();
  readonly fundingIndices = new Map<bigint, bigint>();
  fundingTimestamp = 0n;
  /** The shared state of the last sealed batch: the next batch's previous state. */
  committed: SharedState;
  #batchStart = new Map<bigint, Position>();
  #settledAt = new Map<bigint, bigint>();
  #modifications: Modification[] = [];
  #forcedActions: ForcedAction[] = [];
  #fundingEntries: FundingEntry[] = [];

  constructor(
    readonly markets: readonly MarketConfig[],
    readonly riskParams: RiskParams,
    genesis: SharedState,
  ) {
    this.committed = genesis;
    for (const f of genesis.fundingIndices) this.fundingIndices.set(f.assetId, f.fundingIndex);
    for (const p of genesis.oraclePrices) this.prices.set(p.assetId, p.price);
    this.fundingTimestamp = genesis.fundingTimestamp;
  }

  position(id: bigint): Position {
    return this.positions.get(id) ?? EMPTY_POSITION;
  }

  marketState(): MarketState {
    return {
      fundingIndices: [...this.fundingIndices].map(([assetId, fundingIndex]) => ({ assetId, fundingIndex })).sort(byId),
      oraclePrices: [...this.prices].map(([assetId, price]) => ({ assetId, price })).sort(byId),
    };
  }

  /** The program's update_position on the live position; changes nothing. */
  update(id: bigint, request: PositionUpdateRequest): PositionUpdateResult {
    return updatePosition(this.position(id), request, this.marketState(), this.riskParams);
  }

  /** Makes `next` the position's value in the open batch (settled at the current funding timestamp). */
  commit(id: bigint, next: Position): void {
    if (!this.#batchStart.has(id)) this.#batchStart.set(id, this.position(id));
    if (isEmptyPosition(next)) this.positions.delete(id);
    else this.positions.set(id, next);
    this.#settledAt.set(id, this.fundingTimestamp);
  }

  modify(m: Modification): void {
    this.#modifications.push(m);
  }

  forcedAction(a: ForcedAction): void {
    this.#forcedActions.push(a);
  }

  /** A funding tick: new global indices at `timestamp` (strictly after the last tick). */
  tick(timestamp: bigint, indices: Map<bigint, bigint>): void {
    this.fundingTimestamp = timestamp > this.fundingTimestamp ? timestamp : this.fundingTimestamp + 1n;
    for (const [k, v] of indices) this.fundingIndices.set(k, v);
    this.#fundingEntries.push({
      indices: [...this.fundingIndices].map(([assetId, fundingIndex]) => ({ assetId, fundingIndex })).sort(byId),
      timestamp: this.fundingTimestamp,
    });
  }

  /** Positions touched since the last seal, ascending. */
  touched(): bigint[] {
    return [...this.#batchStart.keys()].sort((a, b) => (a < b ? -1 : 1));
  }

  /** Closes the open batch at `systemTime` and starts an empty one. */
  seal(systemTime: bigint): BatchContent {
    const prev = this.committed;
    const ids = this.touched();
    const records = ids.map((id) =>
      positionRecord(id, this.#batchStart.get(id)!, this.position(id), this.#settledAt.get(id)!),
    );
    const changes = ids.map((id) => [id, this.position(id)] as [bigint, Position]);
    let time = systemTime;
    if (time < this.fundingTimestamp) time = this.fundingTimestamp;
    if (time < prev.systemTime) time = prev.systemTime;
    const market = this.marketState();
    const newSharedState: SharedState = {
      positionsRoot: 0n,
      positionsTreeHeight: prev.positionsTreeHeight,
      ordersRoot: EMPTY_ORDERS_ROOT,
      ordersTreeHeight: prev.ordersTreeHeight,
      fundingIndices: [...market.fundingIndices],
      fundingTimestamp: this.fundingTimestamp,
      oraclePrices: [...market.oraclePrices],
      systemTime: time,
    };
    const content: BatchContent = {
      prevSharedState: prev,
      newSharedState,
      fundingEntries: this.#fundingEntries,
      records,
      changes,
      modifications: this.#modifications,
      forcedActions: this.#forcedActions,
    };
    this.#batchStart = new Map();
    this.#settledAt = new Map();
    this.#modifications = [];
    this.#forcedActions = [];
    this.#fundingEntries = [];
    return content;
  }
}
