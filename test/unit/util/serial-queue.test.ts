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
});
