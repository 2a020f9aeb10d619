/**
 * One job at a time, in call order: `run(fn)` starts `fn` once every job queued before it has
 * settled. A job that throws or rejects fails only its own `run` promise; the jobs after it still
 * run (an error never poisons the queue).
 */
export interface SerialQueue {
  run<T>(fn: () => T | PromiseLike<T>): Promise<T>;
}

export function createSerialQueue(): SerialQueue {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run<T>(fn: () => T | PromiseLike<T>): Promise<T> {
      const job = tail.then(() => fn());
      tail = job.catch(() => undefined); // settles either way; the caller sees job's own outcome
      return job;
    },
  };
}
