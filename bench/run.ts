// `npm run bench [-- --quick] [-- --only=pedersen]`: runs every benchmark section, prints its
// table and merges its results into bench/results.json under the section's key (other sections
// are kept). Run with `node --import tsx bench/run.ts` (Node 20 cannot strip TypeScript types
// itself). Sync options: --sync-batches=N --sync-positions=N --sync-node-only --sync-browser-only
// --sync-browser-timeout=seconds (the browser run builds dist/ unless --no-build finds one).
// Tree options: --tree-sizes=10000,100000 --tree-workers=1,2 --tree-node-only --no-build.
// --no-save prints without touching results.json (exploratory runs).
import { fileURLToPath } from 'node:url';
import { machineInfo, mergeResults } from './common.js';
import { runEscapeBench } from './escape-bench.js';
import { runPedersenBench } from './pedersen-bench.js';
import { runSnapshotBench } from './snapshot-chromium.js';
import { runSyncBench } from './sync-bench.js';
import { runTransferBench } from './transfer-bench.js';
import { runTreeBench } from './tree-bench.js';

type Section = (opts: {
  quick: boolean;
  log: (line: string) => void;
  argv: readonly string[];
}) => Record<string, unknown> | Promise<Record<string, unknown>>;

/** Section key in results.json → runner. */
const SECTIONS: Record<string, Section> = {
  pedersen: runPedersenBench,
  transfer: runTransferBench,
  tree: runTreeBench,
  sync: runSyncBench,
  escape: runEscapeBench,
  snapshot: runSnapshotBench,
};

async function main(argv: readonly string[]): Promise<void> {
  const quick = argv.includes('--quick');
  const only = argv
    .find((a) => a.startsWith('--only='))
    ?.slice('--only='.length)
    .split(',');
  const unknown = only?.filter((k) => !(k in SECTIONS)) ?? [];
  if (unknown.length > 0)
    throw new Error(`unknown section(s) ${unknown.join(', ')}; known: ${Object.keys(SECTIONS).join(', ')}`);
  const resultsPath = fileURLToPath(new URL('./results.json', import.meta.url));
  const log = (line: string) => console.log(line);
  for (const [key, run] of Object.entries(SECTIONS)) {
    if (only && !only.includes(key)) continue;
    const started = performance.now();
    const machine = machineInfo();
    log(`== ${key}${quick ? ' (quick)' : ''} ==`);
    const result = await run({ quick, log, argv });
    const section = {
      generatedAt: new Date().toISOString(),
      quick,
      machine,
      ...result,
      wallSeconds: Number(((performance.now() - started) / 1000).toFixed(1)),
      benchProcessPeakRssBytes: process.resourceUsage().maxRSS * 1024,
    };
    if (argv.includes('--no-save')) {
      log(`${key}: ${section.wallSeconds} s (--no-save: results.json untouched)`);
      continue;
    }
    mergeResults(resultsPath, key, section);
    log(`${key}: ${section.wallSeconds} s, results merged into ${resultsPath}`);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
