// The sync bench's request figures and their projection to dYdX v3, shared by the Node run
// (sync-bench.ts) and the browser run (sync-chromium.ts): both count through a rpc-proxy.
import type { MainnetShapedHistory } from '../devnet/history/generate.js';
import type { RpcProxyStats } from '../devnet/rpc-proxy/index.js';

/** dYdX v3 on mainnet (the brief): state updates, positions, blocks between its first and last update. */
export const DYDX = { batches: 24_081, positions: 500_000, blocks: 21_100_000 - 11_800_000 };
export const RATE = 25;

/** A generated history with its anvil still running. */
export type RunningHistory = MainnetShapedHistory & { anvil: { rpcUrl: string } };

export const MiB = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

export type RequestFigures = {
  requests: number;
  requestsByMethod: Record<string, number>;
  requestsPerBatch: number;
  rateLimited: number;
  txCalls: number;
  logCalls: number;
  otherCalls: number;
  txPerBatch: number;
  logsPerWindow: number;
  dydxWindows: number;
  dydxRequests: number;
  dydxMinutes: number;
};

/** Blocks of the history, first to last. */
export const historyBlocks = (h: MainnetShapedHistory) => Number(h.lastBlock - h.firstBlock + 1n);

export function historyRow(h: MainnetShapedHistory, positions: number): [string, string] {
  return [
    'history',
    `${h.batches.length} batches, ${positions} positions, blocks ${h.firstBlock}–${h.lastBlock} (${historyBlocks(h)}), ${h.batches.reduce((n, b) => n + b.dataPages.length, 0)} data pages, ${h.foreignPages.count} foreign pages`,
  ];
}

/**
 * Evidence reads scale with batches; log reads with windows of the engine's default 2,000 blocks
 * over dYdX's ~9.3 M blocks (this history is too dense to measure that term: its log reads per
 * window are measured and applied per window); head/anchor reads are per run.
 */
export function requestFigures(stats: RpcProxyStats, batches: number, blocks: number): RequestFigures {
  const calls = stats.calls;
  // Batch evidence: transactions fetched alone, and blocks read whole for several of them.
  const txCalls = (calls.eth_getTransactionByHash ?? 0) + (calls.eth_getBlockByNumber ?? 0);
  const logCalls = calls.eth_getLogs ?? 0;
  const otherCalls = stats.totalCalls - txCalls - logCalls;
  const txPerBatch = txCalls / batches;
  const logsPerWindow = logCalls / Math.max(1, Math.ceil(blocks / 2000));
  const dydxWindows = Math.ceil(DYDX.blocks / 2000);
  const dydxRequests = txPerBatch * DYDX.batches + logsPerWindow * dydxWindows + otherCalls;
  return {
    requests: stats.totalCalls,
    requestsByMethod: { ...calls },
    requestsPerBatch: stats.totalCalls / batches,
    rateLimited: stats.rateLimited,
    txCalls,
    logCalls,
    otherCalls,
    txPerBatch,
    logsPerWindow,
    dydxWindows,
    dydxRequests,
    dydxMinutes: dydxRequests / RATE / 60,
  };
}

export function requestRows(f: RequestFigures): [string, string][] {
  return [
    [
      'requests (proxy count, batch members one by one)',
      `${f.requests} = ${f.txCalls} evidence (eth_getTransactionByHash + eth_getBlockByNumber) + ${f.logCalls} eth_getLogs + ${f.otherCalls} other (${Object.entries(
        f.requestsByMethod,
      )
        .map(([m, n]) => `${m} ${n}`)
        .join(', ')})`,
    ],
    ['requests per batch', f.requestsPerBatch.toFixed(2)],
    ['HTTP 429 answered by the proxy', String(f.rateLimited)],
  ];
}

export function requestProjectionLines(f: RequestFigures): string[] {
  return [
    `  requests ≈ ${f.txPerBatch.toFixed(2)} evidence reads/batch × 24,081 + ${f.logsPerWindow.toFixed(2)} eth_getLogs/window × ${f.dydxWindows} windows of 2,000 blocks + ${f.otherCalls} per-run reads = ${Math.round(f.dydxRequests)} (${(f.dydxRequests / DYDX.batches).toFixed(2)} per batch)`,
    `  RPC time ≈ ${Math.round(f.dydxRequests)} / 25 req/s = ${f.dydxMinutes.toFixed(0)} min (target ≤ 70)`,
  ];
}
