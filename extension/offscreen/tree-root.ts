/**
 * The `treeRoot` job of the offscreen document: a bulk tree build over a fresh pool of Web
 * Workers (issue 5), on deterministic synthetic positions so the caller can compare the root
 * with one computed elsewhere (Node) without sending the positions.
 */
import { RangeCheckError } from '../../src/errors.js';
import { bulkPositionTreeRoot } from '../../src/tree/bulk-build.js';
import { WorkerPool, type JobWorker } from '../../workers/pool.js';
import { poolBatchHasher, warmPool } from '../../workers/pool-hasher.js';
import { syntheticPositions } from '../../workers/synthetic-positions.js';
import type { OffscreenTreeRootMessage, OffscreenTreeRootResult } from '../shared/messages.js';

/** Largest synthetic set accepted (a 2^22-position tree is ~20 M hashes: far beyond any benchmark). */
const MAX_COUNT = 1 << 22;
const MAX_WORKERS = 8;

function checkInt(field: string, v: unknown, min: number, max: number): number {
  if (typeof v !== 'number') throw new TypeError(`${field}: expected a number, got ${typeof v}`);
  if (!Number.isInteger(v) || v < min || v > max) throw new RangeCheckError(field, v, `${min} <= ${field} <= ${max} (integer)`);
  return v;
}

export function createHashWorker(): JobWorker {
  return new Worker(new URL('../../workers/hash.worker.ts', import.meta.url), { type: 'module' }) as unknown as JobWorker;
}

export async function runTreeRoot(message: OffscreenTreeRootMessage): Promise<OffscreenTreeRootResult> {
  const count = checkInt('count', message.count, 0, MAX_COUNT);
  const workers = checkInt('workers', message.workers, 1, MAX_WORKERS);
  const seed = message.seed === undefined ? undefined : checkInt('seed', message.seed, 0, 0xffff_ffff);
  if (message.firstId !== undefined && !/^0x[0-9a-f]{1,16}$/i.test(message.firstId)) {
    throw new RangeCheckError('firstId', message.firstId, '0x-hex position id below 2^64');
  }
  const firstId = BigInt(message.firstId ?? '0x0');
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
