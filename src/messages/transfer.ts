import { checkObject } from '../checks.js';
import { pedersen } from '../crypto/pedersen.js';
import { AMOUNT_BITS, EXPIRATION_BITS, NONCE_BITS, POSITION_ID_BITS, pack, type UintLike } from './fields.js';
import {
  type MessageOptions,
  amountField,
  collateralAssetIdField,
  conditionField,
  expirationHoursField,
  messageStarkKeyField,
  nonceField,
  positionIdField,
} from './message-fields.js';

/**
 * Transfer (type 4) and conditional transfer (type 5), signing-risk.md A2.2–A2.3. Field names
 * follow starkex-lib's `StarkwareTransfer`, plus the asset ids and fee fields of the generic
 * StarkEx message (dYdX: fee asset 0, max fee 0, fee position = sender position).
 */
export type StarkTransferOf<N> = {
  /** The transferred asset: the collateral asset id. */
  assetId: N;
  /** Default 0 (perpetual transfers carry no fee). */
  assetIdFee?: N;
  receiverPublicKey: N;
  senderPositionId: N;
  receiverPositionId: N;
  /** Default: senderPositionId. */
  srcFeePositionId?: N;
  quantumsAmount: N;
  /** Default 0. */
  maxAmountFee?: N;
  nonce: N;
  expirationEpochHours: N;
};
export type StarkConditionalTransferOf<N> = StarkTransferOf<N> & { condition: N };

export type StarkTransfer = Required<StarkTransferOf<bigint>>;
export type StarkConditionalTransfer = Required<StarkConditionalTransferOf<bigint>>;

export const TRANSFER = 4n;
export const CONDITIONAL_TRANSFER = 5n;

export function checkStarkTransfer(t: StarkTransferOf<UintLike>, opts?: MessageOptions): StarkTransfer {
  checkObject('transfer', t);
  const senderPositionId = positionIdField('senderPositionId', t.senderPositionId);
  return {
    assetId: collateralAssetIdField('assetId', t.assetId),
    assetIdFee: collateralAssetIdField('assetIdFee', t.assetIdFee ?? 0n),
    receiverPublicKey: messageStarkKeyField('receiverPublicKey', t.receiverPublicKey),
    senderPositionId,
    receiverPositionId: positionIdField('receiverPositionId', t.receiverPositionId),
    srcFeePositionId: positionIdField('srcFeePositionId', t.srcFeePositionId ?? senderPositionId),
    quantumsAmount: amountField('quantumsAmount', t.quantumsAmount),
    maxAmountFee: amountField('maxAmountFee', t.maxAmountFee ?? 0n),
    nonce: nonceField('nonce', t.nonce),
    expirationEpochHours: expirationHoursField('expirationEpochHours', t.expirationEpochHours, opts),
  };
}

export function checkStarkConditionalTransfer(
  t: StarkConditionalTransferOf<UintLike>,
  opts?: MessageOptions,
): StarkConditionalTransfer {
  const base = checkStarkTransfer(t, opts);
  return { ...base, condition: conditionField('condition', t.condition) };
}

function transferWords(type: bigint, t: StarkTransfer): [bigint, bigint] {
  const w4 = pack([
    [t.senderPositionId, POSITION_ID_BITS],
    [t.receiverPositionId, POSITION_ID_BITS],
    [t.srcFeePositionId, POSITION_ID_BITS],
    [t.nonce, NONCE_BITS],
  ]);
  const w5 = pack([
    [type, 10],
    [t.quantumsAmount, AMOUNT_BITS],
    [t.maxAmountFee, AMOUNT_BITS],
    [t.expirationEpochHours, EXPIRATION_BITS],
    [0n, 81],
  ]);
  return [w4, w5];
}

/** H(H(H(H(asset, fee asset), receiver key), w4), w5) (A2.2). */
export function transferHash(transfer: StarkTransferOf<UintLike>, opts?: MessageOptions): bigint {
  const t = checkStarkTransfer(transfer, opts);
  const [w4, w5] = transferWords(TRANSFER, t);
  return pedersen(pedersen(pedersen(pedersen(t.assetId, t.assetIdFee), t.receiverPublicKey), w4), w5);
}

/** As the transfer, with the condition hashed in after the receiver key and type 5 (A2.3). */
export function conditionalTransferHash(transfer: StarkConditionalTransferOf<UintLike>, opts?: MessageOptions): bigint {
  const t = checkStarkConditionalTransfer(transfer, opts);
  const [w4, w5] = transferWords(CONDITIONAL_TRANSFER, t);
  const m = pedersen(pedersen(pedersen(t.assetId, t.assetIdFee), t.receiverPublicKey), t.condition);
  return pedersen(pedersen(m, w4), w5);
}
