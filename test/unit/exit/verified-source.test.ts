import { describe, expect, it } from 'vitest';
import { EscapeNotPossibleError, verifiedPosition } from '../../../src/exit/index.js';
import { MemorySyncStore } from '../../../src/sync/sync-store.js';
import type { SyncCheckpoint } from '../../../src/sync/types.js';
import { readVector } from '../../helpers/vectors.js';

/** dYdX v3's shared state at block 17,605,965 (the real escape vector): any decodable state will do. */
const MAINNET_SHARED_STATE = readVector<{ verifyEscapeArgs: { sharedState: string[] } }>(
  'l1tree-escape-dydx-mainnet-position1-block17605965.json',
).verifyEscapeArgs.sharedState.map(BigInt);

// Issue 15: in catch-up the stored positions run ahead of the last root the tree reproduced; the
// margin view, the approval's margin impact and the exit must not present them as verified.
const checkpoint = (extra: Partial<SyncCheckpoint>): SyncCheckpoint => ({
  deploymentId: 'devnet',
  sequenceNumber: 12n,
  batchId: 120n,
  blockNumber: 500n,
  scannedTo: 500n,
  sharedState: MAINNET_SHARED_STATE,
  pendingForced: [],
  frozen: false,
  ...extra,
});

describe('verifiedPosition', () => {
  it('refuses while batches after the last hashed one wait for their root, and names them', async () => {
    const store = new MemorySyncStore();
    await store.commit({ checkpoint: checkpoint({ hashedSequenceNumber: 9n }) });
    const err = await verifiedPosition(store, 7n).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EscapeNotPossibleError);
    expect((err as Error).message).toContain(
      'batches after sequence 9 are checked but their root is compared at the next checkpoint',
    );
  });

  it('answers once the tree is level with the positions (hashed up to the last batch, or a checkpoint from before catch-up existed)', async () => {
    for (const extra of [{ hashedSequenceNumber: 12n }, {}]) {
      const store = new MemorySyncStore();
      await store.commit({ checkpoint: checkpoint(extra) });
      await expect(verifiedPosition(store, 7n)).resolves.toMatchObject({
        positionId: 7n,
        basis: { sequenceNumber: 12n },
      });
    }
  });
});
