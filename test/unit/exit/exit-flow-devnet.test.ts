import { describe, expect, it } from 'vitest';
import {
  createForcedTradeOffer,
  decodeForcedTradeOffer,
  encodeForcedTradeOffer,
  forcedTradeOfferSigner,
  ForcedWithdrawalRefusedError,
  nextExitAction,
  parseExitFlow,
  planForcedWithdrawal,
  runExitFlow,
  startExitFlow,
  type ExitFlow,
} from '../../helpers/core.js';
import { send } from '../devnet/devnet-fixture.js';
import {
  DAY,
  ETH,
  acct,
  addr,
  firstBatch,
  keyA,
  keyB,
  net,
  sp,
  submit,
  usdc,
  usePerpetualScenario,
} from '../devnet/perpetual-scenario.js';
import { RISK, exitDeps, usdcBalance, viewOf } from './exit-devnet.js';

// The exit end to end on devnet I contracts on anvil (issue 10 acceptance; l1-data-tree.md §5):
// censoring operator → freeze → escape → withdraw, honest operator, refusal, and resume.

usePerpetualScenario();

const POLL = { pollMs: 20 };

async function plannedFlow(amount: bigint, b: Awaited<ReturnType<typeof firstBatch>>): Promise<ExitFlow> {
  const plan = planForcedWithdrawal({
    starkKey: keyA,
    positionId: 7n,
    position: b.position,
    sharedState: b.next,
    basis: { sequenceNumber: 1n, batchId: 11n, blockNumber: 0n },
    riskParams: RISK,
    amount,
  });
  return startExitFlow({
    id: 'exit-7',
    deploymentId: 'devnet',
    chainId: net.d.chain.id,
    starkKey: keyA,
    positionId: 7n,
    request: {
      kind: 'withdrawal',
      quantizedAmount: plan.request.quantizedAmount,
      premiumCost: plan.request.premiumCost,
    },
    frozen: false,
    now: Date.now(),
  });
}

/** The censoring operator posts nothing after our request: run to the countdown, move time past it, run on. */
async function censoredUntilFreezable(flow: ExitFlow, r: ReturnType<typeof exitDeps>) {
  const tracking = await runExitFlow(flow, r.deps, POLL);
  expect(tracking.flow.step).toBe('tracking');
  expect(tracking.action).toMatchObject({ kind: 'wait-service' });
  const grace = tracking.flow.gracePeriod!;
  expect(grace).toBe(14n * DAY); // read from the chain (§1.5)
  const a = tracking.action as { secondsLeft: bigint; freezableAt: bigint };
  expect(a.secondsLeft > 0n && a.secondsLeft <= grace).toBe(true);
  await net.increaseTime(a.secondsLeft - 60n);
  const early = await runExitFlow(tracking.flow, r.deps, POLL);
  expect(early.flow.step).toBe('tracking'); // not yet: the countdown still runs
  expect((early.action as { secondsLeft: bigint }).secondsLeft).toBeLessThanOrEqual(60n);
  await net.increaseTime(61n);
  return early.flow;
}

describe('exit flow on the devnet', () => {
  it('censoring operator: forced withdrawal → grace period → freeze → escape → withdraw pays exactly the escape amount shown', async () => {
    const b = await firstBatch();
    await submit(b);
    const view = viewOf(b);
    expect(view.escapePayable).toBe(true);
    // The position's synthetic PnL beyond the deposit comes from the faucet (as in the escape test).
    await send(acct(0), net.d, {
      ...usdc(),
      functionName: 'mint',
      args: [net.d.addresses.starkPerpetual, view.escapeAmount],
    });

    const r = exitDeps(1, b);
    const flow = await censoredUntilFreezable(await plannedFlow(view.safeForcedWithdrawal.amount!, b), r);
    const before = await usdcBalance(addr(1));
    const done = await runExitFlow(flow, r.deps, POLL);

    expect(done.action).toEqual({ kind: 'done', outcome: 'withdrawn' });
    expect(r.sent.map((t) => t.functionName)).toEqual([
      'forcedWithdrawalRequest',
      'freezeRequest',
      'verifyEscape',
      'escape',
      'withdraw',
    ]);
    expect(done.flow.escape!.expectedAmount).toBe(view.escapeAmount);
    expect(done.flow.escape!.verifiedAmount).toBe(view.escapeAmount);
    expect(await usdcBalance(addr(1))).toBe(before + view.escapeAmount);
    expect(await acct(0).client.readContract({ ...sp(), functionName: 'isFrozen' } as never)).toBe(true);

    // A second flow for the same position: the escape is reported as already used, nothing is sent.
    const again = exitDeps(2, b);
    const second = await runExitFlow(
      startExitFlow({
        id: 'exit-7b',
        deploymentId: 'devnet',
        chainId: net.d.chain.id,
        starkKey: keyA,
        positionId: 7n,
        frozen: true,
        now: Date.now(),
      }),
      again.deps,
      POLL,
    );
    expect(second.action).toEqual({ kind: 'done', outcome: 'escape-already-used' });
    expect(again.sent).toEqual([]);
  });

  it('honest operator: the next batch serves the forced withdrawal, and it is withdrawn', async () => {
    const b = await firstBatch();
    await submit(b);
    const amount = viewOf(b).safeForcedWithdrawal.amount! / 2n;
    const r = exitDeps(1, b);
    const tracking = await runExitFlow(await plannedFlow(amount, b), r.deps, POLL);
    expect(tracking.flow.step).toBe('tracking');

    const served = await firstBatch({
      prev: b.next,
      previousBatchId: 11n,
      withdrawn: amount,
      modifications: [{ starkKey: keyA, positionId: 7n, delta: -amount }],
      forcedActions: [{ type: 'withdrawal', starkKey: keyA, positionId: 7n, quantizedAmount: amount }],
    });
    await submit(served);
    const before = await usdcBalance(addr(1));
    const done = await runExitFlow(tracking.flow, r.deps, POLL);
    expect(done.flow.service).toMatchObject({ valid: true });
    expect(done.flow.withdrawal).toEqual({ expected: amount });
    expect(done.action).toEqual({ kind: 'done', outcome: 'withdrawn' });
    expect(r.sent.map((t) => t.functionName)).toEqual(['forcedWithdrawalRequest', 'withdraw']);
    expect(await usdcBalance(addr(1))).toBe(before + amount);
  });

  it('an operator that marks the request invalid: served, nothing to withdraw, no freeze offered', async () => {
    const b = await firstBatch();
    await submit(b);
    const r = exitDeps(1, b);
    const tracking = await runExitFlow(await plannedFlow(1000n, b), r.deps, POLL);
    await submit(
      await firstBatch({
        prev: b.next,
        previousBatchId: 11n,
        modifications: [],
        forcedActions: [{ type: 'withdrawal', starkKey: keyA, positionId: 7n, quantizedAmount: 1000n }],
      }),
    );
    const done = await runExitFlow(tracking.flow, r.deps, POLL);
    expect(done.action).toEqual({ kind: 'done', outcome: 'served-invalid' });
    expect(r.sent.map((t) => t.functionName)).toEqual(['forcedWithdrawalRequest']);
  });

  it('an invalid amount is refused before anything is sent', async () => {
    const b = await firstBatch();
    await submit(b);
    const view = viewOf(b);
    const nonce = await acct(1).client.getTransactionCount({ address: addr(1) });
    for (const amount of [view.maxForcedWithdrawal! + 1n, view.safeForcedWithdrawal.amount! + 1n]) {
      await expect(plannedFlow(amount, b)).rejects.toThrow(ForcedWithdrawalRefusedError);
    }
    expect(await acct(1).client.getTransactionCount({ address: addr(1) })).toBe(nonce);
    expect(
      await acct(0).client.readContract({
        ...sp(),
        functionName: 'getForcedWithdrawalRequest',
        args: [keyA, 7n, view.maxForcedWithdrawal! + 1n],
      } as never),
    ).toBe(0n);
  });

  it('a flow persisted between verifyEscape and escape resumes at escape with a fresh runner', async () => {
    const b = await firstBatch();
    await submit(b);
    const view = viewOf(b);
    await send(acct(0), net.d, {
      ...usdc(),
      functionName: 'mint',
      args: [net.d.addresses.starkPerpetual, view.escapeAmount],
    });
    const first = exitDeps(1, b);
    const flow = await censoredUntilFreezable(await plannedFlow(0n, b), first);
    const stopped = await runExitFlow(flow, first.deps, {
      ...POLL,
      stopBefore: (_f, a) => a.kind === 'send' && a.tx === 'escape',
    });
    expect(stopped.flow.step).toBe('escape');
    expect(first.sent.map((t) => t.functionName)).toEqual(['forcedWithdrawalRequest', 'freezeRequest', 'verifyEscape']);

    // "Browser restart": only the last saved record survives; a new runner with no escape source.
    const restored = parseExitFlow(first.saved.at(-1)!);
    expect(restored).toEqual(stopped.flow);
    expect(nextExitAction(restored)).toEqual({ kind: 'send', tx: 'escape' });
    const second = exitDeps(2);
    const before = await usdcBalance(addr(1));
    const done = await runExitFlow(restored, second.deps, POLL);
    expect(done.action).toEqual({ kind: 'done', outcome: 'withdrawn' });
    expect(second.sent.map((t) => t.functionName)).toEqual(['escape', 'withdraw']);
    expect(done.flow.txs['verify-escape']!.hash).toBe(stopped.flow.txs['verify-escape']!.hash);
    expect(await usdcBalance(addr(1))).toBe(before + view.escapeAmount);
  });
});

describe('forced trade between two Vigil users on the devnet', () => {
  it('party B’s offer string → party A submits forcedTradeRequest → censored → freeze through the trade overload', async () => {
    const b = await firstBatch();
    await submit(b);
    const hours = (await net.latestTimestamp()) / 3600n + 24n;
    const trade = {
      starkKeyA: keyA,
      starkKeyB: keyB,
      positionIdA: 7n,
      positionIdB: 8n,
      collateralAssetId: net.d.usdcAssetType,
      syntheticAssetId: ETH,
      amountCollateral: 1_000_000n,
      amountSynthetic: 20_000_000n,
      aIsBuyingSynthetic: false,
      nonce: 77n,
      submissionExpirationTime: hours,
    };
    // Party B (account 2) signs; the offer travels as a string.
    const text = encodeForcedTradeOffer(
      await createForcedTradeOffer({
        chainId: net.d.chain.id,
        starkPerpetual: net.d.addresses.starkPerpetual,
        trade,
        sign: (hash) => acct(2).account.sign({ hash }),
      }),
    );
    const offer = decodeForcedTradeOffer(text);
    expect(await forcedTradeOfferSigner(offer)).toBe(
      await acct(0).client.readContract({ ...sp(), functionName: 'getEthKey', args: [keyB] } as never),
    );

    const r = exitDeps(1, b);
    // The collateral a trade must name is the exchange's system asset type, read from L1.
    expect(await r.deps.chain.systemAssetType()).toBe(net.d.usdcAssetType);
    const flow = startExitFlow({
      id: 'trade',
      deploymentId: 'devnet',
      chainId: net.d.chain.id,
      starkKey: keyA,
      positionId: 7n,
      request: { kind: 'trade', trade: offer.trade, signature: offer.signature, premiumCost: false },
      frozen: false,
      now: Date.now(),
    });
    const tracking = await runExitFlow(flow, r.deps, POLL);
    expect(tracking.flow.step).toBe('tracking');
    expect(await r.deps.chain.forcedTradeRequestTime(offer.trade)).toBe(tracking.flow.txs['forced-request']!.timestamp);
    await net.increaseTime(14n * DAY);
    const frozen = await runExitFlow(tracking.flow, r.deps, { ...POLL, stopBefore: (f) => f.step === 'verify-escape' });
    expect(frozen.flow.step).toBe('verify-escape');
    expect(r.sent.map((t) => [t.functionName, t.data.slice(0, 10)])).toEqual([
      ['forcedTradeRequest', '0x2ecb8162'],
      ['freezeRequest', '0x3153a386'],
    ]);
    expect(await r.deps.chain.isFrozen()).toBe(true);
  });
});
