import type {
  ContinuousPageCall,
  MemoryPagesHashesLog,
  PageRegistrationLog,
  StateTransitionLog,
  UpdateStateCall,
} from '../l1/starkex-reader.js';
import { stateTransitionFactFromPages, stateTransitionFactFromProgramOutput } from '../starkex/facts.js';
import { continuousPageFact, memoryPageHash } from '../starkex/memory-page.js';
import { decodeProgramOutput } from '../starkex/program-output.js';
import { encodeSharedState, sharedStateHash } from '../starkex/shared-state.js';
import { decodeStateUpdate, type DecodedStateUpdate } from '../starkex/state-update.js';
import type { Hex } from '../starkex/words.js';
import type { AlarmKind, BatchCheck, BatchCheckName } from './types.js';

/** Everything L1 says about one state update (l1-data-tree.md §2.6 steps 1–5), fetched by the engine. */
export type BatchEvidence = {
  transition: StateTransitionLog;
  call: UpdateStateCall;
  /** The latest `LogMemoryPagesHashes` with this fact at or before the update's block, if any. */
  pagesHashes?: MemoryPagesHashesLog;
  /** One entry per data page hash (pagesHashes[1..]): its latest registration and that tx's calldata. */
  dataPages: Array<{ registration?: PageRegistrationLog; call?: ContinuousPageCall }>;
};

/** What the previous verified batch (or the snapshot) left: the chain the next batch must extend. */
export type ChainTip = {
  sequenceNumber: bigint;
  batchId: bigint;
  /** Undefined only before the first batch of a replay from genesis. */
  sharedStateHash?: Hex;
  /** Root of our own tree, which the batch's previous shared state must name. */
  positionsRoot: bigint;
};

export type EvidenceResult = {
  checks: BatchCheck[];
  failure?: AlarmKind;
  decoded?: DecodedStateUpdate;
  /** The data pages checked against the fact and their words (main page excluded). */
  dataSize?: { pages: number; words: number };
};

class CheckFailed extends Error {
  constructor(
    readonly check: BatchCheckName,
    readonly failure: AlarmKind,
    readonly detail: string,
  ) {
    super(detail);
  }
}

const same = (a: Hex | bigint, b: Hex | bigint) => BigInt(a) === BigInt(b);
const hex = (v: bigint | Hex) => `0x${BigInt(v).toString(16)}`;

/**
 * Checks one state update against its evidence and the chain tip, in the order of l1-data-tree.md
 * §2.6 — calldata, fact (step 3), shared-state chain (step 8), pages (steps 4–6), decode (step 9) —
 * stopping at the first failure. The root comparison needs the tree and is the engine's job.
 * Pure: the same evidence always gives the same verdict.
 */
export function checkBatchEvidence(
  ev: BatchEvidence,
  tip: ChainTip,
  opts: { daModeWord?: boolean } = {},
): EvidenceResult {
  const checks: BatchCheck[] = [];
  const pass = (check: BatchCheckName, detail?: string) =>
    checks.push(detail ? { check, ok: true, detail } : { check, ok: true });
  try {
    const { programOutput, applicationData } = ev.call;
    const fact = guard('calldata', 'decode-error', () => stateTransitionFactFromProgramOutput(programOutput));
    const output = guard('calldata', 'decode-error', () => decodeProgramOutput(programOutput, opts));
    pass('calldata');

    if (!same(fact, ev.transition.stateTransitionFact)) {
      throw new CheckFailed(
        'fact',
        'fact-mismatch',
        `calldata gives fact ${fact}, the log says ${ev.transition.stateTransitionFact}`,
      );
    }
    pass('fact');

    const problems: string[] = [];
    if (ev.transition.sequenceNumber !== tip.sequenceNumber + 1n)
      problems.push(`sequence number ${ev.transition.sequenceNumber} does not follow ${tip.sequenceNumber}`);
    if (applicationData.length < 2) problems.push('applicationData has no batch ids');
    else {
      if (applicationData[0] !== ev.transition.batchId)
        problems.push(`applicationData batch id ${applicationData[0]} ≠ logged ${ev.transition.batchId}`);
      if (tip.sequenceNumber > 0n && applicationData[1] !== tip.batchId)
        problems.push(`previous batch id ${applicationData[1]} ≠ ${tip.batchId}`);
    }
    const prevHash = sharedStateHash(encodeSharedState(output.prevSharedState));
    if (tip.sharedStateHash !== undefined && !same(prevHash, tip.sharedStateHash)) {
      problems.push(`previous shared state hashes to ${prevHash}, the last verified state to ${tip.sharedStateHash}`);
    }
    if (output.prevSharedState.positionsRoot !== tip.positionsRoot) {
      problems.push(
        `previous positions root ${hex(output.prevSharedState.positionsRoot)} ≠ our tree's ${hex(tip.positionsRoot)}`,
      );
    }
    if (problems.length) throw new CheckFailed('chain', 'chain-break', problems.join('; '));
    pass('chain');

    const hashes = ev.pagesHashes;
    if (!hashes || !same(hashes.factHash, fact))
      throw new CheckFailed('pages-hashes', 'missing-page', `no LogMemoryPagesHashes for fact ${fact}`);
    if (hashes.pagesHashes.length < 2)
      throw new CheckFailed(
        'pages-hashes',
        'page-mismatch',
        `LogMemoryPagesHashes lists ${hashes.pagesHashes.length} page(s), expected main + data`,
      );
    pass('pages-hashes', `${hashes.pagesHashes.length - 1} data page(s)`);

    const mainPage = programOutput.slice(0, -2);
    if (!same(memoryPageHash(mainPage), hashes.pagesHashes[0]!)) {
      throw new CheckFailed(
        'main-page',
        'page-mismatch',
        `main page hashes to ${memoryPageHash(mainPage)}, LogMemoryPagesHashes says ${hashes.pagesHashes[0]}`,
      );
    }
    pass('main-page');

    const pages = checkDataPages(ev, hashes.pagesHashes.slice(1));
    const pageFact = stateTransitionFactFromPages(
      { hash: hashes.pagesHashes[0]!, size: mainPage.length },
      pages.map((p) => ({ hash: memoryPageHash(p), size: p.length })),
    );
    if (!same(pageFact, fact))
      throw new CheckFailed('data-pages', 'fact-mismatch', `the pages give fact ${pageFact}, the log says ${fact}`);
    const dataSize = { pages: pages.length, words: pages.reduce((n, p) => n + p.length, 0) };
    pass('data-pages', `${dataSize.words} words`);

    const decoded = guard('decode', 'decode-error', () => decodeStateUpdate(programOutput, pages, opts));
    pass('decode', `${decoded.onChainData.positions.length} position record(s)`);
    return { checks, decoded, dataSize };
  } catch (err) {
    if (!(err instanceof CheckFailed)) throw err;
    checks.push({ check: err.check, ok: false, detail: err.detail });
    return { checks, failure: err.failure };
  }
}

function guard<T>(check: BatchCheckName, failure: AlarmKind, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw new CheckFailed(check, failure, err instanceof Error ? err.message.split('\n')[0]! : String(err));
  }
}

/** §2.6 step 5: every data page registered, its values hash to the listed hash, its fact recomputes. */
function checkDataPages(ev: BatchEvidence, hashes: Hex[]): bigint[][] {
  if (ev.dataPages.length !== hashes.length)
    throw new CheckFailed(
      'data-pages',
      'missing-page',
      `${ev.dataPages.length} page(s) fetched for ${hashes.length} hash(es)`,
    );
  let nextAddr: bigint | undefined;
  return hashes.map((h, i) => {
    const { registration: reg, call } = ev.dataPages[i]!;
    if (!reg || !call)
      throw new CheckFailed('data-pages', 'missing-page', `data page ${i + 1} (${h}) is not registered`);
    const got = memoryPageHash(call.values);
    // EXPL trusts the event; we re-hash the calldata (§2.6 step 5).
    if (!same(got, h) || !same(reg.memoryHash, h)) {
      throw new CheckFailed(
        'data-pages',
        'page-mismatch',
        `data page ${i + 1}: values hash to ${got}, registered ${reg.memoryHash}, expected ${h}`,
      );
    }
    const f = guard('data-pages', 'page-mismatch', () =>
      continuousPageFact(call.startAddr, call.values, call.z, call.alpha, call.prime),
    );
    if (!same(f.factHash, reg.factHash) || f.prod !== reg.prod) {
      throw new CheckFailed(
        'data-pages',
        'page-mismatch',
        `data page ${i + 1}: registered fact ${reg.factHash} ≠ recomputed ${f.factHash}`,
      );
    }
    // The pages of one task follow each other in memory (§2.4).
    if (nextAddr !== undefined && call.startAddr !== nextAddr) {
      throw new CheckFailed(
        'data-pages',
        'page-mismatch',
        `data page ${i + 1} starts at ${call.startAddr}, expected ${nextAddr}`,
      );
    }
    nextAddr = call.startAddr + BigInt(call.values.length);
    return call.values;
  });
}
