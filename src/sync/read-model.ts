import { FIELD_PRIME } from '../crypto/field.js';
import { pedersenMany } from '../crypto/pedersen.js';
import { RangeCheckError } from '../errors.js';
import { decodeSharedState, type SharedState } from '../starkex/shared-state.js';
import type { Hex } from '../starkex/words.js';
import { EMPTY_POSITION, type Position } from '../state/position.js';
import { emptySubtreeRoot, MAX_POSITION_TREE_HEIGHT } from '../tree/empty-subtrees.js';
import type { NodeKey } from '../tree/node-store.js';
import { hashChains, positionLeafWords, type BatchHasher } from '../tree/position-leaf.js';
import { PositionTree } from '../tree/position-tree.js';
import { ReadModelError } from './errors.js';
import {
  ALARM_SEVERITY_ORDER,
  type AlarmCursor,
  type AlarmPageQuery,
  type Page,
  type SyncStore,
  type VerdictPageQuery,
} from './sync-store.js';
import type { BatchVerdict, SyncAlarm, SyncCheckpoint } from './types.js';

/*
 * The verified-state read model (issue 14): what the dashboard, the approval's margin impact and
 * the exit page read, all through here. It answers only from what the verifier accepted
 * (DESIGN.md §4, l1-data-tree.md §4.7): the last verified checkpoint's shared state, the positions
 * and tree nodes stored with it. Lookups by stark key use the store's index, listings come by
 * page, and `checkPosition` re-derives a position's leaf and root instead of trusting stored nodes.
 */

/** Largest page a listing returns: a screen shows tens of rows, never the whole history. */
export const MAX_PAGE_LIMIT = 500;

/** The verified batch a read is of (the exit's `MarginBasis` too). */
export type VerifiedBasis = {
  sequenceNumber: bigint;
  batchId: bigint;
  /** L1 block of the batch (or of the snapshot anchor). */
  blockNumber: bigint;
  /** keccak of the shared-state words, as committed on L1 (l1-data-tree.md §4.7). */
  sharedStateHash?: Hex;
};

/** One position in the last verified state, with that state's prices and funding. */
export type VerifiedPosition = {
  positionId: bigint;
  /** `EMPTY_POSITION` when nothing is stored for the id. */
  position: Position;
  sharedState: SharedState;
  sharedStateWords: bigint[];
  basis: VerifiedBasis;
  /** The verifier stopped at a bad batch after this state (the exchange's state may be newer and unverified). */
  halted: boolean;
};

/**
 * `checkPosition`'s answer: `leaf` is the hash of the stored position record (l1-data-tree.md
 * §4.3), `root` that leaf hashed up the stored siblings (§4.4), `committedRoot` word 0 of the last
 * verified shared state (§2.3). `pathLength` is the number of levels hashed (the tree height).
 */
export type PositionCheck = {
  positionId: bigint;
  leaf: bigint;
  root: bigint;
  committedRoot: bigint;
  pathLength: number;
  matches: boolean;
};

/** What an escape needs (l1-data-tree.md §4.6, §5.5): `verifyEscape(merkleProof, nAssets, sharedState)`. */
export type EscapeMaterial = {
  positionId: bigint;
  position: Position;
  merkleProof: bigint[];
  nAssets: number;
  sharedState: bigint[];
  basis: VerifiedBasis;
};

/** The position to escape: by id, or the position of a stark key (see `positionIdOfStarkKey`). */
export type EscapeQuery = { positionId: bigint } | { starkKey: bigint };

type Verified = { cp: SyncCheckpoint; words: bigint[]; state: SharedState; basis: VerifiedBasis };

const hex = (v: bigint) => `0x${v.toString(16)}`;

export class ReadModel {
  readonly #store: SyncStore;
  readonly #hashMany: BatchHasher;

  /** `hashMany` hashes `checkPosition`'s leaf and path (a worker pool may stand in; default `pedersenMany`). */
  constructor(store: SyncStore, opts: { hashMany?: BatchHasher } = {}) {
    this.#store = store;
    this.#hashMany = opts.hashMany ?? pedersenMany;
  }

  /** The last checkpoint as stored (undefined before the first sync or import). */
  checkpoint(): Promise<SyncCheckpoint | undefined> {
    return this.#store.checkpoint();
  }

  /**
   * The last verified state, or `ReadModelError`: `nothing-verified` before any batch or snapshot,
   * `catching-up` while batches after `hashedSequenceNumber` wait for their root (issue 15) — the
   * stored positions then run ahead of the last root our tree reproduced, so nothing is shown as
   * verified until the next checkpoint compares it.
   */
  async #verified(): Promise<Verified> {
    const cp = await this.#store.checkpoint();
    if (!cp?.sharedState)
      throw new ReadModelError('nothing-verified', 'no verified batch yet: sync (or import a snapshot) first');
    if (cp.hashedSequenceNumber !== undefined && cp.hashedSequenceNumber !== cp.sequenceNumber) {
      throw new ReadModelError(
        'catching-up',
        `the verifier is catching up: batches after sequence ${cp.hashedSequenceNumber} are checked but their root is compared at the next checkpoint; try again when it is caught up`,
      );
    }
    const basis: VerifiedBasis = {
      sequenceNumber: cp.sequenceNumber,
      batchId: cp.batchId,
      blockNumber: cp.blockNumber,
    };
    if (cp.sharedStateHash) basis.sharedStateHash = cp.sharedStateHash;
    return { cp, words: [...cp.sharedState], state: decodeSharedState(cp.sharedState), basis };
  }

  #view(v: Verified, positionId: bigint, position: Position | undefined): VerifiedPosition {
    return {
      positionId,
      position: position ?? EMPTY_POSITION,
      sharedState: v.state,
      sharedStateWords: [...v.words],
      basis: { ...v.basis },
      halted: v.cp.halted !== undefined,
    };
  }

  /** The verified state of one position (empty if none is stored). */
  async position(positionId: bigint): Promise<VerifiedPosition> {
    const v = await this.#verified();
    const id = checkPositionId(positionId, v.state);
    const [stored] = await this.#store.getPositions([id]);
    return this.#view(v, id, stored);
  }

  /**
   * The verified positions of a stark key, ascending id, from the store's stark-key index (not a
   * scan). Each record is checked to hold the key: a stale index entry is never shown as the
   * user's position.
   */
  async positionsOfStarkKey(starkKey: bigint): Promise<VerifiedPosition[]> {
    const key = checkStarkKey(starkKey);
    const v = await this.#verified();
    const ids = await this.#store.positionIdsOfStarkKey(key);
    const stored = await this.#store.getPositions(ids);
    return ids.flatMap((id, i) => (stored[i]?.starkKey === key ? [this.#view(v, id, stored[i])] : []));
  }

  /**
   * The position id of a stark key from the index, or undefined if no stored position holds it.
   * StarkEx perpetual deployments give each user one position (l1-data-tree.md §5.1); should a key
   * hold several, the lowest id is taken (as the full scan this replaces did). Only a lookup: read
   * the position's state through `position`.
   */
  async positionIdOfStarkKey(starkKey: bigint): Promise<bigint | undefined> {
    const [first] = await this.#store.positionIdsOfStarkKey(checkStarkKey(starkKey));
    return first;
  }

  /** Verdicts newest first: pass `next` as `before` for the following page. */
  async verdicts(q: VerdictPageQuery): Promise<Page<BatchVerdict, bigint>> {
    checkLimit(q.limit);
    if (q.before !== undefined && (typeof q.before !== 'bigint' || q.before < 0n || q.before >= 1n << 64n)) {
      throw new RangeCheckError('before', q.before, '0 <= before < 2^64 (a sequence number)');
    }
    return this.#store.verdictsPage(q);
  }

  /**
   * Alarms critical first, then warning, then info (recorded, not raised); within a severity the
   * newest `raisedAt` first, ties by id. Pass `next` as `after` for the following page; `total`
   * counts the alarms of the asked severities.
   */
  async alarms(q: AlarmPageQuery): Promise<Page<SyncAlarm, AlarmCursor>> {
    checkLimit(q.limit);
    for (const [i, s] of (q.severities ?? []).entries()) checkSeverity(`severities[${i}]`, s);
    if (q.after !== undefined) {
      checkSeverity('after.severity', q.after.severity);
      if (!Number.isFinite(q.after.raisedAt))
        throw new RangeCheckError('after.raisedAt', q.after.raisedAt, 'a finite number (milliseconds since the epoch)');
      if (typeof q.after.id !== 'string') throw new RangeCheckError('after.id', q.after.id, 'a string (an alarm id)');
    }
    return this.#store.alarmsPage(q);
  }

  /**
   * Re-derives a position's membership in the last verified state: the leaf hashed from the stored
   * position record (l1-data-tree.md §4.3; the empty position when none is stored), hashed up the
   * stored siblings (§4.4, a missing node is the empty subtree root E_h), compared with word 0 of
   * the last verified shared state (§2.3). A stored position altered without its tree, or an
   * altered sibling, gives `matches: false`; stored interior nodes on the path are not trusted.
   * Throws `ReadModelError` as `position` does, `RangeCheckError` for a stored record outside the
   * leaf's ranges.
   */
  async checkPosition(positionId: bigint, hasher?: BatchHasher): Promise<PositionCheck> {
    const v = await this.#verified();
    const id = checkPositionId(positionId, v.state);
    const hash = hasher ?? this.#hashMany;
    const height = Number(v.state.positionsTreeHeight);
    if (height < 1 || height > MAX_POSITION_TREE_HEIGHT) {
      throw new RangeCheckError(
        'sharedState[1]',
        v.state.positionsTreeHeight,
        `1 <= positions tree height <= ${MAX_POSITION_TREE_HEIGHT} (l1-data-tree.md §4.1)`,
      );
    }
    const siblingKeys: NodeKey[] = Array.from({ length: height }, (_, h) => ({
      height: h,
      index: (id >> BigInt(h)) ^ 1n,
    }));
    const [[stored], siblings] = await Promise.all([this.#store.getPositions([id]), this.#store.getNodes(siblingKeys)]);
    const leaf = (await hashChains([positionLeafWords(stored ?? EMPTY_POSITION)], hash))[0]!.at(-1)!;
    let node = leaf;
    for (let h = 0; h < height; h++) {
      const sibling = siblings[h] ?? emptySubtreeRoot(h);
      const [l, r] = ((id >> BigInt(h)) & 1n) === 1n ? [sibling, node] : [node, sibling];
      const out = await hash([l], [r]);
      if (out.length !== 1 || typeof out[0] !== 'bigint')
        throw new RangeCheckError('hasher result length', out.length, '1 hash for 1 pair');
      node = out[0];
    }
    const committedRoot = v.state.positionsRoot;
    return { positionId: id, leaf, root: node, committedRoot, pathLength: height, matches: node === committedRoot };
  }

  /**
   * What `verifyEscape` needs for one position, from the verified tree (l1-data-tree.md §4.6–4.7):
   * refused (`tree-mismatch`) unless the stored root is the committed one and the position's own
   * record hashes up its path to it (`checkPosition`), so a proof the contract would reject is
   * never offered. By stark key: `no-position` if the index has none.
   */
  async escapeSource(q: EscapeQuery): Promise<EscapeMaterial> {
    let positionId: bigint;
    if ('positionId' in q) positionId = q.positionId;
    else {
      const found = await this.positionIdOfStarkKey(q.starkKey);
      if (found === undefined)
        throw new ReadModelError(
          'no-position',
          `starkKey: no verified position holds ${hex(q.starkKey)}; set the position id, or sync further`,
        );
      positionId = found;
    }
    const v = await this.position(positionId);
    const tree = await PositionTree.create(this.#store, { height: Number(v.sharedState.positionsTreeHeight) });
    if ((await tree.root()) !== v.sharedState.positionsRoot) {
      throw new ReadModelError(
        'tree-mismatch',
        'the stored tree does not match the verified root; re-sync before escaping',
      );
    }
    const check = await this.checkPosition(v.positionId);
    if (!check.matches) {
      throw new ReadModelError(
        'tree-mismatch',
        `position ${v.positionId}: its stored record hashed up its stored Merkle path gives root ${hex(check.root)}, the verified state commits to ${hex(check.committedRoot)}; re-sync before escaping`,
      );
    }
    return {
      positionId: v.positionId,
      position: v.position,
      merkleProof: await tree.escapeProof(v.positionId),
      nAssets: v.position.assets.length,
      sharedState: v.sharedStateWords,
      basis: v.basis,
    };
  }
}

/** The read model over a store (IndexedDB in the extension, `MemorySyncStore` in Node and tests). */
export function readModel(store: SyncStore, opts: { hashMany?: BatchHasher } = {}): ReadModel {
  return new ReadModel(store, opts);
}

/** A leaf index of the verified tree: 0 <= id < 2^height (shared state word 1, l1-data-tree.md §4.1). */
function checkPositionId(id: unknown, state: SharedState): bigint {
  const height = state.positionsTreeHeight;
  if (typeof id !== 'bigint' || id < 0n || id >= 1n << height) {
    throw new RangeCheckError(
      'positionId',
      id,
      `0 <= positionId < 2^${height} (positions tree height, shared state word 1)`,
    );
  }
  return id;
}

/** A stark key is a field element (l1-data-tree.md §4.3: the leaf hashes it as a felt). */
function checkStarkKey(key: unknown): bigint {
  if (typeof key !== 'bigint' || key < 0n || key >= FIELD_PRIME)
    throw new RangeCheckError('starkKey', key, '0 <= starkKey < P (a field element)');
  return key;
}

function checkLimit(limit: unknown): void {
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) {
    throw new RangeCheckError('limit', limit, `an integer 1 <= limit <= ${MAX_PAGE_LIMIT}`);
  }
}

function checkSeverity(field: string, s: unknown): void {
  if (!ALARM_SEVERITY_ORDER.includes(s as SyncAlarm['severity']))
    throw new RangeCheckError(field, s, ALARM_SEVERITY_ORDER.join(' | '));
}
