import { writeFileSync } from 'node:fs';
import type { MainnetShapedHistory } from './generate.js';

/**
 * The generated history as JSON (bigints as decimal strings, roots as hex): what a benchmark or
 * test compares a sync against — the deployment, every batch's block, root and pages, the final
 * root, and optionally every final position.
 */
export function historyJson(h: MainnetShapedHistory, opts: { withPositions?: boolean } = {}): unknown {
  const hex = (v: bigint) => `0x${v.toString(16)}`;
  const plain = (v: unknown): unknown =>
    typeof v === 'bigint'
      ? v.toString()
      : Array.isArray(v)
        ? v.map(plain)
        : v && typeof v === 'object'
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]))
          : v;
  return {
    rpcUrl: h.rpcUrl,
    chainId: h.devnet.chain.id,
    deployment: plain(h.deployment),
    addresses: h.devnet.addresses,
    genesis: plain(h.genesis),
    firstBlock: h.firstBlock.toString(),
    lastBlock: h.lastBlock.toString(),
    proxy: plain(h.proxy),
    foreignPages: plain(h.foreignPages),
    freeze: plain(h.freeze),
    timings: h.timings,
    finalRoot: hex(h.finalRoot),
    batches: h.batches.map((b) => ({
      sequenceNumber: b.sequenceNumber.toString(),
      batchId: b.batchId.toString(),
      blockNumber: b.blockNumber.toString(),
      txHash: b.txHash,
      positionsRoot: hex(b.positionsRoot),
      changedPositions: b.changedPositions,
      dataPages: plain(b.dataPages),
    })),
    ...(opts.withPositions
      ? { finalPositions: plain([...h.finalPositions].sort(([a], [b]) => (a < b ? -1 : 1))) }
      : {}),
  };
}

export function writeHistoryJson(h: MainnetShapedHistory, path: string, opts: { withPositions?: boolean } = {}): void {
  writeFileSync(path, `${JSON.stringify(historyJson(h, opts), null, 1)}\n`);
}
