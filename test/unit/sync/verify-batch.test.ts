import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodeSharedState, sharedStateHash } from '../../../src/starkex/shared-state.js';
import { memoryPageHash } from '../../../src/starkex/memory-page.js';
import { checkBatchEvidence, type BatchEvidence, type ChainTip } from '../../../src/sync/verify-batch.js';
import { stateUpdateFromPages, type DevnetStateUpdate } from '../../../devnet/state-update.js';
import { evidenceFor, GENESIS, sampleUpdate } from './evidence.js';

// Every check of l1-data-tree.md §2.6 against evidence an RPC could return, one tamper at a time.

let update: DevnetStateUpdate;
let other: DevnetStateUpdate;
const tip: ChainTip = {
  sequenceNumber: 0n,
  batchId: 0n,
  sharedStateHash: sharedStateHash(encodeSharedState(GENESIS)),
  positionsRoot: GENESIS.positionsRoot,
};
const failureOf = (ev: BatchEvidence, t: ChainTip = tip) => {
  const r = checkBatchEvidence(ev, t);
  return [r.failure, r.checks.find((c) => !c.ok)?.check];
};

beforeAll(async () => {
  update = (await sampleUpdate(1n)).update;
  other = (await sampleUpdate(2n)).update;
});

describe('checkBatchEvidence', () => {
  it('passes honest evidence through every check and returns the decoded update', () => {
    expect(update.dataPages.length).toBeGreaterThan(1);
    const r = checkBatchEvidence(evidenceFor(update), tip);
    expect(r.failure).toBeUndefined();
    expect(r.checks.map((c) => [c.check, c.ok])).toEqual(
      ['calldata', 'fact', 'chain', 'pages-hashes', 'main-page', 'data-pages', 'decode'].map((c) => [c, true]),
    );
    expect(r.decoded!.onChainData.positions.length).toBe(3);
  });

  it('calldata that is no program output is a decode error', () => {
    const ev = evidenceFor(update);
    ev.call.programOutput = [1n];
    expect(failureOf(ev)).toEqual(['decode-error', 'calldata']);
  });

  it('a logged fact the calldata does not give is a fact mismatch', () => {
    const ev = evidenceFor(update);
    ev.transition.stateTransitionFact = evidenceFor(other).transition.stateTransitionFact;
    expect(failureOf(ev)).toEqual(['fact-mismatch', 'fact']);
  });

  it('breaks in the chain: sequence gap, previous batch id, previous shared state, previous root', () => {
    expect(failureOf(evidenceFor(update, 2n))).toEqual(['chain-break', 'chain']);
    expect(failureOf(evidenceFor(update, 6n), { ...tip, sequenceNumber: 5n, batchId: 999n })).toEqual([
      'chain-break',
      'chain',
    ]);
    expect(failureOf(evidenceFor(update), { ...tip, sharedStateHash: `0x${'11'.repeat(32)}` })).toEqual([
      'chain-break',
      'chain',
    ]);
    expect(failureOf(evidenceFor(update), { ...tip, positionsRoot: 123n })).toEqual(['chain-break', 'chain']);
    const ev = evidenceFor(update);
    ev.transition.batchId += 1n;
    expect(failureOf(ev)).toEqual(['chain-break', 'chain']);
  });

  it('no LogMemoryPagesHashes for the fact is a missing page; a wrong main page hash a page mismatch', () => {
    const { pagesHashes: _, ...without } = evidenceFor(update);
    expect(failureOf(without)).toEqual(['missing-page', 'pages-hashes']);
    const ev = evidenceFor(update);
    ev.pagesHashes!.pagesHashes[0] = memoryPageHash([1n]);
    expect(failureOf(ev)).toEqual(['page-mismatch', 'main-page']);
  });

  it('data pages: unregistered, altered values, altered registration, another batch’s pages', () => {
    const missing = evidenceFor(update);
    missing.dataPages[1] = {};
    expect(failureOf(missing)).toEqual(['missing-page', 'data-pages']);
    const altered = evidenceFor(update);
    altered.dataPages[0]!.call!.values[2]! ^= 1n;
    expect(failureOf(altered)).toEqual(['page-mismatch', 'data-pages']);
    const prod = evidenceFor(update);
    prod.dataPages[0]!.registration!.prod += 1n;
    expect(failureOf(prod)).toEqual(['page-mismatch', 'data-pages']);
    const moved = evidenceFor(update);
    moved.dataPages[1]!.call!.startAddr += 1n;
    expect(failureOf(moved)).toEqual(['page-mismatch', 'data-pages']);
    // Consistent, registered pages — of a different batch: the fact over them does not match.
    const swapped = evidenceFor(update);
    const theirs = evidenceFor(stateUpdateFromPages(update.mainPage, other.dataPages, update.applicationData));
    swapped.pagesHashes!.pagesHashes = [
      swapped.pagesHashes!.pagesHashes[0]!,
      ...theirs.pagesHashes!.pagesHashes.slice(1),
    ];
    swapped.dataPages = theirs.dataPages;
    expect(failureOf(swapped)).toEqual(['fact-mismatch', 'data-pages']);
  });

  it('pages that hash right but do not decode are a decode error', () => {
    const bad = stateUpdateFromPages(update.mainPage, [[7n, 7n, 7n]], update.applicationData);
    const ev = evidenceFor(bad);
    expect(failureOf(ev)).toEqual(['decode-error', 'decode']);
  });

  it('property: changing any one word of calldata or page values never verifies', () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.nat(),
        fc.bigInt({ min: 1n, max: (1n << 64n) - 1n }),
        fc.boolean(),
        (a, b, delta, inPages) => {
          const ev = evidenceFor(update);
          if (inPages) {
            const page = ev.dataPages[a % ev.dataPages.length]!.call!.values;
            page[b % page.length] = page[b % page.length]! ^ delta;
          } else {
            const i = a % ev.call.programOutput.length;
            ev.call.programOutput[i] = ev.call.programOutput[i]! ^ delta;
          }
          expect(checkBatchEvidence(ev, tip).failure).toBeDefined();
        },
      ),
      { numRuns: 60 },
    );
  });
});
