import type { HashJob, WorkerRequest, WorkerResponse } from './jobs.js';

/**
 * The part of a worker the pool needs. A browser `Worker` fits as is; a Node `worker_threads`
 * Worker fits through a two-line adapter. Keeping the pool on this interface lets the same code
 * schedule hashing in the offscreen document and in Node.
 */
export interface JobWorker {
  postMessage(message: WorkerRequest): void;
  onmessage: ((event: { data: WorkerResponse }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  terminate(): void;
}

export class WorkerJobError extends Error {
  override name = 'WorkerJobError';
  readonly remoteName: string;
  constructor(remoteName: string, message: string) {
    super(message);
    this.remoteName = remoteName;
  }
}

type Pending = { resolve: (v: unknown) => void; reject: (e: unknown) => void };
type Queued = { req: WorkerRequest; pending: Pending };

/** A fixed-size pool: each worker runs one job at a time; jobs queue in arrival order. */
export class WorkerPool {
  readonly size: number;
  private readonly workers: JobWorker[] = [];
  private readonly idle: JobWorker[] = [];
  private readonly queue: Queued[] = [];
  private readonly inFlight = new Map<number, { worker: JobWorker; pending: Pending }>();
  private readonly dead = new Set<JobWorker>();
  private nextId = 1;

  constructor(createWorker: () => JobWorker, size: number) {
    if (!Number.isInteger(size) || size < 1 || size > 64)
      throw new RangeError(`size: ${size} is out of range; expected an integer 1 <= size <= 64`);
    this.size = size;
    for (let i = 0; i < size; i++) {
      const worker = createWorker();
      worker.onmessage = (event) => this.settle(worker, event.data);
      worker.onerror = (event) => this.fail(worker, event);
      this.workers.push(worker);
      this.idle.push(worker);
    }
  }

  run(job: HashJob): Promise<unknown> {
    if (this.dead.size === this.workers.length)
      return Promise.reject(new WorkerJobError('WorkerError', 'every worker in the pool has crashed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ req: { id: this.nextId++, job }, pending: { resolve, reject } });
      this.pump();
    });
  }

  terminate(): void {
    for (const w of this.workers) w.terminate();
    const err = new Error('worker pool terminated');
    for (const { pending } of this.inFlight.values()) pending.reject(err);
    for (const { pending } of this.queue.splice(0)) pending.reject(err);
    this.inFlight.clear();
  }

  private pump(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop()!;
      const { req, pending } = this.queue.shift()!;
      this.inFlight.set(req.id, { worker, pending });
      worker.postMessage(req);
    }
  }

  private settle(worker: JobWorker, res: WorkerResponse): void {
    const entry = this.inFlight.get(res.id);
    if (!entry || entry.worker !== worker) return; // not a job this worker was given: ignore
    this.inFlight.delete(res.id);
    this.idle.push(worker);
    if (res.ok) entry.pending.resolve(res.result);
    else entry.pending.reject(new WorkerJobError(res.error.name, res.error.message));
    this.pump();
  }

  private fail(worker: JobWorker, event: unknown): void {
    // A worker that crashed (e.g. failed to load) fails its current job and is not reused; when
    // none is left, queued jobs fail too rather than wait forever.
    const message = (event as { message?: string } | null)?.message ?? 'worker error';
    this.dead.add(worker);
    const at = this.idle.indexOf(worker);
    if (at >= 0) this.idle.splice(at, 1);
    for (const [id, entry] of this.inFlight) {
      if (entry.worker !== worker) continue;
      this.inFlight.delete(id);
      entry.pending.reject(new WorkerJobError('WorkerError', message));
    }
    if (this.dead.size === this.workers.length) {
      for (const { pending } of this.queue.splice(0))
        pending.reject(new WorkerJobError('WorkerError', `every worker in the pool has crashed: ${message}`));
    }
  }
}
