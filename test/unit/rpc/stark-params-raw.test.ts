import { describe, expect, it } from 'vitest';
import { dydx } from '../../../src/messages/dydx.js';
import { dydxMarketTable } from '../../../src/messages/dydx-markets.js';
import {
  InvalidParamsError,
  parseSignOrderParams,
  parseSignTransferParams,
  parseSignWithdrawalParams,
} from '../../../src/rpc/index.js';

/**
 * Security review: a raw StarkEx request is signed from its raw fields. It must not also carry the
 * dYdX human fields (a dapp could show the user "BUY 0.01 BTC at 30000" while the raw fields say
 * something else), and its networkId must be one whose asset table the approval can decode.
 */
const NOW = Date.parse('2024-01-01T00:00:00Z');
const EXPIRATION = '2024-01-20T00:00:00.000Z';
const hexed = (o: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(o).map(([k, x]) => [
      k,
      typeof x === 'bigint' ? (k.startsWith('assetId') ? `0x${x.toString(16)}` : x.toString()) : x,
    ]),
  );

// The raw fields sell 5 BTC at 1 USDC; the human fields claim a small buy.
const rawOrder = hexed(
  dydx.orderToStark(
    {
      positionId: '1',
      humanSize: '5',
      humanPrice: '1',
      limitFee: '0',
      market: 'BTC-USD',
      side: 'SELL',
      expirationIsoTimestamp: EXPIRATION,
      clientId: 'c',
    },
    1,
  ),
);
const human = {
  market: 'BTC-USD',
  side: 'BUY',
  size: '0.01',
  price: '30000',
  limitFee: '0.001',
  clientId: 'c',
  expiration: EXPIRATION,
};

function expectInvalid(f: () => unknown, message: RegExp) {
  expect(f).toThrow(InvalidParamsError);
  expect(f).toThrow(message);
}

describe('raw StarkEx params', () => {
  it('alone are accepted and signed as given', () => {
    const parsed = parseSignOrderParams([rawOrder], NOW);
    expect(parsed.source).toBe('starkex');
    expect(parsed.message.quantumsAmountSynthetic).toBe(5n * 10n ** 10n);
  });

  it.each(Object.keys(human))('mixed with the dYdX field %s → -32602 naming it', (field) => {
    expectInvalid(
      () => parseSignOrderParams([{ ...rawOrder, [field]: human[field as keyof typeof human] }], NOW),
      new RegExp(`^Invalid params: ${field}: raw StarkEx fields were given`),
    );
  });

  it('withdrawal and transfer: the same rule', () => {
    const collateral = `0x${dydxMarketTable(1).collateral.assetId.toString(16)}`;
    const w = {
      assetIdCollateral: collateral,
      positionId: '1',
      quantumsAmount: '1000000',
      nonce: '1',
      expirationEpochHours: '480000',
    };
    expect(parseSignWithdrawalParams([w], NOW).source).toBe('starkex');
    expectInvalid(
      () => parseSignWithdrawalParams([{ ...w, amount: '1' }], NOW),
      /^Invalid params: amount: raw StarkEx fields/,
    );
    const t = {
      assetId: collateral,
      receiverPublicKey: '0x1234',
      senderPositionId: '1',
      receiverPositionId: '2',
      quantumsAmount: '1',
      nonce: '1',
      expirationEpochHours: '480000',
    };
    expect(parseSignTransferParams([t], NOW).source).toBe('starkex');
    expectInvalid(
      () => parseSignTransferParams([{ ...t, humanAmount: '100' }], NOW),
      /^Invalid params: humanAmount: raw StarkEx fields/,
    );
  });

  it('with a network Vigil has no asset table for → -32602 on networkId (the approval could not decode it)', () => {
    expectInvalid(() => parseSignOrderParams([{ ...rawOrder, networkId: 999 }], NOW), /networkId/);
    expect(parseSignOrderParams([{ ...rawOrder, networkId: 5 }], NOW).networkId).toBe(5);
  });
});
