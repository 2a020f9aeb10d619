/**
 * The contract's FREEZE_GRACE_PERIOD per deployment id: a constant of the deployed contract, read
 * once from L1 and kept for the service worker's life. Undefined while it cannot be read (no RPC
 * answer): callers say so rather than assume dYdX's 14 days.
 */
import { createExitChainReader } from '../../src/index.js';
import type { SyncSettings } from '../shared/sync-db.js';
import { exitRpc } from './exit-rpc.js';

const gracePeriods = new Map<string, bigint>();

export async function freezeGracePeriodOf(s: SyncSettings): Promise<bigint | undefined> {
  const known = gracePeriods.get(s.deployment.id);
  if (known !== undefined) return known;
  try {
    const read = await createExitChainReader(s.deployment, exitRpc(s).client()).freezeGracePeriod();
    gracePeriods.set(s.deployment.id, read);
    return read;
  } catch {
    return undefined;
  }
}
