// One tree-root measurement in headless Chromium, inside the extension's own worker pool: a fresh
// browser with dist/ loaded, the service worker creates the offscreen document and sends it a
// `treeRoot` message (extension/offscreen/tree-root.ts); the bench samples the browser's memory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import type { OffscreenTreeRootResponse } from '../extension/shared/messages.js';
import { chromiumPath, extensionLaunchArgs } from '../test/helpers/chromium.js';
import { descendantsCpuSeconds, sampleDescendantsPss } from './proc-memory.js';
import type { TreeChildArgs, TreeMeasurement } from './tree-child.js';

export async function measureInChromium(extensionDir: string, args: TreeChildArgs): Promise<TreeMeasurement> {
  const profile = mkdtempSync(join(tmpdir(), 'vigil-bench-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    args: extensionLaunchArgs(extensionDir),
  });
  try {
    const sw = context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://')) ?? (await context.waitForEvent('serviceworker'));
    const memory = sampleDescendantsPss();
    const cpuBefore = descendantsCpuSeconds();
    const response = await sw.evaluate(async (msg) => {
      const c = (globalThis as any).chrome;
      const url = c.runtime.getURL('offscreen/offscreen.html');
      const existing = await c.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT'], documentUrls: [url] });
      if (existing.length === 0) await c.offscreen.createDocument({ url: 'offscreen/offscreen.html', reasons: ['WORKERS'], justification: 'tree benchmark' });
      return c.runtime.sendMessage(msg);
    }, { target: 'offscreen', type: 'treeRoot', count: args.count, workers: args.workers, seed: args.seed });
    const cpuAfter = descendantsCpuSeconds();
    const peakPss = memory.stop();
    const r = response as OffscreenTreeRootResponse | undefined;
    if (!r) throw new Error('the offscreen document did not answer');
    if (!r.ok) throw new Error(`offscreen treeRoot failed: ${r.error.name}: ${r.error.message}`);
    const cpuSeconds = cpuBefore === null || cpuAfter === null ? null : Number((cpuAfter - cpuBefore).toFixed(1));
    // CPU of the whole browser during pool start + build: divided by that wall time, the cores it got.
    const cores = cpuSeconds === null ? null : Number((cpuSeconds / ((r.result.poolStartMs + r.result.rootMs) / 1000)).toFixed(2));
    return { ...r.result, peakRssBytes: null, browserPeakPssBytes: peakPss, browserIdlePssBytes: memory.baseline, cpuSeconds, coresUsed: cores };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
