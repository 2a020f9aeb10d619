import { describe, expect, it } from 'vitest';
import { dydx } from '../../../src/messages/dydx.js';
import { nonceFromClientId } from '../../../src/messages/dydx-helpers.js';
import { syntheticAssetIdOf } from '../../../src/messages/dydx-markets.js';
import { riskFactorFromFraction, usdToOraclePrice } from '../../../src/risk/oracle-price.js';
import { ratio } from '../../../src/risk/ratio.js';
import {
  NOT_VERIFIED_MESSAGE,
  decodeOrderForApproval,
  positionAfterOrder,
  type VerifiedAccount,
} from '../../../src/wallet/index.js';

const NOW = Date.parse('2024-01-01T00:00:00Z');
const DAY = 86_400_000;
const BTC = dydx.market('BTC-USD').syntheticAssetId;

function order(over: Partial<{ size: string; price: string; fee: string; side: 'BUY' | 'SELL'; days: number }> = {}) {
  return dydx.orderToStark(
    {
      positionId: '777',
      humanSize: over.size ?? '0.01',
      humanPrice: over.price ?? '30000.5',
      limitFee: over.fee ?? '0.0015',
      market: 'BTC-USD',
      side: over.side ?? 'BUY',
      expirationIsoTimestamp: new Date(NOW + (over.days ?? 10) * DAY).toISOString(),
      clientId: 'client-1',
    },
    1,
  );
}

// A verified account: 1000 USDC and 0.001 BTC at an oracle price of exactly 30000 USD, risk 5%.
const verified: VerifiedAccount = {
  position: {
    starkKey: 1n,
    collateral: 1000_000000n,
    assets: [{ assetId: BTC, balance: 10_000_000n, cachedFundingIndex: 0n }],
  },
  state: {
    oraclePrices: [{ assetId: BTC, price: usdToOraclePrice(ratio(30000n), 10n ** 10n, 10n ** 6n, 'floor') }],
    fundingIndices: [{ assetId: BTC, fundingIndex: 0n }],
  },
  riskParams: { assets: [{ assetId: BTC, riskFactor: riskFactorFromFraction('0.05') }] },
};

describe('decodeOrderForApproval', () => {
  it('shows every signed field in plain terms, computed from the StarkEx message', () => {
    const o = order();
    const a = decodeOrderForApproval(o, { networkId: 1, now: NOW });
    expect(a).toMatchObject({
      market: 'BTC-USD',
      side: 'BUY',
      size: '0.01',
      price: '30000.500000',
      notional: '300.005',
      maxFee: '0.450008',
      positionId: '777',
      nonce: nonceFromClientId('client-1').toString(),
    });
    expect(a.expiry).toBe(new Date(Number(o.expirationEpochHours) * 3_600_000).toISOString());
    expect(a.margin).toEqual({ verified: false, reason: 'not-verified', message: NOT_VERIFIED_MESSAGE });
    expect(a.warnings.map((w) => w.code)).toEqual(['no-verified-price']);
    expect(decodeOrderForApproval(order({ side: 'SELL' }), { networkId: 1, now: NOW }).side).toBe('SELL');
  });

  it('warns on a far expiry, a high fee cap and an unknown market', () => {
    expect(
      decodeOrderForApproval(order({ days: 60 }), { networkId: 1, now: NOW }).warnings.map((w) => w.code),
    ).toContain('expiry-far');
    expect(
      decodeOrderForApproval(order({ days: 29 }), { networkId: 1, now: NOW }).warnings.map((w) => w.code),
    ).not.toContain('expiry-far');
    expect(
      decodeOrderForApproval(order({ fee: '0.02' }), { networkId: 1, now: NOW }).warnings.map((w) => w.code),
    ).toContain('fee-high');
    const unknown = { ...order(), assetIdSynthetic: syntheticAssetIdOf('ZZZ', 6) };
    const a = decodeOrderForApproval(unknown, { networkId: 1, now: NOW });
    expect(a.warnings[0]!.code).toBe('unknown-market');
    expect(a.market).toBe(`0x${unknown.assetIdSynthetic.toString(16)}`);
  });

  it('with a verified state: price against the oracle, size against the position, margin before and after', () => {
    const a = decodeOrderForApproval(order(), { networkId: 1, now: NOW, verified });
    expect(a.warnings.map((w) => w.code)).toEqual(['size-large']);
    expect(
      decodeOrderForApproval(order({ price: '33000', size: '0.001' }), {
        networkId: 1,
        now: NOW,
        verified,
      }).warnings.map((w) => w.code),
    ).toEqual(['price-far-from-oracle']);
    expect(
      decodeOrderForApproval(order({ price: '31000', size: '0.001' }), { networkId: 1, now: NOW, verified }).warnings,
    ).toEqual([]);
    // TV = 1000 + 0.001·30000 = 1030; TR = 5% of 30 = 1.5. After buying 0.01 at 30000.5 with the
    // full fee: collateral 1000 − 300.005 − 0.450008, BTC 0.011 → TV 1029.544992, TR 16.5.
    expect(a.margin).toEqual({
      verified: true,
      oraclePrice: '30000.000000',
      halted: false,
      before: {
        totalValue: '1030.00',
        totalRisk: '1.50',
        marginRatio: '686.6667',
        liquidationPrice: null,
        liquidationDistance: null,
        liquidationFromOracle: null,
      },
      after: {
        totalValue: '1029.54',
        totalRisk: '16.50',
        marginRatio: '62.3967',
        liquidationPrice: null,
        liquidationDistance: null,
        liquidationFromOracle: null,
      },
    });
  });

  it('no risk factor for an asset: one readable line naming the market, no figures, no error (issue 17)', () => {
    const ETH = dydx.market('ETH-USD').syntheticAssetId;
    const withEth: VerifiedAccount = {
      ...verified,
      position: {
        ...verified.position,
        assets: [...verified.position.assets, { assetId: ETH, balance: 1_000_000_000n, cachedFundingIndex: 0n }],
      },
      state: {
        oraclePrices: [
          ...verified.state.oraclePrices,
          { assetId: ETH, price: usdToOraclePrice(ratio(2000n), 10n ** 9n, 10n ** 6n, 'floor') },
        ].sort((x, y) => (x.assetId < y.assetId ? -1 : 1)),
        fundingIndices: [...verified.state.fundingIndices, { assetId: ETH, fundingIndex: 0n }].sort((x, y) =>
          x.assetId < y.assetId ? -1 : 1,
        ),
      },
    };
    const a = decodeOrderForApproval(order(), { networkId: 1, now: NOW, verified: withEth });
    expect(a.margin).toEqual({
      verified: false,
      reason: 'no-risk-factor',
      message: `Margin impact not shown: no risk factor for ETH-USD (asset ${`0x${ETH.toString(16)}`.slice(0, 6)}…).`,
    });
    expect(a.margin.verified ? '' : a.margin.message).toContain('no risk factor for ETH-USD (asset 0x4554…)');
  });

  it('a short position gets a liquidation price, above the oracle price', () => {
    const short: VerifiedAccount = {
      ...verified,
      position: { ...verified.position, collateral: 100_000000n, assets: [] },
    };
    const a = decodeOrderForApproval(order({ side: 'SELL', price: '30000', size: '0.01' }), {
      networkId: 1,
      now: NOW,
      verified: short,
    });
    if (!a.margin.verified) throw new Error('expected a verified margin');
    expect(a.margin.before.liquidationPrice).toBeNull();
    // TV = 100 + 300 − 0.45 − 0.01·p ; TR = 0.05·0.01·p → liquidation at p = 399.55 / 0.0105.
    expect(Number(a.margin.after.liquidationPrice)).toBeCloseTo(399.55 / 0.0105, 0);
    // … and its distance from the verified oracle price (30000), in percent.
    expect(Number(a.margin.after.liquidationDistance)).toBeCloseTo((399.55 / 0.0105 / 30000 - 1) * 100, 1);
    // The sentence's form: unsigned, one decimal, and the side the price must move to (up, for a short).
    // 399.55 / 0.0105 = 38052.38… → 26.8 % above 30000.
    expect(a.margin.after.liquidationFromOracle).toEqual({ percent: '26.8', side: 'above' });
    expect(a.margin.before.liquidationFromOracle).toBeNull();
  });
});

describe('positionAfterOrder', () => {
  it('moves collateral by the notional and the full fee, and the synthetic by the size', () => {
    const o = order();
    const after = positionAfterOrder(verified.position, o, verified.state);
    expect(after.collateral).toBe(1000_000000n - o.quantumsAmountCollateral - o.quantumsAmountFee);
    expect(after.assets).toEqual([
      { assetId: BTC, balance: 10_000_000n + o.quantumsAmountSynthetic, cachedFundingIndex: 0n },
    ]);
    const closing = positionAfterOrder(verified.position, order({ side: 'SELL', size: '0.001' }), verified.state);
    expect(closing.assets).toEqual([]);
  });
});
