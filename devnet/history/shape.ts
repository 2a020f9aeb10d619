import type { Hex } from 'viem';
import { assetIdFromText } from '../../src/index.js';
import type { SharedState } from '../../src/index.js';
import { seededRandom } from '../lib/rng.js';
import type { DevnetStateUpdate } from '../state-update.js';

/** Options, constants and the planned-batch shape shared by generate.ts, plan.ts and plan-worker.ts. */
export type Range = readonly [min: number, max: number];

export type MainnetShapedOptions = {
  seed?: number;
  /** Number of batches (state updates). */
  batches: number;
  /** Positions dense 1..positions; the first batches create them in bulk. */
  positions: number;
  /** Data pages per batch (inclusive). Default [2, 10]. */
  pagesPerBatch?: Range;
  /** Positions changed by each batch after the creation batches. Default [4, 40]. */
  changesPerBatch?: Range;
  /** Positions created per creation batch (each ~5 words, pages of ≤ 1000 words). Default 1500. */
  createPerBatch?: number;
  /** Share of batches with pages registered long before the batch. Default 0.25. */
  earlyShare?: number;
  /** How many batches earlier an early page is registered. Default [3, 20]. */
  earlyByBatches?: Range;
  /** Pages the other application registers per batch block. Default [0, 3]. */
  foreignPagesPerBatch?: Range;
  /** Empty blocks mined before each batch block. Default [0, 3]. */
  gapBlocks?: Range;
  /** Additionally, every `every` batches a long gap of `blocks` empty blocks. Default none. */
  longGap?: { every: number; blocks: number };
  /** Batch index before which the GPS proxy is upgraded. Default 2 (or never with -1). */
  upgradeBeforeBatch?: number;
  /** Forced withdrawal ignored past the grace period, then freezeRequest. Default true. */
  freeze?: boolean;
  startBlock?: bigint;
  startTimestamp?: bigint;
  /** Plans batches in a worker thread while the main thread writes the chain (the CLI does). */
  planInWorker?: boolean;
  /** Logs progress every this many batches (0: silent). */
  logEvery?: number;
};

export const HISTORY_ASSET = assetIdFromText('ETH-9');
export const HISTORY_ASSET_CONFIG = 0xe7en;
export const FXP = 1n << 32n;
export const BLOCK_SECONDS = 12n;

/** mulberry32 (the devnet's seeded PRNG) with the draws the history plan uses. */
export function rng(seed: number) {
  const next: () => number = seededRandom(seed);
  return {
    next,
    int: (r: Range) => r[0] + Math.floor(next() * (r[1] - r[0] + 1)),
    big: () => BigInt(Math.floor(next() * 2 ** 32)) * BigInt(Math.floor(next() * 2 ** 32)),
  };
}

export type PlannedBatch = {
  index: number;
  timestamp: bigint;
  gap: number;
  update: DevnetStateUpdate;
  /** Each data page's start address and continuous-page fact descriptor. */
  pages: { start: bigint; values: bigint[]; memoryHash: Hex; prod: bigint }[];
  sharedState: SharedState;
  changes: number;
  /** Page indices registered early, with the batch index in whose block they are registered. */
  early: Map<number, number>;
};
