// One Node tree-root measurement in a fresh process (so its peak RSS is its own): a worker_threads
// pool of `workers`, warmed, then a bulk build of the synthetic positions. Spawned by
// tree-bench.ts; prints one JSON line on stdout.
import { bulkPositionTreeRoot } from '../src/index.js';
import { createNodeWorkerPool } from '../workers/node-pool.js';
import { poolBatchHasher, warmPool } from '../workers/pool-hasher.js';
import { syntheticPositions } from './synthetic-positions.js';

export type TreeChildArgs = { count: number; workers: number; seed: number };
export type TreeMeasurement = {
  root: string;
  hashes: number;
  poolStartMs: number;
  rootMs: number;
  peakRssBytes: number | null;
  usedJsHeapBytes?: number | null;
  /** Chromium: PSS summed over the browser's processes, at the peak and before the build. */
  browserPeakPssBytes?: number | null;
  browserIdlePssBytes?: number | null;
  /** CPU seconds used (Node: the process during the build; Chromium: all browser processes during pool start + build). */
  cpuSeconds?: number | null;
  /** cpuSeconds / wall seconds: how many cores the measurement actually got on the shared machine. */
  coresUsed?: number | null;
};

async function main(args: TreeChildArgs): Promise<TreeMeasurement> {
  const t0 = performance.now();
  const pool = createNodeWorkerPool({ size: args.workers });
  try {
    await warmPool(pool);
    const t1 = performance.now();
    let hashes = 0;
    const hashMany = poolBatchHasher(pool, { onBatch: (n) => (hashes += n) });
    const cpu0 = process.cpuUsage();
    const root = await bulkPositionTreeRoot(syntheticPositions(args.count, args.seed), { hashMany });
    const t2 = performance.now();
    const cpu = process.cpuUsage(cpu0); // all threads of the process: main + workers
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    return {
      root: `0x${root.toString(16)}`,
      hashes,
      poolStartMs: Math.round(t1 - t0),
      rootMs: Math.round(t2 - t1),
      // The whole process: main thread and worker threads share it.
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      cpuSeconds: Number(cpuSeconds.toFixed(1)),
      coresUsed: Number((cpuSeconds / ((t2 - t1) / 1000)).toFixed(2)),
    };
  } finally {
    pool.terminate();
  }
}

if (process.argv[2] !== undefined && process.argv[1]?.endsWith('tree-child.ts')) {
  main(JSON.parse(process.argv[2]!) as TreeChildArgs).then(
    (r) => console.log(JSON.stringify(r)),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
