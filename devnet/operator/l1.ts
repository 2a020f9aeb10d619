import {
  encodePacked,
  keccak256,
  maxUint256,
  numberToHex,
  parseEventLogs,
  encodeAbiParameters,
  type Abi,
  type Address,
  type Hex,
  type TransactionReceipt,
} from 'viem';
import { FIELD_PRIME, createSerialQueue, forcedRequestOfEvent } from '../../src/index.js';
import type { ContinuousPageFact, ForcedRequestLog } from '../../src/index.js';
import type { DevnetClients, DevnetDeployment } from '../deploy.js';
import { EIP7825_TX_GAS_CAP } from '../lib/anvil.js';
import { receiptOf } from '../lib/receipt.js';
import { registerStateUpdateFactsWith, type DevnetSend, type DevnetStateUpdate } from '../state-update.js';

/**
 * The operator's side of L1: one account (governor = operator = user admin on the devnet), every
 * transaction sent through one queue so nonces never race, explicit gas so nothing is executed
 * twice for estimation (at most EIP-7825's 2^24, like any mainnet transaction).
 */
export type L1Event =
  | { kind: 'deposit'; starkKey: bigint; positionId: bigint; assetType: bigint; amount: bigint }
  /** A forced withdrawal or trade request, as src/l1 decodes it. */
  | { kind: 'forced'; request: ForcedRequestLog };

export type PostedBatch = { updateStateTx: Hex; blockNumber: bigint; pageTxs: Hex[] };

/** Every operator transaction declares the EIP-7825 maximum (anvil runs under mainnet's rules). */
export const DEVNET_TX_GAS = EIP7825_TX_GAS_CAP;
/** FactRegistry's `verifiedFact` mapping is its first storage variable (slot 0). */
const VERIFIED_FACT_SLOT = 0n;

export class OperatorL1 {
  /** Every L1 job runs after those queued before it. */
  readonly #queue = createSerialQueue();
  #nextBlock = 0n;
  #approved = false;

  constructor(
    readonly d: DevnetDeployment,
    readonly c: DevnetClients,
    readonly txGas = DEVNET_TX_GAS,
  ) {}

  async #send(address: Address, abi: Abi, functionName: string, args: readonly unknown[]): Promise<TransactionReceipt> {
    const hash = await this.c.wallet.writeContract({
      address,
      abi,
      functionName,
      args,
      account: this.c.account,
      chain: this.d.chain,
      gas: this.txGas,
    } as never);
    const receipt = await receiptOf(this.c.client, hash);
    if (receipt.status !== 'success') throw new Error(`L1 ${functionName} reverted (tx ${hash})`);
    return receipt;
  }

  send(address: Address, abi: Abi, functionName: string, args: readonly unknown[]): Promise<TransactionReceipt> {
    return this.#queue.run(() => this.#send(address, abi, functionName, args));
  }

  async rpc<T>(method: string, params: unknown[] = []): Promise<T> {
    return (await this.c.client.request({ method, params } as never)) as T;
  }

  /** The devnet USDC an address holds on L1 (tests and benchmarks check what a withdrawal paid). */
  usdcBalance(who: Address): Promise<bigint> {
    return this.c.client.readContract({
      address: this.d.addresses.usdc,
      abi: this.d.abis.usdc,
      functionName: 'balanceOf',
      args: [who],
    }) as Promise<bigint>;
  }

  async blockTime(): Promise<bigint> {
    return (await this.c.client.getBlock()).timestamp;
  }

  /** The StarkPerpetual's frozen flag, as of the latest block. */
  async isFrozen(): Promise<boolean> {
    return (await this.c.client.readContract({
      address: this.d.addresses.starkPerpetual,
      abi: this.d.abis.starkPerpetual,
      functionName: 'isFrozen',
    })) as boolean;
  }

  /** How long a forced request may wait unserved before anyone may freeze the exchange (seconds, from the contract). */
  async freezeGracePeriod(): Promise<bigint> {
    return (await this.c.client.readContract({
      address: this.d.addresses.starkPerpetual,
      abi: this.d.abis.starkPerpetual,
      functionName: 'FREEZE_GRACE_PERIOD',
    })) as bigint;
  }

  /**
   * Devnet time travel: anvil's `evm_increaseTime` by `seconds`, then one block mined so the next
   * transaction sees the new time. Queued behind any batch being posted.
   */
  advanceTime(seconds: number): Promise<{ before: bigint; after: bigint; blockNumber: bigint }> {
    return this.#queue.run(async () => {
      const before = await this.blockTime();
      await this.rpc('evm_increaseTime', [seconds]);
      await this.rpc('evm_mine');
      const block = await this.c.client.getBlock();
      return { before, after: block.timestamp, blockNumber: block.number };
    });
  }

  /**
   * Devnet faucet: tops `who` up to `wei` of test ETH (anvil_setBalance), then mines a block so the
   * latest header's stateRoot covers the new balance (anvil_setBalance alone changes the state under
   * an unchanged header, and every storage proof Vigil checks against it would fail until the next
   * block — on a frozen devnet, forever). Returns the balance `who` now holds.
   */
  fundEth(who: Address, wei: bigint): Promise<bigint> {
    return this.#queue.run(async () => {
      const balance = await this.c.client.getBalance({ address: who });
      if (balance >= wei) return balance;
      await this.rpc('anvil_setBalance', [who, numberToHex(wei)]);
      await this.rpc('evm_mine');
      return wei;
    });
  }

  async isRegistered(starkKey: bigint): Promise<boolean> {
    try {
      await this.c.client.readContract({
        address: this.d.addresses.starkPerpetual,
        abi: this.d.abis.starkPerpetual,
        functionName: 'getEthKey',
        args: [starkKey],
      });
      return true;
    } catch {
      return false;
    }
  }

  /** registerUser, signed by the user admin (this account), as dYdX's onboarding did. */
  async registerUser(ethKey: Address, starkKey: bigint): Promise<void> {
    if (await this.isRegistered(starkKey)) return;
    const hash = keccak256(encodePacked(['string', 'address', 'uint256'], ['UserRegistration:', ethKey, starkKey]));
    const signature = await this.c.account.sign({ hash });
    await this.send(this.d.addresses.starkPerpetual, this.d.abis.starkPerpetual, 'registerUser', [
      ethKey,
      starkKey,
      signature,
    ]);
  }

  /** Mints test USDC to the operator and deposits it into a registered key's position. */
  async faucetDeposit(starkKey: bigint, positionId: bigint, amount: bigint): Promise<Hex> {
    return this.#queue.run(async () => {
      const { usdc, starkPerpetual } = this.d.addresses;
      if (!this.#approved) {
        await this.#send(usdc, this.d.abis.usdc, 'approve', [starkPerpetual, maxUint256]);
        this.#approved = true;
      }
      await this.#send(usdc, this.d.abis.usdc, 'mint', [this.c.account.address, amount]);
      const r = await this.#send(starkPerpetual, this.d.abis.starkPerpetual, 'deposit', [
        starkKey,
        this.d.usdcAssetType,
        positionId,
        amount,
      ]);
      return r.transactionHash;
    });
  }

  /** StarkPerpetual events since the last call, in chain order. */
  async poll(): Promise<L1Event[]> {
    const latest = await this.c.client.getBlockNumber({ cacheTime: 0 });
    if (latest < this.#nextBlock) return [];
    const logs = await this.c.client.getLogs({
      address: this.d.addresses.starkPerpetual,
      fromBlock: this.#nextBlock,
      toBlock: latest,
    });
    this.#nextBlock = latest + 1n;
    const events: L1Event[] = [];
    for (const e of parseEventLogs({ abi: this.d.abis.starkPerpetual, logs }) as unknown as {
      eventName: string;
      args: Record<string, any>;
    }[]) {
      const a = e.args;
      if (e.eventName === 'LogDeposit')
        events.push({
          kind: 'deposit',
          starkKey: a.starkKey,
          positionId: a.vaultId,
          assetType: a.assetType,
          amount: a.quantizedAmount,
        });
      else {
        const request = forcedRequestOfEvent(e.eventName, a);
        if (request) events.push({ kind: 'forced', request });
      }
    }
    return events;
  }

  /**
   * Registers the data pages and the output, then calls updateState (l1-data-tree.md §2.4–§2.5).
   * `tamperDataPage` (a misbehaviour switch): page 1 is registered with one word changed, and the
   * fact of the true page is written straight into the registry's storage (an anvil cheat: the
   * one way to make the stand-in accept a page whose data never appeared on L1).
   */
  postBatch(u: DevnetStateUpdate, opts: { tamperDataPage?: boolean } = {}): Promise<PostedBatch> {
    return this.#queue.run(async () => {
      const { memoryPageFactRegistry, starkPerpetual } = this.d.addresses;
      const send: DevnetSend = async (address, abi, functionName, args) =>
        (await this.#send(address, abi, functionName, args)).transactionHash;
      const tamperFirst = async (i: number, page: bigint[], fact: ContinuousPageFact): Promise<bigint[]> => {
        if (i !== 0) return page;
        const registered = [...page];
        registered[registered.length - 1] = (registered[registered.length - 1]! + 1n) % FIELD_PRIME;
        const slot = keccak256(
          encodeAbiParameters([{ type: 'bytes32' }, { type: 'uint256' }], [fact.factHash, VERIFIED_FACT_SLOT]),
        );
        await this.rpc('anvil_setStorageAt', [memoryPageFactRegistry, slot, numberToHex(1n, { size: 32 })]);
        return registered;
      };
      const pageTxs = await registerStateUpdateFactsWith(
        this.d,
        send,
        u,
        opts.tamperDataPage ? tamperFirst : undefined,
      );
      const r = await this.#send(starkPerpetual, this.d.abis.starkPerpetual, 'updateState', [
        u.programOutput,
        u.applicationData,
      ]);
      return { updateStateTx: r.transactionHash, blockNumber: r.blockNumber, pageTxs };
    });
  }
}
