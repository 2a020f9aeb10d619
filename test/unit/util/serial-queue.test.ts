import { describe, expect, it } from 'vitest';
import { createSerialQueue } from '../../../src/util/serial-queue.js';

const tick = () => new Promise<void>((r) => setTimeout(r, 1));

describe('createSerialQueue', () => {
  it('runs jobs one at a time, in call order, even when later jobs are faster', async () => {
    const q = createSerialQueue();
    const log: string[] = [];
    let active = 0;
    const job = (name: string, ticks: number) => async () => {
      active++;
      expect(active).toBe(1);
      log.push(`start ${name}`);
      for (let i = 0; i < ticks; i++) await tick();
      log.push(`end ${name}`);
      active--;
      return name;
    };
    const results = await Promise.all([q.run(job('a', 5)), q.run(job('b', 0)), q.run(job('c', 2))]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('does not start a job before the run call that queues it returns', async () => {
    const q = createSerialQueue();
    let started = false;
    const p = q.run(() => {
      started = true;
    });
    expect(started).toBe(false);
    await p;
    expect(started).toBe(true);
  });

  it('a rejected or throwing job fails only its own promise; later jobs still run', async () => {
    const q = createSerialQueue();
    const order: string[] = [];
    const a = q.run(async () => {
      order.push('a');
      throw new Error('a failed');
    });
    const b = q.run(() => {
      order.push('b');
      throw new RangeError('b threw');
    });
    const c = q.run(async () => {
      order.push('c');
      return 42;
    });
    await expect(a).rejects.toThrow('a failed');
    await expect(b).rejects.toThrow(RangeError);
    await expect(c).resolves.toBe(42);
    expect(order).toEqual(['a', 'b', 'c']);
  });

  it('a job queued after a failure waits for the jobs still ahead of it', async () => {
    const q = createSerialQueue();
    const order: string[] = [];
    const failed = q.run(() => Promise.reject(new Error('x')));
    const slow = q.run(async () => {
      await tick();
      await tick();
      order.push('slow');
    });
    await expect(failed).rejects.toThrow('x');
    await q.run(() => order.push('next'));
    await slow;
    expect(order).toEqual(['slow', 'next']);
  });

  it('queues are independent', async () => {
    const q1 = createSerialQueue();
    const q2 = createSerialQueue();
    const order: string[] = [];
    let release!: () => void;
    const blocked = q1.run(() => new Promise<void>((r) => (release = r)));
    await q2.run(() => order.push('q2'));
    expect(order).toEqual(['q2']);
    release();
    await blocked;
  });

  it('runShared: a call while the same key waits in the queue gets that job, never a second one', async () => {
    const q = createSerialQueue();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const blocker = q.run(() => gate); // a send in progress
    let reads = 0;
    const read = () => ++reads;
    // Five polls arrive while the send runs: they wait, and all share one read.
    const polls = Array.from({ length: 5 }, () => q.runShared('observe', read));
    const other = q.runShared('status', () => 'status');
    expect(new Set(polls).size).toBe(1);
    release();
    await blocker;
    expect(await Promise.all(polls)).toEqual([1, 1, 1, 1, 1]);
    expect(await other).toBe('status');
    expect(reads).toBe(1);
  });

  it('runShared: a call after the shared job started queues a new one, which runs after it', async () => {
    const q = createSerialQueue();
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const first = q.runShared('observe', async () => {
      log.push('first starts');
      await gate;
      log.push('first ends');
      return 1;
    });
    await tick(); // first is running now
    const second = q.runShared('observe', () => {
      log.push('second');
      return 2;
    });
    expect(second).not.toBe(first);
    release();
    expect(await Promise.all([first, second])).toEqual([1, 2]);
    expect(log).toEqual(['first starts', 'first ends', 'second']);
  });

  it('runShared: a shared job that fails fails its callers only; the queue goes on', async () => {
    const q = createSerialQueue();
    const a = q.runShared('observe', () => {
      throw new Error('rpc down');
    });
    const b = q.runShared('observe', () => 'never');
    await expect(a).rejects.toThrow('rpc down');
    await expect(b).rejects.toThrow('rpc down');
    expect(await q.runShared('observe', () => 'again')).toBe('again');
  });
});
