import { startAnvil, type AnvilInstance } from '../../../../devnet/lib/anvil.js';
import { seededRandom } from '../../../../devnet/lib/rng.js';
import { startRpcProxy, type RpcProxy, type RpcProxyOptions } from '../../../../devnet/rpc-proxy/index.js';

/**
 * An anvil chain with many logs spread over a few thousand blocks, for the adaptive getLogs tests:
 * a hand-assembled contract (installed with anvil_setCode, no compiler run) emits `n` LOG2 events
 * per call, n = the first calldata word, topic1 = the countdown. Transactions alternate with runs
 * of empty blocks (anvil_mine), all from a seed, so the layout repeats.
 */

export const EMITTER = '0x00000000000000000000000000000000000e0117' as const;
export const EMIT_TOPIC = `0x${'ab'.repeat(32)}` as const;

// PUSH1 0 CALLDATALOAD; loop: JUMPDEST DUP1 ISZERO PUSH1 end JUMPI; DUP1 PUSH32 topic PUSH1 0 PUSH1 0 LOG2;
// PUSH1 1 SWAP1 SUB PUSH1 loop JUMP; end: JUMPDEST STOP
const RUNTIME = `0x600035 5b 80 15 6037 57 80 7f${'ab'.repeat(32)} 6000 6000 a2 6001 90 03 6003 56 5b 00`.replace(
  / /g,
  '',
);

export type LogChain = { anvil: AnvilInstance; head: bigint; totalLogs: number; stop(): Promise<void> };

export async function rpc<T = unknown>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const body = (await res.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

/** `txs` calls of up to `maxLogsPerTx` logs each, separated by up to `maxGap` empty blocks. */
export async function startLogChain(
  opts: { txs?: number; maxLogsPerTx?: number; maxGap?: number; seed?: number } = {},
): Promise<LogChain> {
  const anvil = await startAnvil();
  const random = seededRandom(opts.seed ?? 42);
  const url = anvil.rpcUrl;
  const [from] = await rpc<string[]>(url, 'eth_accounts');
  await rpc(url, 'anvil_setCode', [EMITTER, RUNTIME]);
  let totalLogs = 0;
  let last: string | undefined;
  for (let i = 0; i < (opts.txs ?? 40); i++) {
    const gap = Math.floor(random() * ((opts.maxGap ?? 150) + 1));
    if (gap > 0) await rpc(url, 'anvil_mine', [`0x${gap.toString(16)}`]);
    const n = 1 + Math.floor(random() * (opts.maxLogsPerTx ?? 30));
    totalLogs += n;
    last = await rpc<string>(url, 'eth_sendTransaction', [
      { from, to: EMITTER, data: `0x${n.toString(16).padStart(64, '0')}`, gas: '0x1000000' },
    ]);
  }
  // anvil answers eth_sendTransaction before the block is mined: wait for the last receipt.
  while (last && !(await rpc(url, 'eth_getTransactionReceipt', [last]))) await new Promise((r) => setTimeout(r, 10));
  const head = BigInt(await rpc<string>(url, 'eth_blockNumber'));
  return { anvil, head, totalLogs, stop: () => anvil.stop() };
}

/** Devnet RPC proxies in front of `upstream()` (read when each starts), all stopped by `stopAll`. */
export function rpcProxies(upstream: () => string): {
  start(profiles: RpcProxyOptions['profiles'], extra?: Partial<RpcProxyOptions>): Promise<RpcProxy>;
  stopAll(): Promise<void>;
} {
  const started: RpcProxy[] = [];
  return {
    async start(profiles, extra = {}) {
      const p = await startRpcProxy({ upstream: upstream(), profiles, ...extra });
      started.push(p);
      return p;
    },
    stopAll: async () => void (await Promise.all(started.map((p) => p.stop()))),
  };
}
