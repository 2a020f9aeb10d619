import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devnetDeployment, type StarkExDeployment } from '../../../src/l1/deployment.js';
import { MultiRpc } from '../../../src/l1/multi-rpc.js';
import { createStarkExReader, type StarkExL1Reader } from '../../../src/l1/starkex-reader.js';
import { encodeSharedState, type SharedState } from '../../../src/starkex/shared-state.js';
import type { Position } from '../../../src/state/position.js';
import { SyncEngine, type SyncConfig } from '../../../src/sync/engine.js';
import { SnapshotRejectedError } from '../../../src/sync/errors.js';
import { importSnapshot, SNAPSHOT_FORMAT, type PositionsSnapshot } from '../../../src/sync/snapshot.js';
import { MemorySyncStore } from '../../../src/sync/sync-store.js';
import { startExchangeDevnet, type ExchangeDevnet } from '../../../devnet/exchange-devnet.js';
import type { BatchInfo } from '../../../devnet/operator/operator.js';

// Issue 9 acceptance against the Devnet II operator (trading bots, multi-page batches) and its
// misbehaviour switches: ignore forced actions, wrong positions root, tampered data page.

let net: ExchangeDevnet;
let deployment: StarkExDeployment;
let reader: StarkExL1Reader;
const store = new MemorySyncStore();

const config = (extra: Partial<SyncConfig> = {}): SyncConfig => ({
  deployment,
  initialSharedState: net.deployment.initialSharedState,
  maxBlockRange: 25n,
  ...extra,
});
const close = async (): Promise<BatchInfo> => (await net.operator.closeBatch())!;

/** The operator's own snapshot (GET /admin/snapshot shape) as a Vigil snapshot: "from anywhere". */
function operatorSnapshot(info: BatchInfo): PositionsSnapshot {
  type J = Record<string, any>;
  const s = net.operator.snapshot() as { sharedState: J; positions: J[] };
  const b = (x: unknown) => BigInt(x as string);
  const state: SharedState = {
    positionsRoot: b(s.sharedState.positionsRoot),
    positionsTreeHeight: b(s.sharedState.positionsTreeHeight),
    ordersRoot: b(s.sharedState.ordersRoot),
    ordersTreeHeight: b(s.sharedState.ordersTreeHeight),
    fundingIndices: s.sharedState.fundingIndices.map((f: J) => ({
      assetId: b(f.assetId),
      fundingIndex: b(f.fundingIndex),
    })),
    fundingTimestamp: b(s.sharedState.fundingTimestamp),
    oraclePrices: s.sharedState.oraclePrices.map((p: J) => ({ assetId: b(p.assetId), price: b(p.price) })),
    systemTime: b(s.sharedState.systemTime),
  };
  const positions = s.positions.map((p): [bigint, Position] => [
    b(p.positionId),
    {
      starkKey: b(p.starkKey),
      collateral: b(p.collateral),
      assets: p.assets.map((a: J) => ({
        assetId: b(a.assetId),
        balance: b(a.balance),
        cachedFundingIndex: b(a.cachedFundingIndex),
      })),
    },
  ]);
  return {
    format: SNAPSHOT_FORMAT,
    deploymentId: deployment.id,
    chainId: deployment.chainId,
    starkPerpetual: deployment.starkPerpetual,
    sequenceNumber: info.sequenceNumber,
    batchId: info.batchId,
    blockNumber: info.blockNumber,
    sharedState: encodeSharedState(state),
    positions,
  };
}

beforeAll(async () => {
  net = await startExchangeDevnet({ bots: 2, port: null, seed: 11 });
  const client = net.operator.l1.c.client;
  deployment = devnetDeployment({
    ...net.deployment,
    chainId: net.deployment.chain.id,
    firstBlock: (await client.getBlockNumber()) + 1n,
  });
  reader = createStarkExReader(deployment, MultiRpc.fromUrls([net.anvil.rpcUrl], { attempts: 2, baseDelayMs: 10 }));
});
afterAll(async () => {
  await net?.stop();
});

describe('following the Devnet II operator', () => {
  it('verifies 10 batches of bot trading, one of them two data pages, with the operator’s roots', async () => {
    const infos: BatchInfo[] = [];
    for (let i = 0; i < 10; i++) {
      net.operator.bots!.step();
      if (i === 4) net.operator.exchange.airdrop(210, 1_000_000n);
      infos.push(await close());
    }
    expect(infos.some((b) => b.dataPages >= 2)).toBe(true);
    // A checkpoint after every batch: each batch's own root is computed and compared.
    expect((await new SyncEngine(config({ checkpointEveryBatches: 1 }), reader, store).run()).phase).toBe('caught-up');
    const verdicts = await store.verdicts();
    expect(verdicts.map((v) => v.status)).toEqual(Array(10).fill('verified'));
    expect(verdicts.map((v) => v.computedRoot)).toEqual(infos.map((b) => b.positionsRoot));
    expect(verdicts.map((v) => v.checks.find((c) => c.check === 'pages-hashes')!.detail)).toContain('2 data page(s)');
    expect(await store.alarms()).toEqual([]);
  });

  it('ignoreForcedActions: the watched user’s forced withdrawal alarms past half the grace period, and clears once served', async () => {
    const bot = net.operator.bots!.bots[0]!;
    const sp = net.deployment.addresses.starkPerpetual;
    net.operator.misbehaviour.ignoreForcedActions = true;
    await net.operator.l1.send(sp, net.deployment.abis.starkPerpetual, 'forcedWithdrawalRequest', [
      bot.keys.publicKey,
      bot.positionId,
      5_000_000n,
      false,
    ]);
    await close();
    const requestedAt = (await net.operator.l1.c.client.getBlock()).timestamp;
    const grace = net.deployment.freezeGracePeriod;
    const late = config({
      watchedStarkKeys: [bot.keys.publicKey],
      freezeGracePeriod: grace,
      maxBatchAgeSeconds: 10n ** 9n,
      now: () => Number(requestedAt + grace / 2n + 60n) * 1000,
    });
    const r = await new SyncEngine(late, reader, store).run();
    expect(r.newAlarms.map((a) => a.kind)).toEqual(['forced-request-pending']);
    expect((await store.checkpoint())!.pendingForced.map((p) => p.positionId)).toEqual([bot.positionId]);
    // The head's L1 time is kept, for the popup and the health view to count on the same clock.
    const head = await net.operator.l1.c.client.getBlock();
    expect((await store.checkpoint())!.headTime).toEqual({
      seconds: head.timestamp,
      readAtMs: Number(requestedAt + grace / 2n + 60n) * 1000,
    });

    net.operator.misbehaviour.ignoreForcedActions = false;
    await close();
    const served = await new SyncEngine(late, reader, store).run();
    expect(served.newAlarms).toEqual([]);
    expect((await store.checkpoint())!.pendingForced).toEqual([]);
  });

  it('wrongPositionsRoot: that batch fails with root-mismatch; the operator’s snapshot before it is accepted, after it rejected', async () => {
    const before = operatorSnapshot(net.operator.batches.at(-1)!);
    net.operator.misbehaviour.wrongPositionsRoot = true;
    const wrong = await close();
    const after = operatorSnapshot(wrong);
    expect((await new SyncEngine(config(), reader, store).run()).phase).toBe('halted');
    const verdicts = await store.verdicts();
    expect(verdicts.at(-1)).toMatchObject({
      sequenceNumber: wrong.sequenceNumber,
      status: 'failed',
      failure: 'root-mismatch',
      computedRoot: wrong.trueRoot,
    });
    expect(verdicts.slice(0, -1).every((v) => v.status === 'verified')).toBe(true);
    expect((await store.alarms()).filter((a) => a.kind === 'root-mismatch').map((a) => a.sequenceNumber)).toEqual([
      wrong.sequenceNumber,
    ]);

    const fresh = new MemorySyncStore();
    expect((await importSnapshot(before, { deployment, reader, store: fresh })).sequenceNumber).toBe(
      wrong.sequenceNumber - 1n,
    );
    const err = await importSnapshot(after, { deployment, reader, store: new MemorySyncStore() }).catch(
      (e: unknown) => e,
    );
    expect([err instanceof SnapshotRejectedError, (err as SnapshotRejectedError).reason]).toEqual([true, 'root']);
  });

  it('tamperDataPage: the batch whose committed page never appears in calldata fails as a missing page', async () => {
    const next = await close(); // true root again, on top of the wrong shared state
    const fresh = new MemorySyncStore();
    await importSnapshot(operatorSnapshot(next), { deployment, reader, store: fresh });
    net.operator.misbehaviour.tamperDataPage = true;
    const tampered = await close();
    await close();
    expect((await new SyncEngine(config(), reader, fresh).run()).phase).toBe('halted');
    const verdicts = await fresh.verdicts();
    expect(verdicts.map((v) => [v.sequenceNumber, v.status, v.failure])).toEqual([
      [tampered.sequenceNumber, 'failed', 'missing-page'],
    ]);
    expect((await fresh.alarms()).map((a) => a.kind)).toEqual(['missing-page']);
    expect((await fresh.checkpoint())!.sequenceNumber).toBe(next.sequenceNumber);
  });
});
