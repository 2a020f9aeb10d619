import type { Hex } from 'viem';
import {
  createExitChainReader,
  devnetDeployment,
  estimateL1TransactionGas,
  marginView,
  serializeExitFlow,
  type ExitFlow,
  type ExitRunnerDeps,
  type L1Transaction,
  type MarginView,
  type RiskParams,
  type StarkExDeployment,
} from '../../../src/index.js';
import { words } from '../devnet/devnet-fixture.js';
import { ETH, acct, net, type Batch } from '../devnet/perpetual-scenario.js';

// Plumbing for the exit tests on devnet I (test/unit/devnet/perpetual-scenario.ts): the runner's
// dependencies over anvil, with every sent transaction and every save recorded.

/** Vigil's own risk configuration for the devnet's ETH market (3 % maintenance margin, 0.32 fixed point). */
export const RISK: RiskParams = { assets: [{ assetId: ETH, riskFactor: 128_849_018n }] };

export const deployment = (): StarkExDeployment => devnetDeployment({ ...net.d, chainId: net.d.chain.id });

export type Recorder = { sent: L1Transaction[]; saved: string[]; deps: ExitRunnerDeps };

/** Runner deps sending from dev account `from` (the owner of key A is account 1), gas estimated first. */
export function exitDeps(from: number, batch?: Batch): Recorder {
  const c = acct(from);
  const d = deployment();
  const sent: L1Transaction[] = [];
  const saved: string[] = [];
  const deps: ExitRunnerDeps = {
    deployment: d,
    chain: createExitChainReader(d, c.client),
    send: async (tx): Promise<Hex> => {
      const { gasLimit } = await estimateL1TransactionGas(c.client, c.account.address, tx);
      sent.push(tx);
      return c.wallet.sendTransaction({ account: c.account, chain: net.d.chain, to: tx.to, data: tx.data, gas: gasLimit });
    },
    save: async (f: ExitFlow) => {
      saved.push(serializeExitFlow(f));
    },
  };
  if (batch) deps.escapeSource = async () => ({ merkleProof: await batch.tree.escapeProof(7n), nAssets: batch.position.assets.length, sharedState: words(batch.next) });
  return { sent, saved, deps };
}

/** The margin view of position 7 at a batch the test posted. */
export const viewOf = (b: Batch, sequenceNumber = 1n): MarginView =>
  marginView({ positionId: 7n, position: b.position, sharedState: b.next, basis: { sequenceNumber, batchId: 11n, blockNumber: 0n }, riskParams: RISK });

export const usdcBalance = (who: Hex) => acct(0).client.readContract({ address: net.d.addresses.usdc, abi: net.d.abis.usdc, functionName: 'balanceOf', args: [who] }) as Promise<bigint>;
