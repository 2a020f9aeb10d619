import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MultiRpc } from '../../../src/l1/multi-rpc.js';
import { createStarkExReader } from '../../../src/l1/starkex-reader.js';
import { SyncEngine } from '../../../src/sync/engine.js';
import { MemorySyncStore } from '../../../src/sync/sync-store.js';
import { replayFromGenesis } from '../../../src/sync/replay.js';
import { treeRoot } from '../../../src/sync/apply-batch.js';
import { startSyncDevnet, type SyncDevnet } from './sync-devnet.js';

// Issue 9 acceptance: a tampered data page fails its batch and raises an alarm within that batch;
// the batches before it stay verified and nothing of the bad batch reaches the stored tree.

let dn: SyncDevnet;
const committedRoots: bigint[] = [];

beforeAll(async () => {
  dn = await startSyncDevnet();
  for (let i = 0; i < 3; i++) {
    await dn.postBatch();
    committedRoots.push(dn.state().positionsRoot);
  }
  await dn.postBatch({ tamper: 'data-page' });
  await dn.postBatch();
});
afterAll(async () => {
  await dn?.stop();
});

const reader = () =>
  createStarkExReader(dn.deployment, MultiRpc.fromUrls([dn.net.anvil.rpcUrl], { attempts: 2, baseDelayMs: 10 }));

describe('a tampered data page on the devnet', () => {
  it('follow mode fails that batch with a root-mismatch alarm, keeps the earlier ones and halts', async () => {
    const store = new MemorySyncStore();
    const engine = new SyncEngine({ deployment: dn.deployment, initialSharedState: dn.genesis }, reader(), store);
    const result = await engine.run();
    expect(result.phase).toBe('halted');
    const verdicts = await store.verdicts();
    expect(verdicts.map((v) => v.status)).toEqual(['verified', 'verified', 'verified', 'failed']);
    expect(verdicts[3]!.failure).toBe('root-mismatch');
    expect(verdicts[3]!.checks.filter((c) => !c.ok).map((c) => c.check)).toEqual(['root']);
    expect(verdicts[3]!.computedRoot).not.toBe(verdicts[3]!.committedRoot);
    const alarms = await store.alarms();
    expect(alarms.map((a) => [a.kind, a.sequenceNumber, a.severity])).toEqual([['root-mismatch', 4n, 'critical']]);
    expect(result.newAlarms.map((a) => a.kind)).toEqual(['root-mismatch']);
    // The stored tree is still the one after batch 3, and the checkpoint too.
    expect(await treeRoot(store)).toBe(committedRoots[2]);
    const cp = (await store.checkpoint())!;
    expect([cp.sequenceNumber, cp.halted]).toEqual([3n, { sequenceNumber: 4n, failure: 'root-mismatch' }]);
    // Halted stays halted: batch 5 is not applied on top of a state we could not verify.
    expect((await engine.run()).phase).toBe('halted');
    expect((await store.verdicts()).length).toBe(4);
    // Retrying (e.g. after changing RPCs) re-checks the same batch: same verdict, the alarm stored once.
    await engine.resume();
    expect((await engine.run()).phase).toBe('halted');
    expect((await store.verdicts())[3]!.failure).toBe('root-mismatch');
    expect((await store.alarms()).length).toBe(1);
  });

  it('replay hashes once at the end, sees the mismatch and finds the bad batch by its intermediate roots', async () => {
    const phases: string[] = [];
    const r = await replayFromGenesis({
      deployment: dn.deployment,
      reader: reader(),
      initialSharedState: dn.genesis,
      onProgress: (p) => phases.push(p.phase),
    });
    expect(r.ok).toBe(false);
    expect(r.firstBadBatch?.sequenceNumber).toBe(4n);
    expect(r.verdicts.map((v) => v.status)).toEqual(['verified', 'verified', 'verified', 'failed', 'verified']);
    expect(phases).toContain('searching');
  });
});
