import type { StarkExL1Reader } from '../l1/starkex-reader.js';
import { batchAlarm } from './alarms.js';
import {
  firstBadBatch,
  hashDirtyInChunks,
  hashLeavesInChunks,
  leavesBefore,
  markDirty,
  type TreeOptions,
} from './checkpoint-hash.js';
import type { SyncCommit, SyncStore } from './sync-store.js';
import type { BatchDiff, BatchVerdict, SyncAlarm, SyncCheckpoint } from './types.js';

/**
 * Catch-up checkpoints, bisection and rollback (issue 15). Invariant kept by every commit: the
 * stored tree nodes are those of batch `hashedSequenceNumber`'s state, except on the paths of the
 * dirty positions, where a checkpoint, probe or restore hashing in chunks may have left anything
 * (checkpoint-hash.ts); the kept diffs cover every batch after that, and every batch not yet final.
 */

const hex = (v: bigint) => `0x${v.toString(16)}`;
const hashedOf = (cp: SyncCheckpoint) => cp.hashedSequenceNumber ?? cp.sequenceNumber;

/** Pending-root verdicts from `from` up to `upTo`, now covered by the root of batch `upTo`. */
async function settled(store: SyncStore, from: bigint, upTo: bigint, computedRoot: bigint): Promise<BatchVerdict[]> {
  const pending = (await store.verdictsFrom(from)).filter(
    (v) => v.sequenceNumber <= upTo && v.status === 'pending-root',
  );
  return pending.map((v) => {
    const own = v.sequenceNumber === upTo;
    const detail = own
      ? undefined
      : `not hashed per batch (catch-up): the positions after batch sequence ${upTo} reproduce its committed root`;
    return {
      ...v,
      status: 'verified',
      rootCheckedAt: upTo,
      checks: [...v.checks, { check: 'root', ok: true, ...(detail ? { detail } : {}) }],
      ...(own ? { computedRoot } : {}),
    } satisfies BatchVerdict;
  });
}

export type CheckpointResult =
  | { ok: true; checkpoint: SyncCheckpoint }
  | { ok: false; checkpoint: SyncCheckpoint; verdict: BatchVerdict; alarm: SyncAlarm };

/**
 * Hashes the dirty positions into the stored tree and compares the root with the last applied
 * batch's committed root. On a match the pending verdicts become verified and the tree is
 * committed; on a mismatch, bisects to the first batch that does not reproduce its root, restores
 * the state before it and halts there.
 */
export async function hashCheckpoint(
  store: SyncStore,
  cp: SyncCheckpoint,
  opts: TreeOptions & { now: number },
): Promise<CheckpointResult> {
  // The nodes are written chunk by chunk (bounded memory); the commit below makes them count.
  const root = await hashDirtyInChunks(store, opts);
  const committed = cp.sharedState?.[0];
  if (committed === undefined || root === committed) {
    const checkpoint: SyncCheckpoint = { ...cp, hashedSequenceNumber: cp.sequenceNumber };
    const verdicts = await settled(store, hashedOf(cp) + 1n, cp.sequenceNumber, root);
    await store.commit({ checkpoint, verdicts, dirty: { clear: true }, ...prune(checkpoint) });
    return { ok: true, checkpoint };
  }
  const diffs = (await store.diffs()).filter((d) => d.sequenceNumber > hashedOf(cp));
  const bad = await firstBadBatch(store, diffs, opts);
  const index = bad?.index ?? diffs.length - 1;
  const failing = diffs[index]!;
  const [verdict] = await store.verdictsFrom(failing.sequenceNumber);
  const failed: BatchVerdict = {
    ...(verdict ?? {
      sequenceNumber: failing.sequenceNumber,
      batchId: 0n,
      blockNumber: failing.blockNumber,
      txHash: '0x',
      checks: [],
      positionsChanged: failing.changes.length,
    }),
    status: 'failed',
    failure: 'root-mismatch',
    committedRoot: failing.committedRoot,
    computedRoot: bad?.computedRoot ?? root,
  };
  failed.checks = [
    ...failed.checks.filter((c) => c.check !== 'root'),
    {
      check: 'root',
      ok: false,
      detail: `our tree gives root ${hex(failed.computedRoot!)}, the batch commits to ${hex(failing.committedRoot)} (found by bisecting the batches since sequence ${hashedOf(cp)})`,
    },
  ];
  const alarm = batchAlarm(failed, opts.now)!;
  const restored = await restoreBefore(store, diffs, index, opts, {
    halted: { sequenceNumber: failing.sequenceNumber, failure: 'root-mismatch' },
    verdict: failed,
    alarms: [alarm],
  });
  return { ok: false, checkpoint: restored, verdict: failed, alarm };
}

/**
 * Undoes `diffs[from..]` (ascending, kept diffs): positions back to their values before
 * `diffs[from]`, the tree re-hashed over those and the dirty positions, which must then reproduce
 * the root committed before that batch (else the store is inconsistent and nothing is written).
 * Verdicts and diffs from that batch on are dropped; pending verdicts before it become verified.
 */
export async function restoreBefore(
  store: SyncStore,
  diffs: readonly BatchDiff[],
  from: number,
  opts: TreeOptions,
  extra: { halted?: SyncCheckpoint['halted']; verdict?: BatchVerdict; alarms?: SyncAlarm[] } = {},
): Promise<SyncCheckpoint> {
  const undone = diffs.slice(from);
  const first = undone[0]!;
  // Every dirty leaf from its stored position, the undone ones from before them; the nodes are
  // written chunk by chunk, the positions with the commit below (a crash between the two leaves
  // the undone positions dirty, and the next checkpoint re-hashes them as they are stored).
  const restored = leavesBefore(undone);
  const root = await hashLeavesInChunks(store, await markDirty(store, restored.keys()), restored, opts);
  const expected = first.before.sharedState?.[0];
  if (expected !== undefined && root !== expected) {
    throw new Error(
      `rollback before batch sequence ${first.sequenceNumber}: the restored positions give root ${hex(root)}, the state before it commits to ${hex(expected)}`,
    );
  }
  const checkpoint: SyncCheckpoint = {
    ...first.before,
    hashedSequenceNumber: first.before.sequenceNumber,
    ...(extra.halted ? { halted: extra.halted } : {}),
  };
  if (!extra.halted) delete checkpoint.halted;
  const verdicts = await settled(store, hashedOf(first.before) + 1n, first.before.sequenceNumber, root);
  // Index entries above the restored scan point are read again (a reorg may have changed them).
  const commit: SyncCommit = {
    nodes: { nodes: [], positions: [...restored] },
    checkpoint,
    verdicts,
    dirty: { clear: true },
    dropFrom: first.sequenceNumber,
    dropPageIndexAbove: checkpoint.scannedTo,
    ...(extra.alarms ? { alarms: extra.alarms } : {}),
  };
  if (extra.verdict) commit.verdict = extra.verdict;
  await store.commit(commit);
  return checkpoint;
}

/** Prune what can never be rolled back: hashed and final. */
export function prune(cp: SyncCheckpoint): Pick<SyncCommit, 'pruneDiffs'> {
  return cp.finalizedBlock === undefined
    ? {}
    : { pruneDiffs: { upToSequence: hashedOf(cp), upToBlock: cp.finalizedBlock } };
}

export type ReorgCheck =
  | { kind: 'none' }
  | { kind: 'rollback'; from: number; diffs: BatchDiff[]; block: bigint }
  | { kind: 'too-deep'; block: bigint };

/**
 * Is the last applied batch's block still canonical? Only asked while that block is not final.
 * If not, the kept diffs are walked back to the last batch whose block is still canonical.
 */
export async function checkReorg(reader: StarkExL1Reader, store: SyncStore, cp: SyncCheckpoint): Promise<ReorgCheck> {
  if (!cp.blockHash || cp.sequenceNumber === 0n) return { kind: 'none' };
  if (cp.finalizedBlock !== undefined && cp.blockNumber <= cp.finalizedBlock) return { kind: 'none' };
  if ((await reader.blockHash(cp.blockNumber)) === cp.blockHash) return { kind: 'none' };
  const diffs = await store.diffs();
  for (let i = diffs.length - 1; i >= 0; i--) {
    const d = diffs[i]!;
    if (d.blockHash && (await reader.blockHash(d.blockNumber)) === d.blockHash) {
      return i === diffs.length - 1
        ? { kind: 'none' }
        : { kind: 'rollback', from: i + 1, diffs, block: cp.blockNumber };
    }
  }
  // No kept batch is canonical: roll all of them back if the state before them is final.
  const first = diffs[0];
  if (
    first &&
    (first.before.sequenceNumber === 0n ||
      (cp.finalizedBlock !== undefined && first.before.blockNumber <= cp.finalizedBlock))
  ) {
    return { kind: 'rollback', from: 0, diffs, block: cp.blockNumber };
  }
  return { kind: 'too-deep', block: cp.blockNumber };
}
