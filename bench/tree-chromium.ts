// One tree-root measurement in headless Chromium, in a Web Worker pool (workers/pool.ts and
// hash.worker.ts, as the extension runs them): a fresh browser opens the bench page
// (bench/browser/tree-root.html, built into dist-bench/) and runs its tree-root job; the bench
// samples the browser's memory.
import { openTreeRootPage } from './browser/page.js';
import { descendantsCpuSeconds, sampleDescendantsPss } from './proc-memory.js';
import type { TreeChildArgs, TreeMeasurement } from './tree-child.js';

export async function measureInChromium(benchPagesDir: string, args: TreeChildArgs): Promise<TreeMeasurement> {
  const page = await openTreeRootPage(benchPagesDir);
  try {
    const memory = sampleDescendantsPss();
    const cpuBefore = descendantsCpuSeconds();
    const r = await page.run({ count: args.count, workers: args.workers, seed: args.seed });
    const cpuAfter = descendantsCpuSeconds();
    const peakPss = memory.stop();
    if (!r.ok) throw new Error(`browser treeRoot failed: ${r.error.name}: ${r.error.message}`);
    const cpuSeconds = cpuBefore === null || cpuAfter === null ? null : Number((cpuAfter - cpuBefore).toFixed(1));
    // CPU of the whole browser during pool start + build: divided by that wall time, the cores it got.
    const cores =
      cpuSeconds === null ? null : Number((cpuSeconds / ((r.result.poolStartMs + r.result.rootMs) / 1000)).toFixed(2));
    return {
      ...r.result,
      peakRssBytes: null,
      browserPeakPssBytes: peakPss,
      browserIdlePssBytes: memory.baseline,
      cpuSeconds,
      coresUsed: cores,
    };
  } finally {
    await page.close();
  }
}
