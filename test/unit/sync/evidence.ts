import { FIELD_PRIME } from '../../../src/crypto/field.js';
import { stateTransitionFactFromProgramOutput } from '../../../src/starkex/facts.js';
import { continuousPageFact, memoryPageHash } from '../../../src/starkex/memory-page.js';
import type { SharedState } from '../../../src/starkex/shared-state.js';
import { positionRecord } from '../../../src/state/position-record.js';
import { EMPTY_POSITION, type Position } from '../../../src/state/position.js';
import { PositionTree } from '../../../src/tree/position-tree.js';
import type { BatchEvidence } from '../../../src/sync/verify-batch.js';
import {
  buildStateUpdate,
  DEVNET_OUTPUT_START,
  DEVNET_PAGE_ALPHA,
  DEVNET_PAGE_Z,
  type DevnetStateUpdate,
} from '../../../devnet/state-update.js';
import { ETH } from './sync-devnet.js';
import { genesisSharedState } from '../../helpers/shared-state.js';

/** Evidence for a batch as an honest RPC would return it, built offline (no chain). */
const FXP = 1n << 32n;

export const GENESIS: SharedState = genesisSharedState();

export async function sampleUpdate(
  seed = 1n,
  prev: SharedState = GENESIS,
): Promise<{ update: DevnetStateUpdate; next: SharedState; positions: Array<[bigint, Position]> }> {
  const now = 1_700_000_000n + seed;
  const positions: Array<[bigint, Position]> = [1n, 2n, 9n].map((id) => [
    id + seed,
    {
      starkKey: 0x500n + id,
      collateral: 1000n * id * seed,
      assets: [{ assetId: ETH, balance: -7n * id, cachedFundingIndex: FXP + seed }],
    },
  ]);
  const tree = await PositionTree.create();
  await tree.update(positions);
  const next: SharedState = {
    ...prev,
    positionsRoot: await tree.root(),
    fundingIndices: [{ assetId: ETH, fundingIndex: FXP + seed }],
    fundingTimestamp: now,
    oraclePrices: [{ assetId: ETH, price: FXP / 3n }],
    systemTime: now,
  };
  const update = buildStateUpdate({
    output: {
      generalConfigHash: 5n,
      assetConfigHashes: [],
      prevSharedState: prev,
      newSharedState: next,
      minimumExpirationTimestamp: now / 3600n + 5n,
      modifications: [],
      forcedActions: [],
      conditions: [],
    },
    onChainData: {
      fundingEntries: [{ indices: [{ assetId: ETH, fundingIndex: FXP + seed }], timestamp: now }],
      positions: positions.map(([id, p]) => positionRecord(id, EMPTY_POSITION, p, now)),
    },
    batchId: 10n * seed,
    previousBatchId: 10n * (seed - 1n),
    maxWordsPerPage: 8,
  });
  return { update, next, positions };
}

export function evidenceFor(update: DevnetStateUpdate, sequenceNumber = 1n): BatchEvidence {
  const fact = stateTransitionFactFromProgramOutput(update.programOutput);
  let start = DEVNET_OUTPUT_START + BigInt(update.mainPage.length);
  const dataPages = update.dataPages.map((values, i) => {
    const f = continuousPageFact(start, values, DEVNET_PAGE_Z, DEVNET_PAGE_ALPHA);
    const entry = {
      registration: {
        blockNumber: 5n,
        logIndex: i,
        txHash: `0x${(i + 1).toString(16).padStart(64, '0')}` as const,
        factHash: f.factHash,
        memoryHash: f.memoryHash,
        prod: f.prod,
      },
      call: { startAddr: start, values: [...values], z: DEVNET_PAGE_Z, alpha: DEVNET_PAGE_ALPHA, prime: FIELD_PRIME },
    };
    start += BigInt(values.length);
    return entry;
  });
  return {
    transition: {
      blockNumber: 10n,
      txHash: `0x${'ab'.repeat(32)}`,
      logIndex: 3,
      stateTransitionFact: fact,
      sequenceNumber,
      batchId: update.applicationData[0]!,
    },
    call: { programOutput: [...update.programOutput], applicationData: [...update.applicationData] },
    pagesHashes: {
      blockNumber: 9n,
      logIndex: 0,
      txHash: `0x${'cd'.repeat(32)}`,
      factHash: fact,
      pagesHashes: [memoryPageHash(update.mainPage), ...dataPages.map((p) => p.registration.memoryHash)],
    },
    dataPages,
  };
}
