import { writeFile } from 'node:fs/promises';
import type { Address, Hex } from 'viem';
import {
  EMPTY_POSITION,
  FIELD_PRIME,
  PositionTree,
  encodeSharedState,
  escapeFile,
  snapshotStreamLines,
  starkKeyPair,
} from '../../src/index.js';
import type { EscapeFile, Position, SharedState } from '../../src/index.js';
import { devnetClients, type DevnetDeployment } from '../deploy.js';
import { ANVIL_DEV_PRIVATE_KEYS } from '../lib/anvil.js';
import { buildStateUpdate } from '../state-update.js';
import { Bots, botKeys, type Bot } from './bots.js';
import type { MarketConfig } from './config.js';
import { Exchange } from './exchange.js';
import { OperatorL1, type L1Event } from './l1.js';

/**
 * The devnet operator: an Exchange, its L1 side and the batch loop. Every `batchIntervalMs` it
 * reads new L1 events (deposits, forced requests), seals the open batch, starts the next period
 * (oracle walk, funding tick, liquidations), computes the new positions root and posts the state
 * update: data pages, output, updateState (l1-data-tree.md §2).
 */
export type Misbehaviour = {
  /** Leave forced withdrawals and trades unserved (they queue up until switched off). */
  ignoreForcedActions: boolean;
  /** Next batch only: register data page 1 with a word changed (see OperatorL1.postBatch). */
  tamperDataPage: boolean;
  /** Next batch only: commit a positions root that is not the root of the data. */
  wrongPositionsRoot: boolean;
  /** Post no batches (state keeps accumulating until switched off). */
  stopBatches: boolean;
};

export type BatchInfo = {
  batchId: bigint;
  sequenceNumber: bigint;
  updateStateTx: Hex;
  blockNumber: bigint;
  positionsRoot: bigint;
  /** The root of the operator's positions, which differs only under `wrongPositionsRoot`. */
  trueRoot: bigint;
  positionIds: bigint[];
  dataWords: number;
  dataPages: number;
  systemTime: bigint;
  misbehaviour: string[];
};

/** The exchange frozen on L1, as the operator noticed it: it posts and matches nothing after. */
export type FrozenInfo = {
  /** How it was noticed: `isFrozen` read before a batch, a reverted batch, or a status read. */
  seenBy: string;
  /** The L1 block at which the operator read `isFrozen() == true`. */
  blockNumber: bigint;
  /** The last batch the operator posted: the exchange's final state. */
  lastBatchId: bigint | null;
  lastSequenceNumber: bigint | null;
  at: string;
};

export type OperatorCoreOptions = {
  deployment: DevnetDeployment;
  /** The operator's L1 key (governor = operator = user admin); anvil dev key 0 by default. */
  privateKey?: Hex;
  /** 0 or undefined: batches only on closeBatch(). */
  batchIntervalMs?: number;
  markets?: readonly MarketConfig[];
  seed?: number;
  /** Collateral quanta (1e-6 USDC) deposited on L1 into the insurance fund at start. */
  insuranceDeposit?: bigint;
  /** Collateral quanta deposited for each new onboarded account. */
  faucetAmount?: bigint;
  /** Test ETH (wei) an onboarded Ethereum address is topped up to, for its own L1 gas (10 ETH by default). */
  faucetEth?: bigint;
  bots?: number;
  botDeposit?: bigint;
  /** 0 or undefined: bots act only on botStep(). */
  botIntervalMs?: number;
  log?: (line: string) => void;
};

/** The operator's own (public, devnet-only) stark key, owner of the insurance fund. */
export const OPERATOR_STARK_PRIVATE_KEY = 0x0be7a70en;
const USDC = 1_000_000n;
/** 10 test ETH: enough gas for a forced withdrawal, a freeze request, an escape and a withdrawal. */
export const FAUCET_ETH = 10n * 10n ** 18n;

export class OperatorCore {
  readonly exchange: Exchange;
  readonly l1: OperatorL1;
  readonly batches: BatchInfo[] = [];
  readonly misbehaviour: Misbehaviour = {
    ignoreForcedActions: false,
    tamperDataPage: false,
    wrongPositionsRoot: false,
    stopBatches: false,
  };
  bots?: Bots;
  /** The first error that stopped the batch loop. */
  failure?: Error;
  /**
   * Set once the exchange is frozen on L1 (issue 17): not a failure — the operator stops posting
   * batches and matching, the bots stop, and the API, admin endpoint and demo page keep serving.
   */
  frozen?: FrozenInfo;
  #tree!: PositionTree;
  #closing?: Promise<BatchInfo | undefined>;
  #advancing?: Promise<unknown>;
  #ignored: L1Event[] = [];
  #timers: NodeJS.Timeout[] = [];
  #snapshot: { batchId: bigint; sharedState: SharedState; positions: Map<bigint, Position> } | undefined;
  #log: (line: string) => void;

  private constructor(readonly opts: OperatorCoreOptions) {
    const d = opts.deployment;
    this.l1 = new OperatorL1(d, devnetClients(d.rpcUrl, d.chain, opts.privateKey ?? ANVIL_DEV_PRIVATE_KEYS[0]));
    this.exchange = new Exchange({
      genesis: d.initialSharedState,
      insuranceStarkKey: starkKeyPair(OPERATOR_STARK_PRIVATE_KEY).publicKey,
      markets: opts.markets,
      seed: opts.seed,
    });
    this.#log = opts.log ?? (() => {});
  }

  static async start(opts: OperatorCoreOptions): Promise<OperatorCore> {
    const op = new OperatorCore(opts);
    await op.#init();
    return op;
  }

  get operatorAddress(): Address {
    return this.l1.c.account.address;
  }

  async #init(): Promise<void> {
    this.#tree = await PositionTree.create();
    const ex = this.exchange;
    // The first period: prices and a funding tick for every market.
    ex.advance(await this.l1.blockTime());
    await this.l1.registerUser(this.operatorAddress, ex.insuranceStarkKey);
    await this.l1.faucetDeposit(
      ex.insuranceStarkKey,
      ex.insurancePositionId,
      this.opts.insuranceDeposit ?? 10_000_000n * USDC,
    );
    const bots: Bot[] = [];
    for (const [i, keys] of botKeys(this.opts.bots ?? 0).entries()) {
      const account = ex.onboard(keys.publicKey, this.operatorAddress, `bot-${i}`);
      await this.l1.registerUser(this.operatorAddress, keys.publicKey);
      await this.l1.faucetDeposit(keys.publicKey, account.positionId, this.opts.botDeposit ?? 1_000_000n * USDC);
      bots.push({ keys, positionId: account.positionId, name: `bot-${i}` });
    }
    this.bots = new Bots(ex, bots);
    if (this.opts.batchIntervalMs) this.#every(this.opts.batchIntervalMs, () => void this.closeBatch().catch(() => {}));
    if (this.opts.botIntervalMs && bots.length > 0) this.#every(this.opts.botIntervalMs, () => this.bots!.step());
  }

  #every(ms: number, fn: () => void): void {
    this.#timers.push(setInterval(fn, ms));
  }

  /**
   * Onboarding: allocate a position, register the key on L1, deposit the faucet amount there, and
   * top the Ethereum address up with test ETH for its own L1 transactions (forced withdrawal,
   * freeze request, escape, withdraw). A known key gets its ETH top-up only; on a frozen exchange
   * a new key is refused (L1 takes no deposit), a known one still gets its gas.
   */
  async onboard(
    starkKey: bigint,
    ethAddress: Address,
  ): Promise<{ positionId: bigint; created: boolean; depositTx?: Hex; ethBalance: bigint }> {
    const known = this.exchange.accountOfKey(starkKey);
    // Frozen: L1 takes no deposit, so a new key is refused (409) before anything changes.
    if (!known && (await this.checkFrozen())) this.exchange.assertOpen();
    const ethBalance = await this.l1.fundEth(ethAddress, this.opts.faucetEth ?? FAUCET_ETH);
    if (known) return { positionId: known.positionId, created: false, ethBalance };
    const account = this.exchange.onboard(starkKey, ethAddress);
    await this.l1.registerUser(ethAddress, starkKey);
    const depositTx = await this.l1.faucetDeposit(
      starkKey,
      account.positionId,
      this.opts.faucetAmount ?? 100_000n * USDC,
    );
    return { positionId: account.positionId, created: true, depositTx, ethBalance };
  }

  /**
   * Whether the exchange is frozen on L1: known once noticed, else read from the contract now
   * (`isFrozen`). Noticing it stops the batch loop, the bots and matching.
   */
  async checkFrozen(seenBy = 'isFrozen() read on L1'): Promise<boolean> {
    if (this.frozen) return true;
    if (!(await this.l1.isFrozen())) return false;
    await this.#noticeFrozen(seenBy);
    return true;
  }

  async #noticeFrozen(seenBy: string): Promise<void> {
    if (this.frozen) return;
    const blockNumber = await this.l1.c.client.getBlockNumber({ cacheTime: 0 });
    if (this.frozen) return;
    const last = this.batches.at(-1);
    this.frozen = {
      seenBy,
      blockNumber,
      lastBatchId: last?.batchId ?? null,
      lastSequenceNumber: last?.sequenceNumber ?? null,
      at: new Date().toISOString(),
    };
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
    const cancelled = this.exchange.halt('EXCHANGE_FROZEN');
    this.#log(
      `exchange FROZEN on L1 (${seenBy}, block ${blockNumber}): no more batches or matching, bots stopped, ${cancelled} open order(s) cancelled; final state = batch ${last?.batchId ?? 'none'}; the API, admin endpoint and demo page keep serving (GET /v3/status)`,
    );
  }

  #apply(e: L1Event): void {
    const ex = this.exchange;
    if (e.kind === 'deposit') {
      if (e.assetType === this.opts.deployment.usdcAssetType) ex.creditDeposit(e.starkKey, e.positionId, e.amount);
    } else if (e.request.type === 'withdrawal')
      ex.serveForcedWithdrawal(e.request.starkKey, e.request.positionId, e.request.quantizedAmount);
    else ex.serveForcedTrade(e.request);
  }

  /** Closes one batch now (waits for one already closing). Undefined when batches are stopped. */
  closeBatch(): Promise<BatchInfo | undefined> {
    if (this.#closing) return this.#closing;
    this.#closing = (async () => {
      await this.#advancing?.catch(() => {});
      return this.#close();
    })().finally(() => (this.#closing = undefined));
    return this.#closing;
  }

  /**
   * Devnet time travel (`POST /admin/advance-time`): moves the chain's clock by `seconds` and mines
   * a block, never in the middle of a batch — a batch reads the block time first and posts it
   * later, and a clock moved in between would make its updateState revert (SYSTEM_TIME_OUTDATED).
   */
  async advanceTime(seconds: number): Promise<{ before: bigint; after: bigint; blockNumber: bigint }> {
    while (this.#closing || this.#advancing) await (this.#closing ?? this.#advancing)!.catch(() => {});
    const moving = this.l1.advanceTime(seconds);
    this.#advancing = moving;
    try {
      return await moving;
    } finally {
      this.#advancing = undefined;
    }
  }

  async #close(): Promise<BatchInfo | undefined> {
    if (this.failure) throw this.failure;
    if (this.frozen) return undefined;
    let changed: [bigint, Position][] = [];
    try {
      // A frozen exchange takes no state update (updateState is notFrozen): read before posting.
      if (await this.checkFrozen('isFrozen() read before a batch')) return undefined;
      if (this.misbehaviour.stopBatches) return undefined;
      for (const e of await this.l1.poll()) {
        if (e.kind !== 'deposit' && this.misbehaviour.ignoreForcedActions) this.#ignored.push(e);
        else this.#apply(e);
      }
      if (!this.misbehaviour.ignoreForcedActions) for (const e of this.#ignored.splice(0)) this.#apply(e);
      const now = await this.l1.blockTime();
      const ex = this.exchange;
      const content = ex.ledger.seal(now);
      const positions = new Map(ex.ledger.positions);
      ex.advance(now);
      changed = content.changes;
      await this.#tree.update(content.changes);
      const trueRoot = await this.#tree.root();
      const misbehaviour: string[] = [];
      let positionsRoot = trueRoot;
      if (this.misbehaviour.wrongPositionsRoot) {
        positionsRoot = (trueRoot + 1n) % FIELD_PRIME;
        this.misbehaviour.wrongPositionsRoot = false;
        misbehaviour.push('wrongPositionsRoot');
      }
      const tamper = this.misbehaviour.tamperDataPage;
      if (tamper) {
        this.misbehaviour.tamperDataPage = false;
        misbehaviour.push('tamperDataPage');
      }
      const newSharedState: SharedState = { ...content.newSharedState, positionsRoot };
      const previousBatchId = this.batches.at(-1)?.batchId ?? 0n;
      const batchId = previousBatchId + 1n;
      const d = this.opts.deployment;
      const update = buildStateUpdate({
        output: {
          generalConfigHash: d.globalConfigurationHash,
          assetConfigHashes: [],
          prevSharedState: content.prevSharedState,
          newSharedState,
          minimumExpirationTimestamp: newSharedState.systemTime / 3600n + 1n,
          modifications: content.modifications,
          forcedActions: content.forcedActions,
          conditions: [],
        },
        onChainData: { fundingEntries: content.fundingEntries, positions: content.records },
        batchId,
        previousBatchId,
      });
      ex.ledger.committed = newSharedState;
      const posted = await this.l1.postBatch(update, { tamperDataPage: tamper });
      const info: BatchInfo = {
        batchId,
        sequenceNumber: BigInt(this.batches.length + 1),
        updateStateTx: posted.updateStateTx,
        blockNumber: posted.blockNumber,
        positionsRoot,
        trueRoot,
        positionIds: content.changes.map(([id]) => id),
        dataWords: update.dataPages.reduce((n, p) => n + p.length, 0),
        dataPages: update.dataPages.length,
        systemTime: newSharedState.systemTime,
        misbehaviour,
      };
      this.batches.push(info);
      this.#snapshot = { batchId, sharedState: newSharedState, positions };
      this.#log(
        `batch ${batchId}: ${info.positionIds.length} positions, ${info.dataWords} data words in ${info.dataPages} page(s), root 0x${positionsRoot.toString(16)}${misbehaviour.length ? ` [${misbehaviour.join(', ')}]` : ''}`,
      );
      return info;
    } catch (err) {
      // Frozen between the check and updateState: the revert is the freeze, not a crash. The tree
      // goes back to the last posted batch, whose root is the final state escape files prove against.
      if (await this.l1.isFrozen().catch(() => false)) {
        const posted = this.#snapshot?.positions;
        await this.#tree.update(changed.map(([id]) => [id, posted?.get(id) ?? EMPTY_POSITION]));
        await this.#noticeFrozen(`batch ${(this.batches.at(-1)?.batchId ?? 0n) + 1n} reverted: the exchange is frozen`);
        return undefined;
      }
      // A batch that could not be posted leaves L1 and the operator apart: stop posting.
      this.failure = err instanceof Error ? err : new Error(String(err));
      this.#log(`batch loop stopped: ${this.failure.message}`);
      throw this.failure;
    }
  }

  /** Resolves once `n` batches have been posted in total. */
  async waitForBatches(n: number, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.batches.length < n) {
      if (this.failure) throw this.failure;
      if (Date.now() > deadline) throw new Error(`only ${this.batches.length} of ${n} batches within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** The positions as of the last posted batch, as JSON (bigints as decimal strings). */
  snapshot(): unknown {
    const s = this.#snapshot;
    if (!s) return { batchId: null, positions: [] };
    return {
      batchId: s.batchId.toString(),
      positionsRoot: `0x${s.sharedState.positionsRoot.toString(16)}`,
      sharedState: toJson(s.sharedState),
      positions: [...s.positions]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([positionId, p]) => toJson({ positionId, ...p })),
    };
  }

  /**
   * An escape file (src/exit/escape-file.ts) for a position at the last posted batch (issue 16): on
   * the frozen devnet the operator plays the untrusted third party that serves escape proofs; Vigil
   * checks each against the final state it reads from L1.
   */
  async escapeFile(positionId: bigint): Promise<EscapeFile> {
    const s = this.#snapshot;
    if (!s) throw new Error('no batch posted yet: nothing to escape from');
    const position = await this.#tree.position(positionId);
    const d = this.opts.deployment;
    return escapeFile(
      { chainId: d.chain.id, starkPerpetual: d.addresses.starkPerpetual },
      {
        merkleProof: await this.#tree.escapeProof(positionId),
        nAssets: position.assets.length,
        sharedState: encodeSharedState(s.sharedState),
      },
    );
  }

  /**
   * The positions at the last posted batch as a streamed snapshot (format vigil-positions-snapshot/2,
   * src/sync/snapshot-stream.ts), one line each: on the frozen devnet the operator plays the
   * untrusted third party that publishes the final state; Vigil checks its root against L1.
   */
  positionsSnapshotLines(): string[] {
    const s = this.#snapshot;
    const last = this.batches.at(-1);
    if (!s || !last) throw new Error('no batch posted yet: no snapshot to publish');
    const d = this.opts.deployment;
    const positions = [...s.positions].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return [
      ...snapshotStreamLines(
        {
          deploymentId: 'devnet',
          chainId: d.chain.id,
          starkPerpetual: d.addresses.starkPerpetual,
          sequenceNumber: last.sequenceNumber,
          batchId: last.batchId,
          blockNumber: last.blockNumber,
          sharedState: encodeSharedState(s.sharedState),
        },
        positions,
      ),
    ];
  }

  async writeSnapshot(path: string): Promise<{ path: string; batchId: unknown; positions: number }> {
    const snap = this.snapshot() as { batchId: unknown; positions: unknown[] };
    await writeFile(path, `${JSON.stringify(snap, null, 2)}\n`);
    return { path, batchId: snap.batchId, positions: snap.positions.length };
  }

  async stop(): Promise<void> {
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
    await this.#closing?.catch(() => {});
  }
}

/** bigint → decimal string, deeply. */
export function toJson(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x)));
}
