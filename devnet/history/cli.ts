import { parseArgs } from 'node:util';
import { startMainnetShapedDevnet, type Range } from './generate.js';
import { historyJson, writeHistoryJson } from './state-file.js';

/**
 * Starts anvil at mainnet height, generates a dYdX-v3-shaped history on it, prints the RPC URL and
 * the deployment, writes the expected state (roots per batch) to --out, and keeps anvil running
 * (Ctrl-C stops it) unless --exit.
 *
 *   node --import tsx devnet/history/cli.ts --batches 2000 --positions 100000 --out /tmp/history.json
 */
const { values: a } = parseArgs({
  options: {
    batches: { type: 'string', default: '100' },
    positions: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    pages: { type: 'string', default: '2,10' },
    changes: { type: 'string', default: '4,40' },
    'create-per-batch': { type: 'string', default: '1500' },
    'early-share': { type: 'string', default: '0.25' },
    'early-by': { type: 'string', default: '3,20' },
    foreign: { type: 'string', default: '0,3' },
    gap: { type: 'string', default: '0,3' },
    'long-gap': { type: 'string' },
    'no-freeze': { type: 'boolean', default: false },
    port: { type: 'string' },
    out: { type: 'string' },
    'with-positions': { type: 'boolean', default: false },
    exit: { type: 'boolean', default: false },
  },
});
const range = (s: string): Range => {
  const [x, y] = s.split(',').map(Number);
  return [x!, y ?? x!];
};
const batches = Number(a.batches);
const started = Date.now();
const h = await startMainnetShapedDevnet({
  seed: Number(a.seed),
  batches,
  positions: Number(a.positions),
  pagesPerBatch: range(a.pages),
  changesPerBatch: range(a.changes),
  createPerBatch: Number(a['create-per-batch']),
  earlyShare: Number(a['early-share']),
  earlyByBatches: range(a['early-by']),
  foreignPagesPerBatch: range(a.foreign),
  gapBlocks: range(a.gap),
  ...(a['long-gap'] ? { longGap: { every: range(a['long-gap'])[0], blocks: range(a['long-gap'])[1] } } : {}),
  freeze: !a['no-freeze'],
  ...(a.port ? { port: Number(a.port) } : {}),
  logEvery: Math.max(1, Math.floor(batches / 100)),
  planInWorker: true,
});
const json = historyJson(h) as Record<string, unknown>;
if (a.out) writeHistoryJson(h, a.out, { withPositions: a['with-positions'] });
const pages = h.batches.reduce((s, b) => s + b.dataPages.length, 0);
console.log(
  JSON.stringify(
    {
      rpcUrl: h.rpcUrl,
      deployment: json.deployment,
      blocks: [h.firstBlock.toString(), h.lastBlock.toString()],
      batches: h.batches.length,
      dataPages: pages,
      foreignPages: h.foreignPages.count,
      finalRoot: json.finalRoot,
      seconds: { total: (Date.now() - started) / 1000, plan: h.timings.planMs / 1000, chain: h.timings.chainMs / 1000 },
      ...(a.out ? { expectedState: a.out } : {}),
    },
    null,
    1,
  ),
);
if (a.exit) await h.stop();
else {
  console.error(`anvil running at ${h.rpcUrl} (pid ${h.anvil.pid}); Ctrl-C to stop`);
  const stop = () => void h.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
