import { describe, expect, it } from 'vitest';
import { dydx } from '../../../src/messages/dydx.js';
import { dydxMarketTable } from '../../../src/messages/dydx-markets.js';
import { checkStarkConditionalTransfer, checkStarkTransfer } from '../../../src/messages/transfer.js';
import { checkStarkWithdrawal } from '../../../src/messages/withdrawal.js';
import {
  decodeOrderForApproval,
  decodeTransferForApproval,
  decodeWithdrawalForApproval,
  isRequestActive,
} from '../../../src/wallet/index.js';

/**
 * Security review: the approval shows every field the hash covers. A raw request that puts a fee,
 * a foreign fee position or a non-USDC asset into the signed fields gets it shown and flagged,
 * never summarised away as "amount: 10 USDC".
 */
const NOW = Date.parse('2024-01-01T00:00:00Z');
const HOURS = 480_000n;
const usdc1 = dydxMarketTable(1).collateral.assetId;
const usdc5 = dydxMarketTable(5).collateral.assetId;
const base = {
  assetId: usdc1,
  receiverPublicKey: 0x1234n,
  senderPositionId: 1n,
  receiverPositionId: 2n,
  quantumsAmount: 10_000_000n,
  nonce: 7n,
  expirationEpochHours: HOURS,
};

describe('decodeTransferForApproval', () => {
  it('a dYdX transfer (no fee): every field, no warning', () => {
    const a = decodeTransferForApproval(checkStarkTransfer(base), { networkId: 1 });
    expect(a.fields).toEqual({
      amount: '10 USDC',
      from: '1',
      to: '2',
      receiverKey: '0x1234',
      expiry: new Date(Number(HOURS) * 3_600_000).toISOString(),
      nonce: '7',
    });
    expect(a.warnings).toEqual([]);
  });

  it('a fee in the signed fields is shown and flagged', () => {
    const a = decodeTransferForApproval(checkStarkTransfer({ ...base, assetIdFee: usdc1, maxAmountFee: 5_000_000n }), {
      networkId: 1,
    });
    expect(a.fields.maxFee).toBe('5 USDC');
    expect(a.warnings.map((w) => w.code)).toEqual(['fee']);
  });

  it('a fee paid from another position is shown and flagged', () => {
    const a = decodeTransferForApproval(checkStarkTransfer({ ...base, srcFeePositionId: 99n }), { networkId: 1 });
    expect(a.fields.feePosition).toBe('99');
    expect(a.warnings.map((w) => w.code)).toEqual(['fee-position']);
  });

  it("an asset that is not the network's USDC is not labelled USDC", () => {
    const a = decodeTransferForApproval(checkStarkTransfer({ ...base, assetId: usdc5 }), { networkId: 1 });
    expect(a.fields.amount).toBe(`10000000 quantums of asset 0x${usdc5.toString(16)}`);
    expect(a.warnings.map((w) => w.code)).toEqual(['unknown-collateral']);
  });

  it('a conditional transfer shows its condition', () => {
    const a = decodeTransferForApproval(checkStarkConditionalTransfer({ ...base, condition: 0xabcn }), {
      networkId: 1,
    });
    expect(a.fields.condition).toBe('0xabc');
  });
});

describe('decodeWithdrawalForApproval', () => {
  it('USDC on the right network; anything else flagged', () => {
    const w = { positionId: 3n, quantumsAmount: 2_500_000n, nonce: 1n, expirationEpochHours: HOURS };
    expect(
      decodeWithdrawalForApproval(checkStarkWithdrawal({ ...w, assetIdCollateral: usdc1 }), { networkId: 1 }),
    ).toMatchObject({ fields: { amount: '2.5 USDC', positionId: '3' }, warnings: [] });
    const other = decodeWithdrawalForApproval(checkStarkWithdrawal({ ...w, assetIdCollateral: usdc1 }), {
      networkId: 5,
    });
    expect(other.fields.amount).not.toContain('USDC');
    expect(other.warnings.map((x) => x.code)).toEqual(['unknown-collateral']);
  });
});

describe('decodeOrderForApproval: collateral and fee asset', () => {
  const order = dydx.orderToStark(
    {
      positionId: '1',
      humanSize: '0.01',
      humanPrice: '30000',
      limitFee: '0.001',
      market: 'BTC-USD',
      side: 'BUY',
      expirationIsoTimestamp: new Date(NOW + 10 * 86_400_000).toISOString(),
      clientId: 'c',
    },
    1,
  );
  const codes = (o: typeof order, networkId = 1) =>
    decodeOrderForApproval(o, { networkId, now: NOW }).warnings.map((w) => w.code);
  it("no warning for the network's USDC", () => expect(codes(order)).not.toContain('unknown-collateral'));
  it('a foreign collateral or fee asset is flagged', () => {
    expect(codes({ ...order, assetIdCollateral: usdc5 })).toContain('unknown-collateral');
    expect(codes({ ...order, assetIdFee: 0n })).toContain('unknown-collateral');
    expect(codes(order, 5)).toContain('unknown-collateral');
  });
});

describe('isRequestActive', () => {
  it('an expired request is never active, whatever the sweep did', () => {
    expect(isRequestActive({ expiresAt: 1000 }, 999)).toBe(true);
    expect(isRequestActive({ expiresAt: 1000 }, 1000)).toBe(false);
    expect(isRequestActive({ expiresAt: 1000 }, 5000)).toBe(false);
  });
});
