import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DYDX_V3_MAINNET,
  ExitFlowFormatError,
  ExitFlowStateError,
  PositionTree,
  applyExitEvent,
  checkExitFlow,
  encodeSharedState,
  prepareEscape,
  sharedStateHash,
  exitTransaction,
  freezableAt,
  nextExitAction,
  parseExitFlow,
  serializeExitFlow,
  startExitFlow,
  type ExitFlow,
} from '../../helpers/core.js';

// The exit flow's reducer and its persisted form (issue 10; l1-data-tree.md §5.0), without a chain.

const H = (n: number) => `0x${n.toString(16).padStart(64, '0')}` as const;
const base = { id: 'f', deploymentId: 'devnet', chainId: 31337, starkKey: 0x5n, positionId: 7n, now: 0 };
const live = () =>
  startExitFlow({ ...base, frozen: false, request: { kind: 'withdrawal', quantizedAmount: 100n, premiumCost: true } });
const escapeData = {
  merkleProof: [1n, 2n, 3n, 4n],
  nAssets: 0,
  sharedState: [9n],
  sharedStateHash: H(9),
  expectedAmount: 55n,
};

function tracked(): ExitFlow {
  let f = applyExitEvent(live(), { type: 'tx-sent', tx: 'forced-request', hash: H(1) }, 1);
  f = applyExitEvent(
    f,
    { type: 'tx-mined', tx: 'forced-request', hash: H(1), status: 'success', blockNumber: 10n, timestamp: 1_000n },
    2,
  );
  return applyExitEvent(f, { type: 'grace-period', seconds: 1_209_600n }, 3);
}

describe('exit flow reducer', () => {
  it('starts at the request on a live exchange and at the escape on a frozen one (dYdX v3)', () => {
    expect(live().step).toBe('request');
    expect(nextExitAction(live())).toEqual({ kind: 'send', tx: 'forced-request' });
    const frozen = startExitFlow({ ...base, frozen: true });
    expect(frozen.step).toBe('verify-escape');
    expect(nextExitAction(frozen)).toEqual({ kind: 'prepare-escape' });
    expect(() => startExitFlow({ ...base, frozen: false })).toThrow(ExitFlowStateError);
    expect(exitTransaction(live(), DYDX_V3_MAINNET).functionName).toBe('forcedWithdrawalRequest');
  });

  it('counts down in chain time and moves to freeze exactly at request time + grace period', () => {
    const f = tracked();
    expect(freezableAt(f)).toBe(1_000n + 1_209_600n);
    fc.assert(
      fc.property(fc.bigInt({ min: 1_000n, max: 3_000_000n }), (t) => {
        const g = applyExitEvent(f, { type: 'tick', chainTime: t }, 4);
        if (t >= 1_210_600n) expect(g.step).toBe('freeze');
        else
          expect(nextExitAction(g)).toEqual({
            kind: 'wait-service',
            freezableAt: 1_210_600n,
            secondsLeft: 1_210_600n - t,
          });
      }),
      { numRuns: 50 },
    );
    const freeze = applyExitEvent(f, { type: 'tick', chainTime: 1_210_600n }, 4);
    expect(exitTransaction(freeze, DYDX_V3_MAINNET).data.slice(0, 10)).toBe('0x75d4eefd');
  });

  it('a tracked request served valid goes to withdraw, served invalid ends; a freeze by anyone ends tracking', () => {
    expect(applyExitEvent(tracked(), { type: 'served', txHash: H(2), batchId: 3n, valid: true }, 5).step).toBe(
      'withdraw',
    );
    const invalid = applyExitEvent(tracked(), { type: 'served', txHash: H(2), batchId: 3n, valid: false }, 5);
    expect(nextExitAction(invalid)).toEqual({ kind: 'done', outcome: 'served-invalid' });
    expect(applyExitEvent(tracked(), { type: 'frozen' }, 5).step).toBe('verify-escape');
  });

  it('escape: wait for LogEscapeVerified after verifyEscape, send escape with the event amount, report an already used escape', () => {
    let f = applyExitEvent(
      startExitFlow({ ...base, frozen: true }),
      { type: 'escape-prepared', escape: escapeData },
      1,
    );
    expect(nextExitAction(f)).toEqual({ kind: 'send', tx: 'verify-escape' });
    f = applyExitEvent(f, { type: 'tx-sent', tx: 'verify-escape', hash: H(3) }, 2);
    expect(nextExitAction(f)).toEqual({ kind: 'wait-tx', tx: 'verify-escape', hash: H(3) });
    expect(() => applyExitEvent(f, { type: 'tx-sent', tx: 'verify-escape', hash: H(4) }, 3)).toThrow(
      ExitFlowStateError,
    );
    f = applyExitEvent(
      f,
      { type: 'tx-mined', tx: 'verify-escape', hash: H(3), status: 'success', blockNumber: 5n, timestamp: 9n },
      3,
    );
    expect(nextExitAction(f)).toEqual({ kind: 'wait-escape-verified' });
    expect(() => exitTransaction(f, DYDX_V3_MAINNET)).not.toThrow();
    f = applyExitEvent(f, { type: 'escape-verified', amount: 55n, txHash: H(3) }, 4);
    expect(f.step).toBe('escape');
    expect(exitTransaction(f, DYDX_V3_MAINNET).args).toEqual([0x5n, 7n, 55n]);
    expect(applyExitEvent(f, { type: 'escape-already-used', pendingWithdrawal: 0n }, 5).outcome).toBe(
      'escape-already-used',
    );
    const pending = applyExitEvent(f, { type: 'escape-already-used', pendingWithdrawal: 12n }, 5);
    expect([pending.step, pending.withdrawal]).toEqual(['withdraw', { expected: 12n }]);
  });

  it('a reverted transaction stays at its step with the reason, and may be sent again', () => {
    let f = applyExitEvent(live(), { type: 'tx-sent', tx: 'forced-request', hash: H(1) }, 1);
    f = applyExitEvent(
      f,
      {
        type: 'tx-mined',
        tx: 'forced-request',
        hash: H(1),
        status: 'reverted',
        blockNumber: 1n,
        timestamp: 1n,
        reason: 'REQUEST_ALREADY_PENDING',
      },
      2,
    );
    expect([f.step, f.problem]).toEqual(['request', 'forced-request reverted: REQUEST_ALREADY_PENDING']);
    expect(nextExitAction(f)).toEqual({ kind: 'send', tx: 'forced-request' });
    expect(
      applyExitEvent(f, { type: 'tx-sent', tx: 'forced-request', hash: H(2) }, 3).txs['forced-request']!.hash,
    ).toBe(H(2));
  });

  it('refuses events that do not belong to the step, naming step and event', () => {
    const bad: [ExitFlow, Parameters<typeof applyExitEvent>[1]][] = [
      [live(), { type: 'tx-sent', tx: 'escape', hash: H(1) }],
      [
        live(),
        { type: 'tx-mined', tx: 'forced-request', hash: H(1), status: 'success', blockNumber: 1n, timestamp: 1n },
      ],
      [live(), { type: 'escape-verified', amount: 1n, txHash: H(1) }],
      [live(), { type: 'escape-prepared', escape: escapeData }],
      [live(), { type: 'withdrawal-balance', amount: 1n }],
    ];
    for (const [f, e] of bad)
      expect(() => applyExitEvent(f, e, 0), e.type).toThrow(
        expect.objectContaining({ name: 'ExitFlowStateError', step: f.step, event: e.type }),
      );
  });

  it('persists through JSON with every bigint intact, and refuses corrupt records', () => {
    const f = applyExitEvent(tracked(), { type: 'tick', chainTime: 2_000n }, 9);
    expect(parseExitFlow(serializeExitFlow(f))).toEqual(f);
    expect(() => parseExitFlow('{')).toThrow(ExitFlowFormatError);
    expect(() => parseExitFlow(serializeExitFlow({ ...f, version: 2 as 1 }))).toThrow(ExitFlowFormatError);
    expect(() => parseExitFlow(serializeExitFlow({ ...f, step: 'teleport' as 'done' }))).toThrow(ExitFlowFormatError);
    expect(() => parseExitFlow(serializeExitFlow(f).replace('"$bigint":"7"', '"$bigint":"7x"'))).toThrow(
      ExitFlowFormatError,
    );
    // The structural check's error names the field; the format error keeps it as its cause.
    const causeOf = (v: unknown) => {
      try {
        checkExitFlow(v);
      } catch (e) {
        expect(e).toBeInstanceOf(ExitFlowFormatError);
        return (e as ExitFlowFormatError).cause;
      }
      throw new Error('expected a rejection');
    };
    expect(causeOf({ ...f, step: 'teleport' })).toMatchObject({
      name: 'RangeCheckError',
      field: 'step',
      value: 'teleport',
    });
    expect(causeOf({ ...f, version: 2 })).toMatchObject({ field: 'version', value: 2 });
    expect(causeOf({ ...f, starkKey: '5' })).toMatchObject({
      name: 'TypeCheckError',
      field: 'starkKey',
      value: '5',
      range: 'bigint',
    });
    expect(causeOf(null)).toMatchObject({ name: 'TypeCheckError', field: 'exit flow', value: null });
  });
});

describe('preparing the escape from verified data', () => {
  const ETH = 0x4554482d3900000000000000000000n;
  const FXP = 1n << 32n;
  async function fixture(collateral: bigint) {
    const position = { starkKey: 0x5n, collateral, assets: [{ assetId: ETH, balance: 10n, cachedFundingIndex: FXP }] };
    const tree = await PositionTree.create(undefined, { height: 8 });
    await tree.update([[7n, position]]);
    const ss = encodeSharedState({
      positionsRoot: await tree.root(),
      positionsTreeHeight: 8n,
      ordersRoot: 0n,
      ordersTreeHeight: 8n,
      fundingIndices: [{ assetId: ETH, fundingIndex: FXP + FXP }],
      fundingTimestamp: 1n,
      oraclePrices: [{ assetId: ETH, price: 3n * FXP }],
      systemTime: 2n,
    });
    const source = async () => ({ merkleProof: await tree.escapeProof(7n), nAssets: 1, sharedState: ss });
    const chain = (hash: string) => ({ sharedStateHash: async () => hash }) as never;
    return { source, chain, hash: sharedStateHash(ss) };
  }
  const flow = (positionId = 7n) => startExitFlow({ ...base, positionId, frozen: true });

  it('computes the amount the contract pays (collateral + value − funding) and checks the chain’s shared-state hash', async () => {
    const f = await fixture(1000n);
    const e = await prepareEscape(flow(), f.source, f.chain(f.hash));
    // 1000 + 10·3 − 10·(2 − 1) = 1020 (B2.2).
    expect(e).toMatchObject({
      type: 'escape-prepared',
      escape: { expectedAmount: 1020n, nAssets: 1, sharedStateHash: f.hash },
    });
    await expect(prepareEscape(flow(), f.source, f.chain(H(1)))).rejects.toThrow(
      expect.objectContaining({ name: 'EscapeNotPossibleError', reason: 'shared-state-mismatch' }),
    );
    await expect(prepareEscape(flow(8n), f.source, f.chain(f.hash))).rejects.toThrow(
      expect.objectContaining({ reason: 'proof-invalid' }),
    );
    const broke = await fixture(-100n);
    await expect(prepareEscape(flow(), broke.source, broke.chain(broke.hash))).rejects.toThrow(
      expect.objectContaining({ reason: 'amount-not-positive' }),
    );
  });

  it('flags a LogEscapeVerified amount that differs from Vigil’s, and escapes with the event’s amount', () => {
    let f = applyExitEvent(
      startExitFlow({ ...base, frozen: true }),
      { type: 'escape-prepared', escape: escapeData },
      1,
    );
    f = applyExitEvent(f, { type: 'escape-verified', amount: 54n, txHash: H(3) }, 2);
    expect(f.problem).toMatch(/registered 54, Vigil computed 55/);
    expect(exitTransaction(f, DYDX_V3_MAINNET).args).toEqual([0x5n, 7n, 54n]);
  });
});
