import {
  decodeEventLog,
  decodeFunctionData,
  numberToHex,
  toEventSelector,
  type Abi,
  type Address,
  type Hex,
} from 'viem';
import { SHARED_STATE_HASH_SLOT } from '../starkex/shared-state.js';
import { memoryPageFactRegistryAbi, gpsStatementVerifierAbi, starkPerpetualAbi, starkwareProxyAbi } from './abi.js';
import type { StarkExDeployment } from './deployment.js';
import { L1DataError, type BlockRef } from './errors.js';
import { FORCED_REQUEST_EVENTS } from './forced-request-log.js';
import type { DegradedRead, MultiRpc } from './multi-rpc.js';
import { provenSharedStateHash, type ProvenStarkExState } from './proven-state.js';
import { checkRpcLog, hexQuantity, MAX_BLOCK_NUMBER } from './rpc-values.js';
import { SEQUENCE_NUMBER_SLOT } from './starkex-slots.js';
import { redactUrl } from './provider/errors.js';

/** `LogStateTransitionFact` + `LogUpdateState` of one `updateState` tx, paired (l1-data-tree.md §2.6 step 1). */
export type StateTransitionLog = {
  blockNumber: bigint;
  /** The log's block hash: the verifier keeps it to notice a reorg (issue 15). */
  blockHash?: Hex;
  txHash: Hex;
  logIndex: number;
  stateTransitionFact: Hex;
  sequenceNumber: bigint;
  batchId: bigint;
};
/** `LogMemoryPagesHashes` (§2.4): page hashes [main, data 1 … n] of a proven task. */
export type MemoryPagesHashesLog = {
  blockNumber: bigint;
  logIndex: number;
  txHash: Hex;
  factHash: Hex;
  pagesHashes: Hex[];
};
/** `LogMemoryPageFactContinuous` (§2.4): one registered data page. */
export type PageRegistrationLog = {
  blockNumber: bigint;
  logIndex: number;
  txHash: Hex;
  factHash: Hex;
  memoryHash: Hex;
  prod: bigint;
};
export type UpdateStateCall = { programOutput: bigint[]; applicationData: bigint[] };
export type ContinuousPageCall = { startAddr: bigint; values: bigint[]; z: bigint; alpha: bigint; prime: bigint };

/** Events that raise alarms without being part of a batch (issue 9 "Alarms"). */
export type WatchedEventKind =
  | 'frozen'
  | 'unfrozen'
  | 'upgraded'
  | 'global-configuration'
  | 'asset-configuration'
  | 'forced-withdrawal'
  | 'forced-trade';
export type WatchedEvent = {
  kind: WatchedEventKind;
  blockNumber: bigint;
  logIndex: number;
  txHash: Hex;
  address: Address;
  args: Record<string, unknown>;
};

/** Every log the sync needs from one block range, read in one `eth_getLogs` (issue 15). */
export type WindowLogs = {
  transitions: StateTransitionLog[];
  pagesHashes: MemoryPagesHashesLog[];
  registrations: PageRegistrationLog[];
  events: WatchedEvent[];
};

/** What the sync engine reads from L1. All reads are for closed block ranges or fixed blocks. */
export interface StarkExL1Reader {
  latestBlock(): Promise<bigint>;
  /**
   * The four kinds of log below over one range, with one log query (split only if the RPC asks).
   * `minWindow`: an endpoint that allows fewer blocks per query cannot serve the job (issue 15).
   */
  scan(from: bigint, to: bigint, job?: { minWindow?: bigint }): Promise<WindowLogs>;
  stateTransitions(from: bigint, to: bigint): Promise<StateTransitionLog[]>;
  memoryPagesHashes(from: bigint, to: bigint): Promise<MemoryPagesHashesLog[]>;
  pageRegistrations(from: bigint, to: bigint): Promise<PageRegistrationLog[]>;
  /**
   * Where the calldata the next reads want lies (issue 15: ≤ 4 requests per batch). A block that
   * holds two or more of these transactions is then read once, whole (`eth_getBlockByNumber` with
   * its transactions), instead of one `eth_getTransactionByHash` each. Replaces the previous plan.
   */
  planTransactions(wanted: readonly { txHash: Hex; blockNumber: bigint }[]): void;
  updateStateCall(txHash: Hex): Promise<UpdateStateCall>;
  continuousPageCall(txHash: Hex): Promise<ContinuousPageCall>;
  /** StarkPerpetual storage slot 2^64+3 (l1-data-tree.md §1.6), 32 bytes. */
  sharedStateHashAt(block: bigint): Promise<Hex>;
  /** StarkPerpetual storage slot 12. */
  sequenceNumberAt(block: bigint): Promise<bigint>;
  /**
   * sharedStateHash, sequenceNumber and the frozen flag at `block`, each proven by a storage proof
   * against the stateRoot of a block hash every RPC agrees on (issue 16; src/l1/proven-state.ts).
   */
  provenStateAt(block: BlockRef): Promise<ProvenStarkExState>;
  watchedEvents(from: bigint, to: bigint): Promise<WatchedEvent[]>;
  /** Seconds. */
  blockTimestamp(block: bigint): Promise<bigint>;
  /** The canonical hash of a block now (compared across RPCs): a stored hash that differs means a reorg. */
  blockHash(block: bigint): Promise<Hex>;
  /** The RPC's `finalized` block, or undefined where the tag is not served (then head − a depth applies). */
  finalizedBlock(): Promise<bigint | undefined>;
  /** Reads since the last call that not every configured RPC answered (a degraded cross-check). */
  drainDegraded(): DegradedRead[];
}

export { SEQUENCE_NUMBER_SLOT } from './starkex-slots.js';

const pick = (o: unknown, keys: readonly string[]) =>
  o && typeof o === 'object' ? Object.fromEntries(keys.map((k) => [k, (o as Record<string, unknown>)[k]])) : o;
/** The fields the reader uses: only these must agree between RPCs. */
const LOG_FIELDS = [
  'address',
  'topics',
  'data',
  'blockNumber',
  'blockHash',
  'transactionHash',
  'logIndex',
  'removed',
] as const;
const selectLogs = (a: unknown) => (Array.isArray(a) ? a.map((l) => pick(l, LOG_FIELDS)) : a);
const selectTx = (t: unknown) => pick(t, ['hash', 'to', 'input', 'blockNumber']);
const selectBlock = (b: unknown) => pick(b, ['number', 'hash', 'timestamp']);

type RpcLog = {
  address: Address;
  topics: [Hex, ...Hex[]];
  data: Hex;
  blockNumber: Hex;
  blockHash?: Hex;
  transactionHash: Hex;
  logIndex: Hex;
  removed?: boolean;
};
type RpcTx = { to: Address | null; input: Hex; blockNumber: Hex | null };

const topic = (abi: Abi, name: string): Hex => {
  const item = abi.find((x) => x.type === 'event' && x.name === name);
  if (!item) throw new Error(`event ${name} missing from ABI`);
  return toEventSelector(item as never);
};
const T = {
  fact: topic(starkPerpetualAbi, 'LogStateTransitionFact'),
  update: topic(starkPerpetualAbi, 'LogUpdateState'),
  pagesHashes: topic(gpsStatementVerifierAbi, 'LogMemoryPagesHashes'),
  pageContinuous: topic(memoryPageFactRegistryAbi, 'LogMemoryPageFactContinuous'),
};
const WATCHED: Array<[WatchedEventKind, Abi, string]> = [
  ['frozen', starkPerpetualAbi, 'LogFrozen'],
  ['unfrozen', starkPerpetualAbi, 'LogUnFrozen'],
  ['global-configuration', starkPerpetualAbi, 'LogGlobalConfigurationApplied'],
  ['asset-configuration', starkPerpetualAbi, 'LogAssetConfigurationApplied'],
  ['forced-withdrawal', starkPerpetualAbi, FORCED_REQUEST_EVENTS.withdrawal],
  ['forced-trade', starkPerpetualAbi, FORCED_REQUEST_EVENTS.trade],
  ['upgraded', starkwareProxyAbi, 'Upgraded'],
  ['upgraded', starkwareProxyAbi, 'ImplementationAdded'],
  ['upgraded', starkwareProxyAbi, 'ImplementationUpgraded'],
];
const WATCHED_TOPICS = new Map(WATCHED.map(([kind, abi, name]) => [topic(abi, name), { kind, abi }]));

const sameAddress = (a: unknown, b: string) => typeof a === 'string' && a.toLowerCase() === b.toLowerCase();
const order = (a: { blockNumber: bigint; logIndex: number }, b: { blockNumber: bigint; logIndex: number }) =>
  a.blockNumber !== b.blockNumber ? (a.blockNumber < b.blockNumber ? -1 : 1) : a.logIndex - b.logIndex;

export type StarkExReaderOptions = {
  /** Largest `eth_getLogs` range in blocks (default 2000). */
  maxBlockRange?: bigint;
};

/** A `StarkExL1Reader` over `MultiRpc` (bounded log ranges, retries, multi-RPC comparison). */
export function createStarkExReader(
  deployment: StarkExDeployment,
  rpc: MultiRpc,
  opts: StarkExReaderOptions = {},
): StarkExL1Reader {
  const maxRange = opts.maxBlockRange ?? 2000n;

  /**
   * Every RPC serves the deployment's chain: asked once per reader, before its first head read. An
   * RPC of another chain would show no StarkPerpetual at the deployment's address, no logs and
   * zero slots — an empty history that looks synced, or a final state "not found" (issue 15:
   * wrong-chain answers give an alarm). A failed check is asked again on the next head read.
   */
  let chainChecked: Promise<void> | undefined;
  const checkChain = (): Promise<void> =>
    (chainChecked ??= (async () => {
      for (const a of await rpc.answers('eth_chainId')) {
        const id = hexQuantity('eth_chainId', a.result, 2n ** 64n - 1n);
        if (id !== BigInt(deployment.chainId))
          throw new L1DataError(
            'eth_chainId',
            `${redactUrl(a.url)} serves chain ${id}; ${deployment.name} is on chain ${deployment.chainId}`,
          );
      }
    })().catch((err: unknown) => {
      chainChecked = undefined;
      throw err;
    }));

  async function logs(
    address: Address | Address[],
    topics: Hex[],
    from: bigint,
    to: bigint,
    job: { minWindow?: bigint } = {},
  ): Promise<RpcLog[]> {
    // Each endpoint splits the range within its own limits (src/l1/provider); answers are compared.
    const got = await rpc.getLogs<RpcLog>({ address, topics: [topics] }, from, to, selectLogs, maxRange, job);
    if (!Array.isArray(got)) throw new L1DataError('eth_getLogs', 'expected an array of logs');
    got.forEach((l, i) => checkRpcLog(`eth_getLogs[${i}]`, l));
    return got.filter((l) => !l.removed);
  }

  function decode(abi: Abi, log: RpcLog, what: string): Record<string, unknown> {
    try {
      return decodeEventLog({ abi, data: log.data, topics: log.topics, strict: true }).args as unknown as Record<
        string,
        unknown
      >;
    } catch (err) {
      throw new L1DataError(what, `log ${log.transactionHash}#${BigInt(log.logIndex)} does not decode`, { cause: err });
    }
  }
  const meta = (l: RpcLog) => ({
    blockNumber: BigInt(l.blockNumber),
    logIndex: Number(BigInt(l.logIndex)),
    txHash: l.transactionHash,
  });
  const isGps = (a: string) => deployment.gpsStatementVerifiers.some((g) => sameAddress(a, g));

  /** §2.6 step 1: each LogUpdateState paired with the LogStateTransitionFact before it in its tx. */
  function parseTransitions(all: RpcLog[]): StateTransitionLog[] {
    const raw = all.filter(
      (l) => sameAddress(l.address, deployment.starkPerpetual) && (l.topics[0] === T.fact || l.topics[0] === T.update),
    );
    const items = raw.map((l) => ({ l, m: meta(l) })).sort((a, b) => order(a.m, b.m));
    const out: StateTransitionLog[] = [];
    let pendingFact: { hash: Hex; txHash: Hex } | undefined;
    for (const { l, m } of items) {
      if (l.topics[0] === T.fact) {
        pendingFact = {
          hash: decode(starkPerpetualAbi, l, 'LogStateTransitionFact').stateTransitionFact as Hex,
          txHash: m.txHash,
        };
        continue;
      }
      // The fact is logged first, in the same transaction.
      if (!pendingFact || pendingFact.txHash !== m.txHash) {
        throw new L1DataError(
          'LogUpdateState',
          `tx ${m.txHash} has no LogStateTransitionFact before its LogUpdateState`,
        );
      }
      const args = decode(starkPerpetualAbi, l, 'LogUpdateState');
      const blockHash =
        typeof l.blockHash === 'string' && /^0x[0-9a-fA-F]{64}$/.test(l.blockHash)
          ? (l.blockHash.toLowerCase() as Hex)
          : undefined;
      out.push({
        ...m,
        ...(blockHash ? { blockHash } : {}),
        stateTransitionFact: pendingFact.hash,
        sequenceNumber: args.sequenceNumber as bigint,
        batchId: args.batchId as bigint,
      });
      pendingFact = undefined;
    }
    return out;
  }

  function parsePagesHashes(all: RpcLog[]): MemoryPagesHashesLog[] {
    return all
      .filter((l) => l.topics[0] === T.pagesHashes && isGps(l.address))
      .map((l) => {
        const args = decode(gpsStatementVerifierAbi, l, 'LogMemoryPagesHashes');
        return { ...meta(l), factHash: args.factHash as Hex, pagesHashes: [...(args.pagesHashes as Hex[])] };
      })
      .sort(order);
  }

  function parseRegistrations(all: RpcLog[]): PageRegistrationLog[] {
    return all
      .filter((l) => l.topics[0] === T.pageContinuous && sameAddress(l.address, deployment.memoryPageFactRegistry))
      .map((l) => {
        const args = decode(memoryPageFactRegistryAbi, l, 'LogMemoryPageFactContinuous');
        return {
          ...meta(l),
          factHash: args.factHash as Hex,
          memoryHash: numberToHex(args.memoryHash as bigint, { size: 32 }),
          prod: args.prod as bigint,
        };
      })
      .sort(order);
  }

  function parseWatched(all: RpcLog[]): WatchedEvent[] {
    return all
      .map((l) => {
        const w = WATCHED_TOPICS.get(l.topics[0]);
        if (!w) return undefined;
        // Proxy upgrades on StarkPerpetual and the GPS verifiers; the rest on StarkPerpetual only.
        const ok =
          w.kind === 'upgraded'
            ? sameAddress(l.address, deployment.starkPerpetual) || isGps(l.address)
            : sameAddress(l.address, deployment.starkPerpetual);
        return ok ? { kind: w.kind, ...meta(l), address: l.address, args: decode(w.abi, l, w.kind) } : undefined;
      })
      .filter((e): e is WatchedEvent => e !== undefined)
      .sort(order);
  }

  // The plan of planTransactions: wanted tx hash → its block, for blocks holding two or more; a
  // block is fetched once (shared by concurrent reads) and forgotten when its last tx is taken.
  let planned = new Map<string, bigint>();
  const blocks = new Map<bigint, { left: number; txs: Promise<Map<string, RpcTx>> }>();
  function blockTxs(n: bigint): Promise<Map<string, RpcTx>> {
    const wantedHere = new Set([...planned].filter(([, b]) => b === n).map(([h]) => h));
    // Only the wanted transactions must agree between RPCs: the rest of the block is not read.
    const select = (b: unknown) => {
      const txs = b && typeof b === 'object' ? (b as { transactions?: unknown }).transactions : undefined;
      return Array.isArray(txs)
        ? txs.filter((t) => wantedHere.has(String((t as { hash?: unknown })?.hash).toLowerCase())).map(selectTx)
        : b;
    };
    return rpc
      .request<{ transactions?: unknown } | null>('eth_getBlockByNumber', [numberToHex(n), true], select)
      .then((b) => {
        const out = new Map<string, RpcTx>();
        const txs = b && typeof b === 'object' ? b.transactions : undefined;
        if (!Array.isArray(txs))
          throw new L1DataError('eth_getBlockByNumber', `block ${n} came without its transactions`);
        for (const t of txs as unknown[]) {
          const h = t && typeof t === 'object' ? String((t as { hash?: unknown }).hash).toLowerCase() : '';
          if (wantedHere.has(h)) out.set(h, t as RpcTx);
        }
        return out;
      });
  }
  async function fromPlan(hash: Hex): Promise<RpcTx | undefined> {
    const key = hash.toLowerCase();
    const n = planned.get(key);
    if (n === undefined) return undefined;
    let b = blocks.get(n);
    if (!b) {
      // Every transaction planned in this block, this one included, is taken from the one read.
      b = { left: 0, txs: blockTxs(n) };
      for (const m of planned.values()) if (m === n) b.left++;
      blocks.set(n, b);
    }
    planned.delete(key);
    if (--b.left <= 0) blocks.delete(n);
    // A block that does not hold the transaction leaves it to eth_getTransactionByHash; a block read
    // that fails (RPCs disagree, an endpoint is down) fails the read: never a quiet second route.
    return b.txs.then((m) => m.get(key));
  }

  async function tx(hash: Hex, to: Address, what: string): Promise<Hex> {
    const t = (await fromPlan(hash)) ?? (await rpc.request<RpcTx | null>('eth_getTransactionByHash', [hash], selectTx));
    if (!t) throw new L1DataError(what, `transaction ${hash} not found`);
    if (typeof t !== 'object' || typeof t.input !== 'string')
      throw new L1DataError(what, `transaction ${hash}: the answer is not a transaction with calldata`);
    // A relayer contract would need a trace instead (§2.6 step 2); no deployment we follow uses one.
    if (!sameAddress(t.to, to)) throw new L1DataError(what, `transaction ${hash} is sent to ${t.to}, expected ${to}`);
    return t.input;
  }

  async function slot(s: bigint, block: bigint): Promise<Hex> {
    const v = await rpc.request<Hex>('eth_getStorageAt', [
      deployment.starkPerpetual,
      numberToHex(s),
      numberToHex(block),
    ]);
    if (typeof v !== 'string' || !/^0x[0-9a-fA-F]{1,64}$/.test(v))
      throw new L1DataError('eth_getStorageAt', `not a 32-byte word: ${String(v)}`);
    return numberToHex(BigInt(v), { size: 32 });
  }

  return {
    latestBlock: async () => {
      await checkChain();
      return rpc.blockNumber();
    },
    drainDegraded: () => rpc.drainDegraded(),

    async scan(from, to, job = {}) {
      const addresses = [
        deployment.starkPerpetual,
        ...deployment.gpsStatementVerifiers,
        deployment.memoryPageFactRegistry,
      ];
      const raw = await logs(
        addresses,
        [T.fact, T.update, T.pagesHashes, T.pageContinuous, ...WATCHED_TOPICS.keys()],
        from,
        to,
        job,
      );
      return {
        transitions: parseTransitions(raw),
        pagesHashes: parsePagesHashes(raw),
        registrations: parseRegistrations(raw),
        events: parseWatched(raw),
      };
    },

    stateTransitions: async (from, to) =>
      parseTransitions(await logs(deployment.starkPerpetual, [T.fact, T.update], from, to)),
    memoryPagesHashes: async (from, to) =>
      parsePagesHashes(await logs(deployment.gpsStatementVerifiers, [T.pagesHashes], from, to)),
    pageRegistrations: async (from, to) =>
      parseRegistrations(await logs(deployment.memoryPageFactRegistry, [T.pageContinuous], from, to)),

    planTransactions(wanted) {
      const perBlock = new Map<bigint, Set<string>>();
      for (const w of wanted)
        perBlock.set(w.blockNumber, (perBlock.get(w.blockNumber) ?? new Set()).add(w.txHash.toLowerCase()));
      planned = new Map();
      blocks.clear();
      for (const [n, hashes] of perBlock) if (hashes.size >= 2) for (const h of hashes) planned.set(h, n);
    },

    async updateStateCall(txHash) {
      const input = await tx(txHash, deployment.starkPerpetual, 'updateState');
      try {
        const { functionName, args } = decodeFunctionData({ abi: starkPerpetualAbi, data: input });
        if (functionName !== 'updateState') throw new Error(`calls ${functionName}`);
        const [programOutput, applicationData] = args as readonly [readonly bigint[], readonly bigint[]];
        return { programOutput: [...programOutput], applicationData: [...applicationData] };
      } catch (err) {
        throw new L1DataError('updateState', `calldata of ${txHash} is not an updateState call`, { cause: err });
      }
    },

    async continuousPageCall(txHash) {
      const input = await tx(txHash, deployment.memoryPageFactRegistry, 'registerContinuousMemoryPage');
      try {
        const { functionName, args } = decodeFunctionData({ abi: memoryPageFactRegistryAbi, data: input });
        if (functionName !== 'registerContinuousMemoryPage') throw new Error(`calls ${functionName}`);
        const [startAddr, values, z, alpha, prime] = args as readonly [
          bigint,
          readonly bigint[],
          bigint,
          bigint,
          bigint,
        ];
        return { startAddr, values: [...values], z, alpha, prime };
      } catch (err) {
        throw new L1DataError(
          'registerContinuousMemoryPage',
          `calldata of ${txHash} is not a registerContinuousMemoryPage call`,
          { cause: err },
        );
      }
    },

    sharedStateHashAt: (block) => slot(SHARED_STATE_HASH_SLOT, block),
    sequenceNumberAt: async (block) => BigInt(await slot(SEQUENCE_NUMBER_SLOT, block)),
    provenStateAt: (block) => provenSharedStateHash(rpc, deployment, block),

    async blockTimestamp(block) {
      const b = await rpc.request<{ timestamp: Hex } | null>(
        'eth_getBlockByNumber',
        [numberToHex(block), false],
        selectBlock,
      );
      if (!b) throw new L1DataError('eth_getBlockByNumber', `block ${block} not found`);
      return hexQuantity(`block ${block} timestamp`, (b as { timestamp?: unknown }).timestamp, MAX_BLOCK_NUMBER);
    },

    async blockHash(block) {
      const b = await rpc.request<{ hash: Hex } | null>('eth_getBlockByNumber', [numberToHex(block), false], (x) =>
        pick(x, ['number', 'hash']),
      );
      if (!b || typeof b.hash !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(b.hash))
        throw new L1DataError('eth_getBlockByNumber', `block ${block} not found`);
      return b.hash.toLowerCase() as Hex;
    },

    async finalizedBlock() {
      // Endpoints may sit at different finalized heights: the lowest that answers is safe for all.
      try {
        return await rpc.lowest('eth_getBlockByNumber', ['finalized', false], (b) => {
          const n = (b as { number?: unknown } | null)?.number;
          if (typeof n !== 'string') throw new L1DataError('eth_getBlockByNumber', 'finalized block without a number');
          return hexQuantity('finalized block number', n, MAX_BLOCK_NUMBER);
        });
      } catch (err) {
        if (err instanceof L1DataError) throw err;
        return undefined;
      }
    },

    watchedEvents: async (from, to) =>
      parseWatched(
        await logs(
          [deployment.starkPerpetual, ...deployment.gpsStatementVerifiers],
          [...WATCHED_TOPICS.keys()],
          from,
          to,
        ),
      ),
  };
}
