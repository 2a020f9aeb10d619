import { RangeCheckError } from '../errors.js';
import { checkArray, checkInteger, checkObject, checkOneOf, checkString } from '../checks.js';
import type { StarkExDeployment } from '../l1/deployment.js';
import type { StarkExL1Reader } from '../l1/starkex-reader.js';
import { decodeSharedState, sharedStateHash, type SharedState } from '../starkex/shared-state.js';
import type { Hex } from '../starkex/words.js';
import type { Position } from '../state/position.js';
import { MemoryNodeStore } from '../tree/node-store.js';
import { checkLeafPosition, type BatchHasher } from '../tree/position-leaf.js';
import { PositionTree } from '../tree/position-tree.js';
import { checkAnchor } from './anchor.js';
import { SnapshotRejectedError } from './errors.js';
import { OverlayNodeStore, type SyncStore } from './sync-store.js';
import type { SyncCheckpoint } from './types.js';

/**
 * Snapshot mode (DESIGN.md §6, issue 9): the verified positions at one batch, as a file anyone may
 * pass around. It is trusted only after its shared state hashes to the contract's sharedStateHash
 * at its block (and sequenceNumber matches) and the tree rebuilt from its positions has that
 * state's root (word 0). One changed balance changes the root.
 */
export const SNAPSHOT_FORMAT = 'vigil-positions-snapshot/1';

export type PositionsSnapshot = {
  format: typeof SNAPSHOT_FORMAT;
  deploymentId: string;
  chainId: number;
  starkPerpetual: string;
  sequenceNumber: bigint;
  batchId: bigint;
  blockNumber: bigint;
  /** The shared state words (size word excluded) of batch `sequenceNumber`. */
  sharedState: bigint[];
  /** Ascending position id. */
  positions: Array<[bigint, Position]>;
};

/** The store's verified state as a snapshot. */
export async function exportSnapshot(store: SyncStore, deployment: StarkExDeployment): Promise<PositionsSnapshot> {
  const cp = await store.checkpoint();
  if (!cp?.sharedState) throw new SnapshotRejectedError('shared-state', 'nothing verified yet to export');
  // In catch-up the stored positions run ahead of the last root our tree reproduced.
  if ((cp.hashedSequenceNumber ?? cp.sequenceNumber) !== cp.sequenceNumber) {
    throw new SnapshotRejectedError(
      'root',
      `batches after sequence ${cp.hashedSequenceNumber} are applied but not yet hashed (catch-up): export after the sync reaches its next checkpoint`,
    );
  }
  return {
    format: SNAPSHOT_FORMAT,
    deploymentId: deployment.id,
    chainId: deployment.chainId,
    starkPerpetual: deployment.starkPerpetual,
    sequenceNumber: cp.sequenceNumber,
    batchId: cp.batchId,
    // The anchor block: every block up to it read, and at least the last verified batch's block.
    blockNumber: cp.scannedTo > cp.blockNumber ? cp.scannedTo : cp.blockNumber,
    sharedState: [...cp.sharedState],
    positions: await store.allPositions(),
  };
}

/** JSON with every integer as a decimal string (JSON numbers cannot carry 252-bit values). */
export function serializeSnapshot(s: PositionsSnapshot): string {
  return JSON.stringify(s, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
}

const DECIMAL = /^-?\d{1,80}$/;
const big = (v: unknown, field: string): bigint =>
  BigInt(checkString(field, v, { pattern: DECIMAL, expected: 'a decimal integer string' }));

/**
 * Parses and shape-checks a snapshot file; every position must be a valid leaf. Any failure is a
 * SnapshotRejectedError('format') whose cause is the check's RangeCheckError (field, value, range).
 */
export function parseSnapshot(text: string): PositionsSnapshot {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new SnapshotRejectedError('format', 'not JSON', { cause: err });
  }
  try {
    return snapshotFromJson(json);
  } catch (err) {
    if (err instanceof RangeCheckError) throw new SnapshotRejectedError('format', err.shortMessage, { cause: err });
    throw err;
  }
}

function snapshotFromJson(json: unknown): PositionsSnapshot {
  const raw = checkObject('snapshot', json, 'a snapshot object');
  checkOneOf('format', raw.format, [SNAPSHOT_FORMAT]);
  let last = -1n;
  // Array.from, not map: a hole is read as undefined and refused, not skipped.
  const positions = Array.from(checkArray('positions', raw.positions), (entry, i): [bigint, Position] => {
    const [id, position] = positionEntryFromJson(entry, `positions[${i}]`);
    if (id <= last) throw new RangeCheckError(`positions[${i}][0]`, id, `> ${last} (ids ascend without repeats)`);
    last = id;
    return [id, position];
  });
  return { ...snapshotHeaderFromJson(raw), format: SNAPSHOT_FORMAT, positions };
}

/** The fields of a snapshot besides its positions (both formats), checked; `format` is the caller's. */
export function snapshotHeaderFromJson(raw: Record<string, unknown>): Omit<PositionsSnapshot, 'format' | 'positions'> {
  return {
    deploymentId: checkString('deploymentId', raw.deploymentId),
    chainId: checkInteger('chainId', raw.chainId, 1),
    starkPerpetual: checkString('starkPerpetual', raw.starkPerpetual),
    sequenceNumber: big(raw.sequenceNumber, 'sequenceNumber'),
    batchId: big(raw.batchId, 'batchId'),
    blockNumber: big(raw.blockNumber, 'blockNumber'),
    sharedState: Array.from(checkArray('sharedState', raw.sharedState), (w, i) => big(w, `sharedState[${i}]`)),
  };
}

/** One `[positionId, position]` entry, every integer a decimal string; the position must be a valid leaf. */
export function positionEntryFromJson(entry: unknown, at: string): [bigint, Position] {
  const [idRaw, pRaw] = checkArray(at, entry, '[positionId, position]');
  const id = big(idRaw, `${at}[0]`);
  const p = checkObject(`${at}[1]`, pRaw, 'a position { starkKey, collateral, assets }');
  const position: Position = {
    starkKey: big(p.starkKey, `${at}.starkKey`),
    collateral: big(p.collateral, `${at}.collateral`),
    assets: Array.from(checkArray(`${at}.assets`, p.assets), (a, k) => {
      const f = `${at}.assets[${k}]`;
      const x = checkObject(f, a, '{ assetId, balance, cachedFundingIndex }');
      return {
        assetId: big(x.assetId, `${f}.assetId`),
        balance: big(x.balance, `${f}.balance`),
        cachedFundingIndex: big(x.cachedFundingIndex, `${f}.cachedFundingIndex`),
      };
    }),
  };
  checkLeafPosition(position, at);
  return [id, position];
}

export type ImportSnapshotOptions = {
  deployment: StarkExDeployment;
  reader: StarkExL1Reader;
  store: SyncStore;
  hashMany?: BatchHasher;
  /** Positions per tree update (default 256): the progress bar's step. */
  chunk?: number;
  onProgress?: (done: number, total: number) => void;
};

/**
 * Verifies a snapshot against the anchor and, only if it verifies, replaces the store's state with
 * it (tree, positions, checkpoint at the snapshot's block) in one commit. Throws
 * `SnapshotRejectedError` otherwise; the store is then untouched.
 */
export async function importSnapshot(s: PositionsSnapshot, o: ImportSnapshotOptions): Promise<SyncCheckpoint> {
  const { state, hash } = await checkSnapshotAnchor(s, o);
  const overlay = new OverlayNodeStore(new MemoryNodeStore());
  const tree = await PositionTree.create(overlay, {
    height: Number(state.positionsTreeHeight),
    ...(o.hashMany ? { hashMany: o.hashMany } : {}),
  });
  const chunk = o.chunk ?? 256;
  o.onProgress?.(0, s.positions.length);
  for (let i = 0; i < s.positions.length; i += chunk) {
    await tree.update(s.positions.slice(i, i + chunk));
    o.onProgress?.(Math.min(i + chunk, s.positions.length), s.positions.length);
  }
  checkSnapshotRoot(await tree.root(), state.positionsRoot);
  const checkpoint = snapshotCheckpoint(s, o.deployment, hash);
  await o.store.commit({ reset: true, nodes: overlay.pending(), checkpoint });
  return checkpoint;
}

/**
 * The snapshot's deployment, shared state and anchor (its keccak equals the contract's proven
 * sharedStateHash at its block, and the sequence number matches); throws SnapshotRejectedError.
 */
export async function checkSnapshotAnchor(
  s: Omit<PositionsSnapshot, 'format' | 'positions'>,
  o: Pick<ImportSnapshotOptions, 'deployment' | 'reader'>,
): Promise<{ state: SharedState; hash: Hex }> {
  const d = o.deployment;
  if (
    s.deploymentId !== d.id ||
    s.chainId !== d.chainId ||
    s.starkPerpetual.toLowerCase() !== d.starkPerpetual.toLowerCase()
  ) {
    throw new SnapshotRejectedError(
      'deployment',
      `snapshot is for ${s.deploymentId} (chain ${s.chainId}, ${s.starkPerpetual}), not ${d.id}`,
    );
  }
  let state;
  try {
    state = decodeSharedState(s.sharedState);
  } catch (err) {
    throw new SnapshotRejectedError('shared-state', (err as Error).message, { cause: err });
  }
  const hash = sharedStateHash(s.sharedState);
  const anchor = await checkAnchor(
    o.reader,
    { sequenceNumber: s.sequenceNumber, sharedStateHash: hash },
    s.blockNumber,
  );
  if (!anchor!.ok) throw new SnapshotRejectedError('anchor', anchor!.message);
  return { state, hash };
}

export function checkSnapshotRoot(root: bigint, anchored: bigint): void {
  if (root !== anchored) {
    throw new SnapshotRejectedError(
      'root',
      `the positions give root 0x${root.toString(16)}, the anchored shared state 0x${anchored.toString(16)}`,
    );
  }
}

/** The checkpoint of a verified snapshot: its batch, and block `blockNumber` read again. */
export function snapshotCheckpoint(
  s: Omit<PositionsSnapshot, 'format' | 'positions'>,
  d: StarkExDeployment,
  hash: Hex,
): SyncCheckpoint {
  return {
    deploymentId: d.id,
    sequenceNumber: s.sequenceNumber,
    batchId: s.batchId,
    blockNumber: s.blockNumber,
    // Block `blockNumber` is read again, so a later batch in the same block is not skipped.
    scannedTo: s.blockNumber - 1n,
    sharedState: [...s.sharedState],
    sharedStateHash: hash,
    pendingForced: [],
    frozen: false,
  };
}
