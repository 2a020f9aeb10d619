/**
 * Every configured RPC, pinned to the deployment's chain id: reads are cross-checked like the
 * verifier's (a disagreement stops the flow before signing), transactions are signed for the
 * deployment's chain and broadcast to all of them (src/l1/exit-rpc.ts). One per deployment chain
 * and RPC set, shared by the exit wizard and the approval's frozen check (exchange-alerts.ts).
 * Over the same adaptive endpoints as the verifier (rate limits and Retry-After honoured, each
 * RPC's own rate): with plain retries, a provider's HTTP 429 failed the exit page's reads
 * (provider-profiles-devnet: the exit reads through every profile at once).
 */
import { ExitRpc, MultiRpc } from '../../src/index.js';
import type { SyncSettings } from '../shared/sync-db.js';

const rpcs = new Map<string, ExitRpc>();
export function exitRpc(s: SyncSettings): ExitRpc {
  const key = JSON.stringify([s.deployment.chainId, s.rpcUrls, s.rpcRates ?? null]);
  let r = rpcs.get(key);
  if (!r) {
    r = new ExitRpc(MultiRpc.adaptive(s.rpcUrls, s.rpcRates ? { rates: s.rpcRates } : {}), s.deployment.chainId);
    rpcs.set(key, r);
  }
  return r;
}
