import { describe, expect, it } from 'vitest';
import type { WatchedEvent } from '../../../src/l1/starkex-reader.js';
import {
  batchAlarm,
  eventAlarms,
  forcedActionKey,
  forcedActionOfEvent,
  forcedRequestAlarms,
  newForcedRequests,
  servedForcedRequests,
  staleAlarm,
} from '../../../src/sync/alarms.js';
import type { BatchVerdict } from '../../../src/sync/types.js';
import { forcedTradeLogArgs } from '../../helpers/forced-requests.js';

const ev = (kind: WatchedEvent['kind'], args: Record<string, unknown> = {}, blockNumber = 7n): WatchedEvent => ({
  kind,
  blockNumber,
  logIndex: 1,
  txHash: `0x${'aa'.repeat(32)}`,
  address: '0x0000000000000000000000000000000000000001',
  args,
});
const withdrawal = (starkKey: bigint, amount = 5n) =>
  ev('forced-withdrawal', { starkKey, vaultId: 3n, quantizedAmount: amount });
const trade = (a: bigint, b: bigint) => ev('forced-trade', forcedTradeLogArgs(a, b));

describe('alarm rules', () => {
  it('events from before watching began are history (info), except a freeze, which is still the state', () => {
    const old = [ev('upgraded', {}, 5n), ev('global-configuration', {}, 6n), ev('frozen', {}, 8n)];
    expect(eventAlarms(old, 1000, { watchStartBlock: 10n }).map((a) => [a.kind, a.severity])).toEqual([
      ['contract-upgraded', 'info'],
      ['configuration-changed', 'info'],
      ['exchange-frozen', 'critical'],
    ]);
    // An event in the very block watching began at was already there: history too.
    expect(eventAlarms(old, 1000, { watchStartBlock: 6n }).map((a) => a.severity)).toEqual([
      'info',
      'info',
      'critical',
    ]);
    // The same events after the start of watching are raised as before.
    expect(eventAlarms(old, 1000, { watchStartBlock: 4n }).map((a) => a.severity)).toEqual([
      'critical',
      'warning',
      'critical',
    ]);
    expect(eventAlarms(old, 1000).map((a) => a.severity)).toEqual(['critical', 'warning', 'critical']);
  });

  it("the deployment's set-up (events before its first state update) is history, even when watching began before it", () => {
    const setUp = [ev('upgraded', {}, 5n), ev('asset-configuration', {}, 6n), ev('frozen', {}, 7n)];
    // Watching began at block 2 (before the deployment); its first state update is at block 9.
    expect(eventAlarms(setUp, 1000, { watchStartBlock: 2n, setUpUntil: 9n }).map((a) => a.severity)).toEqual([
      'info',
      'info',
      'critical',
    ]);
    // No state update read yet: everything so far is set-up.
    expect(eventAlarms(setUp, 1000, { watchStartBlock: 2n, setUpUntil: null }).map((a) => a.severity)).toEqual([
      'info',
      'info',
      'critical',
    ]);
    // A change at or after the first state update is news.
    expect(eventAlarms(setUp, 1000, { watchStartBlock: 2n, setUpUntil: 6n }).map((a) => a.severity)).toEqual([
      'info',
      'warning',
      'critical',
    ]);
  });

  it('a failed batch raises its failure kind as a critical alarm with the failing check; a verified one none', () => {
    const v: BatchVerdict = {
      sequenceNumber: 4n,
      batchId: 40n,
      blockNumber: 99n,
      txHash: '0x01',
      status: 'failed',
      failure: 'root-mismatch',
      checks: [
        { check: 'fact', ok: true },
        { check: 'root', ok: false, detail: 'roots differ' },
      ],
      positionsChanged: 1,
    };
    const a = batchAlarm(v, 1000)!;
    expect([a.kind, a.severity, a.sequenceNumber, a.blockNumber]).toEqual(['root-mismatch', 'critical', 4n, 99n]);
    expect(a.message).toContain('roots differ');
    expect(batchAlarm({ ...v, status: 'verified' }, 1000)).toBeUndefined();
    expect(batchAlarm(v, 1)!.id).toBe(batchAlarm(v, 2)!.id);
  });

  it('freeze, upgrades and configuration changes raise alarms; forced requests and unfreeze do not', () => {
    const kinds = eventAlarms(
      [
        ev('frozen'),
        ev('upgraded'),
        ev('global-configuration'),
        ev('asset-configuration'),
        ev('unfrozen'),
        withdrawal(1n),
      ],
      0,
    ).map((a) => [a.kind, a.severity]);
    expect(kinds).toEqual([
      ['exchange-frozen', 'critical'],
      ['contract-upgraded', 'critical'],
      ['configuration-changed', 'warning'],
      ['configuration-changed', 'warning'],
    ]);
  });

  it('tracks only the watched keys’ forced requests, clears the ones a batch serves, alarms past the share of the grace period', () => {
    const times = new Map([[7n, 1000n]]);
    const pending = newForcedRequests([withdrawal(0xaan), withdrawal(0xbbn), trade(0xccn, 0xaan)], [0xaan], times);
    expect(pending.map((p) => [p.kind, p.starkKey, p.positionId, p.requestedAt])).toEqual([
      ['withdrawal', 0xaan, 3n, 1000n],
      ['trade', 0xaan, 2n, 1000n],
    ]);
    // The batch's forced-actions section uses the same identity as the request event.
    const served = servedForcedRequests(pending, [forcedActionOfEvent(withdrawal(0xaan))!]);
    expect(served.map((p) => p.kind)).toEqual(['trade']);
    expect(forcedActionKey(forcedActionOfEvent(withdrawal(0xaan, 6n))!)).not.toBe(pending[0]!.key);
    const grace = 1000n;
    expect(forcedRequestAlarms(served, 1000n + 500n, grace, 0.5, 0)).toEqual([]);
    const alarms = forcedRequestAlarms(served, 1000n + 501n, grace, 0.5, 0);
    expect(alarms.map((a) => [a.kind, a.severity])).toEqual([['forced-request-pending', 'critical']]);
  });

  it('the forced action of a request event has the action’s fields only (no collateral asset id), and none for other events', () => {
    expect(forcedActionOfEvent(trade(0xaan, 0xbbn))).toEqual({
      type: 'trade',
      starkKeyA: 0xaan,
      starkKeyB: 0xbbn,
      positionIdA: 1n,
      positionIdB: 2n,
      syntheticAssetId: 8n,
      amountCollateral: 100n,
      amountSynthetic: 3n,
      aIsBuyingSynthetic: true,
      nonce: 77n,
    });
    expect(forcedActionOfEvent(withdrawal(0xaan))).toEqual({
      type: 'withdrawal',
      starkKey: 0xaan,
      positionId: 3n,
      quantizedAmount: 5n,
    });
    expect(forcedActionOfEvent(ev('frozen'))).toBeUndefined();
  });

  it('no new batch for longer than the configured time', () => {
    expect(staleAlarm(1000n, 1000n + 3600n, 3600n, 0)).toBeUndefined();
    expect(staleAlarm(1000n, 1000n + 3601n, 3600n, 0)?.kind).toBe('no-new-batch');
    expect(staleAlarm(undefined, 10n ** 9n, 3600n, 0)).toBeUndefined();
  });
});
