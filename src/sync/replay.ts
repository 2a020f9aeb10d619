import type { StarkExDeployment } from '../l1/deployment.js';
import type { StarkExL1Reader, StateTransitionLog } from '../l1/starkex-reader.js';
import { encodeSharedState, sharedStateHash, type SharedState } from '../starkex/shared-state.js';
import { applyPositionChanges, computePositionChanges, type PositionChanges } from '../state/apply-update.js';
import type { Position } from '../state/position.js';
import { emptySubtreeRoot } from '../tree/empty-subtrees.js';
import { MemoryNodeStore } from '../tree/node-store.js';
import type { BatchHasher } from '../tree/position-leaf.js';
import { PositionTree } from '../tree/position-tree.js';
import type { BatchVerdict } from './types.js';
import { checkBatchEvidence, type BatchEvidence } from './verify-batch.js';

export type ReplayOptions = {
  deployment: StarkExDeployment;
  reader: StarkExL1Reader;
  /** The state before the first batch; without it the first batch's previous state is taken as given. */
  initialSharedState?: SharedState;
  /** Last block to replay (default: the head). */
  toBlock?: bigint;
  maxBlockRange?: bigint;
  hashMany?: BatchHasher;
  onProgress?: (p: { phase: 'reading' | 'hashing' | 'searching'; batches: number }) => void;
};

export type ReplayResult = {
  /** Per-batch evidence verdicts (facts, pages, chain, decode); no per-batch root. */
  verdicts: BatchVerdict[];
  positions: Map<bigint, Position>;
  /** Root of the final positions and the root the last batch commits to. */
  finalRoot?: bigint;
  committedRoot?: bigint;
  ok: boolean;
  /** When the end does not match: a batch whose data does not give its root from a matching predecessor. */
  firstBadBatch?: {
    sequenceNumber: bigint;
    batchId: bigint;
    blockNumber: bigint;
    computedRoot: bigint;
    committedRoot: bigint;
  };
};

async function rootOf(
  positions: ReadonlyMap<bigint, Position>,
  height: number,
  hashMany?: BatchHasher,
): Promise<bigint> {
  if (positions.size === 0) return emptySubtreeRoot(height);
  const tree = await PositionTree.create(new MemoryNodeStore(), { height, ...(hashMany ? { hashMany } : {}) });
  await tree.update([...positions]);
  return tree.root();
}

/**
 * Replay mode (DESIGN.md §6): every batch from the first block is checked (facts, pages, chain) and
 * its on-chain data applied to a positions map; the tree is hashed once at the end. Intermediate
 * roots are attested by the validity proofs, so they are only used when the end does not match:
 * a binary search over batches finds one whose root our replay does not reproduce while its
 * predecessor's does (the first such batch when, as usual, a divergence persists).
 */
export async function replayFromGenesis(o: ReplayOptions): Promise<ReplayResult> {
  const d = o.deployment;
  const head = o.toBlock ?? (await o.reader.latestBlock());
  const step = o.maxBlockRange ?? 2000n;
  const transitions: StateTransitionLog[] = [];
  for (let a = d.firstBlock; a <= head; a += step)
    transitions.push(...(await o.reader.stateTransitions(a, a + step - 1n < head ? a + step - 1n : head)));
  const hashes = transitions.length ? await o.reader.memoryPagesHashes(d.firstBlock, head) : [];
  const regs = transitions.length ? await o.reader.pageRegistrations(d.firstBlock, head) : [];

  const positions = new Map<bigint, Position>();
  const changesPerBatch: PositionChanges[] = [];
  const committed: bigint[] = [];
  const verdicts: BatchVerdict[] = [];
  let tipHash = o.initialSharedState ? sharedStateHash(encodeSharedState(o.initialSharedState)) : undefined;
  let tipRoot = o.initialSharedState?.positionsRoot ?? emptySubtreeRoot(64);
  let tip = { sequenceNumber: 0n, batchId: 0n };
  for (const t of transitions) {
    const pagesHashes = hashes
      .filter((h) => BigInt(h.factHash) === BigInt(t.stateTransitionFact) && h.blockNumber <= t.blockNumber)
      .at(-1);
    const dataPages: BatchEvidence['dataPages'] = [];
    for (const h of pagesHashes?.pagesHashes.slice(1) ?? []) {
      const registration = regs
        .filter((r) => BigInt(r.memoryHash) === BigInt(h) && r.blockNumber <= t.blockNumber)
        .at(-1);
      dataPages.push(
        registration ? { registration, call: await o.reader.continuousPageCall(registration.txHash) } : {},
      );
    }
    const ev: BatchEvidence = {
      transition: t,
      call: await o.reader.updateStateCall(t.txHash),
      dataPages,
      ...(pagesHashes ? { pagesHashes } : {}),
    };
    // Replay trusts intermediate roots (attested by the proof), so the tip root is the committed one.
    const r = checkBatchEvidence(
      ev,
      { ...tip, positionsRoot: tipRoot, ...(tipHash ? { sharedStateHash: tipHash } : {}) },
      { daModeWord: d.daModeWord },
    );
    const verdict: BatchVerdict = {
      sequenceNumber: t.sequenceNumber,
      batchId: t.batchId,
      blockNumber: t.blockNumber,
      txHash: t.txHash,
      status: 'failed',
      checks: r.checks,
      positionsChanged: 0,
    };
    verdicts.push(verdict);
    if (!r.decoded)
      return { verdicts: [...verdicts.slice(0, -1), { ...verdict, failure: r.failure! }], positions, ok: false };
    let changes: PositionChanges;
    try {
      changes = computePositionChanges(positions, r.decoded);
    } catch (err) {
      return {
        verdicts: [
          ...verdicts.slice(0, -1),
          {
            ...verdict,
            failure: 'decode-error',
            checks: [...r.checks, { check: 'root', ok: false, detail: (err as Error).message }],
          },
        ],
        positions,
        ok: false,
      };
    }
    applyPositionChanges(positions, changes);
    changesPerBatch.push(changes);
    const next = r.decoded.programOutput.newSharedState;
    committed.push(next.positionsRoot);
    Object.assign(verdict, {
      status: 'verified',
      positionsChanged: changes.length,
      committedRoot: next.positionsRoot,
      systemTime: next.systemTime,
    });
    tip = { sequenceNumber: t.sequenceNumber, batchId: t.batchId };
    tipHash = sharedStateHash(encodeSharedState(next));
    tipRoot = next.positionsRoot;
    o.onProgress?.({ phase: 'reading', batches: verdicts.length });
  }
  if (!transitions.length) return { verdicts, positions, ok: true };

  o.onProgress?.({ phase: 'hashing', batches: verdicts.length });
  const finalRoot = await rootOf(positions, 64, o.hashMany);
  const committedRoot = committed.at(-1)!;
  if (finalRoot === committedRoot) return { verdicts, positions, finalRoot, committedRoot, ok: true };

  // Invariant: the root after batch lo matches (lo = −1: the start), after batch hi it does not.
  o.onProgress?.({ phase: 'searching', batches: verdicts.length });
  const rootAfter = async (k: number) => {
    const m = new Map<bigint, Position>();
    for (let i = 0; i <= k; i++) applyPositionChanges(m, changesPerBatch[i]!);
    return rootOf(m, 64, o.hashMany);
  };
  let lo = -1;
  let hi = committed.length - 1;
  let hiRoot = finalRoot;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    const r = await rootAfter(mid);
    if (r === committed[mid]) lo = mid;
    else [hi, hiRoot] = [mid, r];
  }
  const bad = verdicts[hi]!;
  bad.status = 'failed';
  bad.failure = 'root-mismatch';
  bad.computedRoot = hiRoot;
  bad.checks.push({
    check: 'root',
    ok: false,
    detail: `replay gives 0x${hiRoot.toString(16)}, the batch commits to 0x${committed[hi]!.toString(16)}`,
  });
  return {
    verdicts,
    positions,
    finalRoot,
    committedRoot,
    ok: false,
    firstBadBatch: {
      sequenceNumber: bad.sequenceNumber,
      batchId: bad.batchId,
      blockNumber: bad.blockNumber,
      computedRoot: hiRoot,
      committedRoot: committed[hi]!,
    },
  };
}
