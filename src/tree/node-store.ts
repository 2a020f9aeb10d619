import type { Position } from '../state/position.js';

/**
 * Where a sparse positions tree keeps its data (l1-data-tree.md §4.5). Only non-empty nodes are
 * stored; a missing node at height h is the empty subtree root E_h. Height 0 is the leaves (index =
 * positionId), height H the root (index 0). The positions themselves (leaf preimages) are kept
 * too, because an escape proof needs them (§4.6).
 *
 * Asynchronous so an IndexedDB store can implement it. `write` must be atomic (one IndexedDB
 * transaction): a tree update either lands completely or not at all.
 */
export type NodeKey = { readonly height: number; readonly index: bigint };

export type NodeStoreBatch = {
  /** `undefined` deletes the node (it became the empty subtree root again). */
  readonly nodes: ReadonlyArray<readonly [NodeKey, bigint | undefined]>;
  /** `undefined` deletes the position (it became empty). */
  readonly positions: ReadonlyArray<readonly [positionId: bigint, position: Position | undefined]>;
};

export interface NodeStore {
  /** One entry per key, in order; `undefined` for a node that is not stored (empty). */
  getNodes(keys: readonly NodeKey[]): Promise<Array<bigint | undefined>>;
  /** One entry per id, in order; `undefined` for a position that is not stored (empty). */
  getPositions(ids: readonly bigint[]): Promise<Array<Position | undefined>>;
  /** Applies the whole batch atomically. */
  write(batch: NodeStoreBatch): Promise<void>;
}

const keyOf = (k: NodeKey): string => `${k.height}:${k.index.toString(16)}`;

/** Deep-frozen copy, so a caller mutating its object afterwards cannot change the stored state. */
export function freezePosition(p: Position): Position {
  const assets = p.assets.map((a) =>
    Object.freeze({ assetId: a.assetId, balance: a.balance, cachedFundingIndex: a.cachedFundingIndex }),
  );
  return Object.freeze({
    starkKey: p.starkKey,
    collateral: p.collateral,
    assets: Object.freeze(assets) as Position['assets'],
  });
}

/** In-memory `NodeStore` (tests, devnet, workers that build a tree and discard it). */
export class MemoryNodeStore implements NodeStore {
  readonly #nodes = new Map<string, bigint>();
  readonly #positions = new Map<bigint, Position>();

  /** Number of stored (non-empty) nodes, all heights. */
  get nodeCount(): number {
    return this.#nodes.size;
  }

  /** Number of stored (non-empty) positions. */
  get positionCount(): number {
    return this.#positions.size;
  }

  async getNodes(keys: readonly NodeKey[]): Promise<Array<bigint | undefined>> {
    return keys.map((k) => this.#nodes.get(keyOf(k)));
  }

  async getPositions(ids: readonly bigint[]): Promise<Array<Position | undefined>> {
    return ids.map((id) => this.#positions.get(id));
  }

  async write(batch: NodeStoreBatch): Promise<void> {
    // Nothing below can throw halfway, so the batch is atomic.
    for (const [k, v] of batch.nodes) {
      if (v === undefined) this.#nodes.delete(keyOf(k));
      else this.#nodes.set(keyOf(k), v);
    }
    for (const [id, p] of batch.positions) {
      if (p === undefined) this.#positions.delete(id);
      else this.#positions.set(id, freezePosition(p));
    }
  }
}
