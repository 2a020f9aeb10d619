import { decodeEventLog, toEventSelector, type AbiEvent, type Hex } from 'viem';
import type { ForcedTrade, ForcedWithdrawal } from '../starkex/forced-actions.js';
import { starkPerpetualAbi } from './abi.js';

/*
 * StarkPerpetual's forced-request events (l1-data-tree.md §1.4, §5.2–5.3) as the forced actions a
 * batch later serves (§2.2): the one place that maps the events' field names (`vaultId…`) to
 * Vigil's (`positionId…`).
 */

/** `LogForcedWithdrawalRequest(starkKey, vaultId, quantizedAmount)`. */
export type ForcedWithdrawalRequestLog = ForcedWithdrawal;
/** `LogForcedTradeRequest(...)`: the forced trade, plus the collateral asset id (not in a batch's output). */
export type ForcedTradeRequestLog = ForcedTrade & { collateralAssetId: bigint };
export type ForcedRequestLog = ForcedWithdrawalRequestLog | ForcedTradeRequestLog;

export const FORCED_REQUEST_EVENTS = {
  withdrawal: 'LogForcedWithdrawalRequest',
  trade: 'LogForcedTradeRequest',
} as const;

type WithdrawalArgs = { starkKey: bigint; vaultId: bigint; quantizedAmount: bigint };
type TradeArgs = Record<
  | 'starkKeyA'
  | 'starkKeyB'
  | 'vaultIdA'
  | 'vaultIdB'
  | 'collateralAssetId'
  | 'syntheticAssetId'
  | 'amountCollateral'
  | 'amountSynthetic'
  | 'nonce',
  bigint
> & {
  aIsBuyingSynthetic: boolean;
};

/** The request of an already decoded event, by its name; undefined for any other event. */
export function forcedRequestOfEvent(
  eventName: string,
  args: Readonly<Record<string, unknown>>,
): ForcedRequestLog | undefined {
  if (eventName === FORCED_REQUEST_EVENTS.withdrawal) {
    const a = args as WithdrawalArgs;
    return { type: 'withdrawal', starkKey: a.starkKey, positionId: a.vaultId, quantizedAmount: a.quantizedAmount };
  }
  if (eventName === FORCED_REQUEST_EVENTS.trade) {
    const a = args as TradeArgs;
    return {
      type: 'trade',
      starkKeyA: a.starkKeyA,
      starkKeyB: a.starkKeyB,
      positionIdA: a.vaultIdA,
      positionIdB: a.vaultIdB,
      collateralAssetId: a.collateralAssetId,
      syntheticAssetId: a.syntheticAssetId,
      amountCollateral: a.amountCollateral,
      amountSynthetic: a.amountSynthetic,
      aIsBuyingSynthetic: a.aIsBuyingSynthetic,
      nonce: a.nonce,
    };
  }
  return undefined;
}

const FORCED_REQUEST_ABI = starkPerpetualAbi.filter(
  (x) => x.type === 'event' && Object.values<string>(FORCED_REQUEST_EVENTS).includes(x.name),
);
const FORCED_REQUEST_TOPICS: ReadonlySet<string> = new Set(
  FORCED_REQUEST_ABI.map((e) => toEventSelector(e as AbiEvent)),
);

/**
 * Decodes one log (topics and data, as `eth_getLogs` returns them): the forced request it records,
 * or undefined for any other event. A forced-request log that does not decode throws viem's error.
 */
export function decodeForcedRequestLog(log: { topics: readonly Hex[]; data: Hex }): ForcedRequestLog | undefined {
  const topic0 = log.topics[0];
  if (topic0 === undefined || !FORCED_REQUEST_TOPICS.has(topic0.toLowerCase())) return undefined;
  const { eventName, args } = decodeEventLog({
    abi: FORCED_REQUEST_ABI,
    data: log.data,
    topics: log.topics as [Hex, ...Hex[]],
    strict: true,
  });
  return forcedRequestOfEvent(eventName, args as Record<string, unknown>);
}
