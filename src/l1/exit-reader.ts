import {
  decodeFunctionData,
  encodeAbiParameters,
  keccak256,
  numberToHex,
  TransactionNotFoundError,
  TransactionReceiptNotFoundError,
  type Hex,
  type PublicClient,
} from 'viem';
import type { ForcedTradeRequest } from '../messages/forced-trade.js';
import { bareForcedAction, type ForcedAction } from '../starkex/forced-actions.js';
import { decodeProgramOutput } from '../starkex/program-output.js';
import { SHARED_STATE_HASH_SLOT } from '../starkex/shared-state.js';
import { perpetualEscapeVerifierAbi, starkPerpetualAbi } from './abi.js';
import { blockRanges } from './block-ranges.js';
import type { StarkExDeployment } from './deployment.js';
import { L1DataError } from './errors.js';
import { causeOf, namedRead } from './exit-rpc.js';
import { hexQuantity } from './rpc-values.js';
import { forcedTradeFields } from './transactions.js';

/*
 * What an exit flow reads from L1 (l1-data-tree.md §5): the freeze state and grace period, a forced
 * request's timestamp, whether a batch served it, escape facts and used escapes, pending
 * withdrawals, and receipts of the flow's own transactions.
 */

/** `escapesUsed[positionId]` lives in the mapping at slot 9 (l1-data-tree.md §1.6). */
export const ESCAPES_USED_SLOT = 9n;

export type ExitReceipt = {
  status: 'success' | 'reverted';
  blockNumber: bigint;
  timestamp: bigint;
  logs: readonly { address: Hex; topics: readonly Hex[]; data: Hex }[];
};
export type ForcedActionService = {
  txHash: Hex;
  blockNumber: bigint;
  timestamp: bigint;
  sequenceNumber: bigint;
  batchId: bigint;
  valid: boolean | undefined;
};
export type EscapeVerifiedLog = {
  txHash: Hex;
  blockNumber: bigint;
  publicKey: bigint;
  amount: bigint;
  sharedStateHash: Hex;
  positionId: bigint;
};

export interface ExitChainReader {
  /** The chain tip: block number and timestamp (seconds). Countdowns use chain time, not the local clock. */
  head(): Promise<{ blockNumber: bigint; timestamp: bigint }>;
  isFrozen(): Promise<boolean>;
  /** `FREEZE_GRACE_PERIOD()`, seconds (14 days on dYdX, §1.5). */
  freezeGracePeriod(): Promise<bigint>;
  /** `getSystemAssetType()`: the collateral asset id every forced trade must name (SYSTEM_ASSET_NOT_IN_TRADE). */
  systemAssetType(): Promise<bigint>;
  /** Request timestamp; 0 = none or served (§1.3). */
  forcedWithdrawalRequestTime(starkKey: bigint, positionId: bigint, quantizedAmount: bigint): Promise<bigint>;
  /** Request timestamp; 0 = none, 2^256 − 1 = served (§1.3). */
  forcedTradeRequestTime(trade: ForcedTradeRequest): Promise<bigint>;
  escapeUsed(positionId: bigint): Promise<boolean>;
  /** Pending withdrawal in quantized units (`getWithdrawalBalance` is non-quantized, §1.3). */
  withdrawalBalance(starkKey: bigint): Promise<bigint>;
  /** StarkPerpetual's `sharedStateHash` (slot 2^64 + 3, §1.6). */
  sharedStateHash(): Promise<Hex>;
  /** `LogEscapeVerified` for this position and shared state since `fromBlock` (§5.5 step 4). */
  escapeVerified(positionId: bigint, sharedStateHash: Hex, fromBlock: bigint): Promise<EscapeVerifiedLog | undefined>;
  /** The first `updateState` since `fromBlock` whose forced actions include `action` (§5.2 step 2). */
  forcedActionService(action: ForcedAction, fromBlock: bigint): Promise<ForcedActionService | undefined>;
  receipt(txHash: Hex): Promise<ExitReceipt | null>;
  /** Whether the node knows the transaction at all (pending or mined): a known one was not replaced. */
  transactionKnown(txHash: Hex): Promise<boolean>;
  /** The sender's nonce at the head (mined transactions only). */
  nonce(address: Hex): Promise<number>;
}

const sameKey = (a: ForcedAction, b: ForcedAction): boolean =>
  JSON.stringify(a, (_k, v) => (typeof v === 'bigint' ? v.toString(16) : v)) ===
  JSON.stringify(b, (_k, v) => (typeof v === 'bigint' ? v.toString(16) : v));

export type ExitReaderOptions = { maxBlockRange?: bigint };

/**
 * An `ExitChainReader` over a viem public client: in Vigil, `ExitRpc.client()`, whose reads are
 * chain-checked and cross-checked over every RPC; a disagreement comes out naming the read.
 */
export function createExitChainReader(
  d: StarkExDeployment,
  client: PublicClient,
  opts: ExitReaderOptions = {},
): ExitChainReader {
  const r = createRawExitChainReader(d, client, opts);
  const named = {} as Record<string, unknown>;
  for (const [k, fn] of Object.entries(r))
    named[k] = (...a: unknown[]) => namedRead(k, () => (fn as (...a: unknown[]) => Promise<unknown>)(...a));
  return named as unknown as ExitChainReader;
}

function createRawExitChainReader(
  d: StarkExDeployment,
  client: PublicClient,
  opts: ExitReaderOptions,
): ExitChainReader {
  const maxRange = opts.maxBlockRange ?? 2000n;
  const sp = { address: d.starkPerpetual, abi: starkPerpetualAbi } as const;
  const read = <T>(functionName: string, args: readonly unknown[] = []) =>
    client.readContract({ ...sp, functionName, args } as never) as Promise<T>;
  const timestampOf = async (blockNumber: bigint) => (await client.getBlock({ blockNumber })).timestamp;

  async function eachRange<T>(
    fromBlock: bigint,
    fn: (from: bigint, to: bigint) => Promise<T | undefined>,
  ): Promise<T | undefined> {
    const head = await client.getBlockNumber({ cacheTime: 0 }); // viem caches the head for its polling interval
    for (const [a, b] of blockRanges(fromBlock, head, maxRange)) {
      const found = await fn(a, b);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  return {
    async head() {
      const b = await client.getBlock({ blockTag: 'latest' });
      return { blockNumber: b.number, timestamp: b.timestamp };
    },
    isFrozen: () => read<boolean>('isFrozen'),
    freezeGracePeriod: () => read<bigint>('FREEZE_GRACE_PERIOD'),
    systemAssetType: () => read<bigint>('getSystemAssetType'),
    forcedWithdrawalRequestTime: (starkKey, positionId, amount) =>
      read<bigint>('getForcedWithdrawalRequest', [starkKey, positionId, amount]),
    forcedTradeRequestTime: (trade) => read<bigint>('getForcedTradeRequest', forcedTradeFields(trade)),
    async escapeUsed(positionId) {
      const slot = keccak256(
        encodeAbiParameters([{ type: 'uint256' }, { type: 'uint256' }], [positionId, ESCAPES_USED_SLOT]),
      );
      const v = await client.getStorageAt({ address: d.starkPerpetual, slot });
      return v !== undefined && hexQuantity(`escapesUsed[${positionId}] (storage slot ${slot})`, v) !== 0n;
    },
    async withdrawalBalance(starkKey) {
      const nonQuantized = await read<bigint>('getWithdrawalBalance', [starkKey, d.collateral.assetType]);
      return nonQuantized / d.collateral.quantum;
    },
    async sharedStateHash() {
      const v = await client.getStorageAt({
        address: d.starkPerpetual,
        slot: numberToHex(SHARED_STATE_HASH_SLOT, { size: 32 }),
      });
      return numberToHex(hexQuantity('sharedStateHash (storage slot 2^64 + 3)', v ?? '0x0'), { size: 32 });
    },
    escapeVerified: (positionId, sharedStateHash, fromBlock) =>
      eachRange(fromBlock, async (fromBlock, toBlock) => {
        const logs = await client.getContractEvents({
          address: d.perpetualEscapeVerifier,
          abi: perpetualEscapeVerifierAbi,
          eventName: 'LogEscapeVerified',
          fromBlock,
          toBlock,
          strict: true,
        });
        for (const l of logs) {
          const a = l.args as { publicKey: bigint; withdrawalAmount: bigint; sharedStateHash: Hex; positionId: bigint };
          if (a.positionId === positionId && a.sharedStateHash.toLowerCase() === sharedStateHash.toLowerCase()) {
            return {
              txHash: l.transactionHash!,
              blockNumber: l.blockNumber!,
              publicKey: a.publicKey,
              amount: a.withdrawalAmount,
              sharedStateHash: a.sharedStateHash,
              positionId,
            };
          }
        }
        return undefined;
      }),
    forcedActionService: (action, fromBlock) =>
      eachRange(fromBlock, async (fromBlock, toBlock) => {
        const wanted = bareForcedAction(action);
        const logs = await client.getContractEvents({
          ...sp,
          eventName: 'LogUpdateState',
          fromBlock,
          toBlock,
          strict: true,
        });
        for (const l of logs) {
          const t = await client.getTransaction({ hash: l.transactionHash! });
          let output;
          try {
            const { functionName, args } = decodeFunctionData({ abi: starkPerpetualAbi, data: t.input });
            if (functionName !== 'updateState') throw new Error(`calls ${functionName}`);
            output = decodeProgramOutput([...(args as readonly [readonly bigint[], readonly bigint[]])[0]], {
              daModeWord: d.daModeWord,
            });
          } catch (err) {
            throw new L1DataError('updateState', `calldata of ${l.transactionHash} does not decode`, { cause: err });
          }
          if (!output.forcedActions.some((f) => sameKey(bareForcedAction(f), wanted))) continue;
          // B2.1: a valid forced withdrawal comes with its modification (delta −amount); an invalid one without.
          const valid =
            wanted.type === 'withdrawal'
              ? output.modifications.some(
                  (m) =>
                    m.starkKey === wanted.starkKey &&
                    m.positionId === wanted.positionId &&
                    m.delta === -wanted.quantizedAmount,
                )
              : undefined;
          const a = l.args as { sequenceNumber: bigint; batchId: bigint };
          return {
            txHash: l.transactionHash!,
            blockNumber: l.blockNumber!,
            timestamp: await timestampOf(l.blockNumber!),
            sequenceNumber: a.sequenceNumber,
            batchId: a.batchId,
            valid,
          };
        }
        return undefined;
      }),
    nonce: (address) => client.getTransactionCount({ address, blockTag: 'latest' }),
    async transactionKnown(hash) {
      try {
        return (await client.getTransaction({ hash })) !== null;
      } catch (err) {
        if (causeOf(err, TransactionNotFoundError)) return false;
        throw err;
      }
    },
    async receipt(hash) {
      let r;
      try {
        r = await client.getTransactionReceipt({ hash });
      } catch (err) {
        if (causeOf(err, TransactionReceiptNotFoundError)) return null; // not mined (yet), or not on every RPC yet
        throw err;
      }
      return {
        status: r.status,
        blockNumber: r.blockNumber,
        timestamp: await timestampOf(r.blockNumber),
        logs: r.logs.map((l) => ({ address: l.address, topics: l.topics, data: l.data })),
      };
    },
  };
}
