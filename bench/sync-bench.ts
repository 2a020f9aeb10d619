// `npm run bench -- --only=sync`: a mainnet-shaped devnet history (devnet/history) synced from its
// first block through the provider proxy's `rate-25rps` profile (devnet/rpc-proxy), with the
// engine's default settings and a worker pool for hashing. Prints requests per batch (batch members
// counted one by one, as the proxy counts them), wall time, Pedersen hashes, peak memory, and a
// projection to dYdX v3 with the arithmetic shown. Options: --sync-batches=N --sync-positions=N.
//
// This run is in Node over the in-memory store (MemorySyncStore), not in headless Chromium over
// IndexedDB: its memory figure is the Node process's, and no IndexedDB size is measured.
import { readFileSync } from 'node:fs';
import { startMainnetShapedDevnet } from '../devnet/history/generate.js';
import { startRpcProxy } from '../devnet/rpc-proxy/index.js';
import { MemorySyncStore, MultiRpc, SyncEngine, createStarkExReader, treeRoot } from '../src/index.js';
import { createNodeWorkerPool } from '../workers/node-pool.js';
import { poolBatchHasher, warmPool } from '../workers/pool-hasher.js';
import { formatTable } from './common.js';

/** dYdX v3 on mainnet (the brief): state updates, positions, blocks between its first and last update. */
const DYDX = { batches: 24_081, positions: 500_000, blocks: 21_100_000 - 11_800_000 };
/**
 * Positions one real dYdX v3 state update changed: the on-chain data of the mainnet batch in
 * test/vectors/decoded-example.json (l2beat starkex-explorer's fixture). One sample, not an average.
 */
const DYDX_POSITIONS_PER_BATCH = (
  JSON.parse(readFileSync(new URL('../test/vectors/decoded-example.json', import.meta.url), 'utf8')) as {
    positions: unknown[];
  }
).positions.length;
const RATE = 25;

const arg = (argv: readonly string[], name: string, fallback: number) =>
  Number(argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);

export async function runSyncBench(opts: {
  quick: boolean;
  log: (line: string) => void;
  argv: readonly string[];
}): Promise<Record<string, unknown>> {
  const { log, argv } = opts;
  const batches = arg(argv, 'sync-batches', opts.quick ? 200 : 2000);
  const positions = arg(argv, 'sync-positions', opts.quick ? 5_000 : 100_000);

  const t0 = performance.now();
  log(`generating a mainnet-shaped history: ${batches} batches, ${positions} positions …`);
  // No long gaps: anvil mines ~35 ms a block once the chain grows (devnet/history/README.md).
  const history = await startMainnetShapedDevnet({ seed: 15, batches, positions, planInWorker: true });
  const generationSeconds = (performance.now() - t0) / 1000;
  const proxy = await startRpcProxy({ upstream: history.anvil.rpcUrl, profiles: ['rate-25rps'], seed: 1 });
  const pool = createNodeWorkerPool({ size: 2 });
  await warmPool(pool);
  let hashes = 0;
  let hashMs = 0;
  const pooled = poolBatchHasher(pool, { onBatch: (n) => (hashes += n) });
  const hashMany = async (a: readonly bigint[], b: readonly bigint[]) => {
    const s = performance.now();
    try {
      return await pooled(a, b);
    } finally {
      hashMs += performance.now() - s;
    }
  };
  try {
    const store = new MemorySyncStore();
    const reader = createStarkExReader(history.deployment, MultiRpc.adaptive([proxy.url], { rates: [RATE] }));
    let steps = 0;
    const t1 = performance.now();
    const last = await new SyncEngine(
      { deployment: history.deployment, initialSharedState: history.genesis, hashMany },
      reader,
      store,
    ).run({ onProgress: () => void steps++ });
    const syncSeconds = (performance.now() - t1) / 1000;
    const verdicts = await store.verdicts();
    const allVerified = verdicts.length === history.batches.length && verdicts.every((v) => v.status === 'verified');
    const rootMatches = (await treeRoot(store)) === history.finalRoot;
    const stats = proxy.stats();
    const calls = stats.calls as Record<string, number>;
    // Batch evidence: transactions fetched alone, and blocks read whole for several of them.
    const txCalls = (calls.eth_getTransactionByHash ?? 0) + (calls.eth_getBlockByNumber ?? 0);
    const logCalls = calls.eth_getLogs ?? 0;
    const otherCalls = stats.totalCalls - txCalls - logCalls;
    const blocks = Number(history.lastBlock - history.firstBlock + 1n);
    const perBatch = stats.totalCalls / batches;
    const p = positions;
    const hashBudget = 2.5 * p * Math.log2(p);

    // Projection: evidence reads scale with batches; log reads with windows of the engine's default
    // 2,000 blocks over dYdX's ~9.3 M blocks (this history is too dense to measure that term: its
    // log reads per window are measured and applied per window); head/anchor reads are per run.
    const txPerBatch = txCalls / batches;
    const windows = Math.max(1, Math.ceil(blocks / 2000));
    const logsPerWindow = logCalls / windows;
    const dydxWindows = Math.ceil(DYDX.blocks / 2000);
    const dydxRequests = txPerBatch * DYDX.batches + logsPerWindow * dydxWindows + otherCalls;
    const dydxMinutes = dydxRequests / RATE / 60;
    const hashRatio = hashes / (p * Math.log2(p));
    const dydxHashes = hashRatio * DYDX.positions * Math.log2(DYDX.positions);
    const hashRate = hashes / (hashMs / 1000);
    // The same hashes per changed position (a checkpoint hashes each dirty leaf and its path once),
    // over dYdX's changes: 24,081 batches × the positions a real dYdX batch changed.
    const changes = verdicts.reduce((n, v) => n + v.positionsChanged, 0);
    const hashesPerChange = hashes / changes;
    const dydxHashesByChanges = hashesPerChange * DYDX.batches * DYDX_POSITIONS_PER_BATCH;
    const dydxHashMinutes = Math.max(dydxHashes, dydxHashesByChanges) / hashRate / 60;

    log(
      formatTable(
        ['figure', 'value'],
        [
          [
            'history',
            `${batches} batches, ${positions} positions, blocks ${history.firstBlock}–${history.lastBlock} (${blocks}), ${history.batches.reduce((n, b) => n + b.dataPages.length, 0)} data pages, ${history.foreignPages.count} foreign pages`,
          ],
          ['generation (not part of the sync)', `${generationSeconds.toFixed(0)} s`],
          [
            'sync result',
            `${last.phase}; ${verdicts.length} verdicts, all verified: ${allVerified}; final root matches: ${rootMatches}; ${steps} steps`,
          ],
          ['sync wall time', `${syncSeconds.toFixed(1)} s`],
          [
            'requests (proxy count, batch members one by one)',
            `${stats.totalCalls} = ${txCalls} evidence (eth_getTransactionByHash + eth_getBlockByNumber) + ${logCalls} eth_getLogs + ${otherCalls} other (${Object.entries(
              calls,
            )
              .map(([m, n]) => `${m} ${n}`)
              .join(', ')})`,
          ],
          ['requests per batch', perBatch.toFixed(2)],
          ['HTTP 429 answered by the proxy', String(stats.rateLimited)],
          [
            'Pedersen hashes',
            `${hashes} = ${hashRatio.toFixed(2)} × P·log2 P (target ≤ 2.5 × P·log2 P = ${Math.round(hashBudget)})`,
          ],
          ['hashing time on 2 workers', `${(hashMs / 1000).toFixed(1)} s (${Math.round(hashRate)} hashes/s)`],
          [
            'peak RSS of this Node process (in-memory store)',
            `${((process.resourceUsage().maxRSS * 1024) / 2 ** 20).toFixed(0)} MiB`,
          ],
        ],
      ),
    );
    log('projection to dYdX v3 (24,081 batches over ~9.3 M blocks, 500 k positions), at 25 req/s:');
    log(
      `  requests ≈ ${txPerBatch.toFixed(2)} evidence reads/batch × 24,081 + ${logsPerWindow.toFixed(2)} eth_getLogs/window × ${dydxWindows} windows of 2,000 blocks + ${otherCalls} per-run reads = ${Math.round(dydxRequests)} (${(dydxRequests / DYDX.batches).toFixed(2)} per batch)`,
    );
    log(`  RPC time ≈ ${Math.round(dydxRequests)} / 25 req/s = ${dydxMinutes.toFixed(0)} min (target ≤ 70)`);
    log(
      `  hashes, by tree size ≈ ${hashRatio.toFixed(2)} × 500,000 × log2(500,000) = ${Math.round(dydxHashes)}; by changes ≈ ${hashesPerChange.toFixed(2)} hashes per changed position (${hashes} / ${changes}) × 24,081 batches × ${DYDX_POSITIONS_PER_BATCH} positions per batch = ${Math.round(dydxHashesByChanges)}`,
    );
    log(
      `  hashing time ≈ the larger, ${Math.round(Math.max(dydxHashes, dydxHashesByChanges))} / ${Math.round(hashRate)} hashes/s (2 workers, this machine) = ${dydxHashMinutes.toFixed(1)} min (target ≤ 10)`,
    );
    log(
      "  caveat: the devnet packs a batch's pages and its updateState into one block; where mainnet spreads them over k blocks, the evidence term grows to ≈ k per batch.",
    );
    return {
      batches,
      positions,
      blocks,
      generationSeconds,
      syncSeconds,
      phase: last.phase,
      allVerified,
      rootMatches,
      steps,
      requests: stats.totalCalls,
      requestsByMethod: calls,
      requestsPerBatch: perBatch,
      rateLimited: stats.rateLimited,
      hashes,
      hashRatio,
      hashSeconds: hashMs / 1000,
      changes,
      projection: { dydxRequests, dydxMinutes, dydxHashes, dydxHashesByChanges, dydxHashMinutes },
    };
  } finally {
    pool.terminate();
    await proxy.stop();
    await history.stop();
  }
}
