import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIELD_PRIME, RangeCheckError, pedersenMany } from '../../helpers/core.js';
import { WorkerJobError, WorkerPool } from '../../../workers/pool.js';
import { poolBatchHasher, warmPool } from '../../../workers/pool-hasher.js';
import { InProcessWorker } from './helpers.js';

function fakePool(size: number): { pool: WorkerPool; workers: InProcessWorker[] } {
  const workers: InProcessWorker[] = [];
  const pool = new WorkerPool(() => {
    const w = new InProcessWorker();
    workers.push(w);
    return w;
  }, size);
  return { pool, workers };
}

const felt = fc.bigInt({ min: 0n, max: FIELD_PRIME - 1n });

describe('poolBatchHasher', () => {
  it('returns pedersenMany of the whole batch, in order, for any batch size and pool shape (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(felt, felt), { maxLength: 40 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 5 }),
        async (pairs, size, minChunk, chunksPerWorker) => {
          const { pool } = fakePool(size);
          const hash = poolBatchHasher(pool, { minChunk, chunksPerWorker });
          const a = pairs.map((p) => p[0]);
          const b = pairs.map((p) => p[1]);
          expect(await hash(a, b)).toEqual(pedersenMany(a, b));
        },
      ),
      { numRuns: 25 },
    );
  });

  it('splits a large batch into contiguous chunks spread over every worker', async () => {
    const { pool, workers } = fakePool(2);
    const seen: number[] = [];
    const hash = poolBatchHasher(pool, { minChunk: 8, chunksPerWorker: 3, onBatch: (n) => seen.push(n) });
    const a = Array.from({ length: 60 }, (_, i) => BigInt(i));
    const b = a.map((x) => x * 7n + 1n);
    expect(await hash(a, b)).toEqual(pedersenMany(a, b));
    expect(seen).toEqual([60]);
    const jobs = workers.flatMap((w) => w.received.map((r) => r.job));
    expect(jobs).toHaveLength(6); // 2 workers × 3 chunks, 10 pairs each
    expect(workers.every((w) => w.received.length > 0)).toBe(true);
    const chunks = jobs.map((j) => (j.kind === 'pedersenMany' ? j.a : [])).sort((p, q) => Number(p[0]! - q[0]!));
    expect(chunks.flat()).toEqual(a);
    // Small batches are not split below minChunk.
    workers.forEach((w) => w.received.splice(0));
    await hash(a.slice(0, 15), b.slice(0, 15));
    expect(workers.reduce((n, w) => n + w.received.length, 0)).toBe(1);
  });

  it("rejects unequal lengths locally, and forwards a worker's RangeCheckError as WorkerJobError", async () => {
    const { pool } = fakePool(2);
    const hash = poolBatchHasher(pool);
    await expect(hash([1n, 2n], [3n])).rejects.toBeInstanceOf(RangeCheckError);
    const err = await Promise.resolve(hash([1n, FIELD_PRIME], [2n, 3n])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkerJobError);
    expect((err as WorkerJobError).remoteName).toBe('RangeCheckError');
    expect((err as WorkerJobError).message).toMatch(/a\[1\]/);
    expect(await hash([], [])).toEqual([]);
  });

  it('validates its options', () => {
    const { pool } = fakePool(1);
    expect(() => poolBatchHasher(pool, { minChunk: 0 })).toThrow(RangeCheckError);
    expect(() => poolBatchHasher(pool, { minChunk: 1.5 })).toThrow(RangeCheckError);
    expect(() => poolBatchHasher(pool, { chunksPerWorker: 0 })).toThrow(RangeCheckError);
    expect(() => poolBatchHasher(pool, { chunksPerWorker: 65 })).toThrow(RangeCheckError);
  });

  it('warmPool gives every worker one job', async () => {
    const { pool, workers } = fakePool(3);
    await warmPool(pool);
    expect(workers.map((w) => w.received.length)).toEqual([1, 1, 1]);
  });
});
