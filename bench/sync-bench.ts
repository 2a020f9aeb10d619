// `npm run bench -- --only=sync`: a mainnet-shaped devnet history (devnet/history) synced from its
// first block through the provider proxy's `rate-25rps` profile (devnet/rpc-proxy), twice on the
// same history: in Node over the in-memory store (engine defaults, a 2-worker hashing pool), then
// in headless Chromium through the built extension over IndexedDB (sync-chromium.ts). Prints
// requests per batch (batch members counted one by one, as the proxy counts them), wall time,
// Pedersen hashes, peak memory, the IndexedDB size, and a projection to dYdX v3 with the
// arithmetic shown. Options: --sync-batches=N --sync-positions=N, --sync-node-only,
// --sync-browser-only, --sync-browser-timeout=seconds, --sync-heaps (the extension renderer's memory by
// context and allocator, bench/renderer-memory.ts), --no-build.
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startMainnetShapedDevnet } from '../devnet/history/generate.js';
import { startRpcProxy } from '../devnet/rpc-proxy/index.js';
import { MemorySyncStore, MultiRpc, SyncEngine, createStarkExReader, treeRoot } from '../src/index.js';
import { EXTENSION_DIR } from '../test/helpers/extension-browser.js';
import { createNodeWorkerPool } from '../workers/node-pool.js';
import { poolBatchHasher, warmPool } from '../workers/pool-hasher.js';
import { formatTable } from './common.js';
import { buildExtension, runSyncInChromium } from './sync-chromium.js';
import {
  DYDX,
  historyBlocks,
  historyRow,
  RATE,
  requestFigures,
  requestProjectionLines,
  requestRows,
  type RunningHistory,
} from './sync-projection.js';

/**
 * Positions one real dYdX v3 state update changed: the on-chain data of the mainnet batch in
 * test/vectors/decoded-example.json (l2beat starkex-explorer's fixture). One sample, not an average.
 */
const DYDX_POSITIONS_PER_BATCH = (
  JSON.parse(readFileSync(new URL('../test/vectors/decoded-example.json', import.meta.url), 'utf8')) as {
    positions: unknown[];
  }
).positions.length;

/** A loopback port nothing listens on now (for Chromium's DevTools endpoint). */
async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

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
  const nodeRun = !argv.includes('--sync-browser-only');
  const browserRun = !argv.includes('--sync-node-only');
  if (!nodeRun && !browserRun) throw new Error('--sync-node-only and --sync-browser-only exclude each other');
  // Before the slow generation: a build error shows at once.
  if (browserRun && !(argv.includes('--no-build') && existsSync(join(EXTENSION_DIR, 'manifest.json'))))
    buildExtension(log);

  const t0 = performance.now();
  log(`generating a mainnet-shaped history: ${batches} batches, ${positions} positions …`);
  // No long gaps: anvil mines ~35 ms a block once the chain grows (devnet/history/README.md).
  const history = await startMainnetShapedDevnet({ seed: 15, batches, positions, planInWorker: true });
  const generationSeconds = (performance.now() - t0) / 1000;
  log(`generation (not part of either sync): ${generationSeconds.toFixed(0)} s`);
  try {
    // --sync-checkpoint-every=N[,M…]: the Node run once per checkpoint interval, on the same history
    // (an A/B of hash counts); the last one's figures are the section's.
    const everyArg = argv.find((a) => a.startsWith('--sync-checkpoint-every='));
    const every = everyArg?.slice('--sync-checkpoint-every='.length).split(',').map(Number);
    let node: Record<string, unknown> = {};
    if (nodeRun)
      for (const n of every ?? [undefined]) {
        if (n !== undefined) log(`-- Node run with checkpointEveryBatches = ${n}`);
        node = await syncInNode(history, positions, log, n === undefined ? {} : { checkpointEveryBatches: n });
      }
    const nodeSeconds = (node as { syncSeconds?: number }).syncSeconds;
    const timeoutSeconds = arg(
      argv,
      'sync-browser-timeout',
      Math.max(600, nodeSeconds !== undefined ? 4 * nodeSeconds + 300 : 1.5 * batches),
    );
    const browser = browserRun
      ? await runSyncInChromium(history, {
          positions,
          log,
          timeoutMs: timeoutSeconds * 1000,
          ...(argv.includes('--sync-heaps') ? { heapsPort: await freeLoopbackPort() } : {}),
          ...(argv.some((a) => a.startsWith('--sync-heap-snapshot='))
            ? { heapSnapshotAt: arg(argv, 'sync-heap-snapshot', 0.8) }
            : {}),
        })
      : undefined;
    return { batches, positions, blocks: historyBlocks(history), generationSeconds, ...node, browser };
  } finally {
    await history.stop();
  }
}

/** The engine in this process over MemorySyncStore, hashing on a 2-worker pool. */
async function syncInNode(
  history: RunningHistory,
  positions: number,
  log: (line: string) => void,
  engine: { checkpointEveryBatches?: number } = {},
): Promise<Record<string, unknown>> {
  const batches = history.batches.length;
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
      { deployment: history.deployment, initialSharedState: history.genesis, hashMany, ...engine },
      reader,
      store,
    ).run({ onProgress: () => void steps++ });
    const syncSeconds = (performance.now() - t1) / 1000;
    const verdicts = await store.verdicts();
    const allVerified = verdicts.length === history.batches.length && verdicts.every((v) => v.status === 'verified');
    const rootMatches = (await treeRoot(store)) === history.finalRoot;
    const f = requestFigures(proxy.stats(), batches, historyBlocks(history));
    const p = positions;
    const hashBudget = 2.5 * p * Math.log2(p);
    const hashRatio = hashes / (p * Math.log2(p));
    const dydxHashes = hashRatio * DYDX.positions * Math.log2(DYDX.positions);
    const hashRate = hashes / (hashMs / 1000);
    // The same hashes per changed position (a checkpoint hashes each dirty leaf and its path once),
    // over dYdX's changes: 24,081 batches × the positions a real dYdX batch changed.
    const changes = verdicts.reduce((n, v) => n + v.positionsChanged, 0);
    const hashesPerChange = hashes / changes;
    const dydxHashesByChanges = hashesPerChange * DYDX.batches * DYDX_POSITIONS_PER_BATCH;
    const dydxHashMinutes = Math.max(dydxHashes, dydxHashesByChanges) / hashRate / 60;

    log('-- Node, in-memory store --');
    log(
      formatTable(
        ['figure', 'value'],
        [
          historyRow(history, positions),
          [
            'sync result',
            `${last.phase}; ${verdicts.length} verdicts, all verified: ${allVerified}; final root matches: ${rootMatches}; ${steps} steps`,
          ],
          ['sync wall time', `${syncSeconds.toFixed(1)} s`],
          ...requestRows(f),
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
    for (const line of requestProjectionLines(f)) log(line);
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
      syncSeconds,
      phase: last.phase,
      allVerified,
      rootMatches,
      steps,
      requests: f.requests,
      requestsByMethod: f.requestsByMethod,
      requestsPerBatch: f.requestsPerBatch,
      rateLimited: f.rateLimited,
      hashes,
      hashRatio,
      hashSeconds: hashMs / 1000,
      changes,
      projection: {
        dydxRequests: f.dydxRequests,
        dydxMinutes: f.dydxMinutes,
        dydxHashes,
        dydxHashesByChanges,
        dydxHashMinutes,
      },
    };
  } finally {
    pool.terminate();
    await proxy.stop();
  }
}
