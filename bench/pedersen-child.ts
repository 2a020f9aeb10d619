// One timed Pedersen measurement in a fresh process (verification-and-performance.md §2.1:
// fresh process, warm-up, then a fixed timed window). Spawned by pedersen-bench.ts; prints one
// JSON line on stdout. Inputs are converted to each library's native type before timing; output
// conversion to bigint is inside the timing.
import { pedersen as scurePedersen } from '@scure/starknet';
import { pedersen_from_hex } from 'pedersen-fast';
import { pedersen, pedersenMany, pedersenTables } from '../src/index.js';
import { benchPairs } from './common.js';

export const PEDERSEN_LIBS = ['vigil-batch', 'vigil-single', 'pedersen-fast', 'scure'] as const;
export type PedersenLib = (typeof PEDERSEN_LIBS)[number];
export type ChildArgs = { lib: PedersenLib; pairs: number; batch: number; warmupMs: number; timedMs: number };
export type ChildResult = {
  lib: PedersenLib;
  hashes: number;
  ms: number;
  hashesPerSecond: number;
  maxRssBytes: number;
  /** Vigil only: table build time and the heap it retains (measured around the lazy build). */
  tableBuildMs?: number;
  tableHeapBytes?: number;
  tablePoints?: number;
};

const gc = (globalThis as { gc?: () => void }).gc;

/** A unit of work: hashes some pairs, returns how many. Keeps a sink so nothing is optimised away. */
function makeUnit(args: ChildArgs): () => number {
  const { a, b } = benchPairs(args.pairs);
  let i = 0;
  let sink = 0n;
  const keep = (h: bigint) => {
    sink ^= h;
  };
  (globalThis as { __benchSink?: () => bigint }).__benchSink = () => sink;
  switch (args.lib) {
    case 'vigil-batch': {
      const chunksA: bigint[][] = [];
      const chunksB: bigint[][] = [];
      for (let s = 0; s < a.length; s += args.batch) {
        chunksA.push(a.slice(s, s + args.batch));
        chunksB.push(b.slice(s, s + args.batch));
      }
      return () => {
        const k = i++ % chunksA.length;
        const out = pedersenMany(chunksA[k]!, chunksB[k]!);
        keep(out[out.length - 1]!);
        return out.length;
      };
    }
    case 'vigil-single':
      return () => {
        for (let j = 0; j < 16; j++, i = (i + 1) % a.length) keep(pedersen(a[i]!, b[i]!));
        return 16;
      };
    case 'scure':
      return () => {
        for (let j = 0; j < 4; j++, i = (i + 1) % a.length) keep(BigInt(scurePedersen(a[i]!, b[i]!)));
        return 4;
      };
    case 'pedersen-fast': {
      const ha = a.map((v) => `0x${v.toString(16)}`);
      const hb = b.map((v) => `0x${v.toString(16)}`);
      return () => {
        for (let j = 0; j < 16; j++, i = (i + 1) % a.length) keep(BigInt(pedersen_from_hex(ha[i]!, hb[i]!)));
        return 16;
      };
    }
  }
}

function run(args: ChildArgs): ChildResult {
  const extra: Partial<ChildResult> = {};
  if (args.lib.startsWith('vigil')) {
    gc?.();
    const before = process.memoryUsage().heapUsed;
    const tables = pedersenTables();
    gc?.();
    extra.tableBuildMs = tables.buildMs;
    extra.tableHeapBytes = process.memoryUsage().heapUsed - before;
    extra.tablePoints = tables.x.length;
  }
  const unit = makeUnit(args);
  let t0 = performance.now();
  while (performance.now() - t0 < args.warmupMs) unit();
  let hashes = 0;
  t0 = performance.now();
  let ms = 0;
  do {
    hashes += unit();
    ms = performance.now() - t0;
  } while (ms < args.timedMs);
  return {
    lib: args.lib,
    hashes,
    ms,
    hashesPerSecond: (hashes / ms) * 1000,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    ...extra,
  };
}

const arg = process.argv[2];
if (arg !== undefined && process.argv[1]?.endsWith('pedersen-child.ts')) {
  process.stdout.write(`${JSON.stringify(run(JSON.parse(arg) as ChildArgs))}\n`);
}
