import fc from 'fast-check';
import { encodeAbiParameters, encodePacked, keccak256 } from 'viem';
import { describe, expect, it } from 'vitest';
import {
  continuousPageFact,
  decodeProgramOutput,
  decodeSharedState,
  DecodeError,
  FIELD_PRIME,
  gpsFact,
  memoryPageHash,
  onchainDataHash,
  RangeCheckError,
  SHARED_STATE_HASH_SLOT,
  sharedStateHash,
  stateTransitionFact,
  stateTransitionFactFromPages,
  stateTransitionFactFromProgramOutput,
} from './imports.js';
import { hexToWord, wordToHex } from '../../../src/starkex/words.js';
import { readVector } from '../../helpers/vectors.js';
import { readPages } from './fixtures.js';

type FixtureFacts = {
  pageSizesWords: number[];
  pageHashes: string[];
  mainPageLength: number;
  onchainDataHash: string;
  onchainDataSize: number;
  stateTransitionFact: string;
  prevSharedStateHash: string;
  newSharedStateHash: string;
  prevSharedStateWords: number;
  newSharedStateWords: number;
  expectedUpdateStateProgramOutputTail: string[];
};

describe(`facts of the real fixtures (l1tree-derived-fixture-facts.json)`, () => {
  const files = ['encoded-example.json', 'encoded-forced.json'] as const;

  it.each(files)('%s: page hashes, on-chain data hash, state-transition fact, shared-state hashes', (file) => {
    const f = readVector<{ fixtures: Record<string, FixtureFacts> }>('l1tree-derived-fixture-facts.json').fixtures[
      file
    ]!;
    const [main, ...data] = readPages(file);
    expect([main!, ...data].map((p) => p.length)).toEqual(f.pageSizesWords);
    expect([main!, ...data].map(memoryPageHash)).toEqual(f.pageHashes);
    const da = onchainDataHash(
      main!.length,
      data.map((p) => ({ hash: memoryPageHash(p), size: p.length })),
    );
    expect(wordToHex(da.hash)).toBe(f.onchainDataHash);
    expect(da.size).toBe(BigInt(f.onchainDataSize));
    expect(stateTransitionFact(main!, data)).toBe(f.stateTransitionFact);

    // The contract's view: programOutput = main page ‖ onchainDataHash ‖ onchainDataSize.
    const programOutput = [...main!, ...f.expectedUpdateStateProgramOutputTail.map(hexToWord)];
    expect(stateTransitionFactFromProgramOutput(programOutput)).toBe(f.stateTransitionFact);
    expect(decodeProgramOutput(programOutput).onchainData).toEqual({ hash: da.hash, size: da.size });

    // Shared-state words as they sit in the main page (after the size word).
    const p = decodeProgramOutput(main!);
    const prevAt = 3 + 2 * p.assetConfigHashes.length;
    const prevWords = main!.slice(prevAt, prevAt + f.prevSharedStateWords);
    const newAt = prevAt + f.prevSharedStateWords + 1;
    const newWords = main!.slice(newAt, newAt + f.newSharedStateWords);
    expect(main![prevAt - 1]).toBe(BigInt(f.prevSharedStateWords));
    expect(decodeSharedState(prevWords)).toEqual(p.prevSharedState);
    expect(decodeSharedState(newWords)).toEqual(p.newSharedState);
    expect(sharedStateHash(prevWords)).toBe(f.prevSharedStateHash);
    expect(sharedStateHash(newWords)).toBe(f.newSharedStateHash);
  });

  it('the real mainnet shared state hashes to the value in the escape vector', () => {
    const v = readVector('l1tree-escape-dydx-mainnet-position1-block17605965.json');
    expect(sharedStateHash(v.verifyEscapeArgs.sharedState.map(hexToWord))).toBe(
      v.derived.sharedStateHash_keccakOfPackedWords,
    );
  });

  it('reproduces the factHash of the 4 real LogMemoryPagesHashes events from their page hashes', () => {
    const { logs } = readVector('l1tree-l1-logs-dydx-mainnet.json').LogMemoryPagesHashes;
    expect(logs.length).toBe(4);
    for (const log of logs) {
      const [mainHash, ...dataHashes] = log.pagesHashes as `0x${string}`[];
      const fact = stateTransitionFactFromPages(
        { hash: mainHash!, size: log.derived.mainPageWords },
        dataHashes.map((hash, i) => ({ hash, size: log.derived.dataPageWords[i] })),
      );
      expect(fact).toBe(log.programOutputFact);
      // One word off in the main page length and the fact no longer matches.
      const wrong = stateTransitionFactFromPages(
        { hash: mainHash!, size: log.derived.mainPageWords + 1 },
        dataHashes.map((hash, i) => ({ hash, size: log.derived.dataPageWords[i] })),
      );
      expect(wrong).not.toBe(log.programOutputFact);
    }
  });
});

describe('GPS fact and storage slot', () => {
  it('gpsFact = keccak256(abi.encode(programHash, fact)) (viem as the reference encoder)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: FIELD_PRIME - 1n }),
        fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }),
        (programHash, fact) => {
          const expected = keccak256(
            encodeAbiParameters([{ type: 'uint256' }, { type: 'bytes32' }], [programHash, wordToHex(fact)]),
          );
          expect(gpsFact(programHash, fact)).toBe(expected);
          expect(gpsFact(programHash, wordToHex(fact))).toBe(expected);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('sharedStateHash lives at storage slot 2^64 + 3 (l1-data-tree.md §1.6)', () => {
    expect(SHARED_STATE_HASH_SLOT).toBe(0x10000000000000003n);
  });
});

/** The registry's assembly: batches of 8 multiply (lin_comb − z), the rest (z − lin_comb). */
function contractProd(startAddr: bigint, values: bigint[], z: bigint, alpha: bigint, prime: bigint): bigint {
  let prod = 1n;
  const minusZ = (prime - z) % prime;
  let addr = startAddr + 7n;
  const last = startAddr + BigInt(values.length);
  let i = 0;
  for (; addr < last; addr += 8n) {
    for (let k = 0; k < 8; k++)
      prod = (prod * (addr - 7n + BigInt(k) + ((values[i + k]! * alpha) % prime) + minusZ)) % prime;
    i += 8;
  }
  for (addr -= 7n; addr < last; addr++, i++) {
    const lin = (addr + ((values[i]! * alpha) % prime)) % prime;
    prod = (prod * (z + prime - lin)) % prime;
  }
  return prod;
}

describe('continuous memory page fact', () => {
  it('matches the registry algorithm and its abi.encodePacked fact (viem as the reference encoder)', () => {
    const felt = fc.bigInt({ min: 0n, max: FIELD_PRIME - 1n });
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        fc.array(fc.oneof(felt, fc.bigInt({ min: 0n, max: (1n << 256n) - 1n })), { maxLength: 40 }),
        felt,
        felt,
        (startAddr, values, z, alpha) => {
          const r = continuousPageFact(startAddr, values, z, alpha);
          expect(r.prod).toBe(contractProd(startAddr, values, z, alpha, FIELD_PRIME));
          expect(r.memoryHash).toBe(memoryPageHash(values));
          const packed = encodePacked(
            ['uint256', 'uint256', 'uint256', 'uint256', 'uint256', 'uint256', 'bytes32', 'uint256'],
            [1n, FIELD_PRIME, BigInt(values.length), z, alpha, r.prod, r.memoryHash, startAddr],
          );
          expect(r.factHash).toBe(keccak256(packed));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a page of one value: prod = z − (startAddr + alpha·v) mod P', () => {
    expect(continuousPageFact(5n, [7n], 100n, 3n).prod).toBe(100n - (5n + 21n));
    expect(continuousPageFact(5n, [7n], 1n, 3n).prod).toBe(FIELD_PRIME + 1n - 26n);
  });

  it('rejects what the registry rejects', () => {
    expect(() => continuousPageFact(1n << 64n, [], 1n, 1n)).toThrow(RangeCheckError);
    expect(() => continuousPageFact(0n, [], FIELD_PRIME, 1n)).toThrow(/^z: /);
    expect(() => continuousPageFact(0n, [], 1n, FIELD_PRIME)).toThrow(/^alpha: /);
    expect(() => continuousPageFact(0n, [], 1n, 1n, 1n << 254n)).toThrow(/^prime: /);
    expect(() => continuousPageFact(0n, [1n << 256n], 1n, 1n)).toThrow(DecodeError);
  });
});

describe('fact inputs', () => {
  it('memoryPageHash: keccak of 32-byte words; a word >= 2^256 or < 0 is a DecodeError at its offset', () => {
    expect(memoryPageHash([])).toBe(keccak256('0x'));
    expect(memoryPageHash([1n, 2n])).toBe(keccak256(encodePacked(['uint256', 'uint256'], [1n, 2n])));
    expect(() => memoryPageHash([0n, 1n << 256n])).toThrow(DecodeError);
    expect(() => memoryPageHash([0n, 1n << 256n])).toThrow(/at word 1/);
    expect(() => memoryPageHash([-1n])).toThrow(DecodeError);
  });

  it('on-chain data hash: at least one data page, sizes are non-negative integers, always an inner node', () => {
    expect(() => onchainDataHash(10, [])).toThrow(RangeCheckError);
    expect(() => onchainDataHash(10, [{ hash: 1n, size: -1 }])).toThrow(RangeCheckError);
    expect(() => onchainDataHash(10, [{ hash: 1n << 256n, size: 1 }])).toThrow(RangeCheckError);
    const one = onchainDataHash(10, [{ hash: 5n, size: 3 }]);
    expect(one.hash).toBe(BigInt(keccak256(encodePacked(['uint256', 'uint256'], [5n, 13n]))) + 1n);
    expect(one.size).toBe(3n);
  });

  it('the contract view needs the two on-chain data words', () => {
    expect(() => stateTransitionFactFromProgramOutput([1n])).toThrow(RangeCheckError);
  });
});
