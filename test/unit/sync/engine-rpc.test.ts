import { describe, expect, it } from 'vitest';
import { freeLoopbackPort } from '../../../devnet/lib/anvil.js';
import { devnetDeployment } from '../../../src/l1/deployment.js';
import { MultiRpc } from '../../../src/l1/multi-rpc.js';
import { createStarkExReader } from '../../../src/l1/starkex-reader.js';
import { SyncEngine } from '../../../src/sync/engine.js';
import { MemorySyncStore } from '../../../src/sync/sync-store.js';

const ZERO = '0x0000000000000000000000000000000000000000' as const;
const deployment = devnetDeployment({
  chainId: 31337,
  addresses: {
    starkPerpetual: ZERO,
    memoryPageFactRegistry: ZERO,
    gpsStatementVerifier: ZERO,
    gpsFactAdapter: ZERO,
    escapeVerifier: ZERO,
    usdc: ZERO,
  },
  programHash: 1n,
  usdcAssetType: 2n,
});

describe('an unreachable RPC', () => {
  it('is retried with backoff, then shown as the rpc-unreachable phase with an alarm; nothing else changes', async () => {
    const url = `http://127.0.0.1:${await freeLoopbackPort()}`; // nothing listens there
    const slept: number[] = [];
    const reader = createStarkExReader(
      deployment,
      MultiRpc.fromUrls([url], { attempts: 3, baseDelayMs: 7, sleep: async (ms) => void slept.push(ms) }),
    );
    const store = new MemorySyncStore();
    const r = await new SyncEngine({ deployment }, reader, store).run();
    expect(r.phase).toBe('rpc-unreachable');
    expect(slept).toEqual([7, 14]);
    expect((await store.alarms()).map((a) => [a.kind, a.severity])).toEqual([['rpc-unreachable', 'warning']]);
    expect((await store.checkpoint())!.scannedTo).toBe(-1n);
    expect(await store.verdicts()).toEqual([]);
  });
});
