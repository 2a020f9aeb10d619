import { describe, expect, it } from 'vitest';
import { acknowledgeAlarm, alarmBadgeText, countsOnBadge, exchangeHealth } from '../../../src/sync/health.js';
import { alarm } from '../../../src/sync/alarms.js';
import { MemorySyncStore } from '../../../src/sync/sync-store.js';
import type { BatchVerdict, SyncCheckpoint } from '../../../src/sync/types.js';

const verdict = (seq: bigint, extra: Partial<BatchVerdict> = {}): BatchVerdict => ({
  sequenceNumber: seq,
  batchId: seq + 100n,
  blockNumber: seq * 10n,
  txHash: '0x01',
  status: 'verified',
  checks: [],
  positionsChanged: 1,
  systemTime: 1_000n + seq * 5n,
  dataPages: 1,
  dataWords: Number(seq) * 10,
  ...extra,
});
const checkpoint = (extra: Partial<SyncCheckpoint> = {}): SyncCheckpoint => ({
  deploymentId: 'devnet',
  sequenceNumber: 4n,
  batchId: 104n,
  blockNumber: 40n,
  scannedTo: 45n,
  pendingForced: [],
  frozen: false,
  ...extra,
});

describe('exchange health', () => {
  it('time between consecutive batches and data per batch, oldest first; a gap in sequence is no interval', () => {
    const h = exchangeHealth({
      // Newest first, as a page of the store comes; batch 3 is missing from the window.
      verdicts: [verdict(5n, { systemTime: 1_040n }), verdict(4n), verdict(2n), verdict(1n)],
      checkpoint: checkpoint({ finalizedBlock: 50n }),
      alarms: [],
      nowSeconds: 1_100n,
    });
    expect(h.batches.map((b) => [b.sequenceNumber, b.secondsSincePrevious])).toEqual([
      [1n, undefined],
      [2n, 5],
      [4n, undefined],
      [5n, 20],
    ]);
    expect(h.intervals).toEqual({ count: 2, min: 5, median: 12.5, max: 20 });
    expect(h.dataWords).toEqual({ count: 4, min: 10, median: 30, max: 50 });
  });

  it('verdicts stored before the data size was recorded are read, the size unknown', () => {
    const old = verdict(1n);
    delete old.dataPages;
    delete old.dataWords;
    const h = exchangeHealth({ verdicts: [old], checkpoint: undefined, alarms: [], nowSeconds: 0n });
    expect(h.batches[0]!.dataWords).toBeUndefined();
    expect(h.dataWords).toBeNull();
    expect(h.intervals).toBeNull();
  });

  it('the last verified batch, its age and its finality against the finalized block', () => {
    const verdicts = [verdict(3n), verdict(4n, { status: 'pending-root' })];
    const at = (finalizedBlock?: bigint) =>
      exchangeHealth({
        verdicts,
        checkpoint: checkpoint(finalizedBlock === undefined ? {} : { finalizedBlock }),
        alarms: [],
        nowSeconds: 1_100n,
      }).lastVerified;
    // Block 30 (batch 3, the newest verified: batch 4 awaits its root).
    expect(at(30n)).toEqual({
      sequenceNumber: 3n,
      batchId: 103n,
      blockNumber: 30n,
      systemTime: 1_015n,
      ageSeconds: 85,
      finality: 'final',
      finalizedBlock: 30n,
    });
    expect(at(29n)!.finality).toBe('pending');
    expect(at(undefined)!.finality).toBe('pending');
  });

  it('pending forced requests: their age against the grace period', () => {
    const h = exchangeHealth({
      verdicts: [],
      checkpoint: checkpoint({
        pendingForced: [
          { kind: 'withdrawal', key: 'w', starkKey: 1n, positionId: 7n, blockNumber: 9n, requestedAt: 1_000n },
          { kind: 'trade', key: 't', starkKey: 1n, positionId: 8n, blockNumber: 9n, requestedAt: 100n },
        ],
      }),
      alarms: [],
      nowSeconds: 1_300n,
      gracePeriodSeconds: 1_000n,
    });
    expect(h.pendingForced).toEqual([
      {
        kind: 'withdrawal',
        positionId: 7n,
        blockNumber: 9n,
        ageSeconds: 300,
        gracePeriodSeconds: 1000,
        percentOfGrace: 30,
        freezePossible: false,
      },
      {
        kind: 'trade',
        positionId: 8n,
        blockNumber: 9n,
        ageSeconds: 1200,
        gracePeriodSeconds: 1000,
        percentOfGrace: 120,
        freezePossible: true,
      },
    ]);
    expect(h.gracePeriodSource).toBe('chain');
    // No answer from the contract: dYdX's 14 days, and the view says it was assumed.
    const assumed = exchangeHealth({
      verdicts: [],
      checkpoint: checkpoint({
        pendingForced: [
          { kind: 'withdrawal', key: 'w', starkKey: 1n, positionId: 7n, blockNumber: 9n, requestedAt: 1_000n },
        ],
      }),
      alarms: [],
      nowSeconds: 1_300n,
    });
    expect(assumed.gracePeriodSource).toBe('assumed');
    expect(assumed.pendingForced[0]!.gracePeriodSeconds).toBe(1_209_600);
  });

  it('upgrades and configuration changes, newest first, history marked; other alarms left out', () => {
    const h = exchangeHealth({
      verdicts: [],
      checkpoint: undefined,
      nowSeconds: 0n,
      alarms: [
        alarm('configuration-changed', 'set-up', { blockNumber: 3n, raisedAt: 1, history: true }),
        alarm('contract-upgraded', 'upgrade', { blockNumber: 90n, raisedAt: 1 }),
        alarm('root-mismatch', 'not a change', { blockNumber: 95n, raisedAt: 1 }),
      ],
    });
    expect(h.changes).toEqual([
      { kind: 'contract-upgraded', blockNumber: 90n, message: 'upgrade', history: false },
      { kind: 'configuration-changed', blockNumber: 3n, message: 'set-up', history: true },
    ]);
  });
});

describe('acknowledged alarms and the badge', () => {
  const critical = alarm('root-mismatch', 'wrong root', { sequenceNumber: 4n, raisedAt: 1 });
  it('the badge counts unacknowledged critical alarms only', () => {
    const warning = alarm('configuration-changed', 'config', { blockNumber: 5n, raisedAt: 1 });
    const acked = acknowledgeAlarm(critical, 50);
    expect([critical, warning, acked].filter(countsOnBadge)).toEqual([critical]);
    expect([0, 1, 12, 100].map(alarmBadgeText)).toEqual(['', '1', '12', '99+']);
  });
  it('acknowledging keeps the alarm and the first acknowledgement time', () => {
    const once = acknowledgeAlarm(critical, 50);
    expect(once).toEqual({ ...critical, acknowledgedAt: 50 });
    expect(acknowledgeAlarm(once, 90).acknowledgedAt).toBe(50);
  });
  it('raising the same cause again keeps the stored, acknowledged alarm', async () => {
    const store = new MemorySyncStore();
    await store.commit({ checkpoint: checkpoint(), alarms: [acknowledgeAlarm(critical, 50)] });
    await store.commit({ checkpoint: checkpoint(), alarms: [{ ...critical, raisedAt: 2 }] });
    expect(await store.alarms()).toEqual([{ ...critical, acknowledgedAt: 50 }]);
  });
});

describe('a snapshot import (commit with reset) keeps the history', () => {
  it('drops the verified state, keeps the verdicts and the alarms', async () => {
    const store = new MemorySyncStore();
    const a = alarm('root-mismatch', 'wrong root', { sequenceNumber: 2n, raisedAt: 1 });
    await store.commit({
      checkpoint: checkpoint(),
      verdicts: [verdict(1n), verdict(2n)],
      alarms: [a],
      nodes: { nodes: [], positions: [[5n, { starkKey: 9n, collateral: 1n, assets: [] }]] },
    });
    await store.commit({ reset: true, checkpoint: checkpoint({ sequenceNumber: 9n }) });
    expect((await store.verdicts()).map((v) => v.sequenceNumber)).toEqual([1n, 2n]);
    expect(await store.alarms()).toEqual([a]);
    expect(await store.allPositions()).toEqual([]);
    expect((await store.checkpoint())!.sequenceNumber).toBe(9n);
  });
});
