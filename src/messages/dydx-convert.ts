import { KeyError } from '../crypto/ecdsa-errors.js';
import { isValidStarkKey } from '../crypto/ecdsa.js';
import { type Decimal, decimalToQuantums, isZero, multiplyDecimals, parseHumanDecimal } from './decimal.js';
import { dydxMarket, dydxMarketTable } from './dydx-markets.js';
import {
  STARK_ORDER_SIGNATURE_EXPIRATION_BUFFER_HOURS,
  factToCondition,
  isoTimestampToEpochHours,
  isoTimestampToMs,
  limitFeeToQuantums,
  nonceFromClientId,
} from './dydx-helpers.js';
import { AmountError, ExpirationError, OrderSideError, PositionIdError } from './errors.js';
import type { UintLike } from './fields.js';
import { type MessageOptions, messageStarkKeyField, nonceField, nowMs, positionIdField } from './message-fields.js';
import { type StarkOrder, checkStarkOrder } from './order.js';
import {
  type StarkConditionalTransfer,
  type StarkTransfer,
  checkStarkConditionalTransfer,
  checkStarkTransfer,
} from './transfer.js';
import { type StarkWithdrawal, checkStarkWithdrawal } from './withdrawal.js';
import { RangeCheckError, TypeCheckError } from '../errors.js';
import { checkObject } from '../checks.js';

/**
 * dYdX v3 request → StarkEx message (signing-risk.md A2.1–A2.4, A3; starkex-lib
 * `SignableOrder.fromOrderWithClientId`, `SignableWithdrawal`, `SignableTransfer`,
 * `SignableConditionalTransfer`). Parameter names and string formats are starkex-lib's.
 * Every human value is converted exactly; every result field is range-checked before return.
 */

/** Either a clientId (nonce = SHA-256 mod 2^32) or an explicit nonce, as in starkex-lib. */
type NonceSource = { clientId: string; nonce?: undefined } | { clientId?: undefined; nonce: UintLike };

export type DydxOrderParams = {
  positionId: UintLike;
  humanSize: string;
  /** Limit price in USD per whole synthetic; or give humanQuoteAmount instead. */
  humanPrice?: string;
  humanQuoteAmount?: string;
  limitFee: string;
  market: string;
  side: 'BUY' | 'SELL';
  expirationIsoTimestamp: string;
} & NonceSource;

export type DydxWithdrawalParams = {
  positionId: UintLike;
  humanAmount: string;
  expirationIsoTimestamp: string;
} & NonceSource;

export type DydxTransferParams = {
  senderPositionId: UintLike;
  receiverPositionId: UintLike;
  /** Receiver's stark key, hex (0x optional) as in the dYdX API. */
  receiverPublicKey: UintLike;
  humanAmount: string;
  expirationIsoTimestamp: string;
} & NonceSource;

export type DydxConditionalTransferParams = DydxTransferParams & {
  factRegistryAddress: string;
  fact: string;
};

const MAX_QUANTUMS = 1n << 64n;

function nonceOf(p: { clientId?: string; nonce?: UintLike }): bigint {
  if (p.clientId !== undefined && p.nonce !== undefined)
    throw new RangeCheckError('nonce', p.nonce, 'either clientId or nonce, not both');
  if (p.clientId !== undefined) return nonceFromClientId(p.clientId);
  if (p.nonce !== undefined) return nonceField('nonce', p.nonce);
  throw new TypeCheckError('clientId', p.clientId, 'string (or an explicit nonce)');
}

/** With `now`, the API expiration itself must be in the future (the user's intent has not lapsed). */
function expirationHours(field: string, iso: unknown, opts: MessageOptions | undefined): bigint {
  const ms = isoTimestampToMs(iso, field);
  const now = nowMs(opts);
  if (now !== undefined && ms <= now)
    throw new ExpirationError(field, iso, `after now (${new Date(now).toISOString()})`);
  return isoTimestampToEpochHours(iso, field);
}

/** Human → quantums, exact or rounded, non-zero and < 2^64; errors name the human field. */
function quantums(
  field: string,
  raw: unknown,
  d: Decimal,
  decimals: number,
  rounding: 'exact' | 'up' | 'down',
): bigint {
  if (isZero(d)) throw new AmountError(field, raw, `> 0`);
  const q = decimalToQuantums(field, raw, d, decimals, rounding);
  if (q === 0n) throw new AmountError(field, raw, `at least one quantum (1e-${decimals}) after rounding ${rounding}`);
  if (q >= MAX_QUANTUMS) throw new AmountError(field, raw, `< 2^64 quantums of 1e-${decimals}`);
  return q;
}

function requireObject(what: string, v: unknown): void {
  checkObject(what, v);
}

export function orderToStark(o: DydxOrderParams, networkId: number, opts?: MessageOptions): StarkOrder {
  requireObject('order', o);
  const { collateral } = dydxMarketTable(networkId);
  const market = dydxMarket(o.market);
  if (o.side !== 'BUY' && o.side !== 'SELL') throw new OrderSideError('side', o.side, '"BUY" or "SELL"');
  const isBuyingSynthetic = o.side === 'BUY';
  const size = parseHumanDecimal(o.humanSize, 'humanSize');
  const quantumsAmountSynthetic = quantums('humanSize', o.humanSize, size, market.resolution, 'exact');
  let quantumsAmountCollateral: bigint;
  if (o.humanQuoteAmount !== undefined) {
    if (o.humanPrice !== undefined)
      throw new RangeCheckError(
        'humanQuoteAmount',
        o.humanQuoteAmount,
        'either humanPrice or humanQuoteAmount, not both',
      );
    // A quote amount given directly must be exact (A3.4).
    quantumsAmountCollateral = quantums(
      'humanQuoteAmount',
      o.humanQuoteAmount,
      parseHumanDecimal(o.humanQuoteAmount, 'humanQuoteAmount'),
      collateral.resolution,
      'exact',
    );
  } else {
    const price = parseHumanDecimal(o.humanPrice, 'humanPrice');
    if (isZero(price)) throw new AmountError('humanPrice', o.humanPrice, '> 0');
    // BUY rounds up (pay at most this), SELL rounds down (receive at least this) (A3.4).
    quantumsAmountCollateral = quantums(
      'humanPrice',
      o.humanPrice,
      multiplyDecimals(size, price),
      collateral.resolution,
      isBuyingSynthetic ? 'up' : 'down',
    );
  }
  const quantumsAmountFee = limitFeeToQuantums(o.limitFee, quantumsAmountCollateral);
  if (quantumsAmountFee >= MAX_QUANTUMS) throw new AmountError('limitFee', o.limitFee, `fee < 2^64 quantums`);
  const expirationEpochHours =
    expirationHours('expirationIsoTimestamp', o.expirationIsoTimestamp, opts) +
    STARK_ORDER_SIGNATURE_EXPIRATION_BUFFER_HOURS;
  return checkStarkOrder(
    {
      orderType: 'LIMIT_ORDER_WITH_FEES',
      assetIdSynthetic: market.syntheticAssetId,
      assetIdCollateral: collateral.assetId,
      assetIdFee: collateral.assetId, // dYdX pays fees in collateral (A2.1)
      isBuyingSynthetic,
      quantumsAmountSynthetic,
      quantumsAmountCollateral,
      quantumsAmountFee,
      nonce: nonceOf(o),
      positionId: positionIdField('positionId', o.positionId),
      expirationEpochHours,
    },
    opts,
  );
}

function collateralQuantums(field: string, raw: unknown, resolution: number): bigint {
  return quantums(field, raw, parseHumanDecimal(raw, field), resolution, 'exact');
}

export function withdrawalToStark(w: DydxWithdrawalParams, networkId: number, opts?: MessageOptions): StarkWithdrawal {
  requireObject('withdrawal', w);
  const { collateral } = dydxMarketTable(networkId);
  return checkStarkWithdrawal(
    {
      assetIdCollateral: collateral.assetId,
      positionId: positionIdField('positionId', w.positionId),
      quantumsAmount: collateralQuantums('humanAmount', w.humanAmount, collateral.resolution),
      nonce: nonceOf(w),
      // No 168-hour buffer for withdrawals and transfers (A2.4).
      expirationEpochHours: expirationHours('expirationIsoTimestamp', w.expirationIsoTimestamp, opts),
    },
    opts,
  );
}

function transferFields(t: DydxTransferParams, networkId: number, opts: MessageOptions | undefined): StarkTransfer {
  requireObject('transfer', t);
  const { collateral } = dydxMarketTable(networkId);
  const senderPositionId = positionIdField('senderPositionId', t.senderPositionId);
  const receiverPositionId = positionIdField('receiverPositionId', t.receiverPositionId);
  // The perpetual program rejects a transfer to the sender's own position (A2.2).
  if (senderPositionId === receiverPositionId)
    throw new PositionIdError('receiverPositionId', t.receiverPositionId, 'receiverPositionId != senderPositionId');
  const receiverPublicKey = messageStarkKeyField('receiverPublicKey', t.receiverPublicKey);
  // A key off the curve can never sign: funds sent to it could never move again.
  if (!isValidStarkKey(receiverPublicKey))
    throw new KeyError('receiverPublicKey', t.receiverPublicKey, 'the x coordinate of a point on the STARK curve');
  return checkStarkTransfer(
    {
      assetId: collateral.assetId,
      assetIdFee: 0n,
      receiverPublicKey,
      senderPositionId,
      receiverPositionId,
      srcFeePositionId: senderPositionId,
      quantumsAmount: collateralQuantums('humanAmount', t.humanAmount, collateral.resolution),
      maxAmountFee: 0n,
      nonce: nonceOf(t),
      expirationEpochHours: expirationHours('expirationIsoTimestamp', t.expirationIsoTimestamp, opts),
    },
    opts,
  );
}

export function transferToStark(t: DydxTransferParams, networkId: number, opts?: MessageOptions): StarkTransfer {
  return transferFields(t, networkId, opts);
}

export function conditionalTransferToStark(
  t: DydxConditionalTransferParams,
  networkId: number,
  opts?: MessageOptions,
): StarkConditionalTransfer {
  const base = transferFields(t, networkId, opts);
  return checkStarkConditionalTransfer({ ...base, condition: factToCondition(t.factRegistryAddress, t.fact) }, opts);
}
