import { decodeFunctionData, parseEventLogs, type Abi, type Address, type Hex, type PublicClient } from 'viem';
import {
  PositionTree,
  applyStateUpdate,
  decodeStateUpdate,
  gpsFact,
  memoryPageHash,
  stateTransitionFactFromPages,
  stateTransitionFactFromProgramOutput,
} from '../src/index.js';
import type { Position } from '../src/index.js';
import type { DevnetAbis, DevnetAddresses } from './deploy.js';

/**
 * Rebuilds every batch of a devnet exchange from L1 alone — StarkPerpetual's events and
 * updateState calldata, the pages registered on the MemoryPageFactRegistry (their calldata) and
 * the stand-in's LogMemoryPagesHashes — and checks each one with src/: the logged fact equals the
 * fact of the programOutput and of the page hashes, every page hash is the hash of data seen on
 * L1, the GPS fact is registered, and the positions root computed from the data equals the root
 * committed (l1-data-tree.md §2–§4). A reference for tests, not the extension's verifier.
 */
export type ReplayedBatch = {
  sequenceNumber: bigint;
  batchId: bigint;
  txHash: Hex;
  stateTransitionFact: Hex;
  committedRoot: bigint;
  /** Undefined when the data could not be read (a page missing on L1). */
  computedRoot?: bigint;
  /** Position ids the batch's data touches. */
  positionIds: bigint[];
  dataPages: bigint[][];
  programOutput: bigint[];
  problems: string[];
};

type Ev = { eventName: string; args: Record<string, any>; transactionHash: Hex; blockNumber: bigint; logIndex: number };

export async function replayDevnetFromL1(
  client: PublicClient,
  addresses: DevnetAddresses,
  abis: DevnetAbis,
  programHash: bigint,
): Promise<ReplayedBatch[]> {
  const logsOf = async (address: Address, abi: Abi) =>
    (
      parseEventLogs({
        abi,
        logs: await client.getLogs({ address, fromBlock: 0n, toBlock: 'latest' }),
      }) as unknown as Ev[]
    ).sort((a, b) =>
      a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1,
    );
  const txInput = async (hash: Hex) => (await client.getTransaction({ hash })).input;

  // Every page whose values appear in calldata of registerContinuousMemoryPage, by memory hash.
  const pages = new Map<string, bigint[]>();
  for (const e of await logsOf(addresses.memoryPageFactRegistry, abis.memoryPageFactRegistry)) {
    if (e.eventName !== 'LogMemoryPageFactContinuous') continue;
    try {
      const call = decodeFunctionData({ abi: abis.memoryPageFactRegistry, data: await txInput(e.transactionHash) });
      if (call.functionName !== 'registerContinuousMemoryPage') continue;
      const values = [...(call.args![1] as readonly bigint[])];
      const hash = memoryPageHash(values);
      if (BigInt(hash) === BigInt(e.args.memoryHash)) pages.set(hash.toLowerCase(), values);
    } catch {
      // Not a direct call: its data is not in the transaction's calldata.
    }
  }
  const pageHashesByFact = new Map<string, Hex[]>();
  for (const e of await logsOf(addresses.gpsStatementVerifier, abis.gpsStatementVerifier)) {
    if (e.eventName === 'LogMemoryPagesHashes')
      pageHashesByFact.set((e.args.factHash as Hex).toLowerCase(), [...(e.args.pagesHashes as Hex[])]);
  }

  const out: ReplayedBatch[] = [];
  let positions: Map<bigint, Position> | undefined = new Map();
  const tree = await PositionTree.create();
  let lastFact: Hex | undefined;
  for (const e of await logsOf(addresses.starkPerpetual, abis.starkPerpetual)) {
    if (e.eventName === 'LogStateTransitionFact') lastFact = e.args.stateTransitionFact as Hex;
    if (e.eventName !== 'LogUpdateState') continue;
    const problems: string[] = [];
    const call = decodeFunctionData({ abi: abis.starkPerpetual, data: await txInput(e.transactionHash) });
    const programOutput = [...(call.args![0] as readonly bigint[])];
    const fact = stateTransitionFactFromProgramOutput(programOutput);
    if (!lastFact || BigInt(lastFact) !== BigInt(fact))
      problems.push(`logged fact ${lastFact} is not the fact of the programOutput ${fact}`);
    const gpsValid = (await client.readContract({
      address: addresses.gpsStatementVerifier,
      abi: abis.gpsStatementVerifier,
      functionName: 'isValid',
      args: [gpsFact(programHash, fact)],
    })) as boolean;
    if (!gpsValid) problems.push(`GPS fact of ${fact} is not registered`);
    const mainPage = programOutput.slice(0, -2);
    const hashes = pageHashesByFact.get(fact.toLowerCase());
    const dataPages: bigint[][] = [];
    if (!hashes) problems.push(`no LogMemoryPagesHashes for fact ${fact}`);
    else {
      if (BigInt(hashes[0]!) !== BigInt(memoryPageHash(mainPage)))
        problems.push('page 0 hash is not the hash of the main page');
      for (const [i, h] of hashes.slice(1).entries()) {
        const page = pages.get(h.toLowerCase());
        if (page) dataPages.push(page);
        else problems.push(`data page ${i + 1} (hash ${h}) was never registered with its data on L1`);
      }
      if (dataPages.length === hashes.length - 1) {
        const fromPages = stateTransitionFactFromPages(
          { hash: memoryPageHash(mainPage), size: mainPage.length },
          dataPages.map((p) => ({ hash: memoryPageHash(p), size: p.length })),
        );
        if (BigInt(fromPages) !== BigInt(fact))
          problems.push(`the fact of the registered pages ${fromPages} differs from the committed fact ${fact}`);
      }
    }
    const batch: ReplayedBatch = {
      sequenceNumber: e.args.sequenceNumber as bigint,
      batchId: e.args.batchId as bigint,
      txHash: e.transactionHash,
      stateTransitionFact: fact,
      committedRoot: 0n,
      positionIds: [],
      dataPages,
      programOutput,
      problems,
    };
    if (!hashes || dataPages.length !== hashes.length - 1) {
      // The data is not on L1: nothing after this batch can be computed either.
      positions = undefined;
      out.push(batch);
      continue;
    }
    try {
      const decoded = decodeStateUpdate(programOutput, dataPages);
      batch.committedRoot = decoded.programOutput.newSharedState.positionsRoot;
      batch.positionIds = decoded.onChainData.positions.map((p) => p.positionId);
      if (positions && problems.length === 0) {
        const applied = applyStateUpdate(positions, decoded);
        positions = applied.positions;
        await tree.update(applied.changed);
        batch.computedRoot = await tree.root();
        if (batch.computedRoot !== batch.committedRoot)
          problems.push(
            `positions root computed from the data 0x${batch.computedRoot.toString(16)} differs from the committed 0x${batch.committedRoot.toString(16)}`,
          );
      } else positions = undefined; // the data is gone: later roots cannot be computed
    } catch (err) {
      problems.push(`the batch does not decode: ${(err as Error).message}`);
      positions = undefined;
    }
    out.push(batch);
  }
  return out;
}
