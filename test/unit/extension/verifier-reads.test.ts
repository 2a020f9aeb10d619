import { describe, expect, it } from 'vitest';
import type { SyncAlarm } from '../../../src/sync/types.js';
import { pageLimit, pageOfAlarms } from '../../../extension/background/verifier-reads.js';

/** Issue 14: the dashboard reads alarms a page at a time; the order and the cursor. */
const alarm = (id: string, severity: SyncAlarm['severity'], raisedAt: number): SyncAlarm => ({ id, kind: 'stale-batch' as SyncAlarm['kind'], severity, message: id, raisedAt });

describe('verifier reads, paged', () => {
  const all = [alarm('w-old', 'warning', 1), alarm('c-old', 'critical', 2), alarm('w-new', 'warning', 9), alarm('c-new', 'critical', 8), alarm('h1', 'info', 5), alarm('h2', 'info', 6), alarm('c-tie-b', 'critical', 8)];

  it('raised alarms: critical first, newest first, ties by id; walking the pages yields each once', () => {
    const order = ['c-new', 'c-tie-b', 'c-old', 'w-new', 'w-old'];
    expect(pageOfAlarms(all, 'raised', undefined, 10)).toEqual({ alarms: order.map((id) => all.find((a) => a.id === id)), total: 5, next: null });
    const seen: string[] = [];
    let after: string | undefined;
    for (let i = 0; i < 10; i++) {
      const p = pageOfAlarms(all, 'raised', after, 2);
      seen.push(...p.alarms.map((a) => a.id));
      expect(p.total).toBe(5);
      if (p.next === null) break;
      after = p.next;
    }
    expect(seen).toEqual(order);
  });

  it('history is the recorded-only alarms, newest first', () => {
    expect(pageOfAlarms(all, 'history', undefined, 1)).toMatchObject({ alarms: [{ id: 'h2' }], total: 2, next: 'h2' });
    expect(pageOfAlarms(all, 'history', 'h2', 1)).toMatchObject({ alarms: [{ id: 'h1' }], total: 2, next: null });
  });

  it('a page size outside 1 … 200 is refused, naming the field, the value and the range', () => {
    expect(pageLimit(50)).toBe(50);
    for (const bad of [0, 201, 1.5, '10', undefined]) expect(() => pageLimit(bad), String(bad)).toThrow(/^limit: .* is out of range; expected an integer 1 <= limit <= 200$/);
  });
});
