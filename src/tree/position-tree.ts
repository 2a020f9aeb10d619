import { checkArray } from '../checks.js';
import { pedersenMany } from '../crypto/pedersen.js';
import { RangeCheckError, TypeCheckError } from '../errors.js';
import { EMPTY_POSITION, isEmptyPosition, type Position } from '../state/position.js';
import { emptySubtreeRoot, MAX_POSITION_TREE_HEIGHT } from './empty-subtrees.js';
import { bulkPositionTreeRoot, type BulkBuildOptions, type ContiguousPositions } from './bulk-build.js';
import { PositionTreeError } from './errors.js';
import { createSerialQueue } from '../util/serial-queue.js';
import { encodeEscapeProofFromChain } from './escape-proof.js';
import { MemoryNodeStore, freezePosition, type NodeKey, type NodeStore } from './node-store.js';
import {
  checkLeafPosition,
  hashChains,
  leafWordsOf,
  positionHashChain,
  type BatchHasher,
  type NodePair,
} from './position-leaf.js';

/** A leaf's authentication path (l1-data-tree.md §4.4): lowest level first. */
export type MerklePath = {
  positionId: bigint;
  leaf: bigint;
  /** The sibling at each height 0 … H−1. */
  siblings: bigint[];
  /** (left, right) children of each ancestor, lowest first: the pairs of an escape proof. */
  pairs: NodePair[];
  root: bigint;
};

export type PositionTreeOptions = {
  /** Tree height, 64 on dYdX (shared state word 1); small heights for tests. */
  height?: number;
  /** Batch hasher, `pedersenMany` by default; a worker pool can stand in (DESIGN.md §7). */
  hashMany?: BatchHasher;
};

/**
 * The sparse Pedersen Merkle tree of positions (l1-data-tree.md §4), over a `NodeStore`.
 * Updates hash each touched level once, level by level, one batch per level; operations run one
 * at a time, so a read never sees half an update.
 */
export class PositionTree {
  readonly height: number;
  readonly #store: NodeStore;
  readonly #hashMany: BatchHasher;
  readonly #queue = createSerialQueue();

  private constructor(store: NodeStore, height: number, hashMany: BatchHasher) {
    this.#store = store;
    this.height = height;
    this.#hashMany = hashMany;
  }

  static async create(store: NodeStore = new MemoryNodeStore(), opts: PositionTreeOptions = {}): Promise<PositionTree> {
    const height = opts.height ?? MAX_POSITION_TREE_HEIGHT;
    if (!Number.isInteger(height) || height < 1 || height > MAX_POSITION_TREE_HEIGHT) {
      throw new RangeCheckError('height', height, `1 <= height <= ${MAX_POSITION_TREE_HEIGHT} (integer)`);
    }
    emptySubtreeRoot(height); // fill the table once, before any update needs it
    return new PositionTree(store, height, opts.hashMany ?? pedersenMany);
  }

  /**
   * A tree over an empty `store` holding exactly the given contiguous positions, built in bulk
   * (bulk-build.ts: leaf chunks, then each level once) instead of through `update`'s per-node
   * bookkeeping. Every position is validated before anything is written; all non-empty nodes and
   * positions are written in one atomic store batch. Throws `PositionTreeError` if the store
   * already holds a tree.
   */
  static async fromPositions(
    input: ContiguousPositions,
    store: NodeStore = new MemoryNodeStore(),
    opts: PositionTreeOptions & Pick<BulkBuildOptions, 'leafChunk' | 'leafConcurrency'> = {},
  ): Promise<PositionTree> {
    if (typeof input !== 'object' || input === null || typeof input.positionAt !== 'function') {
      throw new TypeCheckError('input', input, '{ firstId, count, positionAt(i) }');
    }
    const tree = await PositionTree.create(store, opts);
    const [existing] = await store.getNodes([{ height: tree.height, index: 0n }]);
    if (existing !== undefined)
      throw new PositionTreeError('fromPositions needs an empty store: it already holds a root');
    const nodes: Array<readonly [NodeKey, bigint]> = [];
    const positions: Array<readonly [bigint, Position]> = [];
    const { firstId, count } = input;
    await bulkPositionTreeRoot(
      {
        firstId,
        count,
        positionAt: (i) => {
          const p = input.positionAt(i);
          checkLeafPosition(p, `positionAt(${i})`);
          if (!isEmptyPosition(p)) positions.push([firstId + BigInt(i), freezePosition(p)]);
          return p;
        },
      },
      {
        height: tree.height,
        hashMany: tree.#hashMany,
        ...(opts.leafChunk === undefined ? {} : { leafChunk: opts.leafChunk }),
        ...(opts.leafConcurrency === undefined ? {} : { leafConcurrency: opts.leafConcurrency }),
        onLevel: (height, first, values) => {
          const empty = emptySubtreeRoot(height);
          values.forEach((v, k) => {
            if (v !== empty) nodes.push([{ height, index: first + BigInt(k) }, v]); // the store keeps non-empty nodes only
          });
        },
      },
    );
    await store.write({ nodes, positions });
    return tree;
  }

  #checkId(field: string, id: unknown): bigint {
    if (typeof id !== 'bigint') throw new TypeCheckError(field, id, 'bigint');
    if (id < 0n || id >= 1n << BigInt(this.height)) {
      throw new RangeCheckError(field, id, `0 <= positionId < 2^${this.height} (tree height)`);
    }
    return id;
  }

  async #hash(a: readonly bigint[], b: readonly bigint[]): Promise<bigint[]> {
    const out = await this.#hashMany(a, b);
    if (out.length !== a.length)
      throw new PositionTreeError(`batch hasher returned ${out.length} hashes for ${a.length} inputs`);
    return out;
  }

  /**
   * Sets the given positions (an empty position clears its leaf). All entries are validated before
   * anything is hashed or written; for a repeated positionId the last entry wins. Nodes and
   * positions are written in one atomic store batch.
   */
  async update(entries: ReadonlyArray<readonly [positionId: bigint, position: Position]>): Promise<void> {
    checkArray('entries', entries, 'an array of [positionId, position]');
    const latest = new Map<bigint, Position>();
    // An indexed loop, not forEach: a hole in a sparse array is an error, not a skipped entry.
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i];
      if (!Array.isArray(entry)) throw new TypeCheckError(`entries[${i}]`, entry, '[positionId, position]');
      const id = this.#checkId(`entries[${i}][0]`, entry[0]);
      checkLeafPosition(entry[1], `entries[${i}][1]`);
      latest.set(id, freezePosition(entry[1]));
    }
    if (latest.size === 0) return;
    return this.#queue.run(() => this.#apply(latest));
  }

  async #apply(latest: Map<bigint, Position>): Promise<void> {
    const ids = [...latest.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const full = ids.filter((id) => !isEmptyPosition(latest.get(id)!));
    // Every position was checked by update() before it reached here.
    const chains = await hashChains(
      full.map((id) => leafWordsOf(latest.get(id)!)),
      (a, b) => this.#hash(a, b),
    );
    let level = new Map<bigint, bigint>(ids.map((id) => [id, emptySubtreeRoot(0)]));
    full.forEach((id, k) => level.set(id, chains[k]!.at(-1)!));

    const nodes: Array<readonly [NodeKey, bigint | undefined]> = [];
    for (let h = 0; h < this.height; h++) {
      const empty = emptySubtreeRoot(h);
      for (const [index, v] of level) nodes.push([{ height: h, index }, v === empty ? undefined : v]);
      const parents = [...new Set([...level.keys()].map((i) => i >> 1n))];
      const missing = parents.flatMap((p) => [2n * p, 2n * p + 1n]).filter((i) => !level.has(i));
      const fetched = await this.#store.getNodes(missing.map((index) => ({ height: h, index })));
      const child = new Map(level);
      missing.forEach((i, k) => child.set(i, fetched[k] ?? empty));
      const next = new Map<bigint, bigint>();
      const toHash = parents.filter((p) => {
        const both = child.get(2n * p) === empty && child.get(2n * p + 1n) === empty;
        if (both) next.set(p, emptySubtreeRoot(h + 1)); // two empty children: no hash needed
        return !both;
      });
      const hashed = await this.#hash(
        toHash.map((p) => child.get(2n * p)!),
        toHash.map((p) => child.get(2n * p + 1n)!),
      );
      toHash.forEach((p, k) => next.set(p, hashed[k]!));
      level = next;
    }
    const root = level.get(0n)!;
    nodes.push([{ height: this.height, index: 0n }, root === emptySubtreeRoot(this.height) ? undefined : root]);
    const positions = ids.map((id) => [id, isEmptyPosition(latest.get(id)!) ? undefined : latest.get(id)] as const);
    await this.#store.write({ nodes, positions });
  }

  async root(): Promise<bigint> {
    return this.#queue.run(async () => {
      const [r] = await this.#store.getNodes([{ height: this.height, index: 0n }]);
      return r ?? emptySubtreeRoot(this.height);
    });
  }

  /** The stored position (EMPTY_POSITION if none). */
  async position(positionId: bigint): Promise<Position> {
    const id = this.#checkId('positionId', positionId);
    return this.#queue.run(async () => (await this.#store.getPositions([id]))[0] ?? EMPTY_POSITION);
  }

  /** The authentication path of a leaf: read from the store, no hashing. */
  async merklePath(positionId: bigint): Promise<MerklePath> {
    const id = this.#checkId('positionId', positionId);
    return this.#queue.run(() => this.#path(id));
  }

  async #path(id: bigint): Promise<MerklePath> {
    const keys: NodeKey[] = [];
    for (let h = 0; h < this.height; h++) {
      const index = id >> BigInt(h);
      keys.push({ height: h, index }, { height: h, index: index ^ 1n });
    }
    keys.push({ height: this.height, index: 0n });
    const got = await this.#store.getNodes(keys);
    const value = (k: number): bigint => got[k] ?? emptySubtreeRoot(keys[k]!.height);
    const siblings: bigint[] = [];
    const pairs: NodePair[] = [];
    for (let h = 0; h < this.height; h++) {
      const [node, sibling] = [value(2 * h), value(2 * h + 1)];
      siblings.push(sibling);
      pairs.push(((id >> BigInt(h)) & 1n) === 1n ? [sibling, node] : [node, sibling]);
    }
    return { positionId: id, leaf: value(0), siblings, pairs, root: value(2 * this.height) };
  }

  /**
   * The `merkleProof` words of `verifyEscape` for this position (§4.6); pass
   * `(await tree.position(id)).assets.length` as nAssets. Throws `PositionTreeError` if the stored
   * position does not hash to the stored leaf.
   */
  async escapeProof(positionId: bigint): Promise<bigint[]> {
    const id = this.#checkId('positionId', positionId);
    return this.#queue.run(async () => {
      const [stored] = await this.#store.getPositions([id]);
      const path = await this.#path(id);
      const chain = positionHashChain(stored ?? EMPTY_POSITION);
      if (chain.leaf !== path.leaf)
        throw new PositionTreeError(`stored position ${id} does not hash to its stored leaf ${path.leaf}`);
      return encodeEscapeProofFromChain(chain, path.pairs, path.root, id);
    });
  }
}
