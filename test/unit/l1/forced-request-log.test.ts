import { describe, expect, it } from 'vitest';
import { encodeEventTopics, encodeAbiParameters, getAbiItem, type AbiEvent, type Hex } from 'viem';
import { decodeForcedRequestLog, forcedRequestOfEvent } from '../../../src/l1/forced-request-log.js';
import { starkPerpetualAbi } from '../../../src/l1/abi.js';
import { forcedTradeLogArgs } from '../../helpers/forced-requests.js';

/** A log as `eth_getLogs` returns it (no indexed parameters: everything is in the data). */
function log(eventName: string, args: Record<string, unknown>): { topics: Hex[]; data: Hex } {
  const event = getAbiItem({ abi: starkPerpetualAbi, name: eventName as never }) as AbiEvent;
  const topics = encodeEventTopics({ abi: [event], eventName } as never) as Hex[];
  const data = encodeAbiParameters(
    event.inputs,
    event.inputs.map((p) => args[p.name!]),
  );
  return { topics, data };
}

const withdrawalArgs = { starkKey: 0x3f3n << 240n, vaultId: 7n, quantizedAmount: 10n ** 9n };
// The event's own field names (vaultIdA, vaultIdB), as LogForcedTradeRequest logs them.
const tradeArgs = forcedTradeLogArgs();

describe('forced-request logs → forced actions (one mapping of vaultId… to positionId…)', () => {
  it('decodes LogForcedWithdrawalRequest', () => {
    expect(decodeForcedRequestLog(log('LogForcedWithdrawalRequest', withdrawalArgs))).toEqual({
      type: 'withdrawal',
      starkKey: 0x3f3n << 240n,
      positionId: 7n,
      quantizedAmount: 10n ** 9n,
    });
  });

  it('decodes LogForcedTradeRequest, collateral asset id included', () => {
    // Every field kept, vaultIdA/B renamed positionIdA/B: nothing else changes.
    const { vaultIdA, vaultIdB, ...rest } = tradeArgs;
    expect(decodeForcedRequestLog(log('LogForcedTradeRequest', tradeArgs))).toEqual({
      type: 'trade',
      ...rest,
      positionIdA: vaultIdA,
      positionIdB: vaultIdB,
    });
    expect(rest.collateralAssetId).toBe(9n); // the collateral asset id is among them
  });

  it('the same from already decoded event args', () => {
    expect(forcedRequestOfEvent('LogForcedWithdrawalRequest', withdrawalArgs)).toEqual(
      decodeForcedRequestLog(log('LogForcedWithdrawalRequest', withdrawalArgs)),
    );
    expect(forcedRequestOfEvent('LogForcedTradeRequest', tradeArgs)).toEqual(
      decodeForcedRequestLog(log('LogForcedTradeRequest', tradeArgs)),
    );
    expect(forcedRequestOfEvent('LogDeposit', { starkKey: 1n })).toBeUndefined();
  });

  it('other events and logs without topics are not forced requests', () => {
    expect(decodeForcedRequestLog(log('LogFrozen', {}))).toBeUndefined();
    expect(decodeForcedRequestLog({ topics: [], data: '0x' })).toBeUndefined();
    expect(decodeForcedRequestLog({ topics: [`0x${'12'.repeat(32)}`], data: '0x' })).toBeUndefined();
  });

  it('a forced-request log whose data does not decode throws', () => {
    const { topics, data } = log('LogForcedTradeRequest', tradeArgs);
    expect(() => decodeForcedRequestLog({ topics, data: data.slice(0, 66) as Hex })).toThrow();
  });
});
