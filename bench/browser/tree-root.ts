/**
 * The bench/test page's tree-root job (issue 5): a bulk tree build over a fresh pool of Web
 * Workers (workers/pool.ts, the same pool and hash worker the extension uses), on deterministic
 * synthetic positions so the caller can compare the root with one computed elsewhere (Node)
 * without sending the positions. Used by the browser tree benchmark (bench/tree-chromium.ts) and
 * the pool self-check (test/e2e/tree-root.spec.ts); it is not part of the extension: the page is
 * built only by `node scripts/build.mjs --bench`, into dist-bench/.
 *
 * The page exposes `window.vigilTreeRoot(request)`, which never throws: it answers
 * `{ ok: true, result }` or `{ ok: false, error: { name, message } }`.
 */
import { RangeCheckError, bulkPositionTreeRoot, checkInteger } from '../../src/index.js';
import { WorkerPool, type JobWorker } from '../../workers/pool.js';
import { poolBatchHasher, warmPool } from '../../workers/pool-hasher.js';
import { syntheticPositions } from '../synthetic-positions.js';

/** `firstId`: 0x-hex, default 0. */
export type TreeRootRequest = { count: number; workers: number; seed?: number; firstId?: string };
export type TreeRootResult = {
  /** 0x-hex root. */
  root: string;
  hashes: number;
  /** Creating the pool and building every worker's Pedersen tables. */
  poolStartMs: number;
  /** The bulk build itself, on warm workers. */
  rootMs: number;
  /** The page's JS heap after the build (Chromium's performance.memory), if known. */
  usedJsHeapBytes: number | null;
};
export type TreeRootResponse =
  | { ok: true; result: TreeRootResult }
  | { ok: false; error: { name: string; message: string } };

/** Largest synthetic set accepted (a 2^22-position tree is ~20 M hashes: far beyond any benchmark). */
const MAX_COUNT = 1 << 22;
const MAX_WORKERS = 8;

function createHashWorker(): JobWorker {
  return new Worker(new URL('../../workers/hash.worker.ts', import.meta.url), {
    type: 'module',
  }) as unknown as JobWorker;
}

export async function runTreeRoot(request: TreeRootRequest): Promise<TreeRootResult> {
  const count = checkInteger('count', request.count, 0, MAX_COUNT);
  const workers = checkInteger('workers', request.workers, 1, MAX_WORKERS);
  const seed = request.seed === undefined ? undefined : checkInteger('seed', request.seed, 0, 0xffff_ffff);
  if (request.firstId !== undefined && !/^0x[0-9a-f]{1,16}$/i.test(request.firstId)) {
    throw new RangeCheckError('firstId', request.firstId, '0x-hex position id below 2^64');
  }
  const firstId = BigInt(request.firstId ?? '0x0');
  const t0 = performance.now();
  const pool = new WorkerPool(createHashWorker, workers);
  try {
    await warmPool(pool);
    const t1 = performance.now();
    let hashes = 0;
    const hashMany = poolBatchHasher(pool, { onBatch: (n) => (hashes += n) });
    const root = await bulkPositionTreeRoot(syntheticPositions(count, seed, firstId), { hashMany });
    const t2 = performance.now();
    const memory = (performance as { memory?: { usedJSHeapSize?: number } }).memory;
    return {
      root: `0x${root.toString(16)}`,
      hashes,
      poolStartMs: Math.round(t1 - t0),
      rootMs: Math.round(t2 - t1),
      usedJsHeapBytes: memory?.usedJSHeapSize ?? null,
    };
  } finally {
    pool.terminate();
  }
}

const toError = (err: unknown) => {
  const e = err instanceof Error ? err : new Error(String(err));
  return { name: e.name, message: e.message };
};

(globalThis as { vigilTreeRoot?: (r: TreeRootRequest) => Promise<TreeRootResponse> }).vigilTreeRoot = (request) =>
  Promise.resolve()
    .then(() => runTreeRoot(request))
    .then(
      (result): TreeRootResponse => ({ ok: true, result }),
      (err: unknown): TreeRootResponse => ({ ok: false, error: toError(err) }),
    );
