import { BaseError, ContractFunctionRevertedError, type Abi, type Address, type Hex, type Log } from 'viem';
import { parseEventLogs } from 'viem';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import {
  ANVIL_DEV_PRIVATE_KEYS,
  EIP7825_TX_GAS_CAP,
  MAINNET_RULES_ANVIL_ARGS,
  startAnvil,
  type AnvilInstance,
} from '../../../devnet/lib/anvil.js';
import { encodeSharedState, type SharedState } from '../../../src/starkex/shared-state.js';
import type { ProgramOutput } from '../../../src/starkex/program-output.js';
import {
  deployDevnet,
  devnetClients,
  type DeployDevnetOptions,
  type DevnetClients,
  type DevnetDeployment,
} from '../../../devnet/deploy.js';

/**
 * Shared plumbing for the devnet contract tests: one anvil per test file under mainnet's gas rules
 * (45 M per block, EIP-7825's 2^24 per transaction: what passes here fits mainnet), one
 * deployment, snapshots between cases, and calls that surface the revert reason.
 */
export type Devnet = {
  anvil: AnvilInstance;
  d: DevnetDeployment;
  /** Clients for anvil dev accounts 0–3 (0 = governor/operator/user admin). */
  accounts: DevnetClients[];
  rpc<T = unknown>(method: string, params?: unknown[]): Promise<T>;
  snapshot(): Promise<Hex>;
  revert(id: Hex): Promise<void>;
  increaseTime(seconds: bigint): Promise<void>;
  latestTimestamp(): Promise<bigint>;
  stop(): Promise<void>;
};

/** Stops the devnet after the file, and takes an anvil snapshot before every test that is reverted after it. */
export function stopAfterAllAndRevertEachTest(devnet: () => Devnet | undefined): void {
  let snap: Hex;
  afterAll(async () => {
    await devnet()?.stop();
  });
  beforeEach(async () => {
    snap = await devnet()!.snapshot();
  });
  afterEach(async () => {
    await devnet()!.revert(snap);
  });
}

/**
 * One devnet for the calling test file: started, then `setup`, before all its tests; stopped after them; an anvil
 * snapshot reverted around every test. `setup` receives the devnet to keep in the file's own variable.
 */
export function useDevnet(
  opts: Omit<DeployDevnetOptions, 'rpcUrl'>,
  setup: (net: Devnet) => Promise<void> | void,
): void {
  let net: Devnet | undefined;
  beforeAll(async () => {
    net = await startDevnet(opts);
    await setup(net);
  });
  stopAfterAllAndRevertEachTest(() => net);
}

export async function startDevnet(opts: Omit<DeployDevnetOptions, 'rpcUrl'> = {}): Promise<Devnet> {
  const anvil = await startAnvil({ args: [...MAINNET_RULES_ANVIL_ARGS] });
  try {
    const d = await deployDevnet({ rpcUrl: anvil.rpcUrl, ...opts });
    const accounts = ANVIL_DEV_PRIVATE_KEYS.map((k) => devnetClients(anvil.rpcUrl, d.chain, k));
    let id = 0;
    const rpc = async <T>(method: string, params: unknown[] = []): Promise<T> => {
      const res = await fetch(anvil.rpcUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }),
      });
      const body = (await res.json()) as { result?: T; error?: { message: string } };
      if (body.error) throw new Error(`${method}: ${body.error.message}`);
      return body.result as T;
    };
    // Not every key in ANVIL_DEV_PRIVATE_KEYS is one of anvil's funded dev accounts (#2 differs in
    // its last byte), so fund them all explicitly.
    for (const c of accounts) await rpc('anvil_setBalance', [c.account.address, '0x3635c9adc5dea00000']);
    return {
      anvil,
      d,
      accounts,
      rpc,
      snapshot: () => rpc<Hex>('evm_snapshot'),
      revert: async (snap) => {
        if (!(await rpc<boolean>('evm_revert', [snap]))) throw new Error(`evm_revert ${snap} failed`);
      },
      increaseTime: async (seconds) => {
        await rpc('evm_increaseTime', [Number(seconds)]);
        await rpc('evm_mine');
      },
      latestTimestamp: async () => (await accounts[0]!.client.getBlock()).timestamp,
      stop: () => anvil.stop(),
    };
  } catch (err) {
    await anvil.stop();
    throw err;
  }
}

/** The revert reason of a failing call (`Panic(n)` for asserts and bounds), or throws if it succeeded. */
export async function revertReason(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (err) {
    if (err instanceof BaseError) {
      const reverted = err.walk(
        (e) => e instanceof ContractFunctionRevertedError,
      ) as ContractFunctionRevertedError | null;
      if (reverted) {
        if (reverted.reason !== undefined) return reverted.reason;
        if (reverted.data?.errorName === 'Panic') return `Panic(${String(reverted.data.args?.[0])})`;
        return reverted.shortMessage;
      }
    }
    throw err;
  }
  throw new Error('expected the call to revert, but it succeeded');
}

export type Call = { address: Address; abi: Abi; functionName: string; args?: readonly unknown[]; value?: bigint };

/**
 * Gas for every devnet transaction: skips a second execution for estimation (the box is busy).
 * The per-transaction maximum (EIP-7825): anvil refuses anything above it.
 */
const TX_GAS = EIP7825_TX_GAS_CAP;

/** Simulates (so a revert surfaces with its reason), sends, waits; returns the receipt's logs. */
export async function send(c: DevnetClients, d: DevnetDeployment, call: Call): Promise<Log[]> {
  const { request } = await c.client.simulateContract({ ...call, account: c.account, chain: d.chain } as never);
  const hash = await c.wallet.writeContract({ ...(request as object), gas: TX_GAS } as never);
  const receipt = await c.client.waitForTransactionReceipt({ hash });
  if (receipt.status !== 'success') throw new Error(`${call.functionName} reverted on-chain (tx ${hash})`);
  return receipt.logs;
}

/** Simulates only: resolves with the return value, rejects with the revert. */
export async function simulate(c: DevnetClients, d: DevnetDeployment, call: Call): Promise<unknown> {
  const { result } = await c.client.simulateContract({ ...call, account: c.account, chain: d.chain } as never);
  return result;
}

export async function read<T = unknown>(c: DevnetClients, call: Call): Promise<T> {
  return (await c.client.readContract(call as never)) as T;
}

export function events(
  abi: Abi,
  logs: Log[],
  eventName: string,
): { args: Record<string, unknown>; address: Address }[] {
  return parseEventLogs({ abi, logs, eventName }) as never;
}

/** A shared state after `base` with a new root, one synthetic asset's funding and price, and `systemTime`. */
export function nextSharedState(
  base: SharedState,
  positionsRoot: bigint,
  systemTime: bigint,
  market?: { assetId: bigint; fundingIndex: bigint; price: bigint },
): SharedState {
  return {
    ...base,
    positionsRoot,
    fundingIndices: market ? [{ assetId: market.assetId, fundingIndex: market.fundingIndex }] : [],
    fundingTimestamp: systemTime,
    oraclePrices: market ? [{ assetId: market.assetId, price: market.price }] : [],
    systemTime,
  };
}

/** The program output of a batch from `prev` to `next` with this deployment's configuration hashes. */
export function outputFor(
  d: DevnetDeployment,
  prev: SharedState,
  next: SharedState,
  parts: Partial<
    Pick<
      ProgramOutput,
      'modifications' | 'forcedActions' | 'conditions' | 'assetConfigHashes' | 'minimumExpirationTimestamp'
    >
  > = {},
): Omit<ProgramOutput, 'onchainData'> {
  return {
    generalConfigHash: d.globalConfigurationHash,
    assetConfigHashes: parts.assetConfigHashes ?? [],
    prevSharedState: prev,
    newSharedState: next,
    // Hours; must lie ahead of the block time.
    minimumExpirationTimestamp: parts.minimumExpirationTimestamp ?? next.systemTime / 3600n + 24n,
    modifications: parts.modifications ?? [],
    forcedActions: parts.forcedActions ?? [],
    conditions: parts.conditions ?? [],
  };
}

export const words = (s: SharedState): bigint[] => encodeSharedState(s);
