import type { Hex } from 'viem';
import {
  createExitChainReader,
  DEFAULT_EXIT_FEE_CAP,
  devnetDeployment,
  ExitRpc,
  ExitTxSender,
  marginView,
  MultiRpc,
  serializeExitFlow,
  type ExitFeeCap,
  type ExitFlow,
  type ExitRunnerDeps,
  type L1Transaction,
  type MarginView,
  type PreparedL1Transaction,
  type RiskParams,
  type StarkExDeployment,
} from '../../helpers/core.js';
import { words } from '../devnet/devnet-fixture.js';
import { ETH, acct, net, type Batch } from '../devnet/perpetual-scenario.js';

// Plumbing for the exit tests on devnet I (test/unit/devnet/perpetual-scenario.ts): the runner's
// dependencies over anvil, with every sent transaction and every save recorded.

/** Vigil's own risk configuration for the devnet's ETH market (3 % maintenance margin, 0.32 fixed point). */
export const RISK: RiskParams = { assets: [{ assetId: ETH, riskFactor: 128_849_018n }] };

export const deployment = (): StarkExDeployment => devnetDeployment({ ...net.d, chainId: net.d.chain.id });

/**
 * The devnet's fee cap: the default, EIP-7825's 2^24 gas included. anvil enforces that cap
 * (MAINNET_RULES_ANVIL_ARGS) and the devnet's table-based verifyEscape needs ~3.2 M gas.
 */
export const DEVNET_FEE_CAP: ExitFeeCap = DEFAULT_EXIT_FEE_CAP;

export type Recorder = {
  sent: L1Transaction[];
  /** Every prepared request that was signed, and the signed bytes. */
  signed: { prepared: PreparedL1Transaction; raw: Hex; hash: Hex }[];
  broadcasts: Hex[];
  saved: string[];
  deps: ExitRunnerDeps;
  rpc: ExitRpc;
  sender: ExitTxSender;
};

export type ExitDepsOptions = {
  /** RPC URLs (default: the devnet's anvil); e.g. anvil plus a lying proxy in front of it. */
  rpcUrls?: string[];
  feeCap?: ExitFeeCap;
  /** Without a key: observe and re-broadcast only. */
  noKey?: boolean;
};

/**
 * Runner deps as the extension builds them (ExitRpc over every RPC, ExitTxSender with the dev
 * account's key), sending from dev account `from` (the owner of key A is account 1).
 */
export function exitDeps(from: number, batch?: Batch, opts: ExitDepsOptions = {}): Recorder {
  const c = acct(from);
  const d = deployment();
  const sent: L1Transaction[] = [];
  const signed: Recorder['signed'] = [];
  const broadcasts: Hex[] = [];
  const saved: string[] = [];
  const rpc = new ExitRpc(
    MultiRpc.fromUrls(opts.rpcUrls ?? [net.anvil.rpcUrl], { attempts: 2, baseDelayMs: 10 }),
    d.chainId,
  );
  const sender = new ExitTxSender(rpc, {
    from: c.account.address,
    feeCap: opts.feeCap ?? DEVNET_FEE_CAP,
    signTransaction: (t) => c.account.signTransaction(t),
  });
  const deps: ExitRunnerDeps = {
    deployment: d,
    chain: createExitChainReader(d, rpc.client()),
    broadcast: async (raw, hash) => {
      broadcasts.push(hash);
      await rpc.broadcast(raw, hash);
    },
    save: async (f: ExitFlow) => {
      saved.push(serializeExitFlow(f));
    },
  };
  if (!opts.noKey) {
    deps.signer = {
      prepare: (tx) => sender.prepare(tx),
      confirm: (p, tx) => sender.confirm(p, tx),
      sign: async (p) => {
        const s = await sender.sign(p);
        signed.push({ prepared: p, ...s });
        sent.push({ to: p.to, data: p.data, value: 0n, functionName: p.functionName, abi: [], args: [] });
        return s;
      },
    };
  }
  if (batch)
    deps.escapeSource = async () => ({
      merkleProof: await batch.tree.escapeProof(7n),
      nAssets: batch.position.assets.length,
      sharedState: words(batch.next),
    });
  return { sent, signed, broadcasts, saved, deps, rpc, sender };
}

/** The margin view of position 7 at a batch the test posted. */
export const viewOf = (b: Batch, sequenceNumber = 1n): MarginView =>
  marginView({
    positionId: 7n,
    position: b.position,
    sharedState: b.next,
    basis: { sequenceNumber, batchId: 11n, blockNumber: 0n },
    riskParams: RISK,
  });

export const usdcBalance = (who: Hex) =>
  acct(0).client.readContract({
    address: net.d.addresses.usdc,
    abi: net.d.abis.usdc,
    functionName: 'balanceOf',
    args: [who],
  }) as Promise<bigint>;
