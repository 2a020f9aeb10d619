import { pedersen } from '../crypto/pedersen.js';
import {
  AMOUNT_BITS,
  EXPIRATION_BITS,
  NONCE_BITS,
  POSITION_ID_BITS,
  ethAddressField,
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
} from './message-fields.js';
import { checkObject } from '../checks.js';

/**
 * Withdrawal (type 6) and withdrawal to an Ethereum address (type 7, StarkPerpetual v3.1+ only),
 * signing-risk.md A2.4. Field names follow starkex-lib's `StarkwareWithdrawal`, plus the
 * collateral asset id the hash covers.
 */
export type StarkWithdrawalOf<N> = {
  assetIdCollateral: N;
  positionId: N;
  quantumsAmount: N;
  nonce: N;
  expirationEpochHours: N;
};
export type StarkWithdrawalToAddressOf<N> = StarkWithdrawalOf<N> & {
  /** The L1 recipient (owner_key), 0x + 40 hex digits or a bigint < 2^160. */
  ethAddress: N;
};
export type StarkWithdrawal = StarkWithdrawalOf<bigint>;
export type StarkWithdrawalToAddress = StarkWithdrawalToAddressOf<bigint>;

export const WITHDRAWAL = 6n;
export const WITHDRAWAL_TO_ADDRESS = 7n;

export function checkStarkWithdrawal(w: StarkWithdrawalOf<UintLike>, opts?: MessageOptions): StarkWithdrawal {
  checkObject('withdrawal', w);
  return {
    assetIdCollateral: collateralAssetIdField('assetIdCollateral', w.assetIdCollateral),
    positionId: positionIdField('positionId', w.positionId),
    quantumsAmount: amountField('quantumsAmount', w.quantumsAmount),
    nonce: nonceField('nonce', w.nonce),
    expirationEpochHours: expirationHoursField('expirationEpochHours', w.expirationEpochHours, opts),
  };
}

// Field order is position, nonce, amount, expiration (A2.4: the v1.0 doc comment is wrong).
function withdrawalWord(type: bigint, w: StarkWithdrawal): bigint {
  return pack([
    [type, 10],
    [w.positionId, POSITION_ID_BITS],
    [w.nonce, NONCE_BITS],
    [w.quantumsAmount, AMOUNT_BITS],
    [w.expirationEpochHours, EXPIRATION_BITS],
    [0n, 49],
  ]);
}

/** H(collateral asset id, pack(6, position, nonce, amount, expiration)) (A2.4). */
export function withdrawalHash(withdrawal: StarkWithdrawalOf<UintLike>, opts?: MessageOptions): bigint {
  const w = checkStarkWithdrawal(withdrawal, opts);
  return pedersen(w.assetIdCollateral, withdrawalWord(WITHDRAWAL, w));
}

/** H(H(collateral asset id, eth address), pack(7, ...)) (A2.4). Not supported by dYdX v3's contract version. */
export function withdrawalToAddressHash(
  withdrawal: StarkWithdrawalToAddressOf<UintLike>,
  opts?: MessageOptions,
): bigint {
  const w = checkStarkWithdrawal(withdrawal, opts);
  const ethAddress = ethAddressField('ethAddress', withdrawal.ethAddress);
  return pedersen(pedersen(w.assetIdCollateral, ethAddress), withdrawalWord(WITHDRAWAL_TO_ADDRESS, w));
}
