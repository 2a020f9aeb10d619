import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeFunctionData, type Hex } from 'viem';
import {
  checkEscapeProof,
  EscapeNotPossibleError,
  escapeFile,
  escapeSourceFromProof,
  finalSharedState,
  parseEscapeInput,
  perpetualEscapeVerifierAbi,
  readModel,
  serializeEscapeFile,
  MemorySyncStore,
  MultiRpc,
  SyncEngine,
  createExitChainReader,
  createStarkExReader,
  devnetDeployment,
  escapeSourceFromStore,
  ExitRpc,
  ExitTxSender,
  marginView,
  planForcedWithdrawal,
  runExitFlow,
  serializeExitFlow,
  startExitFlow,
  starkKeyPair,
  verifiedPosition,
  type ExitFlow,
  type ExitRunnerDeps,
  type StarkExDeployment,
} from '../../helpers/core.js';
import { ANVIL_DEV_PRIVATE_KEYS } from '../../../devnet/lib/anvil.js';
import { devnetClients, type DevnetClients } from '../../../devnet/deploy.js';
import { startExchangeDevnet, type ExchangeDevnet } from '../../../devnet/exchange-devnet.js';
import { riskParamsOf, DEFAULT_MARKETS } from '../../../devnet/operator/config.js';
import { DEVNET_FEE_CAP } from './exit-devnet.js';

// The exit against the Devnet II operator (issue 10 acceptance), with every number taken from the
// verifier's own store (src/sync): the honest operator serves a forced withdrawal in its next batch;
// switched to censoring ("ignore forced actions") it is frozen after the grace period, and the user
// and a trading bot escape with proofs from the verified tree and receive exactly the escape amount.

const RISK = riskParamsOf(DEFAULT_MARKETS);
let net: ExchangeDevnet;
let deployment: StarkExDeployment;
let user: DevnetClients;
const userKey = starkKeyPair(0x5eed_e1e1n).publicKey;
let userPosition: bigint;
const store = new MemorySyncStore();
let engine: SyncEngine;

const usdcOf = (who: Hex) =>
  user.client.readContract({
    address: net.deployment.addresses.usdc,
    abi: net.deployment.abis.usdc,
    functionName: 'balanceOf',
    args: [who],
  }) as Promise<bigint>;

async function sync(): Promise<void> {
  const done = await engine.run();
  expect(done.phase).toBe('caught-up');
}

function deps(c: DevnetClients, positionId: bigint): { sent: string[]; deps: ExitRunnerDeps } {
  const sent: string[] = [];
  const rpc = new ExitRpc(MultiRpc.fromUrls([net.anvil.rpcUrl], { attempts: 2, baseDelayMs: 10 }), deployment.chainId);
  const sender = new ExitTxSender(rpc, {
    from: c.account.address,
    feeCap: DEVNET_FEE_CAP,
    signTransaction: (t) => c.account.signTransaction(t),
  });
  return {
    sent,
    deps: {
      deployment,
      chain: createExitChainReader(deployment, rpc.client()),
      signer: {
        prepare: (tx) => sender.prepare(tx),
        confirm: (p, tx) => sender.confirm(p, tx),
        sign: (p) => (sent.push(p.functionName), sender.sign(p)),
      },
      broadcast: (raw, hash) => rpc.broadcast(raw, hash),
      save: async (f: ExitFlow) => void serializeExitFlow(f),
      escapeSource: escapeSourceFromStore(store, positionId),
    },
  };
}

beforeAll(async () => {
  net = await startExchangeDevnet({ port: null, seed: 5, bots: 2 });
  deployment = devnetDeployment({ ...net.deployment, chainId: net.deployment.chain.id });
  user = devnetClients(net.anvil.rpcUrl, net.deployment.chain, ANVIL_DEV_PRIVATE_KEYS[1]!);
  userPosition = (await net.operator.onboard(userKey, user.account.address)).positionId;
  await net.operator.closeBatch(); // credits the deposits
  // The bots trade with their credited collateral (they take liquidity at random: step until one holds a synthetic).
  const bots = net.operator.bots!;
  const holds = () => bots.bots.some((b) => net.operator.exchange.ledger.position(b.positionId).assets.length > 0);
  for (let i = 0; i < 300 && !holds(); i++) bots.step();
  expect(holds()).toBe(true);
  await net.operator.closeBatch();
  engine = new SyncEngine(
    {
      deployment,
      initialSharedState: net.deployment.initialSharedState,
      watchedStarkKeys: [userKey],
      maxBlockRange: 500n,
    },
    createStarkExReader(deployment, MultiRpc.fromUrls([net.anvil.rpcUrl], { attempts: 2, baseDelayMs: 10 })),
    store,
  );
  await sync();
}, 120_000);

afterAll(async () => {
  await net?.stop();
});

const POLL = { pollMs: 20 };

describe('exit against the Devnet II operator, from the verified store', () => {
  it('honest operator: a planned forced withdrawal is served in the next batch and withdrawn', async () => {
    const v = await verifiedPosition(store, userPosition);
    expect(v.position.starkKey).toBe(userKey);
    const view = marginView({ ...v, riskParams: RISK });
    expect(view.basis.sequenceNumber).toBe(net.operator.batches.at(-1)!.sequenceNumber);
    const amount = view.safeForcedWithdrawal.amount! / 4n;
    const plan = planForcedWithdrawal({ ...v, starkKey: userKey, riskParams: RISK, amount, premiumCost: true });
    const r = deps(user, userPosition);
    const flow = startExitFlow({
      id: 'fw',
      deploymentId: deployment.id,
      chainId: deployment.chainId,
      starkKey: userKey,
      positionId: userPosition,
      request: { kind: 'withdrawal', quantizedAmount: plan.request.quantizedAmount, premiumCost: true },
      frozen: false,
      now: Date.now(),
    });
    const tracking = await runExitFlow(flow, r.deps, POLL);
    expect(tracking.flow.step).toBe('tracking');
    await net.operator.closeBatch();
    const before = await usdcOf(user.account.address);
    const done = await runExitFlow(tracking.flow, r.deps, POLL);
    expect(done.action).toEqual({ kind: 'done', outcome: 'withdrawn' });
    expect(await usdcOf(user.account.address)).toBe(before + amount);
    await sync(); // the verifier follows the batch that served it
    expect((await verifiedPosition(store, userPosition)).position.collateral).toBe(v.position.collateral - amount);
  });

  it('censoring operator: freeze after the grace period, then the user and a bot escape with exactly the amounts shown', async () => {
    net.operator.misbehaviour.ignoreForcedActions = true;
    const r = deps(user, userPosition);
    const flow = startExitFlow({
      id: 'censored',
      deploymentId: deployment.id,
      chainId: deployment.chainId,
      starkKey: userKey,
      positionId: userPosition,
      request: { kind: 'withdrawal', quantizedAmount: 0n, premiumCost: false },
      frozen: false,
      now: Date.now(),
    });
    const tracking = await runExitFlow(flow, r.deps, POLL);
    await net.operator.closeBatch(); // a batch that leaves the request out
    await sync();
    const waiting = await runExitFlow(tracking.flow, r.deps, POLL);
    expect(waiting.flow.step).toBe('tracking');
    const left = (waiting.action as { secondsLeft: bigint }).secondsLeft;
    await user.client.request({ method: 'evm_increaseTime', params: [Number(left)] } as never);
    await user.client.request({ method: 'evm_mine', params: [] } as never);

    const v = await verifiedPosition(store, userPosition);
    const view = marginView({ ...v, riskParams: RISK });
    const before = await usdcOf(user.account.address);
    const done = await runExitFlow(waiting.flow, r.deps, POLL);
    expect(done.action).toEqual({ kind: 'done', outcome: 'withdrawn' });
    expect(r.sent).toEqual(['forcedWithdrawalRequest', 'freezeRequest', 'verifyEscape', 'escape', 'withdraw']);
    expect(await usdcOf(user.account.address)).toBe(before + view.escapeAmount);

    // A bot (synthetic holdings, funding) escapes too; anyone may send it, the owner receives it.
    const withAssets = (await store.allPositions()).find(([, p]) => p.assets.length > 0);
    expect(withAssets).toBeDefined();
    const botId = withAssets![0];
    const bot = await verifiedPosition(store, botId);
    const botView = marginView({ ...bot, riskParams: RISK });
    const owner = net.operator.operatorAddress;
    const ownerBefore = await usdcOf(owner);
    const b = deps(user, botId);
    const escaped = await runExitFlow(
      startExitFlow({
        id: 'bot',
        deploymentId: deployment.id,
        chainId: deployment.chainId,
        starkKey: bot.position.starkKey,
        positionId: botId,
        frozen: true,
        now: Date.now(),
      }),
      b.deps,
      POLL,
    );
    expect(escaped.action).toEqual({ kind: 'done', outcome: 'withdrawn' });
    expect(escaped.flow.escape!.verifiedAmount).toBe(botView.escapeAmount);
    expect(await usdcOf(owner)).toBe(ownerBefore + botView.escapeAmount);
  });

  it('frozen, a fresh profile with no sync: the final state from L1, a proof from an untrusted file or calldata, checked before any transaction, then the escape', async () => {
    // Nothing synced: a reader over the RPC alone finds the last update and proves its state against the slot.
    const reader = createStarkExReader(
      deployment,
      MultiRpc.fromUrls([net.anvil.rpcUrl], { attempts: 2, baseDelayMs: 10 }),
    );
    const final = await finalSharedState(reader, deployment);
    const chain = createExitChainReader(
      deployment,
      new ExitRpc(MultiRpc.fromUrls([net.anvil.rpcUrl]), deployment.chainId).client(),
    );
    expect(await chain.isFrozen()).toBe(true);
    expect(final).toMatchObject({
      sharedStateHash: await chain.sharedStateHash(),
      update: { sequenceNumber: net.operator.batches.at(-1)!.sequenceNumber },
      check: 'calldata-shared-state-keccak-equals-proven-slot',
      proof: { checked: 'storage-proof-against-agreed-block-hash', isFrozen: true },
    });

    // The untrusted sources: the frozen operator serves the escape file; another Vigil's verified store gives the calldata.
    const candidates = (await store.allPositions()).filter(([id, p]) => id !== userPosition && p.collateral > 0n);
    let positionId: bigint | undefined;
    for (const [id] of candidates) if (!(await chain.escapeUsed(id))) positionId ??= id;
    expect(positionId).toBeDefined();
    const v = await verifiedPosition(store, positionId!);
    const material = await readModel(store).escapeSource({ positionId: positionId! });
    const text = serializeEscapeFile(await net.operator.escapeFile(positionId!));
    expect(text).toBe(serializeEscapeFile(escapeFile(deployment, material)));
    const expected = { deployment, positionId: positionId!, starkKey: v.position.starkKey };
    const input = parseEscapeInput(text);
    const checked = checkEscapeProof(input, final, expected);
    expect(checked.amount).toBe(marginView({ ...v, riskParams: RISK }).escapeAmount);

    // Refused before any transaction, each naming what did not match.
    const refusal = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        expect(err).toBeInstanceOf(EscapeNotPossibleError);
        return [(err as EscapeNotPossibleError).reason, (err as Error).message];
      }
      throw new Error('accepted');
    };
    const file = JSON.parse(text) as { merkleProof: string[]; starkPerpetual: string };
    const changed = {
      ...file,
      merkleProof: file.merkleProof.map((w, i) => (i === 5 ? `0x${(BigInt(w) ^ (1n << 20n)).toString(16)}` : w)),
    };
    expect(refusal(() => checkEscapeProof(parseEscapeInput(JSON.stringify(changed)), final, expected))[0]).toBe(
      'proof-invalid',
    );
    expect(refusal(() => checkEscapeProof(input, final, { ...expected, starkKey: userKey }))).toEqual([
      'proof-for-another',
      expect.stringContaining(`not position ${positionId} of key 0x${userKey.toString(16)}`),
    ]);
    const elsewhere = { ...file, starkPerpetual: `0x${'42'.repeat(20)}` };
    expect(refusal(() => checkEscapeProof(parseEscapeInput(JSON.stringify(elsewhere)), final, expected))).toEqual([
      'proof-for-another',
      expect.stringContaining('the file is for StarkPerpetual 0x4242'),
    ]);
    const lyingSlot = `0x${'0'.repeat(63)}1` as Hex;
    await expect(
      finalSharedState(reader, deployment, {
        stateAt: async (b) => ({ ...(await reader.provenStateAt(b)), sharedStateHash: lyingSlot }),
      }),
    ).rejects.toMatchObject({
      name: 'EscapeNotPossibleError',
      reason: 'shared-state-mismatch',
    });
    // Deployment settings naming another escape verifier than the one StarkPerpetual holds (slot 4).
    const otherVerifier = {
      ...deployment,
      perpetualEscapeVerifier: '0x4242424242424242424242424242424242424242' as const,
    };
    await expect(finalSharedState(reader, otherVerifier)).rejects.toMatchObject({
      name: 'EscapeNotPossibleError',
      reason: 'escape-verifier-mismatch',
      message: expect.stringContaining(`the deployment settings name ${otherVerifier.perpetualEscapeVerifier}`),
    });
    expect(final.proof.escapeVerifier.toLowerCase()).toBe(deployment.perpetualEscapeVerifier.toLowerCase());

    // The same proof as pasted verifyEscape calldata: accepted; calldata for another state: refused.
    const calldata = (sharedState: readonly bigint[]) =>
      encodeFunctionData({
        abi: perpetualEscapeVerifierAbi,
        functionName: 'verifyEscape',
        args: [material.merkleProof, BigInt(material.nAssets), sharedState],
      });
    expect(checkEscapeProof(parseEscapeInput(calldata(final.sharedState)), final, expected).amount).toBe(
      checked.amount,
    );
    const otherState = final.sharedState.map((w, i) => (i === final.sharedState.length - 1 ? w + 1n : w));
    expect(refusal(() => checkEscapeProof(parseEscapeInput(calldata(otherState)), final, expected))[0]).toBe(
      'proof-for-another',
    );

    // verifyEscape → escape → withdraw from the file's proof: the owner receives exactly the amount shown.
    const owner = net.operator.operatorAddress;
    const ownerBefore = await usdcOf(owner);
    const r = deps(user, positionId!);
    const done = await runExitFlow(
      startExitFlow({
        id: 'from-file',
        deploymentId: deployment.id,
        chainId: deployment.chainId,
        starkKey: v.position.starkKey,
        positionId: positionId!,
        frozen: true,
        now: Date.now(),
      }),
      { ...r.deps, escapeSource: escapeSourceFromProof(input, final) },
      POLL,
    );
    expect(done.action).toEqual({ kind: 'done', outcome: 'withdrawn' });
    expect(r.sent).toEqual(['verifyEscape', 'escape', 'withdraw']);
    expect(done.flow.escape!.verifiedAmount).toBe(checked.amount);
    expect(await usdcOf(owner)).toBe(ownerBefore + checked.amount);
  });
});
