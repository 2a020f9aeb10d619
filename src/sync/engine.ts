import { l1NowSeconds } from './l1-time.js';
import { BlockHashDisagreementError, L1DataError, RpcDisagreementError, RpcUnreachableError } from '../l1/errors.js';
import { systemClock } from '../l1/provider/clock.js';
import { EndpointError } from '../l1/provider/errors.js';
import type { Hex } from 'viem';
import type { StarkExDeployment } from '../l1/deployment.js';
import type {
  MemoryPagesHashesLog,
  PageRegistrationLog,
  StarkExL1Reader,
  StateTransitionLog,
} from '../l1/starkex-reader.js';
import { encodeSharedState, sharedStateHash, type SharedState } from '../starkex/shared-state.js';
import type { BatchHasher } from '../tree/position-leaf.js';
import {
  alarm,
  batchAlarm,
  eventAlarms,
  forcedRequestAlarms,
  newForcedRequests,
  servedForcedRequests,
  staleAlarm,
} from './alarms.js';
import { applyBatch } from './apply-batch.js';
import { checkReorg, hashCheckpoint, prune, restoreBefore } from './rollback.js';
import { checkAnchor } from './anchor.js';
import type { PageIndexEntries, SyncCommit, SyncStore } from './sync-store.js';
import type { BatchVerdict, PendingForcedRequest, SyncAlarm, SyncCheckpoint, SyncProgress } from './types.js';
import type { BatchEvidence } from './verify-batch.js';

/**
 * Batches applied between two catch-up checkpoints. A checkpoint hashes each dirty position's leaf
 * and the union of their paths once, so the longer the interval, the more positions repeat within
 * it and the more paths share nodes: on the bench's 2,000 × 100,000 history, 1,024 takes 514,913
 * hashes against 679,519 for 256 (−24%; bench/README.md, sync). The cost: up to this many batches
 * wait as pending-root during catch-up, their diffs are kept until the checkpoint (IndexedDB), and a
 * root mismatch bisects over them in memory.
 */
export const CHECKPOINT_EVERY_BATCHES = 1024;

export type SyncConfig = {
  deployment: StarkExDeployment;
  /** The shared state before the deployment's first batch (the devnet's genesis); unknown on mainnet. */
  initialSharedState?: SharedState;
  initialBatchId?: bigint;
  /** Blocks read per step (default 2000; also the eth_getLogs range). */
  maxBlockRange?: bigint;
  /**
   * How far before a batch its pages may have been registered (default 1 000 000 blocks): the page
   * index keeps registrations that long, and a sync starting mid-history reads that far back once.
   */
  pageLookbackBlocks?: bigint;
  /** Follow head − confirmations (default 0). */
  confirmations?: bigint;
  /** Blocks below the head taken as final where the RPC serves no `finalized` tag (default 64). */
  finalityDepth?: bigint;
  /**
   * Catch-up mode (while a window ends before the head): batches are checked in full and their
   * diffs applied without hashing; the tree is hashed every this many batches, at the end of
   * catch-up and before follow mode (default `CHECKPOINT_EVERY_BATCHES`).
   */
  checkpointEveryBatches?: number;
  /** Times the anchor is asked again while the RPCs disagree on its block's hash (default 2), and the pause between (default 2 s). */
  anchorRetries?: number;
  anchorRetryDelayMs?: number;
  /** Leaves per chunk when a checkpoint hashes the dirty positions (checkpoint-hash.ts `CHECKPOINT_CHUNK`). */
  checkpointChunk?: number;
  /**
   * Log queries the whole scan may take (default 50 000): an endpoint whose log window is below
   * (blocks to the head) / this cannot serve the job, and says so with the projected count.
   */
  maxLogRequests?: number;
  hashMany?: BatchHasher;
  /** The user's Stark keys: their forced requests are tracked. */
  watchedStarkKeys?: bigint[];
  /** FREEZE_GRACE_PERIOD in seconds (default dYdX's 14 days). */
  freezeGracePeriod?: bigint;
  /** Alarm when a forced request is pending for this share of the grace period (default 0.5). */
  forcedRequestAlarmShare?: number;
  /** Alarm when no batch came for this long, seconds (default 1 day). */
  maxBatchAgeSeconds?: bigint;
  /** Milliseconds since the epoch (tests inject a clock). */
  now?: () => number;
};

export type StepResult = SyncProgress & { newVerdicts: BatchVerdict[]; newAlarms: SyncAlarm[] };

/**
 * The verifier's sync (DESIGN.md §6, issues 9 and 15): reads L1 window by window and verifies
 * each state update (verify-batch.ts). Far behind the head (catch-up mode) each batch's diff is
 * applied to the stored positions and the tree is hashed at checkpoints (rollback.ts); at the
 * head (follow mode) the newest batch is hashed on its own, after one checkpoint for any batches
 * the same step applied before it. Each batch commits positions or tree nodes, its diff,
 * checkpoint and verdict in one store transaction: a crash loses at most the batch in flight and
 * the next run resumes from the checkpoint. A failed batch halts the sync there. Batches above the
 * finalized block keep their block hash and diff: a reorg rolls them back and re-verifies.
 */
export class SyncEngine {
  readonly config: SyncConfig;
  readonly #reader: StarkExL1Reader;
  readonly #store: SyncStore;
  readonly #now: () => number;

  constructor(config: SyncConfig, reader: StarkExL1Reader, store: SyncStore) {
    this.config = config;
    this.#reader = reader;
    this.#store = store;
    this.#now = config.now ?? (() => Date.now());
  }

  /** The stored checkpoint, or the one before the deployment's first block. */
  async checkpoint(): Promise<SyncCheckpoint> {
    const stored = await this.#store.checkpoint();
    if (stored) return stored;
    const { deployment: d, initialSharedState: s } = this.config;
    const cp: SyncCheckpoint = {
      deploymentId: d.id,
      sequenceNumber: 0n,
      batchId: this.config.initialBatchId ?? 0n,
      blockNumber: d.firstBlock,
      scannedTo: d.firstBlock - 1n,
      pendingForced: [],
      frozen: false,
    };
    if (s) {
      cp.sharedState = encodeSharedState(s);
      cp.sharedStateHash = sharedStateHash(cp.sharedState);
    }
    return cp;
  }

  /** Clears a halt so the failed batch is tried again (e.g. after changing a lying RPC). */
  async resume(): Promise<void> {
    const cp = await this.checkpoint();
    delete cp.halted;
    await this.#store.commit({ checkpoint: cp });
  }

  /** Steps until caught up, halted or an error; `onProgress` after every step. */
  async run(
    opts: { maxSteps?: number; onProgress?: (p: StepResult) => void; signal?: { aborted: boolean } } = {},
  ): Promise<StepResult> {
    let last: StepResult | undefined;
    for (let i = 0; i < (opts.maxSteps ?? Infinity); i++) {
      if (opts.signal?.aborted) break;
      last = await this.step();
      opts.onProgress?.(last);
      if (last.phase !== 'syncing') break;
    }
    return last ?? { ...(await this.#progress('idle')), newVerdicts: [], newAlarms: [] };
  }

  async #progress(phase: SyncProgress['phase'], extra: Partial<SyncProgress> = {}): Promise<SyncProgress> {
    const cp = await this.checkpoint();
    return { phase, scannedTo: cp.scannedTo, sequenceNumber: cp.sequenceNumber, verified: 0, ...extra };
  }

  /** Reads and verifies one window of at most `maxBlockRange` blocks. */
  async step(): Promise<StepResult> {
    const stored = await this.checkpoint();
    if (stored.halted) return { ...(await this.#progress('halted')), newVerdicts: [], newAlarms: [] };
    let result: StepResult;
    try {
      result = await this.#step(stored);
    } catch (err) {
      result = await this.#failedStep(err);
    }
    return this.#degradedChecks(result);
  }

  /**
   * Reads that not every RPC answered: their comparison did not happen. One warning per endpoint
   * (issue 15: a degraded cross-check is shown, never silently skipped).
   */
  async #degradedChecks(result: StepResult): Promise<StepResult> {
    const degraded = this.#reader.drainDegraded();
    if (!degraded.length) return result;
    const byUrl = new Map<string, typeof degraded>();
    for (const d of degraded) byUrl.set(d.url, [...(byUrl.get(d.url) ?? []), d]);
    const now = this.#now();
    const alarms = [...byUrl].map(([url, ds]) =>
      alarm(
        'rpc-degraded',
        `Cross-check degraded: ${url} did not answer ${ds.length} read(s) (${[...new Set(ds.map((d) => d.method))].join(', ')}) that the other RPCs answered, so they were not compared; last: ${ds.at(-1)!.reason}`,
        {
          raisedAt: now,
          idSuffix: url,
        },
      ),
    );
    await this.#store.commit({ checkpoint: await this.checkpoint(), alarms });
    return { ...result, newAlarms: [...result.newAlarms, ...alarms] };
  }

  /** An RPC failure ends the step with an alarm naming what failed; anything else is a bug and is thrown. */
  async #failedStep(err: unknown): Promise<StepResult> {
    const now = this.#now();
    const kind =
      err instanceof RpcUnreachableError || err instanceof EndpointError
        ? 'rpc-unreachable'
        : err instanceof RpcDisagreementError
          ? 'rpc-disagreement'
          : err instanceof L1DataError
            ? 'rpc-bad-data'
            : undefined;
    if (!kind) throw err;
    // Batches this step already committed stay: re-read the checkpoint, never write back `stored`.
    const current = await this.checkpoint();
    // The endpoint's own error names the endpoint, the method and its answer (issue 15).
    const cause = (err as Error).cause;
    const why = cause instanceof EndpointError ? `: ${cause.message.split('\n')[0]}` : '';
    const a = alarm(kind, `${(err as Error).message.split('\n')[0]}${why}`, {
      blockNumber: current.scannedTo + 1n,
      raisedAt: now,
    });
    await this.#store.commit({ checkpoint: current, alarms: [a] });
    const phase = kind === 'rpc-unreachable' ? 'rpc-unreachable' : 'error';
    return {
      phase,
      scannedTo: current.scannedTo,
      sequenceNumber: current.sequenceNumber,
      verified: 0,
      message: a.message,
      newVerdicts: [],
      newAlarms: [a],
    };
  }

  async #step(stored: SyncCheckpoint): Promise<StepResult> {
    const c = this.config;
    const now = this.#now();
    const latest = await this.#reader.latestBlock();
    const head = latest - (c.confirmations ?? 0n);
    let cp: SyncCheckpoint = cloneCheckpoint(stored);
    cp.watchStartBlock ??= latest;
    cp.finalizedBlock = maxBig(
      cp.finalizedBlock ?? 0n,
      (await this.#reader.finalizedBlock()) ?? latest - (c.finalityDepth ?? 64n),
    );
    const alarms: SyncAlarm[] = [];
    /** Alarms already committed with a batch in this step, still reported to the caller. */
    const raised: SyncAlarm[] = [];
    const verdicts: BatchVerdict[] = [];
    const result = (phase: SyncProgress['phase'], extra: Partial<StepResult> = {}): StepResult => ({
      phase,
      head,
      scannedTo: cp.scannedTo,
      sequenceNumber: cp.sequenceNumber,
      verified: verdicts.filter((v) => v.status !== 'failed').length,
      finalizedBlock: cp.finalizedBlock!,
      newVerdicts: verdicts,
      newAlarms: [...raised, ...alarms],
      ...extra,
    });
    const tree = {
      ...(c.hashMany ? { hashMany: c.hashMany } : {}),
      ...(c.checkpointChunk !== undefined ? { checkpointChunk: c.checkpointChunk } : {}),
      now,
    };
    /** Hashes the dirty positions; false when a batch failed its root (the sync then halts). */
    const checkpoint = async (): Promise<boolean> => {
      // Dirty positions with nothing unhashed: a rollback stopped mid-way (checkpoint-hash.ts).
      const hashed = (cp.hashedSequenceNumber ?? cp.sequenceNumber) >= cp.sequenceNumber;
      if (hashed && (await this.#store.dirtyPositionIds({ limit: 1 })).length === 0) return true;
      const r = await hashCheckpoint(this.#store, cp, tree);
      cp = r.checkpoint;
      if (r.ok) return true;
      verdicts.push(r.verdict);
      raised.push(r.alarm);
      return false;
    };

    const reorg = await checkReorg(this.#reader, this.#store, cp);
    if (reorg.kind === 'rollback') {
      const to = reorg.diffs[reorg.from]!;
      const a = alarm(
        'reorg',
        `Block ${reorg.block} is no longer canonical (reorg): rolled back to before batch sequence ${to.sequenceNumber} (block ${to.blockNumber}) to verify it again`,
        {
          blockNumber: reorg.block,
          raisedAt: now,
          idSuffix: String(now),
        },
      );
      cp = await restoreBefore(this.#store, reorg.diffs, reorg.from, tree, { alarms: [a] });
      raised.push(a);
      return result('syncing');
    }
    if (reorg.kind === 'too-deep') {
      const a = alarm(
        'chain-break',
        `Block ${reorg.block} of the last verified batch is no longer canonical, below what Vigil can roll back: reset the verifier`,
        { blockNumber: reorg.block, raisedAt: now },
      );
      cp.halted = { sequenceNumber: cp.sequenceNumber, failure: 'chain-break' };
      await this.#store.commit({ checkpoint: cp, alarms: [a] });
      raised.push(a);
      return result('halted');
    }

    const from = cp.scannedTo + 1n;
    if (from > head) {
      if (!(await checkpoint())) return result('halted');
      alarms.push(...(await this.#idleChecks(cp, head, now)));
      await this.#store.commit({ checkpoint: cp, alarms, ...prune(cp) });
      return result('caught-up');
    }
    const to = from + (c.maxBlockRange ?? 2000n) - 1n < head ? from + (c.maxBlockRange ?? 2000n) - 1n : head;
    // Catch-up while this window ends before the head (issue 15 "Sync at scale").
    const windowCatchUp = to < head;

    // One log query per window (split only if the RPC asks); page registrations and page-hash
    // events go to the index with this step's first commit, so later batches find them there.
    const lookback = c.pageLookbackBlocks ?? 1_000_000n;
    const jobBlocks = head - from + 1n;
    const maxLogRequests = BigInt(c.maxLogRequests ?? 50_000);
    const scan = await this.#reader.scan(from, to, { minWindow: (jobBlocks + maxLogRequests - 1n) / maxLogRequests });
    const window: PageIndexEntries = { registrations: scan.registrations, pagesHashes: scan.pagesHashes };
    if (cp.pageIndexFrom === undefined) {
      // Starting mid-history (a snapshot, an older store): pages may be registered before `from`.
      const backFrom = maxBig(c.deployment.firstBlock, from - lookback);
      if (backFrom < from) {
        const back = await this.#reader.scan(backFrom, from - 1n);
        window.registrations = [...back.registrations, ...window.registrations];
        window.pagesHashes = [...back.pagesHashes, ...window.pagesHashes];
      }
      cp.pageIndexFrom = backFrom;
    }
    let indexToCommit: Pick<SyncCommit, 'pageIndex'> =
      window.registrations.length || window.pagesHashes.length ? { pageIndex: window } : {};
    const withIndex = () => {
      const out = indexToCommit;
      indexToCommit = {};
      return out;
    };
    const events = scan.events;
    const transitions = scan.transitions.filter((t) => t.sequenceNumber > cp.sequenceNumber);
    // From the deployment's genesis, everything before its first state update is its set-up.
    const setUpUntil = cp.sequenceNumber === 0n ? (transitions[0]?.blockNumber ?? null) : undefined;
    alarms.push(
      ...eventAlarms(events, now, {
        ...(cp.watchStartBlock !== undefined ? { watchStartBlock: cp.watchStartBlock } : {}),
        ...(setUpUntil !== undefined ? { setUpUntil } : {}),
      }),
    );
    for (const e of events) if (e.kind === 'frozen' || e.kind === 'unfrozen') cp.frozen = e.kind === 'frozen';
    cp.pendingForced = mergePending(cp.pendingForced, await this.#forcedRequests(events));

    if (transitions.length) {
      // The window's reads are independent: evidence (calldata and data pages) is fetched up to
      // EVIDENCE_LOOKAHEAD batches ahead while batches are checked in order (each endpoint's budget
      // sets the pace). A prefetch past a failing batch is dropped, never applied.
      const byHash = windowByHash(window);
      this.#reader.planTransactions(transitions.flatMap((t) => evidenceTransactions(t, byHash)));
      // Slot k holds batch k's evidence until it is applied, then is emptied: a window can hold
      // hundreds of batches, and their data pages (every word a bigint) were the sync worker's
      // largest live objects while they stayed referenced here (bench/README.md, sync: memory).
      const ahead: Array<Promise<BatchEvidence> | undefined> = [];
      const fetchAhead = (i: number) => {
        for (let k = ahead.length; k < transitions.length && k <= i + EVIDENCE_LOOKAHEAD; k++) {
          const p = this.#evidence(transitions[k]!, byHash);
          p.catch(() => undefined); // awaited in order below; an early rejection is not unhandled
          ahead.push(p);
        }
      };
      for (const [i, t] of transitions.entries()) {
        // Within the head's window too, every batch but the newest is caught up: their roots are
        // checked together at the checkpoint before the newest, which follow mode hashes alone
        // (one tree update over the whole dirty set instead of one per batch).
        const catchUp = windowCatchUp || i < transitions.length - 1;
        // Follow mode hashes every batch: bring the tree level with the positions first.
        if (!catchUp && !(await checkpoint())) return result('halted');
        fetchAhead(i);
        const evidence = await ahead[i]!;
        ahead[i] = undefined;
        const outcome = await applyBatch(evidence, cp, this.#store, {
          daModeWord: c.deployment.daModeWord,
          deferRoot: catchUp,
          ...(c.hashMany ? { hashMany: c.hashMany } : {}),
        });
        if (outcome.verdict.status === 'failed') {
          // The state before a failed batch is what the exit reads: hash it first (a root
          // mismatch found there is the earlier, real failure).
          if (!(await checkpoint())) return result('halted');
          verdicts.push(outcome.verdict);
          alarms.push(batchAlarm(outcome.verdict, now)!);
          cp.halted = { sequenceNumber: t.sequenceNumber, failure: outcome.verdict.failure! };
          await this.#store.commit({ checkpoint: cp, verdict: outcome.verdict, alarms, ...withIndex() });
          return result('halted');
        }
        verdicts.push(outcome.verdict);
        cp = { ...outcome.checkpoint, scannedTo: maxBig(cp.scannedTo, t.blockNumber - 1n) };
        cp.pendingForced = servedForcedRequests(cp.pendingForced, outcome.served);
        const withBatch = alarms.splice(0);
        raised.push(...withBatch);
        await this.#store.commit({
          nodes: outcome.nodes!,
          diff: outcome.diff!,
          checkpoint: cp,
          verdict: outcome.verdict,
          alarms: withBatch,
          ...(catchUp ? { dirty: { add: outcome.diff!.changes.map(([id]) => id) } } : {}),
          ...prune(cp),
          ...withIndex(),
        });
        const unhashed = cp.sequenceNumber - (cp.hashedSequenceNumber ?? cp.sequenceNumber);
        if (
          catchUp &&
          unhashed >= BigInt(c.checkpointEveryBatches ?? CHECKPOINT_EVERY_BATCHES) &&
          !(await checkpoint())
        )
          return result('halted');
      }
    }
    cp.scannedTo = to;
    if (to === head) {
      if (!(await checkpoint())) return result('halted');
      alarms.push(...(await this.#idleChecks(cp, head, now)));
    }
    await this.#store.commit({
      checkpoint: cp,
      alarms,
      ...prune(cp),
      ...withIndex(),
      prunePageIndexBelow: to - lookback,
    });
    return result(to === head ? 'caught-up' : 'syncing');
  }

  /**
   * The evidence of one update: its calldata, its `LogMemoryPagesHashes` and each data page's
   * registration — from this window when there (the latest at or before the update, §2.6 steps
   * 4–5), else from the page index of earlier windows.
   */
  async #evidence(t: StateTransitionLog, window: WindowByHash): Promise<BatchEvidence> {
    const fact = BigInt(t.stateTransitionFact);
    const pagesHashes = latestBefore(window.pagesHashes, fact, t) ?? (await this.#store.pagesHashesOf(hex32(fact)));
    const call = this.#reader.updateStateCall(t.txHash);
    call.catch(() => undefined); // awaited below, after the pages; a page error must not leave it unhandled
    const dataPages: BatchEvidence['dataPages'] = await Promise.all(
      (pagesHashes?.pagesHashes.slice(1) ?? []).map(async (h) => {
        const memoryHash = BigInt(h);
        const registration =
          latestBefore(window.registrations, memoryHash, t) ?? (await this.#store.pageRegistration(hex32(memoryHash)));
        return registration && registration.blockNumber <= t.blockNumber
          ? { registration, call: await this.#reader.continuousPageCall(registration.txHash) }
          : {};
      }),
    );
    return pagesHashes && pagesHashes.blockNumber <= t.blockNumber
      ? { transition: t, call: await call, pagesHashes, dataPages }
      : { transition: t, call: await call, dataPages };
  }

  async #forcedRequests(
    events: Awaited<ReturnType<StarkExL1Reader['watchedEvents']>>,
  ): Promise<PendingForcedRequest[]> {
    const keys = this.config.watchedStarkKeys ?? [];
    const forced = events.filter((e) => e.kind === 'forced-withdrawal' || e.kind === 'forced-trade');
    if (!keys.length || !forced.length) return [];
    const times = new Map<bigint, bigint>();
    for (const e of forced)
      if (!times.has(e.blockNumber)) times.set(e.blockNumber, await this.#reader.blockTimestamp(e.blockNumber));
    return newForcedRequests(forced, keys, times);
  }

  /** Caught up: the anchor (§4.7), staleness and forced-request deadlines. */
  /**
   * The anchor at `block`, asked again while the RPCs disagree on that block's hash: at the head,
   * one provider may still serve a block the other has already replaced (a one-block reorg, seen a
   * few times a day on mainnet), and they agree a moment later. A disagreement that outlasts the
   * retries is thrown as before (an RPC alarm).
   */
  async #anchorAt(cp: SyncCheckpoint, block: bigint) {
    const tries = 1 + (this.config.anchorRetries ?? 2);
    for (let i = 1; ; i++) {
      try {
        return await checkAnchor(this.#reader, cp, block);
      } catch (err) {
        if (!(err instanceof BlockHashDisagreementError) || i >= tries) throw err;
        await systemClock.sleep(this.config.anchorRetryDelayMs ?? 2_000);
      }
    }
  }

  async #idleChecks(cp: SyncCheckpoint, head: bigint, now: number): Promise<SyncAlarm[]> {
    const out: SyncAlarm[] = [];
    const anchor =
      cp.scannedTo >= this.config.deployment.firstBlock
        ? await this.#anchorAt(cp, cp.scannedTo < head ? cp.scannedTo : head)
        : undefined;
    if (anchor && !anchor.ok)
      out.push(
        alarm('anchor-mismatch', anchor.message, {
          blockNumber: anchor.block,
          sequenceNumber: cp.sequenceNumber,
          raisedAt: now,
        }),
      );
    const nowSeconds = BigInt(Math.floor(now / 1000));
    const last = cp.sharedState?.at(-1);
    const stale =
      cp.sequenceNumber > 0n && !cp.frozen
        ? staleAlarm(last, nowSeconds, this.config.maxBatchAgeSeconds ?? 86_400n, now)
        : undefined;
    if (stale) out.push(stale);
    // A forced request's deadline runs on L1 time (the contract's block.timestamp): the head block's
    // time when it is ahead of the clock here (a devnet whose time was moved, a skewed clock).
    // Kept with the checkpoint, so the popup and the health view count on the same clock.
    if (cp.pendingForced.length) cp.headTime = { seconds: await this.#reader.blockTimestamp(head), readAtMs: now };
    out.push(
      ...forcedRequestAlarms(
        cp.pendingForced,
        l1NowSeconds(cp, now),
        this.config.freezeGracePeriod ?? 1_209_600n,
        this.config.forcedRequestAlarmShare ?? 0.5,
        now,
      ),
    );
    return out;
  }
}

const maxBig = (a: bigint, b: bigint) => (a > b ? a : b);
/** Batches whose evidence is fetched ahead of the one being checked. */
const EVIDENCE_LOOKAHEAD = 8;
const hex32 = (v: bigint) => `0x${v.toString(16).padStart(64, '0')}`;

/** A window's page logs by hash (canonical 0x + 64 hex), each list in block order: one lookup per page. */
/**
 * The transactions whose calldata a batch's evidence needs, as far as this window's logs tell:
 * its `updateState` and the registrations of its data pages found here (the reader reads a block
 * holding several of them once).
 */
function evidenceTransactions(t: StateTransitionLog, window: WindowByHash): { txHash: Hex; blockNumber: bigint }[] {
  const pagesHashes = latestBefore(window.pagesHashes, BigInt(t.stateTransitionFact), t);
  const pages = (pagesHashes?.pagesHashes.slice(1) ?? []).flatMap(
    (h) => latestBefore(window.registrations, BigInt(h), t) ?? [],
  );
  return [t, ...pages].map((x) => ({ txHash: x.txHash, blockNumber: x.blockNumber }));
}

/** This window's latest log for `hash` at or before the update's block (§2.6 steps 4–5). */
function latestBefore<L extends { blockNumber: bigint }>(
  byHash: Map<string, L[]>,
  hash: bigint,
  t: StateTransitionLog,
): L | undefined {
  return (byHash.get(hex32(hash)) ?? []).filter((l) => l.blockNumber <= t.blockNumber).at(-1);
}

type WindowByHash = {
  pagesHashes: Map<string, MemoryPagesHashesLog[]>;
  registrations: Map<string, PageRegistrationLog[]>;
};
function windowByHash(w: PageIndexEntries): WindowByHash {
  const group = <T>(items: readonly T[], key: (x: T) => string) => {
    const m = new Map<string, T[]>();
    for (const x of items) m.set(key(x), [...(m.get(key(x)) ?? []), x]);
    return m;
  };
  return {
    pagesHashes: group(w.pagesHashes, (h) => hex32(BigInt(h.factHash))),
    registrations: group(w.registrations, (r) => hex32(BigInt(r.memoryHash))),
  };
}
const cloneCheckpoint = (cp: SyncCheckpoint): SyncCheckpoint => ({
  ...cp,
  pendingForced: cp.pendingForced.map((p) => ({ ...p })),
  ...(cp.sharedState ? { sharedState: [...cp.sharedState] } : {}),
});
function mergePending(a: PendingForcedRequest[], b: PendingForcedRequest[]): PendingForcedRequest[] {
  const seen = new Set(a.map((p) => `${p.key}@${p.blockNumber}`));
  return [...a, ...b.filter((p) => !seen.has(`${p.key}@${p.blockNumber}`))];
}
