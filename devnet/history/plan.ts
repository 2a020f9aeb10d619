import { EMPTY_POSITION, PositionTree, continuousPageFact, positionRecord } from '../../src/index.js';
import type { Position, ProgramOutput, SharedState } from '../../src/index.js';
import { numberToHex } from 'viem';
import {
  buildStateUpdate,
  DEVNET_OUTPUT_START,
  DEVNET_PAGE_ALPHA,
  DEVNET_PAGE_Z,
  MAX_WORDS_PER_MEMORY_PAGE,
} from '../state-update.js';
import {
  BLOCK_SECONDS,
  FXP,
  HISTORY_ASSET,
  HISTORY_ASSET_CONFIG,
  rng,
  type MainnetShapedOptions,
  type PlannedBatch,
} from './shape.js';

/**
 * Plans every batch of a mainnet-shaped history (pure computation, no chain): positions, tree
 * roots with the incremental tree, state updates and their pages, planned block timestamps, which
 * pages are registered early. Runs in-process or in a worker (plan-worker.ts) beside the writer.
 */
export type PlanParams = {
  opts: MainnetShapedOptions;
  genesis: SharedState;
  globalConfigurationHash: bigint;
  headTime: bigint;
};

export async function planBatches(
  p: PlanParams,
  onBatch: (b: PlannedBatch) => void,
): Promise<{ positions: Map<bigint, Position>; finalRoot: bigint; planMs: number }> {
  const { opts, headTime } = p;
  const devnet = { initialSharedState: p.genesis, globalConfigurationHash: p.globalConfigurationHash };
  const r = rng(opts.seed ?? 1);
  const pagesRange = opts.pagesPerBatch ?? [2, 10];
  const changesRange = opts.changesPerBatch ?? [4, 40];
  const createPer = opts.createPerBatch ?? 1500;
  const earlyShare = opts.earlyShare ?? 0.25;
  const earlyBy = opts.earlyByBatches ?? [3, 20];
  const gapRange = opts.gapBlocks ?? [0, 3];
  const log = (s: string) => (opts.logEvery ? console.error(`[history] ${s}`) : undefined);
  const t0 = Date.now();
  const tree = await PositionTree.create();
  const positions = new Map<bigint, Position>();
  let state = devnet.initialSharedState;
  let time = headTime;
  let created = 0;
  for (let i = 0; i < opts.batches; i++) {
    let gap = r.int(gapRange);
    if (opts.longGap && i > 0 && i % opts.longGap.every === 0) gap += opts.longGap.blocks;
    time += BLOCK_SECONDS * BigInt(gap + 1);
    const ids: bigint[] = [];
    let pageWords: number | undefined;
    if (created < opts.positions) {
      const n = Math.min(createPer, opts.positions - created);
      for (let k = 0; k < n; k++) ids.push(BigInt(created + k + 1));
      created += n;
    } else {
      const want = Math.min(r.int(changesRange), opts.positions);
      const set = new Set<bigint>();
      while (set.size < want) set.add(BigInt(1 + Math.floor(r.next() * opts.positions)));
      ids.push(...[...set].sort((a, b) => (a < b ? -1 : 1)));
    }
    const n = BigInt(i + 1);
    const records = [];
    const changes: Array<[bigint, Position]> = [];
    const fundingIndex = FXP + n;
    for (const id of ids) {
      const prev = positions.get(id) ?? EMPTY_POSITION;
      const next: Position = {
        starkKey: prev.starkKey || 0x1000n + id,
        collateral: (r.big() % 10_000_000_000n) + 1n,
        // A zero balance would delete the asset (§3.3): keep one synthetic asset per position.
        assets: [
          {
            assetId: HISTORY_ASSET,
            balance: (r.big() % 2_000_000n) - 1_000_000n || 1n,
            cachedFundingIndex: fundingIndex,
          },
        ],
      };
      changes.push([id, next]);
      records.push(positionRecord(id, prev, next, time));
    }
    await tree.update(changes);
    for (const [id, p] of changes) positions.set(id, p);
    const next: SharedState = {
      ...state,
      positionsRoot: await tree.root(),
      fundingIndices: [{ assetId: HISTORY_ASSET, fundingIndex }],
      fundingTimestamp: time,
      oraclePrices: [{ assetId: HISTORY_ASSET, price: FXP / 20n + n }],
      systemTime: time,
    };
    const output: Omit<ProgramOutput, 'onchainData' | 'dataAvailabilityMode'> = {
      generalConfigHash: devnet.globalConfigurationHash,
      assetConfigHashes: [{ assetId: HISTORY_ASSET, configHash: HISTORY_ASSET_CONFIG }],
      prevSharedState: state,
      newSharedState: next,
      minimumExpirationTimestamp: time / 3600n + 24n,
      modifications: [],
      forcedActions: [],
      conditions: [],
    };
    const onChainData = {
      fundingEntries: [{ indices: [{ assetId: HISTORY_ASSET, fundingIndex }], timestamp: time }],
      positions: records,
    };
    // Page count: as many 1000-word pages as the data needs, at least a random number in range.
    const full = buildStateUpdate({ output, onChainData, batchId: n * 10n, previousBatchId: (n - 1n) * 10n });
    const words = full.dataPages.reduce((s, p) => s + p.length, 0);
    const target = Math.max(full.dataPages.length, Math.min(r.int(pagesRange), words));
    pageWords = Math.ceil(words / target);
    const update =
      pageWords >= MAX_WORDS_PER_MEMORY_PAGE
        ? full
        : buildStateUpdate({
            output,
            onChainData,
            batchId: n * 10n,
            previousBatchId: (n - 1n) * 10n,
            maxWordsPerPage: pageWords,
          });
    let start = DEVNET_OUTPUT_START + BigInt(update.mainPage.length);
    const pages = update.dataPages.map((values) => {
      const fact = continuousPageFact(start, values, DEVNET_PAGE_Z, DEVNET_PAGE_ALPHA);
      const page = { start, values, memoryHash: numberToHex(BigInt(fact.memoryHash), { size: 32 }), prod: fact.prod };
      start += BigInt(values.length);
      return page;
    });
    const early = new Map<number, number>();
    if (i > 0 && r.next() < earlyShare) {
      const count = 1 + Math.floor(r.next() * Math.min(3, pages.length));
      for (let k = 0; k < count; k++) early.set(Math.floor(r.next() * pages.length), Math.max(0, i - r.int(earlyBy)));
    }
    onBatch({ index: i, timestamp: time, gap, update, pages, sharedState: next, changes: ids.length, early });
    state = next;
    if (opts.logEvery && (i + 1) % opts.logEvery === 0)
      log(`planned ${i + 1}/${opts.batches} batches (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  }
  const planMs = Date.now() - t0;
  log(`plan: ${planMs} ms`);
  return { positions, finalRoot: state.positionsRoot, planMs };
}
