import { checkObject, checkOneOf } from '../checks.js';
import { pedersen } from '../crypto/pedersen.js';
import {
  AMOUNT_BITS,
  EXPIRATION_BITS,
  NONCE_BITS,
  POSITION_ID_BITS,
  boolField,
  pack,
  type UintLike,
} from './fields.js';
import {
  type MessageOptions,
  amountField,
  collateralAssetIdField,
  expirationHoursField,
  nonceField,
  positionIdField,
  syntheticAssetIdField,
} from './message-fields.js';

/**
 * Perpetual limit order with fees, type 3 (signing-risk.md A2.1; stark-perpetual
 * `limit_order_hash`, starkex-lib `SignableOrder`). Field names are starkex-lib's `StarkwareOrder`.
 */
export type StarkOrderOf<N> = {
  orderType?: 'LIMIT_ORDER_WITH_FEES';
  assetIdSynthetic: N;
  assetIdCollateral: N;
  assetIdFee: N;
  isBuyingSynthetic: boolean;
  quantumsAmountSynthetic: N;
  quantumsAmountCollateral: N;
  /** The maximum fee, in fee-asset quantums. */
  quantumsAmountFee: N;
  nonce: N;
  positionId: N;
  expirationEpochHours: N;
};
/** A validated order: every field a bigint in range. */
export type StarkOrder = StarkOrderOf<bigint>;

export const LIMIT_ORDER_WITH_FEES = 3n;

/** Range-checks every field (A2 bounds) and returns the order with bigint fields. */
export function checkStarkOrder(o: StarkOrderOf<UintLike>, opts?: MessageOptions): StarkOrder {
  checkObject('order', o);
  if (o.orderType !== undefined) checkOneOf('orderType', o.orderType, ['LIMIT_ORDER_WITH_FEES']);
  return {
    orderType: 'LIMIT_ORDER_WITH_FEES',
    assetIdSynthetic: syntheticAssetIdField('assetIdSynthetic', o.assetIdSynthetic),
    assetIdCollateral: collateralAssetIdField('assetIdCollateral', o.assetIdCollateral),
    assetIdFee: collateralAssetIdField('assetIdFee', o.assetIdFee),
    isBuyingSynthetic: boolField('isBuyingSynthetic', o.isBuyingSynthetic),
    quantumsAmountSynthetic: amountField('quantumsAmountSynthetic', o.quantumsAmountSynthetic),
    quantumsAmountCollateral: amountField('quantumsAmountCollateral', o.quantumsAmountCollateral),
    quantumsAmountFee: amountField('quantumsAmountFee', o.quantumsAmountFee),
    nonce: nonceField('nonce', o.nonce),
    positionId: positionIdField('positionId', o.positionId),
    expirationEpochHours: expirationHoursField('expirationEpochHours', o.expirationEpochHours, opts),
  };
}

/** The order's message hash: H(H(H(H(sell, buy), fee), w4), w5) (A2.1). */
export function orderHash(order: StarkOrderOf<UintLike>, opts?: MessageOptions): bigint {
  const o = checkStarkOrder(order, opts);
  // Buying synthetic: sell collateral, buy synthetic; selling: the reverse (A2.1 step 1).
  const [assetSell, assetBuy] = o.isBuyingSynthetic
    ? [o.assetIdCollateral, o.assetIdSynthetic]
    : [o.assetIdSynthetic, o.assetIdCollateral];
  const [amountSell, amountBuy] = o.isBuyingSynthetic
    ? [o.quantumsAmountCollateral, o.quantumsAmountSynthetic]
    : [o.quantumsAmountSynthetic, o.quantumsAmountCollateral];
  const w4 = pack([
    [amountSell, AMOUNT_BITS],
    [amountBuy, AMOUNT_BITS],
    [o.quantumsAmountFee, AMOUNT_BITS],
    [o.nonce, NONCE_BITS],
  ]);
  // In perpetual all three vaults (fee, sell, buy) are the position id (A2.1 step 5).
  const w5 = pack([
    [LIMIT_ORDER_WITH_FEES, 10],
    [o.positionId, POSITION_ID_BITS],
    [o.positionId, POSITION_ID_BITS],
    [o.positionId, POSITION_ID_BITS],
    [o.expirationEpochHours, EXPIRATION_BITS],
    [0n, 17],
  ]);
  return pedersen(pedersen(pedersen(pedersen(assetSell, assetBuy), o.assetIdFee), w4), w5);
}
