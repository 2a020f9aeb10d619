// Pedersen hashes/s, single thread: Vigil (batch and single path), @scure/starknet and
// pedersen-fast (WASM of starknet-crypto) on the same inputs (verification-and-performance.md §2.1).
// Each measurement is a fresh process (pedersen-child.ts); libraries are interleaved round-robin
// with a rotating order; ratios are taken per round, within this run.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { pedersen as scurePedersen } from '@scure/starknet';
import { pedersen_from_hex } from 'pedersen-fast';
import { BATCH_CHUNK, DEFAULT_WINDOW_BITS, FIELD_PRIME as P, pedersen, pedersenMany } from '../src/index.js';
import { benchPairs, formatTable, median } from './common.js';
import { type ChildArgs, type ChildResult, PEDERSEN_LIBS, type PedersenLib } from './pedersen-child.js';

export type PedersenBenchOptions = { quick: boolean; log: (line: string) => void };

const PAIRS = 4096;
const AGREE_WITH_SCURE = 256;
// StarkWare's known-answer vector (l1-data-tree.md §4.2 vectors; starkex-explorer test case 3).
const KAT: [bigint, bigint, bigint] = [
  0x03d937c035c878245caf64531a5756109c53068da139362728feb561405371cbn,
  0x0208a0a10250e382e1e4bbe2880906c2791bf6275695e02fbbc6aeff9cd8b31an,
  0x030e480bed5fe53fa909cc0f8c4d99b8f9f2c016be4c41e13a4848797979c662n,
];
// The 7 edge pairs of §2.1: 0, P−1, 2^251, 2^251 + 17·2^192 (= P − 1), 2^248 boundaries.
const EDGE_PAIRS: [bigint, bigint][] = [
  [0n, 0n],
  [P - 1n, P - 1n],
  [2n ** 251n, 2n ** 251n],
  [2n ** 251n + 17n * 2n ** 192n, 0n],
  [2n ** 248n - 1n, 2n ** 248n],
  [2n ** 248n, 2n ** 248n + 1n],
  [2n ** 248n + 1n, 2n ** 248n - 1n],
];

/** All four libraries must give identical hashes before anything is timed. */
function checkAgreement(log: (line: string) => void): Record<string, unknown> {
  const { a, b } = benchPairs(PAIRS);
  const hexA = a.map((v) => `0x${v.toString(16)}`);
  const hexB = b.map((v) => `0x${v.toString(16)}`);
  const batch = pedersenMany(a, b);
  const single = a.map((x, i) => pedersen(x, b[i]!));
  const wasm = hexA.map((x, i) => BigInt(pedersen_from_hex(x, hexB[i]!)));
  for (const [name, got] of [
    ['vigil-single', single],
    ['pedersen-fast', wasm],
  ] as const) {
    const i = got.findIndex((h, j) => h !== batch[j]);
    if (i >= 0) throw new Error(`pedersen bench: ${name} disagrees with vigil-batch on pair ${i}`);
  }
  for (let i = 0; i < AGREE_WITH_SCURE; i++) {
    if (BigInt(scurePedersen(a[i]!, b[i]!)) !== batch[i])
      throw new Error(`pedersen bench: @scure/starknet disagrees on pair ${i}`);
  }
  const extra: [bigint, bigint, bigint | undefined][] = [
    [KAT[0], KAT[1], KAT[2]],
    ...EDGE_PAIRS.map(([x, y]) => [x, y, undefined] as [bigint, bigint, undefined]),
  ];
  const extraBatch = pedersenMany(
    extra.map((e) => e[0]),
    extra.map((e) => e[1]),
  );
  extra.forEach(([x, y, want], i) => {
    const results = {
      scure: BigInt(scurePedersen(x, y)),
      'pedersen-fast': BigInt(pedersen_from_hex(`0x${x.toString(16)}`, `0x${y.toString(16)}`)),
      'vigil-single': pedersen(x, y),
      'vigil-batch': extraBatch[i]!,
    };
    for (const [name, h] of Object.entries(results)) {
      if (h !== (want ?? results.scure))
        throw new Error(`pedersen bench: ${name} disagrees on ${i === 0 ? 'the KAT' : `edge pair ${i}`}`);
    }
  });
  const summary = {
    allFourAgree: true,
    pairsCheckedVigilSingleVsBatchVsPedersenFast: PAIRS,
    pairsCheckedAgainstScure: AGREE_WITH_SCURE,
    knownAnswerVector: true,
    edgePairs: EDGE_PAIRS.length,
  };
  log(
    `agreement: ${PAIRS} pairs vigil-batch = vigil-single = pedersen-fast; ${AGREE_WITH_SCURE} pairs + KAT + ${EDGE_PAIRS.length} edge pairs = @scure/starknet`,
  );
  return summary;
}

function runChild(args: ChildArgs): ChildResult {
  const child = fileURLToPath(new URL('./pedersen-child.ts', import.meta.url));
  const r = spawnSync(process.execPath, [...process.execArgv, '--expose-gc', child, JSON.stringify(args)], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`pedersen bench child (${args.lib}) failed: ${r.stderr || r.error}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as ChildResult;
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export function runPedersenBench({ quick, log }: PedersenBenchOptions): Record<string, unknown> {
  const rounds = quick ? 3 : 5;
  const warmupMs = quick ? 300 : 500;
  const timedMs = quick ? 1500 : 3000;
  const agreement = checkAgreement(log);
  const byLib = new Map<PedersenLib, ChildResult[]>(PEDERSEN_LIBS.map((l) => [l, []]));
  const perRound: Record<PedersenLib, number>[] = [];
  for (let r = 0; r < rounds; r++) {
    const order = PEDERSEN_LIBS.map((_, i) => PEDERSEN_LIBS[(i + r) % PEDERSEN_LIBS.length]!);
    const round = {} as Record<PedersenLib, number>;
    for (const lib of order) {
      const res = runChild({ lib, pairs: PAIRS, batch: BATCH_CHUNK, warmupMs, timedMs });
      byLib.get(lib)!.push(res);
      round[lib] = res.hashesPerSecond;
      log(`  round ${r + 1}/${rounds} ${lib.padEnd(13)} ${fmt(res.hashesPerSecond)} hashes/s`);
    }
    perRound.push(round);
  }
  const ratio = (x: PedersenLib, y: PedersenLib) => {
    const each = perRound.map((round) => round[x] / round[y]);
    return {
      median: Number(median(each).toFixed(2)),
      min: Number(Math.min(...each).toFixed(2)),
      max: Number(Math.max(...each).toFixed(2)),
    };
  };
  const libs: Record<string, unknown> = {};
  const rows: string[][] = [];
  for (const lib of PEDERSEN_LIBS) {
    const runs = byLib.get(lib)!;
    const rates = runs.map((x) => x.hashesPerSecond);
    const med = median(rates);
    const rss = Math.max(...runs.map((x) => x.maxRssBytes));
    const vsScure = ratio(lib, 'scure').median;
    const vsWasm = ratio(lib, 'pedersen-fast').median;
    libs[lib] = {
      hashesPerSecond: {
        median: Math.round(med),
        min: Math.round(Math.min(...rates)),
        max: Math.round(Math.max(...rates)),
        runs: rates.map(Math.round),
      },
      microsecondsPerHash: Number((1e6 / med).toFixed(1)),
      peakRssBytes: rss,
      ...(runs[0]!.tableBuildMs === undefined
        ? {}
        : {
            tableBuildMs: {
              median: Number(median(runs.map((x) => x.tableBuildMs!)).toFixed(1)),
              runs: runs.map((x) => Math.round(x.tableBuildMs!)),
            },
            tableHeapBytes: Math.round(median(runs.map((x) => x.tableHeapBytes!))),
            tablePoints: runs[0]!.tablePoints,
          }),
    };
    rows.push([
      lib,
      fmt(med),
      `${fmt(Math.min(...rates))}–${fmt(Math.max(...rates))}`,
      fmt(1e6 / med, 1),
      `${fmt(vsScure, 2)}×`,
      `${fmt(vsWasm, 2)}×`,
      `${fmt(rss / 2 ** 20, 1)}`,
      runs[0]!.tableBuildMs === undefined ? '' : `${fmt(median(runs.map((x) => x.tableBuildMs!)))} ms`,
    ]);
  }
  log('');
  log(
    `Pedersen, single thread, ${PAIRS} pairs < 2^251, ${rounds} rounds × (${warmupMs} ms warm-up + ${timedMs} ms timed), fresh process each`,
  );
  log(
    formatTable(
      [
        'library',
        'hashes/s (median)',
        'min–max',
        'µs/hash',
        '× scure',
        '× pedersen-fast',
        'peak RSS MB',
        'table build',
      ],
      rows,
    ),
  );
  const batchVsScure = ratio('vigil-batch', 'scure');
  const batchVsWasm = ratio('vigil-batch', 'pedersen-fast');
  const targets = {
    batchAtLeast15xScure: { ratio: batchVsScure.median, met: batchVsScure.median >= 15 },
    batchFasterThanPedersenFast: { ratio: batchVsWasm.median, met: batchVsWasm.median > 1 },
  };
  log(
    `targets (per-round ratios, median): batch ${batchVsScure.median}× scure (≥ 15: ${targets.batchAtLeast15xScure.met ? 'met' : 'NOT met'}), ` +
      `${batchVsWasm.median}× pedersen-fast (> 1: ${targets.batchFasterThanPedersenFast.met ? 'met' : 'NOT met'})`,
  );
  return {
    method: {
      pairs: PAIRS,
      inputs: 'xorshift128+ seed (0x5eed, 0xc0ffee), values < 2^251',
      rounds,
      warmupMs,
      timedMs,
      freshProcessPerMeasurement: true,
      vigilBatchCallSize: BATCH_CHUNK,
      vigilWindowBits: DEFAULT_WINDOW_BITS,
      pedersenFastApi: 'pedersen_from_hex (hex strings prepared beforehand; BigInt() of the result timed)',
    },
    agreement,
    libs,
    ratios: {
      vigilBatchVsScure: batchVsScure,
      vigilBatchVsPedersenFast: batchVsWasm,
      vigilSingleVsScure: ratio('vigil-single', 'scure'),
      vigilSingleVsPedersenFast: ratio('vigil-single', 'pedersen-fast'),
      pedersenFastVsScure: ratio('pedersen-fast', 'scure'),
    },
    targets,
  };
}
