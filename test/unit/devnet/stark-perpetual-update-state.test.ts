import { describe, expect, it } from 'vitest';
import { encodePacked, getAddress, keccak256, maxUint256, numberToHex, type Hex } from 'viem';
import { FIELD_PRIME } from '../../../src/crypto/field.js';
import { forcedTradeDigest, type ForcedTradeRequest } from '../../../src/messages/forced-trade.js';
import { continuousPageFact } from '../../../src/starkex/memory-page.js';
import { stateTransitionFactFromProgramOutput } from '../../../src/starkex/facts.js';
import type { ForcedAction } from '../../../src/starkex/forced-actions.js';
import { sharedStateHash, SHARED_STATE_HASH_SLOT } from '../../../src/starkex/shared-state.js';
import {
  registerStateUpdateFacts,
  stateUpdateFromPages,
  type DevnetStateUpdate,
} from '../../../devnet/state-update.js';
import { compileDevnetContracts } from '../../../devnet/compile.js';
import { events, read, revertReason, send, simulate, words } from './devnet-fixture.js';
import {
  DAY,
  DEPOSIT,
  ETH,
  ETH_CONFIG,
  acct,
  addr,
  firstBatch,
  keyA,
  keyB,
  net,
  rejection,
  sp,
  submit,
  updateState,
  usdc,
  usePerpetualScenario,
} from './perpetual-scenario.js';

// updateState (l1-data-tree.md §2) fed with updates encoded by src/.

usePerpetualScenario();

describe('updateState accepts an update encoded by src/', () => {
  it('logs the fact and the update, stores keccak(new state) at slot 2^64+3 and credits the deposit', async () => {
    const b = await firstBatch();
    const logs = await submit(b);
    const fact = events(net.d.abis.starkPerpetual, logs, 'LogStateTransitionFact');
    const update = events(net.d.abis.starkPerpetual, logs, 'LogUpdateState');
    expect(fact.map((e) => e.args)).toEqual([
      { stateTransitionFact: stateTransitionFactFromProgramOutput(b.update.programOutput) },
    ]);
    expect(update.map((e) => e.args)).toEqual([{ sequenceNumber: 1n, batchId: 11n }]);
    // The fact is logged before the update (§1.4).
    const names = logs
      .filter((l) => l.address.toLowerCase() === net.d.addresses.starkPerpetual.toLowerCase())
      .map((l) => l.topics[0]);
    expect(
      names.indexOf(
        logs.find((l) => events(net.d.abis.starkPerpetual, [l], 'LogStateTransitionFact').length)!.topics[0],
      ),
    ).toBeLessThan(
      names.indexOf(logs.find((l) => events(net.d.abis.starkPerpetual, [l], 'LogUpdateState').length)!.topics[0]),
    );
    const slot = await acct(0).client.getStorageAt({
      address: net.d.addresses.starkPerpetual,
      slot: numberToHex(SHARED_STATE_HASH_SLOT, { size: 32 }),
    });
    expect(slot).toBe(sharedStateHash(words(b.next)));
    expect(await read(acct(0), { ...sp(), functionName: 'getSequenceNumber' })).toBe(1n);
    expect(await read(acct(0), { ...sp(), functionName: 'getLastBatchId' })).toBe(11n);
    expect(
      await read(acct(0), {
        ...sp(),
        functionName: 'getQuantizedDepositBalance',
        args: [keyA, net.d.usdcAssetType, 7n],
      }),
    ).toBe(0n);
    // Mainnet's slots for sequenceNumber (12) and lastBatchId (29), §1.6.
    const at = async (n: bigint) =>
      BigInt(
        (await acct(0).client.getStorageAt({
          address: net.d.addresses.starkPerpetual,
          slot: numberToHex(n, { size: 32 }),
        }))!,
      );
    expect([await at(12n), await at(29n)]).toEqual([1n, 11n]);
    // The chain continues from the new state only.
    const again = await firstBatch({ prev: b.next, previousBatchId: 11n, modifications: [] });
    await submit(again);
    expect(await read(acct(0), { ...sp(), functionName: 'getSequenceNumber' })).toBe(2n);
    const stale = await firstBatch({ modifications: [], previousBatchId: 11n });
    expect(await rejection(stale.update.programOutput, stale.update.applicationData)).toBe(
      'INVALID_PREVIOUS_SHARED_STATE',
    );
  });

  it('rejects the same update with any single word of programOutput changed', async () => {
    const b = await firstBatch();
    await registerStateUpdateFacts(net.d, acct(0), b.update);
    const { programOutput, applicationData } = b.update;
    expect(programOutput.length).toBeGreaterThan(30);
    const reasons = new Map<string, number>();
    for (let i = 0; i < programOutput.length; i++) {
      const changed = [...programOutput];
      changed[i] = (changed[i]! + 1n) % (1n << 256n);
      const reason = await rejection(changed, applicationData);
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    }
    // Every word is covered by the proven fact, so even words no other check reads are rejected.
    expect(reasons.get('NO_STATE_TRANSITION_PROOF')).toBeGreaterThan(0);
    expect([...reasons.values()].reduce((a, n) => a + n, 0)).toBe(programOutput.length);
    // applicationData: the previous batch id and the number of conditions are checked too.
    expect(await rejection(programOutput, [applicationData[0]!, 1n, ...applicationData.slice(2)])).toBe(
      'WRONG_PREVIOUS_BATCH_ID',
    );
    expect(await rejection(programOutput, [...applicationData.slice(0, 2), 1n])).toBe('N_CONDITIONS_MISMATCH');
    // Word 0 of applicationData is the new batch id, which mainnet takes as given: not a check.
    expect(
      await simulate(acct(0), net.d, updateState(programOutput, [12345n, ...applicationData.slice(1)])),
    ).toBeUndefined();
    // Nothing above changed state: the original is still accepted.
    await send(acct(0), net.d, updateState(programOutput, applicationData));
  });
});

describe('updateState enforces the rules of §2', () => {
  it('checks sender, shape, configuration, time, state chain and batch id before the fact', async () => {
    const now = await net.latestTimestamp();
    const b = await firstBatch();
    const { programOutput: out, applicationData: app } = b.update;
    expect(await rejection(out, app, 1)).toBe('ONLY_OPERATOR');
    expect(await rejection([1n, 2n, 3n], app)).toBe('programOutput does not contain all required fields.');
    expect(await rejection([...out, 0n], app)).toBe('programOutput invalid size (mods/forced/conditions)');
    const r = async (opts: Parameters<typeof firstBatch>[0]) => {
      const x = await firstBatch(opts);
      return rejection(x.update.programOutput, x.update.applicationData);
    };
    expect(await r({ generalConfigHash: net.d.globalConfigurationHash + 1n })).toBe('GLOBAL_CONFIGURATION_MISMATCH');
    expect(await r({ assetConfigHash: ETH_CONFIG + 1n })).toBe('ASSET_CONFIGURATION_MISMATCH');
    expect(await r({ edit: (s) => ({ ...s, systemTime: now - 7n * DAY - 60n }) })).toBe('SYSTEM_TIME_OUTDATED');
    expect(await r({ edit: (s) => ({ ...s, systemTime: now + 5n * 3600n }) })).toBe('SYSTEM_TIME_INVALID');
    expect(await r({ minimumExpirationTimestamp: now / 3600n })).toBe('BATCH_TIMESTAMP_EXPIRED');
    expect(await r({ minimumExpirationTimestamp: 1n << 32n })).toBe('Expiration timestamp is out of range.');
    expect(await r({ prev: { ...net.d.initialSharedState, systemTime: 1n } })).toBe('INVALID_PREVIOUS_SHARED_STATE');
    expect(await r({ previousBatchId: 3n })).toBe('WRONG_PREVIOUS_BATCH_ID');
    // Everything checks out but no verifier holds the fact.
    expect(await rejection(out, app)).toBe('NO_STATE_TRANSITION_PROOF');
    await send(acct(0), net.d, {
      ...sp(),
      functionName: 'applyGlobalConfigurationChange',
      args: [numberToHex(0n, { size: 32 })],
    });
    expect(await rejection(out, app)).toBe('GLOBAL_CONFIGURATION_NOT_SET');
  });

  it('requires the fact on every registered verifier', async () => {
    const { GpsFactRegistryAdapter } = await compileDevnetContracts();
    const c = acct(0);
    const hash = await c.wallet.deployContract({
      abi: GpsFactRegistryAdapter!.abi,
      bytecode: GpsFactRegistryAdapter!.bytecode,
      args: [net.d.addresses.gpsStatementVerifier, net.d.programHash + 1n],
      account: c.account,
      chain: net.d.chain,
    });
    const second = (await c.client.waitForTransactionReceipt({ hash })).contractAddress!;
    await send(c, net.d, { ...sp(), functionName: 'registerVerifier', args: [second, 'second adapter'] });
    expect(await read(c, { ...sp(), functionName: 'isVerifier', args: [second] })).toBe(true);
    const b = await firstBatch();
    await registerStateUpdateFacts(net.d, c, b.update);
    expect(await rejection(b.update.programOutput, b.update.applicationData)).toBe('NO_STATE_TRANSITION_PROOF');
    await registerStateUpdateFacts({ ...net.d, programHash: net.d.programHash + 1n }, c, b.update);
    await send(c, net.d, updateState(b.update.programOutput, b.update.applicationData));
  });

  it('rejects outputs the Cairo program never writes, even with their facts registered', async () => {
    await send(acct(1), net.d, { ...sp(), functionName: 'forcedWithdrawalRequest', args: [keyA, 7n, 9n, false] });
    const b = await firstBatch({
      forcedActions: [{ type: 'withdrawal', starkKey: keyA, positionId: 7n, quantizedAmount: 9n }],
    });
    const main = b.update.mainPage;
    // Offsets (§2.2): after the asset configs, both shared states and the expiration come the modifications.
    const prevSize = Number(main[4]);
    const newSizeAt = 5 + prevSize;
    const nModsAt = newSizeAt + 1 + Number(main[newSizeAt]) + 1;
    const firstMod = nModsAt + 1;
    const forcedSizeAt = nModsAt + 1 + 3 * Number(main[nModsAt]);
    const forcedTypeAt = forcedSizeAt + 2;
    const raw = (edit: (w: bigint[]) => bigint[]) =>
      stateUpdateFromPages(edit([...main]), b.update.dataPages, b.update.applicationData);
    const set = (i: number, v: bigint) => (w: bigint[]) => ((w[i] = v), w);
    const cases: [string, DevnetStateUpdate][] = [
      ['UNKNOWN_FORCED_ACTION_TYPE', raw(set(forcedTypeAt, 2n))],
      [
        'SIZE_MISMATCH',
        raw((w) => [
          ...w.slice(0, forcedSizeAt),
          w[forcedSizeAt]! + 1n,
          ...w.slice(forcedSizeAt + 1, forcedTypeAt + 4),
          0n,
          ...w.slice(forcedTypeAt + 4),
        ]),
      ],
      ['Illegal Balance Diff', raw(set(firstMod + 2, 1n << 65n))],
      ['Stark key >= PRIME', raw((w) => set(firstMod + 2, 1n << 64n)(set(firstMod, FIELD_PRIME)(w)))],
    ];
    for (const [reason, u] of cases) {
      await registerStateUpdateFacts(net.d, acct(0), u);
      expect(await rejection(u.programOutput, u.applicationData), reason).toBe(reason);
    }
    expect(await rejection(raw(set(1, 1n << 16n)).programOutput, b.update.applicationData)).toBe(
      'ILLEGAL_NUMBER_OF_ASSETS',
    );
    // The unedited batch goes through.
    await submit(b);
  });

  it('requires deposits to be pending and forced actions to exist', async () => {
    const tooMuch = await firstBatch({ modifications: [{ starkKey: keyA, positionId: 7n, delta: DEPOSIT + 1n }] });
    await registerStateUpdateFacts(net.d, acct(0), tooMuch.update);
    expect(await rejection(tooMuch.update.programOutput, tooMuch.update.applicationData)).toBe('DEPOSIT_INSUFFICIENT');
    const otherPosition = await firstBatch({ modifications: [{ starkKey: keyA, positionId: 8n, delta: 1n }] });
    await registerStateUpdateFacts(net.d, acct(0), otherPosition.update);
    expect(await rejection(otherPosition.update.programOutput, otherPosition.update.applicationData)).toBe(
      'DEPOSIT_INSUFFICIENT',
    );
    const unrequested = await firstBatch({
      forcedActions: [{ type: 'withdrawal', starkKey: keyA, positionId: 7n, quantizedAmount: 1n }],
    });
    await registerStateUpdateFacts(net.d, acct(0), unrequested.update);
    expect(await rejection(unrequested.update.programOutput, unrequested.update.applicationData)).toBe(
      'NON_EXISTING_ACTION',
    );
  });

  it('serves a forced withdrawal: clears the request and allows the withdrawal, which withdraw pays out', async () => {
    const amount = 1_000_000n;
    await send(acct(1), net.d, { ...sp(), functionName: 'forcedWithdrawalRequest', args: [keyA, 7n, amount, false] });
    const b = await firstBatch({
      withdrawn: amount,
      modifications: [
        { starkKey: keyA, positionId: 7n, delta: DEPOSIT },
        { starkKey: keyA, positionId: 7n, delta: -amount },
      ],
      forcedActions: [{ type: 'withdrawal', starkKey: keyA, positionId: 7n, quantizedAmount: amount }],
    });
    const logs = await submit(b);
    expect(events(net.d.abis.starkPerpetual, logs, 'LogWithdrawalAllowed').map((e) => e.args)).toEqual([
      { starkKey: keyA, assetType: net.d.usdcAssetType, nonQuantizedAmount: amount, quantizedAmount: amount },
    ]);
    expect(await read(acct(0), { ...sp(), functionName: 'getForcedWithdrawalRequest', args: [keyA, 7n, amount] })).toBe(
      0n,
    );
    expect(
      await read(acct(0), { ...sp(), functionName: 'getWithdrawalBalance', args: [keyA, net.d.usdcAssetType] }),
    ).toBe(amount);
    // The owner sends it elsewhere with withdrawTo (plain withdraw: see the escape test).
    const before = await read<bigint>(acct(0), { ...usdc(), functionName: 'balanceOf', args: [addr(3)] });
    const paid = await send(acct(1), net.d, {
      ...sp(),
      functionName: 'withdrawTo',
      args: [keyA, net.d.usdcAssetType, addr(3)],
    });
    expect(events(net.d.abis.starkPerpetual, paid, 'LogWithdrawalPerformed')[0]!.args).toEqual({
      starkKey: keyA,
      assetType: net.d.usdcAssetType,
      nonQuantizedAmount: amount,
      quantizedAmount: amount,
      recipient: getAddress(addr(3)),
    });
    expect(await read(acct(0), { ...usdc(), functionName: 'balanceOf', args: [addr(3)] })).toBe(before + amount);
    expect(
      await read(acct(0), { ...sp(), functionName: 'getWithdrawalBalance', args: [keyA, net.d.usdcAssetType] }),
    ).toBe(0n);
  });

  it('serves a forced trade: marks it 2^256 − 1, and a batch serving it again is rejected', async () => {
    const t: ForcedTradeRequest = {
      starkKeyA: keyA,
      starkKeyB: keyB,
      positionIdA: 7n,
      positionIdB: 8n,
      collateralAssetId: net.d.usdcAssetType,
      syntheticAssetId: ETH,
      amountCollateral: 1_000n,
      amountSynthetic: 2_000n,
      aIsBuyingSynthetic: false,
      nonce: 5n,
      submissionExpirationTime: (await net.latestTimestamp()) / 3600n + 10n,
    };
    const signature = await acct(2).account.sign({ hash: forcedTradeDigest(t) });
    await send(acct(1), net.d, {
      ...sp(),
      functionName: 'forcedTradeRequest',
      args: [
        t.starkKeyA,
        t.starkKeyB,
        t.positionIdA,
        t.positionIdB,
        t.collateralAssetId,
        t.syntheticAssetId,
        t.amountCollateral,
        t.amountSynthetic,
        t.aIsBuyingSynthetic,
        t.submissionExpirationTime,
        t.nonce,
        signature,
        false,
      ],
    });
    const action: ForcedAction = {
      type: 'trade',
      starkKeyA: keyA,
      starkKeyB: keyB,
      positionIdA: 7n,
      positionIdB: 8n,
      syntheticAssetId: ETH,
      amountCollateral: 1_000n,
      amountSynthetic: 2_000n,
      aIsBuyingSynthetic: false,
      nonce: 5n,
    };
    const b = await firstBatch({ forcedActions: [action] });
    await submit(b);
    const tradeArgs = [
      t.starkKeyA,
      t.starkKeyB,
      t.positionIdA,
      t.positionIdB,
      t.collateralAssetId,
      t.syntheticAssetId,
      t.amountCollateral,
      t.amountSynthetic,
      t.aIsBuyingSynthetic,
      t.nonce,
    ];
    expect(await read(acct(0), { ...sp(), functionName: 'getForcedTradeRequest', args: tradeArgs })).toBe(maxUint256);
    // A served trade can no longer freeze the exchange (the timestamp wraps: assert → Panic(1)).
    await net.increaseTime(15n * DAY);
    expect(
      await revertReason(simulate(acct(3), net.d, { ...sp(), functionName: 'freezeRequest', args: tradeArgs })),
    ).toBe('An `assert` condition failed.');
    const replay = await firstBatch({ prev: b.next, previousBatchId: 11n, modifications: [], forcedActions: [action] });
    await registerStateUpdateFacts(net.d, acct(0), replay.update);
    expect(await rejection(replay.update.programOutput, replay.update.applicationData)).toBe('ACTION_ALREADY_CLEARED');
  });

  it('checks conditional transfers against their fact registry', async () => {
    const registry = net.d.addresses.memoryPageFactRegistry;
    const page = continuousPageFact(0n, [7n, 8n], 3n, 4n);
    const condition = (fact: Hex, at: Hex = registry) =>
      BigInt(keccak256(encodePacked(['address', 'bytes32'], [at, fact]))) & ((1n << 250n) - 1n);
    const b = await firstBatch({
      conditions: [condition(page.factHash)],
      conditionalTransfers: [{ registry, fact: page.factHash }],
    });
    await registerStateUpdateFacts(net.d, acct(0), b.update);
    const { programOutput: out, applicationData: app } = b.update;
    expect(await rejection(out, app)).toBe('Condition for the conditional transfer was not met.');
    expect(await rejection(out, [...app.slice(0, 4), app[4]! ^ 1n])).toBe('Condition mismatch.');
    expect(await rejection(out, app.slice(0, 4))).toBe('BAD_APP_DATA_SIZE');
    expect(await rejection(out, app.slice(0, 2))).toBe('APP_DATA_TOO_SHORT');
    // A "registry" that is not a contract answers nothing.
    const eoa = addr(3);
    const viaEoa = await firstBatch({
      conditions: [condition(page.factHash, eoa)],
      conditionalTransfers: [{ registry: eoa, fact: page.factHash }],
    });
    await registerStateUpdateFacts(net.d, acct(0), viaEoa.update);
    expect(await rejection(viaEoa.update.programOutput, viaEoa.update.applicationData)).toBe(
      'BAD_FACT_REGISTRY_CONTRACT',
    );
    await send(acct(3), net.d, {
      address: registry,
      abi: net.d.abis.memoryPageFactRegistry,
      functionName: 'registerContinuousMemoryPage',
      args: [0n, [7n, 8n], 3n, 4n, FIELD_PRIME],
    });
    await send(acct(0), net.d, updateState(out, app));
    expect(await read(acct(0), { ...sp(), functionName: 'getSequenceNumber' })).toBe(1n);
  });
});
