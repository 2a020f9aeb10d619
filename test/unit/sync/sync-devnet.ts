import type { Hex } from 'viem';
import { assetIdFromText } from '../../../src/starkex/asset-id.js';
import type { SharedState } from '../../../src/starkex/shared-state.js';
import { positionRecord } from '../../../src/state/position-record.js';
import { EMPTY_POSITION, type Position } from '../../../src/state/position.js';
import { PositionTree } from '../../../src/tree/position-tree.js';
import { devnetDeployment, type StarkExDeployment } from '../../../src/l1/deployment.js';
import { buildStateUpdate, registerStateUpdateFacts, type DevnetStateUpdate } from '../../../devnet/state-update.js';
import { nextSharedState, outputFor, send, startDevnet, type Devnet } from '../devnet/devnet-fixture.js';

/**
 * A small honest operator for the verifier tests (until the Devnet II operator lands): keeps the
 * true positions, posts batches through devnet/state-update.ts, and can tamper with a batch's
 * data pages (one record's collateral) or its committed root.
 */
export const ETH = assetIdFromText('ETH-9');
export const ETH_CONFIG = 0xe7en;
const FXP = 1n << 32n;

export type Tamper = 'none' | 'data-page' | 'root';

export type SyncDevnet = {
  net: Devnet;
  deployment: StarkExDeployment;
  genesis: SharedState;
  /** The operator's true positions. */
  positions: Map<bigint, Position>;
  state(): SharedState;
  /** Posts one batch changing `ids` (default two ids derived from the batch number). */
  postBatch(opts?: {
    ids?: bigint[];
    tamper?: Tamper;
  }): Promise<{ txHash: Hex; update: DevnetStateUpdate; batchId: bigint }>;
  stop(): Promise<void>;
};

export async function startSyncDevnet(): Promise<SyncDevnet> {
  const net = await startDevnet({
    assetConfigurations: [{ assetId: ETH, configHash: ETH_CONFIG }],
    // No test here escapes, and some mine thousands of blocks (deploy.ts: the tables slow anvil_mine).
    escapeVerifier: false,
  });
  // Start after the deployment's own configuration events (they would raise configuration alarms).
  const firstBlock = (await net.accounts[0]!.client.getBlockNumber()) + 1n;
  const deployment = devnetDeployment({ ...net.d, chainId: net.d.chain.id, firstBlock });
  const positions = new Map<bigint, Position>();
  const tree = await PositionTree.create();
  let state = net.d.initialSharedState;
  let batchId = 0n;
  let n = 0;
  return {
    net,
    deployment,
    genesis: net.d.initialSharedState,
    positions,
    state: () => state,
    async postBatch(opts = {}) {
      n++;
      const now = await net.latestTimestamp();
      const ids = opts.ids ?? [BigInt(n % 5) + 1n, 100n + BigInt(n)];
      const records = [];
      const changes: Array<[bigint, Position]> = [];
      for (const id of ids) {
        const prev = positions.get(id) ?? EMPTY_POSITION;
        const next: Position = {
          starkKey: 0x1000n + id,
          collateral: 1_000_000n * BigInt(n) + id,
          assets: [{ assetId: ETH, balance: BigInt(n) * 1000n - 2500n, cachedFundingIndex: FXP + BigInt(n) }],
        };
        changes.push([id, next]);
        records.push(positionRecord(id, prev, next, now));
      }
      await tree.update(changes);
      let next = nextSharedState(state, await tree.root(), now, {
        assetId: ETH,
        fundingIndex: FXP + BigInt(n),
        price: FXP / 20n + BigInt(n),
      });
      if (opts.tamper === 'root') next = { ...next, positionsRoot: next.positionsRoot ^ 1n };
      // A tampered data page: the DA says one thing, the committed root (from the true positions) another.
      if (opts.tamper === 'data-page') records[0] = { ...records[0]!, collateral: records[0]!.collateral + 1n };
      const output = outputFor(net.d, state, next, { assetConfigHashes: [{ assetId: ETH, configHash: ETH_CONFIG }] });
      batchId += 1n;
      const update = buildStateUpdate({
        output,
        onChainData: {
          fundingEntries: [{ indices: [{ assetId: ETH, fundingIndex: FXP + BigInt(n) }], timestamp: now }],
          positions: records,
        },
        batchId: batchId * 10n,
        previousBatchId: (batchId - 1n) * 10n,
      });
      await registerStateUpdateFacts(net.d, net.accounts[0]!, update);
      const logs = await send(net.accounts[0]!, net.d, {
        address: net.d.addresses.starkPerpetual,
        abi: net.d.abis.starkPerpetual,
        functionName: 'updateState',
        args: [update.programOutput, update.applicationData],
      });
      for (const [id, p] of changes) positions.set(id, p);
      state = next;
      return { txHash: logs[0]!.transactionHash!, update, batchId: batchId * 10n };
    },
    stop: () => net.stop(),
  };
}
