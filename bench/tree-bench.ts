// Tree root time (issue 5): N positions with contiguous ids 0 … N−1 and 1–3 assets each
// (bench/synthetic-positions.ts, fixed seed), bulk build (src/tree/bulk-build.ts) over a pool
// of 1 and 2 workers, in Node (worker_threads, fresh process per measurement) and in headless
// Chromium (a bench page's pool of Web Workers, bench/browser/tree-root.ts, fresh browser per
// measurement). Every measurement of one N must give the same root. Ratios are taken within
// this run.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { BENCH_PAGES_DIR, buildBenchPages } from './browser/page.js';
import { formatTable } from './common.js';
import { measureInChromium } from './tree-chromium.js';
import type { TreeChildArgs, TreeMeasurement } from './tree-child.js';

export type TreeBenchOptions = { quick: boolean; log: (line: string) => void; argv: readonly string[] };
type Env = 'node' | 'chromium';
type Run = TreeMeasurement & {
  env: Env;
  positions: number;
  workers: number;
  hashesPerSecond: number;
  loadavg1mBefore: number;
};

const SEED = 0x5eed;
const r = (p: string) => fileURLToPath(new URL(`../${p}`, import.meta.url));

/** Quick: everything at 10^4, and 10^5 with 2 workers only (10^5 on 1 worker alone takes ~40–60 s). */
function plan(quick: boolean, argv: readonly string[]): { positions: number; workers: number }[] {
  const sizesArg = argv.find((a) => a.startsWith('--tree-sizes='))?.slice('--tree-sizes='.length);
  const sizes = sizesArg
    ? sizesArg.split(',').map((s) => Number(s))
    : quick
      ? [10_000, 100_000]
      : [10_000, 100_000, 1_000_000];
  if (sizes.some((n) => !Number.isSafeInteger(n) || n < 1))
    throw new Error(`--tree-sizes: expected positive integers, got ${sizesArg}`);
  const workersArg = argv.find((a) => a.startsWith('--tree-workers='))?.slice('--tree-workers='.length);
  const workers = workersArg ? workersArg.split(',').map((s) => Number(s)) : [1, 2];
  return sizes.flatMap((positions) =>
    workers
      .filter((w) => !(quick && !sizesArg && positions >= 100_000 && w === 1))
      .map((w) => ({ positions, workers: w })),
  );
}

function measureInNode(args: TreeChildArgs): TreeMeasurement {
  const child = r('bench/tree-child.ts');
  const res = spawnSync(process.execPath, [...process.execArgv, child, JSON.stringify(args)], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (res.status !== 0)
    throw new Error(`tree bench child (${JSON.stringify(args)}) failed: ${res.stderr || res.error}`);
  return JSON.parse(res.stdout.trim().split('\n').pop()!) as TreeMeasurement;
}

function buildPages(log: (line: string) => void): string {
  const dir = buildBenchPages();
  log('built dist-bench/ (bench pages) for the Chromium runs');
  return dir;
}

const mb = (b: number | null | undefined) => (b == null ? '—' : `${Math.round(b / 2 ** 20)} MB`);
const sec = (ms: number) => (ms / 1000).toFixed(1);

export async function runTreeBench({ quick, log, argv }: TreeBenchOptions): Promise<Record<string, unknown>> {
  const envs: Env[] = argv.includes('--tree-node-only') ? ['node'] : ['node', 'chromium'];
  let pagesDir: string | null = null;
  if (envs.includes('chromium')) {
    pagesDir =
      argv.includes('--no-build') && existsSync(`${BENCH_PAGES_DIR}/tree-root.html`)
        ? BENCH_PAGES_DIR
        : buildPages(log);
  }
  const runs: Run[] = [];
  for (const { positions, workers } of plan(quick, argv)) {
    for (const env of envs) {
      const args = { count: positions, workers, seed: SEED };
      const loadavg1mBefore = Number(loadavg()[0]!.toFixed(2));
      const m = env === 'node' ? measureInNode(args) : await measureInChromium(pagesDir!, args);
      const run: Run = {
        env,
        positions,
        workers,
        ...m,
        hashesPerSecond: Math.round(m.hashes / (m.rootMs / 1000)),
        loadavg1mBefore,
      };
      runs.push(run);
      const mem =
        env === 'node'
          ? `peak RSS ${mb(m.peakRssBytes)}`
          : `browser peak PSS ${mb(m.browserPeakPssBytes)} (idle ${mb(m.browserIdlePssBytes)})`;
      log(
        `  ${env.padEnd(8)} N=${positions.toLocaleString('en-US')} workers=${workers}: ${sec(m.rootMs)} s (${run.hashesPerSecond.toLocaleString('en-US')} hashes/s), pool start ${m.poolStartMs} ms, ${mem}, cores used ${m.coresUsed ?? '—'} (load ${loadavg1mBefore})`,
      );
    }
  }
  // Same positions → same root, whatever the environment or worker count.
  const rootsByN = new Map<number, Set<string>>();
  for (const run of runs) rootsByN.set(run.positions, (rootsByN.get(run.positions) ?? new Set()).add(run.root));
  for (const [n, roots] of rootsByN)
    if (roots.size !== 1) throw new Error(`tree bench: roots disagree for N=${n}: ${[...roots].join(', ')}`);

  const find = (env: Env, n: number, w: number) =>
    runs.find((x) => x.env === env && x.positions === n && x.workers === w);
  const ratios: Record<string, number> = {};
  for (const n of rootsByN.keys()) {
    for (const env of envs) {
      const [one, two] = [find(env, n, 1), find(env, n, 2)];
      if (one && two) ratios[`${env} N=${n} speedup 2 workers vs 1`] = Number((one.rootMs / two.rootMs).toFixed(2));
    }
    for (const w of [1, 2]) {
      const [node, chrome] = [find('node', n, w), find('chromium', n, w)];
      if (node && chrome)
        ratios[`N=${n} workers=${w} chromium time / node time`] = Number((chrome.rootMs / node.rootMs).toFixed(2));
    }
  }
  const rows = runs.map((x) => {
    const one = find(x.env, x.positions, 1);
    return [
      x.env,
      x.positions.toLocaleString('en-US'),
      String(x.workers),
      x.hashes.toLocaleString('en-US'),
      sec(x.rootMs),
      x.hashesPerSecond.toLocaleString('en-US'),
      x.workers > 1 && one ? `${(one.rootMs / x.rootMs).toFixed(2)}×` : '—',
      String(x.poolStartMs),
      x.coresUsed == null ? '—' : x.coresUsed.toFixed(2),
      x.env === 'node' ? mb(x.peakRssBytes) : `${mb(x.browserPeakPssBytes)} (idle ${mb(x.browserIdlePssBytes)})`,
    ];
  });
  log(
    formatTable(
      [
        'env',
        'positions',
        'workers',
        'hashes',
        'root s',
        'hashes/s',
        'vs 1 worker',
        'pool start ms',
        'cores used',
        'peak memory',
      ],
      rows,
    ),
  );
  for (const [k, v] of Object.entries(ratios)) log(`  ${k}: ${v}`);
  return {
    method: {
      positions: 'contiguous ids 0 … N−1, 1–3 assets each, bench/synthetic-positions.ts seed 0x5eed',
      build: 'bulkPositionTreeRoot (leaf chunks of 16384, 2 in flight; then one batch per level), height 64',
      pool: 'poolBatchHasher: each batch cut into ≤ 4 chunks per worker (≥ 512 pairs), pedersenMany jobs, structured clone',
      node: 'worker_threads, fresh process per measurement; peak memory = the process maxRSS (main + worker threads)',
      chromium:
        'Debian Chromium headless, bench page (dist-bench/tree-root.html) with a Web Worker pool (workers/pool.ts, hash.worker.ts), fresh browser per measurement; peak memory = PSS summed over the browser processes, sampled every 250 ms',
      rootMs: 'bulk build only, on warm workers (each has built its Pedersen tables: poolStartMs)',
      coresUsed:
        'CPU seconds / wall seconds (Node: the process during the build; Chromium: all browser processes during pool start + build); the machine is shared, so this shows what the run actually got',
    },
    runs,
    ratios,
    rootsAgree: true,
  };
}
