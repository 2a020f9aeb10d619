/**
 * One job at a time, in call order: `run(fn)` starts `fn` once every job queued before it has
 * settled. A job that throws or rejects fails only its own `run` promise; the jobs after it still
 * run (an error never poisons the queue).
 */
export interface SerialQueue {
  run<T>(fn: () => T | PromiseLike<T>): Promise<T>;
  /**
   * `run`, except that while a job of the same `key` waits in the queue (queued, not started) the
   * caller gets that job's result instead of queuing another. For reads that pages poll: polls
   * slower than their interval, or from several pages, share one job rather than pile up in front
   * of the writes behind them. A caller after the job started queues a new one, which sees
   * whatever the running job changed.
   */
  runShared<T>(key: string, fn: () => T | PromiseLike<T>): Promise<T>;
}

export function createSerialQueue(): SerialQueue {
  let tail: Promise<unknown> = Promise.resolve();
  const waiting = new Map<string, Promise<unknown>>();
  const run = <T>(fn: () => T | PromiseLike<T>): Promise<T> => {
    const job = tail.then(() => fn());
    tail = job.catch(() => undefined); // settles either way; the caller sees job's own outcome
    return job;
  };
  return {
    run,
    runShared<T>(key: string, fn: () => T | PromiseLike<T>): Promise<T> {
      const queued = waiting.get(key);
      if (queued) return queued as Promise<T>;
      const job = run(() => {
        waiting.delete(key);
        return fn();
      });
      waiting.set(key, job);
      return job;
    },
  };
}
