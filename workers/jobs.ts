import { pedersen, pedersenMany } from '../src/crypto/pedersen.js';

/**
 * Jobs a hashing worker runs. Plain data only: structured clone carries bigints between the
 * offscreen document (or Node's worker_threads) and a worker.
 */
export type HashJob = { kind: 'pedersen'; a: bigint; b: bigint } | { kind: 'pedersenMany'; a: bigint[]; b: bigint[] };

export type HashJobResult<J extends HashJob> = J extends { kind: 'pedersen' } ? bigint : bigint[];

/** Runs one job. Throws what `src/` throws (e.g. RangeCheckError) for bad input. */
export function runHashJob(job: HashJob): bigint | bigint[] {
  switch (job.kind) {
    case 'pedersen':
      return pedersen(job.a, job.b);
    case 'pedersenMany':
      return pedersenMany(job.a, job.b);
    default:
      throw new TypeError(`job.kind: unknown job kind ${JSON.stringify((job as { kind?: unknown }).kind)}`);
  }
}

/** The envelope on the wire between a pool and a worker. */
export type WorkerRequest = { id: number; job: HashJob };
export type WorkerResponse =
  | { id: number; ok: true; result: bigint | bigint[] }
  | { id: number; ok: false; error: { name: string; message: string } };

/** Wraps `runHashJob` into the response envelope; never throws. */
export function answerWorkerRequest(req: WorkerRequest): WorkerResponse {
  try {
    return { id: req.id, ok: true, result: runHashJob(req.job) };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    return { id: req.id, ok: false, error: { name: e.name, message: e.message } };
  }
}
