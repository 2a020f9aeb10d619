import { encodePacked, keccak256, maxUint256, type Address, type Hex } from 'viem';
import { starkKeyPair } from '../../../src/keys/stark-key.js';
import { assetIdFromText } from '../../../src/starkex/asset-id.js';
import type { ForcedAction } from '../../../src/starkex/forced-actions.js';
import type { Modification } from '../../../src/starkex/program-output.js';
import type { SharedState } from '../../../src/starkex/shared-state.js';
import { positionRecord } from '../../../src/state/position-record.js';
import { EMPTY_POSITION, type Position } from '../../../src/state/position.js';
import { PositionTree } from '../../../src/tree/position-tree.js';
import { buildStateUpdate, registerStateUpdateFacts, type DevnetStateUpdate } from '../../../devnet/state-update.js';
import { nextSharedState, outputFor, revertReason, send, simulate, useDevnet, type Devnet } from './devnet-fixture.js';

// The StarkPerpetual scenario the updateState and escape tests share (l1-data-tree.md §2, §5).

export const ETH = assetIdFromText('ETH-9');
export const ETH_CONFIG = 0xe7en;
export const FXP = 1n << 32n;
export const DAY = 86_400n;
export const keyA = starkKeyPair(0xa11cen).publicKey;
export const keyB = starkKeyPair(0xb0bn).publicKey;
export const DEPOSIT = 5_000_000n;

/** Live binding: set by the hooks `usePerpetualScenario` registers. */
export let net: Devnet;
export const sp = () => ({ address: net.d.addresses.starkPerpetual, abi: net.d.abis.starkPerpetual });
export const usdc = () => ({ address: net.d.addresses.usdc, abi: net.d.abis.usdc });
export const acct = (i: number) => net.accounts[i]!;
export const addr = (i: number) => acct(i).account.address;

async function register(ethKey: Address, starkKey: bigint) {
  const hash = keccak256(encodePacked(['string', 'address', 'uint256'], ['UserRegistration:', ethKey, starkKey]));
  await send(acct(3), net.d, {
    ...sp(),
    functionName: 'registerUser',
    args: [ethKey, starkKey, await acct(0).account.sign({ hash })],
  });
}

/**
 * One anvil for the calling test file: key A (account 1) and key B (account 2) registered and
 * funded, key A's deposit of DEPOSIT pending for position 7; a snapshot around every test.
 */
export function usePerpetualScenario(): void {
  useDevnet({ assetConfigurations: [{ assetId: ETH, configHash: ETH_CONFIG }] }, async (started) => {
    net = started;
    await register(addr(1), keyA);
    await register(addr(2), keyB);
    for (const i of [1, 2]) {
      await send(acct(0), net.d, { ...usdc(), functionName: 'mint', args: [addr(i), 100_000_000n] });
      await send(acct(i), net.d, {
        ...usdc(),
        functionName: 'approve',
        args: [net.d.addresses.starkPerpetual, maxUint256],
      });
    }
    await send(acct(1), net.d, { ...sp(), functionName: 'deposit', args: [keyA, net.d.usdcAssetType, 7n, DEPOSIT] });
  });
}

export type Batch = { update: DevnetStateUpdate; next: SharedState; tree: PositionTree; position: Position };

/**
 * The first batch: position 7 of key A gets the deposit (collateral after `withdrawn`) and an ETH
 * position; the shared state carries ETH's funding index and price.
 */
export async function firstBatch(
  opts: {
    modifications?: Modification[];
    forcedActions?: ForcedAction[];
    conditions?: bigint[];
    conditionalTransfers?: { registry: Address; fact: Hex }[];
    previousBatchId?: bigint;
    prev?: SharedState;
    edit?: (next: SharedState) => SharedState;
    generalConfigHash?: bigint;
    assetConfigHash?: bigint;
    minimumExpirationTimestamp?: bigint;
    withdrawn?: bigint;
  } = {},
): Promise<Batch> {
  const now = await net.latestTimestamp();
  const position: Position = {
    starkKey: keyA,
    collateral: DEPOSIT - (opts.withdrawn ?? 0n) - 1_234_567n,
    assets: [{ assetId: ETH, balance: 40_000_000n, cachedFundingIndex: 3n * FXP + 1n }],
  };
  const tree = await PositionTree.create();
  await tree.update([[7n, position]]);
  const prev = opts.prev ?? net.d.initialSharedState;
  let next = nextSharedState(prev, await tree.root(), now, {
    assetId: ETH,
    fundingIndex: 3n * FXP - 777n,
    price: FXP / 20n + 9n,
  });
  if (opts.edit) next = opts.edit(next);
  const output = outputFor(net.d, prev, next, {
    assetConfigHashes: [{ assetId: ETH, configHash: opts.assetConfigHash ?? ETH_CONFIG }],
    modifications: opts.modifications ?? [{ starkKey: keyA, positionId: 7n, delta: DEPOSIT }],
    forcedActions: opts.forcedActions ?? [],
    conditions: opts.conditions ?? [],
    ...(opts.minimumExpirationTimestamp !== undefined
      ? { minimumExpirationTimestamp: opts.minimumExpirationTimestamp }
      : {}),
  });
  if (opts.generalConfigHash !== undefined) output.generalConfigHash = opts.generalConfigHash;
  const update = buildStateUpdate({
    output,
    onChainData: {
      fundingEntries: [
        { indices: [{ assetId: ETH, fundingIndex: next.fundingIndices[0]!.fundingIndex }], timestamp: now },
      ],
      positions: [positionRecord(7n, EMPTY_POSITION, position, now)],
    },
    batchId: 11n,
    previousBatchId: opts.previousBatchId ?? 0n,
    conditionalTransfers: opts.conditionalTransfers,
  });
  return { update, next, tree, position };
}

export const updateState = (programOutput: readonly bigint[], applicationData: readonly bigint[]) =>
  ({ ...sp(), functionName: 'updateState', args: [programOutput, applicationData] }) as const;
export const submit = async (b: Batch) => {
  await registerStateUpdateFacts(net.d, acct(0), b.update);
  return send(acct(0), net.d, updateState(b.update.programOutput, b.update.applicationData));
};
export const rejection = (programOutput: readonly bigint[], applicationData: readonly bigint[], from = 0) =>
  revertReason(simulate(acct(from), net.d, updateState(programOutput, applicationData)));
