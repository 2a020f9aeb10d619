// The sync bench's browser run: the same mainnet-shaped history synced by the built extension in
// headless Chromium, over IndexedDB, through a fresh `rate-25rps` proxy (so its counts are this
// run's alone). An extension page configures the verifier (syncConfigure, as the dashboard's form
// does) and polls verifierOverview until the last batch is verified and the phase is caught-up;
// the service worker hands runs to the offscreen document's sync worker, which hashes on its own
// Web Worker pool. Measured: wall time configure → caught-up, requests per batch, PSS of the
// extension's renderer process (offscreen document + its workers, the service worker and the
// extension page: one process per extension) and of the whole browser, and the IndexedDB size.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { startRpcProxy } from '../devnet/rpc-proxy/index.js';
import { fromTagged, toTagged, toTaggedJson } from '../src/codec/tagged-json.js';
import { chromiumPath } from '../test/helpers/chromium.js';
import { extensionOp, launchWithExtension } from '../test/helpers/extension-browser.js';
import { formatTable } from './common.js';
import { commandLine, descendants, samplePeaks, treePssBytes } from './proc-memory.js';
import { watchRendererMemory } from './renderer-memory.js';
import {
  DYDX,
  historyBlocks,
  historyRow,
  MiB,
  RATE,
  requestFigures,
  requestProjectionLines,
  requestRows,
  type RunningHistory,
} from './sync-projection.js';

/** The part of the verifierOverview op's answer read here (extension/background/verifier-reads.ts). */
type Overview = {
  status: { phase: string; message?: string; sequenceNumber?: bigint; scannedTo?: bigint; host?: string };
  checkpoint: { sequenceNumber: bigint; committedRoot?: bigint; halted?: { sequenceNumber: bigint } } | null;
  counts: { batches: number; verified: number; failed: number; pendingRoot: number };
};

/** `node scripts/build.mjs`: the unpacked extension into dist/ (a few seconds). */
export function buildExtension(log: (line: string) => void): void {
  const script = fileURLToPath(new URL('../scripts/build.mjs', import.meta.url));
  const res = spawnSync(process.execPath, [script], { encoding: 'utf8', env: { ...process.env, CI: '1' } });
  if (res.status !== 0) throw new Error(`extension build failed: ${res.stderr || res.error}`);
  log('built dist/ (unpacked extension)');
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Bytes of the files under `dir` (their sizes; 0 when it does not exist). */
function dirBytes(dir: string): number {
  let total = 0;
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    total += e.isDirectory() ? dirBytes(p) : e.isFile() ? statSync(p).size : 0;
  }
  return total;
}

/** The extension's IndexedDB folders in `profile` (chrome-extension_<id>_0.indexeddb.leveldb, .blob). */
export function extensionIdbBytes(profile: string): number {
  const dir = join(profile, 'Default', 'IndexedDB');
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((n) => n.startsWith('chrome-extension_'));
  } catch {}
  return names.reduce((n, name) => n + dirBytes(join(dir, name)), 0);
}

/** The browser process Playwright started: our child running the Chromium binary, not a helper (`--type=`). */
export function browserPid(): number | undefined {
  const exe = chromiumPath();
  return descendants(process.pid).find((pid) => {
    const argv = commandLine(pid);
    return argv[0] === exe && !argv.some((a) => a.startsWith('--type='));
  });
}

/** Chromium runs every page and worker of one extension in one renderer, flagged --extension-process. */
export const isExtensionRenderer = (argv: string[]) =>
  argv.includes('--type=renderer') && argv.includes('--extension-process');

const op = async <T>(page: Page, name: string, args: Record<string, unknown> = {}): Promise<T> =>
  fromTagged<T>(await extensionOp(page, name, toTagged(args) as Record<string, unknown>));

/** Every verdict's status, paged newest first through verifierBatches. */
async function verdictStatuses(page: Page): Promise<Record<string, number>> {
  const byStatus: Record<string, number> = {};
  let before: bigint | undefined;
  for (;;) {
    const p = await op<{ batches: { status: string }[]; older: bigint | null }>(page, 'verifierBatches', {
      limit: 200,
      ...(before !== undefined ? { before } : {}),
    });
    for (const b of p.batches) byStatus[b.status] = (byStatus[b.status] ?? 0) + 1;
    if (p.older === null || p.batches.length === 0) return byStatus;
    before = p.older;
  }
}

/**
 * Records and logical bytes (keys, and values as JSON with bigints in hex) of each object store of
 * the verifier's database, read from an extension page: how the stored bytes split between what
 * grows with positions and what grows with batches. Not the on-disk encoding (V8 serialisation in
 * LevelDB, compressed): the shares only.
 */
async function storeSizes(page: Page): Promise<Record<string, { records: number; logicalBytes: number }>> {
  // No named function inside: tsx (esbuild keepNames) would wrap it in a __name() the page lacks.
  return page.evaluate(async (name) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open(name);
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    try {
      const out: Record<string, { records: number; logicalBytes: number }> = {};
      for (const store of Array.from(db.objectStoreNames)) {
        const os = db.transaction(store).objectStore(store);
        const [keys, values] = await Promise.all(
          [os.getAllKeys(), os.getAll()].map(
            (r) =>
              new Promise<unknown[]>((resolve, reject) => {
                r.onsuccess = () => resolve(r.result);
                r.onerror = () => reject(r.error);
              }),
          ),
        );
        let logicalBytes = 0;
        for (const v of [...keys!, ...values!])
          logicalBytes += JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString(16) : x))?.length ?? 0;
        out[store] = { records: keys!.length, logicalBytes };
      }
      return out;
    } finally {
      db.close();
    }
  }, 'vigil-sync');
}

/**
 * Which stores grow with positions and which with batches (extension/shared/sync-db.ts); the kept
 * diffs are pruned to a window (fixed); the page index is pruned below the lookback, but this
 * dense history keeps it all: counted per batch, an upper bound.
 */
const PER_POSITION_STORES = ['nodes', 'positions', 'positionKeys', 'dirty'];
const PER_BATCH_STORES = ['verdicts', 'pages', 'alarms'];

export async function runSyncInChromium(
  history: RunningHistory,
  opts: {
    positions: number;
    log: (line: string) => void;
    timeoutMs: number;
    heapsPort?: number;
    /** With heapsPort: a heap snapshot of the sync worker once this fraction of the batches is verified. */
    heapSnapshotAt?: number;
  },
): Promise<Record<string, unknown>> {
  const { log, positions } = opts;
  const batches = history.batches.length;
  const lastSeq = history.batches.at(-1)!.sequenceNumber;
  const proxy = await startRpcProxy({ upstream: history.anvil.rpcUrl, profiles: ['rate-25rps'], seed: 1 });
  const profile = mkdtempSync(join(tmpdir(), 'vigil-bench-profile-'));
  let closed = false;
  const { context, extensionId } = await launchWithExtension(
    profile,
    undefined,
    opts.heapsPort === undefined ? {} : { debugPort: opts.heapsPort },
  );
  try {
    let serviceWorkerStarts = 1;
    context.on('serviceworker', () => void serviceWorkerStarts++);
    const page = await context.newPage();
    await page.goto(`chrome-extension://${extensionId}/ui/dashboard.html`);
    const root = browserPid();
    if (root === undefined) log('browser run: the Chromium process was not found: no memory figures');
    const heaps = opts.heapsPort === undefined ? undefined : await watchRendererMemory(opts.heapsPort);
    const memory = samplePeaks(() => (root === undefined ? null : treePssBytes(root, isExtensionRenderer)), 500);

    log(
      `browser run: syncing in headless Chromium (extension ${extensionId}), timeout ${Math.round(opts.timeoutMs / 1000)} s …`,
    );
    const t0 = performance.now();
    await op(page, 'syncConfigure', {
      settings: toTaggedJson({
        deployment: history.deployment,
        initialSharedState: history.genesis,
        rpcUrls: [proxy.url],
        rpcRates: [RATE],
        periodMinutes: 0.5,
      }),
    });
    const phases = new Set<string>();
    const errors = new Map<string, number>();
    let polls = 0;
    let pollFailures = 0;
    let runNudges = 0;
    let lastNudge = performance.now();
    let lastLog = performance.now();
    let ov: Overview | undefined;
    let timedOut = false;
    const seen = (message: string) => {
      if (!errors.has(message)) log(`  ${((performance.now() - t0) / 1000).toFixed(0)} s: ${message}`);
      errors.set(message, (errors.get(message) ?? 0) + 1);
    };
    for (;;) {
      await sleep(1000);
      // Out of time: stop here and report what was reached (a partial run still measures).
      if (performance.now() - t0 > opts.timeoutMs) {
        timedOut = true;
        log(
          `  NOT CAUGHT UP after ${Math.round(opts.timeoutMs / 1000)} s; last overview ${JSON.stringify(toTagged(ov))}`,
        );
        break;
      }
      try {
        ov = await op<Overview>(page, 'verifierOverview');
        polls++;
      } catch (err) {
        pollFailures++; // e.g. the service worker restarting; the next poll asks again
        seen(`poll: ${(err as Error).message}`);
        continue;
      }
      const { status, checkpoint: cp, counts } = ov;
      phases.add(status.phase);
      if (status.message && status.phase !== 'syncing' && status.phase !== 'caught-up')
        seen(`${status.phase}: ${status.message}`);
      if (cp?.halted)
        throw new Error(
          `browser sync halted at batch ${cp.halted.sequenceNumber}: ${JSON.stringify(toTagged(status))}`,
        );
      if (cp?.sequenceNumber === lastSeq && status.phase === 'caught-up' && counts.pendingRoot === 0) break;
      const now = performance.now();
      if (
        heaps &&
        opts.heapSnapshotAt !== undefined &&
        cp &&
        Number(cp.sequenceNumber) >= opts.heapSnapshotAt * Number(lastSeq)
      ) {
        const path = join(tmpdir(), `vigil-sync-worker-${Date.now()}.heapsnapshot`);
        if (await heaps.heapSnapshot('sync.worker', path)) {
          log(`  heap snapshot of the sync worker at sequence number ${cp.sequenceNumber}: ${path}`);
          opts.heapSnapshotAt = undefined;
        }
      }
      if (now - lastLog > 30_000) {
        lastLog = now;
        log(
          `  ${((now - t0) / 1000).toFixed(0)} s: ${status.phase}, verified sequence number ${cp?.sequenceNumber ?? '-'} of ${lastSeq}, scanned to ${status.scannedTo ?? '-'}, ${proxy.stats().totalCalls} requests`,
        );
      }
      // Between runs (caught up with roots pending, an error, an ended run): ask for the next one
      // rather than wait for the alarm; a run already going absorbs the request.
      if (status.phase !== 'syncing' && now - lastNudge > 5000) {
        lastNudge = now;
        runNudges++;
        await op(page, 'syncNow').catch(() => {});
      }
    }
    const syncSeconds = (performance.now() - t0) / 1000;
    const statuses = await verdictStatuses(page);
    const estimate = await page.evaluate(async () => {
      const e = (await navigator.storage.estimate()) as StorageEstimate & { usageDetails?: Record<string, number> };
      return { usage: e.usage ?? null, indexedDB: e.usageDetails?.indexedDB ?? null };
    });
    const renderer = descendants(process.pid).find((pid) => isExtensionRenderer(commandLine(pid)));
    const heapContexts = heaps?.contexts();
    const allocators = heaps ? await heaps.stop(renderer) : undefined;
    const peak = memory.stop();
    const stores = await storeSizes(page);
    // A run out of time: requests per batch over the batches it reached (blocks likewise).
    const reached = timedOut ? Math.max(1, Number(ov?.checkpoint?.sequenceNumber ?? 1n)) : batches;
    const f = requestFigures(proxy.stats(), reached, historyBlocks(history));
    await context.close();
    closed = true;
    const idbDiskBytes = extensionIdbBytes(profile); // after close: LevelDB has flushed its log

    const allVerified = statuses.verified === batches && Object.keys(statuses).length === 1;
    const committedRoot = ov?.checkpoint?.committedRoot;
    const rootMatches = committedRoot === history.finalRoot;
    const idbBytes = estimate.indexedDB ?? estimate.usage ?? idbDiskBytes;
    // The measured bytes apportioned by the stores' logical shares, each part scaled by what it grows with.
    const logical = (names: string[]) => names.reduce((n, k) => n + (stores[k]?.logicalBytes ?? 0), 0);
    const allLogical = logical(Object.keys(stores)) || 1;
    const positionShare = logical(PER_POSITION_STORES) / allLogical;
    const batchShare = logical(PER_BATCH_STORES) / allLogical;
    const fixedShare = 1 - positionShare - batchShare;
    const dydxIdbFactor =
      positionShare * (DYDX.positions / positions) + batchShare * (DYDX.batches / batches) + fixedShare;
    const base = memory.baseline;
    const extPeak = peak?.selected ?? null;
    const grow = extPeak !== null && base ? extPeak - base.selected : null;
    const dydxExt = grow !== null && base ? base.selected + (grow * DYDX.positions) / positions : null;

    log('-- headless Chromium, the extension over IndexedDB --');
    log(
      formatTable(
        ['figure', 'value'],
        [
          historyRow(history, positions),
          [
            'sync result',
            `${timedOut ? `NOT CAUGHT UP in ${Math.round(opts.timeoutMs / 1000)} s: ` : ''}${ov?.status.phase} (host: ${ov?.status.host ?? '?'}); verified sequence number ${ov?.checkpoint?.sequenceNumber} of ${lastSeq}; ${Object.entries(
              statuses,
            )
              .map(([s, n]) => `${n} ${s}`)
              .join(', ')}, all verified: ${allVerified}; committed root = final root: ${rootMatches}`,
          ],
          [
            `sync wall time (syncConfigure → ${timedOut ? 'timeout' : 'caught-up'}, polled every 1 s)`,
            `${syncSeconds.toFixed(1)} s`,
          ],
          [
            'runs and restarts',
            `phases seen ${[...phases].join(', ')}; ${runNudges} syncNow between runs; ${serviceWorkerStarts} service-worker start(s); ${pollFailures} failed polls of ${polls + pollFailures}`,
          ],
          ...(errors.size
            ? [
                ['messages seen', [...errors].map(([m, n]) => `${n}× ${m.slice(0, 200)}`).join(' | ')] as [
                  string,
                  string,
                ],
              ]
            : []),
          ...requestRows(f),
          [
            'peak PSS, extension renderer (see below)',
            extPeak === null || peak === null
              ? 'n/a'
              : `${MiB(extPeak)} (before configure: ${MiB(base?.selected ?? 0)}; ${peak.selectedProcesses} --extension-process renderer(s) at most)`,
          ],
          [
            'peak PSS, whole browser (all Chromium processes)',
            peak === null ? 'n/a' : `${MiB(peak.total)} (before configure: ${MiB(base?.total ?? 0)})`,
          ],
          [
            'IndexedDB, navigator.storage.estimate()',
            `${estimate.indexedDB === null ? 'usageDetails.indexedDB n/a' : `indexedDB ${MiB(estimate.indexedDB)}`}; usage ${estimate.usage === null ? 'n/a' : MiB(estimate.usage)}`,
          ],
          ['IndexedDB on disk (profile/Default/IndexedDB/chrome-extension_*, after close)', MiB(idbDiskBytes)],
          [
            'object stores: records / logical bytes (JSON, bigints in hex)',
            Object.entries(stores)
              .filter(([, v]) => v.records > 0)
              .map(([k, v]) => `${k} ${v.records} / ${MiB(v.logicalBytes)}`)
              .join(', '),
          ],
        ],
      ),
    );
    log(
      "  extension renderer: Chromium runs all of an extension's documents and their dedicated workers in one process (--extension-process): the offscreen document with the sync worker and its hash workers, the service worker, and the dashboard page the bench polls from; PSS sampled every 500 ms.",
    );
    if (heaps && heapContexts && allocators) for (const line of heaps.lines(heapContexts, allocators)) log(line);
    log('projection to dYdX v3 (24,081 batches, 500 k positions), at 25 req/s:');
    if (timedOut)
      log(
        `  PARTIAL RUN (${reached} of ${batches} batches; requests per batch over those): the stored state is incomplete (e.g. no tree nodes before the first hashed checkpoint), so the IndexedDB and memory lines below do not project a finished sync.`,
      );
    for (const line of requestProjectionLines(f)) log(line);
    log(
      `  IndexedDB, all per position ≈ ${(idbBytes / positions).toFixed(0)} B/position (estimate) × 500,000 = ${MiB((idbBytes / positions) * DYDX.positions)}; on disk ${(idbDiskBytes / positions).toFixed(0)} B/position × 500,000 = ${MiB((idbDiskBytes / positions) * DYDX.positions)} (target ≤ 400 MB)`,
    );
    log(
      `  IndexedDB, split by the stores' logical shares (${(positionShare * 100).toFixed(0)}% ${PER_POSITION_STORES.join('/')} × 500,000/${positions}, ${(batchShare * 100).toFixed(0)}% ${PER_BATCH_STORES.join('/')} × 24,081/${batches}, ${(fixedShare * 100).toFixed(0)}% fixed): ${MiB(idbDiskBytes)} on disk × ${dydxIdbFactor.toFixed(1)} = ${MiB(idbDiskBytes * dydxIdbFactor)} (target ≤ 400 MB)`,
    );
    if (dydxExt !== null && base && grow !== null)
      log(
        `  memory: extension renderer ${MiB(base.selected)} idle + ${MiB(grow)} growth during the sync (the hash workers' Pedersen tables included, a fixed cost); were all the growth per position: ${MiB(base.selected)} + ${MiB(grow)} × 500,000/${positions} = ${MiB(dydxExt)} (target ≤ 600 MB). One size cannot split fixed from per-position cost: compare two --sync-positions runs for the slope.`,
      );
    if (positions < 500_000)
      log(
        '  memory at dYdX size is measured, not projected, with --sync-positions=500000 (about 10 min here; bench/README.md, sync, has the runs: the growth flattens with size, 458.8 MiB at 500 k on 2026-12-02)',
      );
    return {
      syncSeconds,
      caughtUp: !timedOut,
      phase: ov?.status.phase,
      phasesSeen: [...phases],
      messages: Object.fromEntries(errors),
      serviceWorkerStarts,
      syncNowBetweenRuns: runNudges,
      verdicts: statuses,
      allVerified,
      rootMatches,
      requests: f.requests,
      requestsByMethod: f.requestsByMethod,
      requestsPerBatch: f.requestsPerBatch,
      rateLimited: f.rateLimited,
      extensionRendererPssBytes: { idle: base?.selected ?? null, peak: extPeak },
      ...(heapContexts ? { jsHeapPeakBytesByContext: heapContexts, rendererAllocatorPeakBytes: allocators } : {}),
      browserPssBytes: { idle: base?.total ?? null, peak: peak?.total ?? null },
      indexedDbEstimateBytes: estimate.indexedDB,
      storageUsageBytes: estimate.usage,
      indexedDbDiskBytes: idbDiskBytes,
      objectStores: stores,
      projection: {
        dydxRequests: f.dydxRequests,
        dydxMinutes: f.dydxMinutes,
        dydxIndexedDbBytes: (idbBytes / positions) * DYDX.positions,
        dydxIndexedDbDiskBytes: (idbDiskBytes / positions) * DYDX.positions,
        dydxIndexedDbDiskBytesByStoreShares: idbDiskBytes * dydxIdbFactor,
        dydxExtensionRendererPssBytesIfLinear: dydxExt,
      },
    };
  } finally {
    if (!closed) await context.close().catch(() => {});
    await proxy.stop();
    rmSync(profile, { recursive: true, force: true });
  }
}
