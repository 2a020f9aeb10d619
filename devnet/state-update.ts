import type { Abi, Address, Hex } from 'viem';
import {
  FIELD_PRIME,
  continuousPageFact,
  encodeOnChainData,
  encodeProgramOutput,
  memoryPageHash,
  onchainDataHash,
} from '../src/index.js';
import type { ContinuousPageFact, OnChainData, ProgramOutput } from '../src/index.js';
import type { DevnetClients, DevnetDeployment } from './deploy.js';
import { receiptOf } from './lib/receipt.js';

/**
 * Builds a state update the way the dYdX Cairo program lays it out (l1-data-tree.md §2.1–§2.4):
 * the main page (program output), the on-chain data cut into pages of at most 1000 words, the
 * `updateState` programOutput (main page + onchainDataHash + onchainDataSize) and applicationData.
 */
export type DevnetStateUpdate = {
  programOutput: bigint[];
  applicationData: bigint[];
  mainPage: bigint[];
  dataPages: bigint[][];
};

/** The observed dYdX page limit (§2.4). */
export const MAX_WORDS_PER_MEMORY_PAGE = 1000;

export function buildStateUpdate(args: {
  output: Omit<ProgramOutput, 'onchainData' | 'dataAvailabilityMode'>;
  onChainData: OnChainData;
  batchId: bigint;
  previousBatchId: bigint;
  /** (fact registry, fact) per condition, in output order. */
  conditionalTransfers?: { registry: Address; fact: Hex }[];
  maxWordsPerPage?: number;
}): DevnetStateUpdate {
  const da = encodeOnChainData(args.onChainData);
  const pageWords = args.maxWordsPerPage ?? MAX_WORDS_PER_MEMORY_PAGE;
  const dataPages: bigint[][] = [];
  for (let i = 0; i < da.length; i += pageWords) dataPages.push(da.slice(i, i + pageWords));
  const conditional = args.conditionalTransfers ?? [];
  return stateUpdateFromPages(encodeProgramOutput(args.output), dataPages, [
    args.batchId,
    args.previousBatchId,
    BigInt(conditional.length),
    ...conditional.flatMap((c) => [BigInt(c.registry), BigInt(c.fact)]),
  ]);
}

/**
 * A state update from raw pages: programOutput = mainPage ‖ onchainDataHash ‖ onchainDataSize
 * (§2.5). Takes the main page as given, so tests can post outputs the Cairo program never writes.
 */
export function stateUpdateFromPages(
  mainPage: bigint[],
  dataPages: bigint[][],
  applicationData: bigint[],
): DevnetStateUpdate {
  const digest = onchainDataHash(
    mainPage.length,
    dataPages.map((p) => ({ hash: memoryPageHash(p), size: p.length })),
  );
  return { mainPage, dataPages, programOutput: [...mainPage, digest.hash, digest.size], applicationData };
}

/** Interaction elements of the devnet's memory pages; any values below P work (§2.4). */
export const DEVNET_PAGE_Z = 0x1234567890abcdefn;
export const DEVNET_PAGE_ALPHA = 0xfedcba0987654321n;
/** Where the devnet's output segment starts in the (imaginary) Cairo memory. */
export const DEVNET_OUTPUT_START = 0x100000n;

/** Sends one transaction and returns its hash once it succeeded. */
export type DevnetSend = (address: Address, abi: Abi, functionName: string, args: readonly unknown[]) => Promise<Hex>;

/**
 * Registers the data pages on the MemoryPageFactRegistry and the output on the GPS stand-in
 * (which checks no proof), so the adapter accepts the update's state-transition fact; returns the
 * transactions (pages, then the output). `pageToRegister` may register other words than page `i`
 * (a misbehaviour); the output still commits to the true page.
 */
export async function registerStateUpdateFactsWith(
  d: Pick<DevnetDeployment, 'addresses' | 'abis' | 'programHash'>,
  send: DevnetSend,
  u: DevnetStateUpdate,
  pageToRegister?: (i: number, page: bigint[], fact: ContinuousPageFact) => Promise<bigint[]>,
): Promise<Hex[]> {
  let start = DEVNET_OUTPUT_START + BigInt(u.mainPage.length);
  const descriptors: bigint[] = [];
  const txs: Hex[] = [];
  for (const [i, page] of u.dataPages.entries()) {
    const fact = continuousPageFact(start, page, DEVNET_PAGE_Z, DEVNET_PAGE_ALPHA);
    const registered = pageToRegister ? await pageToRegister(i, page, fact) : page;
    txs.push(
      await send(d.addresses.memoryPageFactRegistry, d.abis.memoryPageFactRegistry, 'registerContinuousMemoryPage', [
        start,
        registered,
        DEVNET_PAGE_Z,
        DEVNET_PAGE_ALPHA,
        FIELD_PRIME,
      ]),
    );
    descriptors.push(BigInt(page.length), BigInt(fact.memoryHash), fact.prod);
    start += BigInt(page.length);
  }
  txs.push(
    await send(d.addresses.gpsStatementVerifier, d.abis.gpsStatementVerifier, 'registerOutputWithoutProof', [
      d.programHash,
      u.mainPage,
      DEVNET_OUTPUT_START,
      DEVNET_PAGE_Z,
      DEVNET_PAGE_ALPHA,
      descriptors,
    ]),
  );
  return txs;
}

/** `registerStateUpdateFactsWith`, sent from `c`'s account. */
export async function registerStateUpdateFacts(
  d: DevnetDeployment,
  c: DevnetClients,
  u: DevnetStateUpdate,
): Promise<void> {
  await registerStateUpdateFactsWith(
    d,
    async (address, abi, functionName, args) => {
      const hash = await c.wallet.writeContract({
        address,
        abi,
        functionName,
        args,
        account: c.account,
        chain: d.chain,
      } as never);
      const receipt = await receiptOf(c.client, hash);
      if (receipt.status !== 'success') throw new Error(`${functionName} failed (tx ${hash})`);
      return hash;
    },
    u,
  );
}
