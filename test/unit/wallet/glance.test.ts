import { describe, expect, it } from 'vitest';
import { dydx } from '../../../src/messages/dydx.js';
import { applyFunding } from '../../../src/risk/funding.js';
import { riskFactorFromFraction, usdToOraclePrice } from '../../../src/risk/oracle-price.js';
import { formatRatio, ratio } from '../../../src/risk/ratio.js';
import { totalValue } from '../../../src/risk/status.js';
import { encodeSharedState, type SharedState } from '../../../src/starkex/shared-state.js';
import type { Position } from '../../../src/state/position.js';
import { accountGlance, type GlanceCheckpoint, type GlanceInput } from '../../../src/wallet/index.js';

const BTC = dydx.market('BTC-USD').syntheticAssetId;
const ETH = dydx.market('ETH-USD').syntheticAssetId;
const SYSTEM_TIME = 1_700_000_000n;
const btcPrice = usdToOraclePrice(ratio(30000n), 10n ** 10n, 10n ** 6n, 'floor');
const ethPrice = usdToOraclePrice(ratio(2000n), 10n ** 9n, 10n ** 6n, 'floor');

const state: SharedState = {
  positionsRoot: 5n,
  positionsTreeHeight: 64n,
  ordersRoot: 0n,
  ordersTreeHeight: 64n,
  fundingIndices: [
    { assetId: ETH, fundingIndex: 0n },
    { assetId: BTC, fundingIndex: 1n << 32n }, // one collateral quantum per BTC quantum since the cached 0
  ].sort((a, b) => (a.assetId < b.assetId ? -1 : 1)),
  fundingTimestamp: SYSTEM_TIME,
  oraclePrices: [
    { assetId: ETH, price: ethPrice },
    { assetId: BTC, price: btcPrice },
  ].sort((a, b) => (a.assetId < b.assetId ? -1 : 1)),
  systemTime: SYSTEM_TIME,
};

// 1000 USDC and 0.001 BTC long (owes 10 USDC of funding), 0.5 ETH short.
const position: Position = {
  starkKey: 7n,
  collateral: 1000_000000n,
  assets: [
    { assetId: ETH, balance: -500_000_000n, cachedFundingIndex: 0n },
    { assetId: BTC, balance: 10_000_000n, cachedFundingIndex: 0n },
  ].sort((a, b) => (a.assetId < b.assetId ? -1 : 1)),
};

const checkpoint: GlanceCheckpoint = {
  sequenceNumber: 41n,
  batchId: 1234n,
  blockNumber: 500n,
  sharedState: encodeSharedState(state),
  hashedSequenceNumber: 41n,
  finalizedBlock: 510n,
  pendingForced: [],
  frozen: false,
};

const input = (over: Partial<GlanceInput> = {}): GlanceInput => ({
  deployment: { id: 'devnet', name: 'Vigil devnet' },
  checkpoint,
  account: { positionId: 12n, position, leafMatchesRoot: true },
  riskParams: {
    assets: [
      { assetId: BTC, riskFactor: riskFactorFromFraction('0.05') },
      { assetId: ETH, riskFactor: riskFactorFromFraction('0.03') },
    ],
  },
  nowSeconds: SYSTEM_TIME + 12n,
  ...over,
});

describe('accountGlance (the popup at a glance, issue 17)', () => {
  it('the last verified batch: id, age from its system time, finality', () => {
    const g = accountGlance(input());
    expect(g.deployment).toEqual({ id: 'devnet', name: 'Vigil devnet' });
    expect(g.verification).toEqual({
      state: 'verified',
      batchId: '1234',
      sequenceNumber: '41',
      blockNumber: '500',
      ageSeconds: 12,
      final: true,
      finalizedBlock: '510',
      rootCheckedSequence: null,
      halted: null,
      frozen: false,
    });
    const later = accountGlance(input({ checkpoint: { ...checkpoint, finalizedBlock: 499n } }));
    expect(later.verification).toMatchObject({ final: false, finalizedBlock: '499' });
    // A clock behind the batch's system time never gives a negative age.
    expect(accountGlance(input({ nowSeconds: SYSTEM_TIME - 5n })).verification).toMatchObject({ ageSeconds: 0 });
  });

  it('equity, margin ratio and holdings of the funded position at the verified prices, by hand', () => {
    const a = accountGlance(input()).account!;
    // Collateral 1000 − 10 funding = 990; + 0.001 · 30000 − 0.5 · 2000 = 990 + 30 − 1000 = 20.
    expect(a.collateral).toBe('990.00');
    expect(a.equity).toBe('20.00');
    // Risk 5 % of 30 + 3 % of 1000 = 1.5 + 30 = 31.5; ratio 20 / 31.5 = 0.6349.
    expect(a.totalRisk).toBe('31.50');
    expect(a.marginRatio).toBe('0.6349');
    expect(a.holdings).toEqual([
      // Ascending asset id, as the position stores them.
      { market: 'BTC-USD', side: 'long', size: '0.0010000000', oraclePrice: '30000.00', value: '30.00' },
      { market: 'ETH-USD', side: 'short', size: '0.500000000', oraclePrice: '2000.00', value: '-1000.00' },
    ]);
    expect(a).toMatchObject({ positionId: '12', leafMatchesRoot: true });
  });

  it('equity is exactly src/risk totalValue of the funded position over the same verified state', () => {
    const tv = totalValue(applyFunding(position, state.fundingIndices), state.oraclePrices);
    expect(accountGlance(input()).account!.equity).toBe(formatRatio(ratio(tv, (1n << 32n) * 10n ** 6n), 2));
  });

  it('no risk held: no margin ratio; a held asset without a risk factor: equity shown, risk not, and why', () => {
    const flat = accountGlance(
      input({ account: { positionId: 1n, position: { ...position, assets: [] }, leafMatchesRoot: true } }),
    );
    expect(flat.account).toMatchObject({ equity: '1000.00', totalRisk: '0.00', marginRatio: null, holdings: [] });
    const noEth = accountGlance(
      input({ riskParams: { assets: [{ assetId: BTC, riskFactor: riskFactorFromFraction('0.05') }] } }),
    ).account!;
    expect(noEth.equity).toBe('20.00');
    expect(noEth.totalRisk).toBeNull();
    expect(noEth.marginRatio).toBeNull();
    expect(noEth.riskNotShown).toMatch(/^riskParams\.assets: .*a risk factor for every asset the position holds$/);
  });

  it('no position while the root is pending (catch-up); the last verified one after a halt', () => {
    const pending = accountGlance(input({ checkpoint: { ...checkpoint, hashedSequenceNumber: 39n } }));
    expect(pending.verification).toMatchObject({ state: 'root-pending', rootCheckedSequence: '39' });
    expect(pending.account).toBeNull();
    expect(pending.accountNotShown).toMatch(/catching up/);
    const halted = accountGlance(
      input({ checkpoint: { ...checkpoint, halted: { sequenceNumber: 42n, failure: 'root-mismatch' } } }),
    );
    expect(halted.verification).toMatchObject({
      state: 'halted',
      batchId: '1234',
      halted: { sequenceNumber: '42', failure: 'root-mismatch' },
    });
    expect(halted.account?.equity).toBe('20.00');
  });

  it('not configured, nothing verified, no stored position: no figures, and the reason', () => {
    expect(accountGlance(input({ deployment: undefined })).verification).toEqual({ state: 'not-configured' });
    const none = accountGlance(input({ checkpoint: { ...checkpoint, sharedState: undefined } }));
    expect(none.verification).toEqual({ state: 'nothing-verified' });
    // The configured genesis state (sequence 0) is not a verified batch.
    const genesis = accountGlance(input({ checkpoint: { ...checkpoint, sequenceNumber: 0n } }));
    expect(genesis.verification).toEqual({ state: 'nothing-verified' });
    expect(none.account).toBeNull();
    const { account: _, ...rest } = input();
    const unknown = accountGlance({ ...rest, accountNotShown: 'no position holds your stark key' });
    expect(unknown.account).toBeNull();
    expect(unknown.accountNotShown).toBe('no position holds your stark key');
  });

  it('pending forced requests: count, the oldest age against the grace period', () => {
    const req = (requestedAt: bigint) => ({
      kind: 'withdrawal' as const,
      key: `k${requestedAt}`,
      starkKey: 7n,
      positionId: 12n,
      blockNumber: 400n,
      requestedAt,
    });
    const withPending = { ...checkpoint, pendingForced: [req(SYSTEM_TIME - 100n), req(SYSTEM_TIME - 3600n)] };
    expect(accountGlance(input()).pending).toEqual({
      count: 0,
      oldestAgeSeconds: null,
      gracePeriodSeconds: null,
      freezePossibleInSeconds: null,
    });
    expect(accountGlance(input({ checkpoint: withPending, gracePeriodSeconds: 1_209_600n })).pending).toEqual({
      count: 2,
      oldestAgeSeconds: 3612,
      gracePeriodSeconds: '1209600',
      freezePossibleInSeconds: 1_209_600 - 3612,
    });
    // Past the grace period: a freeze can be requested now (0, never negative); unknown grace: null.
    expect(
      accountGlance(input({ checkpoint: withPending, gracePeriodSeconds: 600n })).pending.freezePossibleInSeconds,
    ).toBe(0);
    expect(accountGlance(input({ checkpoint: withPending })).pending).toMatchObject({
      count: 2,
      gracePeriodSeconds: null,
      freezePossibleInSeconds: null,
    });
  });
});
