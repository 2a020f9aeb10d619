import { MarketError } from './errors.js';
import type { UintLike } from './fields.js';
import type { DydxOrderParams, DydxTransferParams, DydxWithdrawalParams } from './dydx-convert.js';
import { checkObject } from '../checks.js';

/**
 * The dYdX v3 REST request bodies (POST /v3/orders, /v3/withdrawals, /v3/transfers, as built by
 * @dydxprotocol/v3-client `createOrder` / `createWithdrawal` / `createTransfer`) mapped to the
 * starkex-lib parameter objects the converters take. Fields the STARK message does not cover
 * (type, timeInForce, postOnly, reduceOnly, cancelId, triggerPrice, trailingPercent,
 * receiverAccountId, signature) are ignored here: a preview must show them separately.
 */
export type DydxApiOrder = {
  market: string;
  side: 'BUY' | 'SELL';
  size: string;
  price: string;
  limitFee: string;
  expiration: string;
  clientId: string;
  type?: string;
  timeInForce?: string;
  postOnly?: boolean;
  reduceOnly?: boolean;
  cancelId?: string;
  triggerPrice?: string;
  trailingPercent?: string;
  signature?: string;
};

export type DydxApiWithdrawal = {
  amount: string;
  asset: string;
  expiration: string;
  clientId: string;
  signature?: string;
};

export type DydxApiTransfer = {
  amount: string;
  receiverPublicKey: string;
  receiverPositionId: string;
  receiverAccountId?: string;
  expiration: string;
  clientId: string;
  signature?: string;
};

function object(what: string, v: unknown): void {
  checkObject(what, v);
}

export function orderParamsFromApi(order: DydxApiOrder, positionId: UintLike): DydxOrderParams {
  object('order', order);
  return {
    positionId,
    humanSize: order.size,
    humanPrice: order.price,
    limitFee: order.limitFee,
    market: order.market,
    side: order.side,
    expirationIsoTimestamp: order.expiration,
    clientId: order.clientId,
  };
}

export function withdrawalParamsFromApi(withdrawal: DydxApiWithdrawal, positionId: UintLike): DydxWithdrawalParams {
  object('withdrawal', withdrawal);
  // Only the collateral can be withdrawn on dYdX v3.
  if (withdrawal.asset !== 'USDC') throw new MarketError('asset', withdrawal.asset, '"USDC"');
  return {
    positionId,
    humanAmount: withdrawal.amount,
    expirationIsoTimestamp: withdrawal.expiration,
    clientId: withdrawal.clientId,
  };
}

export function transferParamsFromApi(transfer: DydxApiTransfer, positionId: UintLike): DydxTransferParams {
  object('transfer', transfer);
  return {
    senderPositionId: positionId,
    receiverPositionId: transfer.receiverPositionId,
    receiverPublicKey: transfer.receiverPublicKey,
    humanAmount: transfer.amount,
    expirationIsoTimestamp: transfer.expiration,
    clientId: transfer.clientId,
  };
}
