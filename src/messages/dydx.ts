import { type StarkSignature, serializeStarkSignature, signHash } from '../crypto/ecdsa.js';
import {
  type DydxConditionalTransferParams,
  type DydxOrderParams,
  type DydxTransferParams,
  type DydxWithdrawalParams,
  conditionalTransferToStark,
  orderToStark,
  transferToStark,
  withdrawalToStark,
} from './dydx-convert.js';
import { orderParamsFromApi, transferParamsFromApi, withdrawalParamsFromApi } from './dydx-api.js';
import { dydxMarket, dydxMarketTable } from './dydx-markets.js';
import { factToCondition, limitFeeToQuantums, nonceFromClientId } from './dydx-helpers.js';
import { oraclePriceToStark, type DydxOraclePriceParams } from './dydx-oracle.js';
import type { MessageOptions } from './message-fields.js';
import { orderHash } from './order.js';
import { oraclePriceHash } from './oracle-price.js';
import { conditionalTransferHash, transferHash } from './transfer.js';
import { withdrawalHash } from './withdrawal.js';

/**
 * The dYdX v3 layer as one namespace (issue 3's public names): request → StarkEx message, plus
 * convert-hash-sign in one call. Conversion and hashing validate everything first, so a bad
 * input throws and no signature is ever produced.
 */
export type DydxSigned<T> = {
  stark: T;
  hash: bigint;
  signature: StarkSignature;
  /** r‖s as the dYdX API expects it (128 hex digits, no 0x). */
  signatureHex: string;
};

function signed<T>(stark: T, hash: bigint, privateKey: bigint): DydxSigned<T> {
  const signature = signHash(hash, privateKey);
  return { stark, hash, signature, signatureHex: serializeStarkSignature(signature) };
}

export const dydx = Object.freeze({
  orderToStark,
  withdrawalToStark,
  transferToStark,
  conditionalTransferToStark,
  oraclePriceToStark,
  orderParamsFromApi,
  withdrawalParamsFromApi,
  transferParamsFromApi,
  marketTable: dydxMarketTable,
  market: dydxMarket,
  nonceFromClientId,
  limitFeeToQuantums,
  factToCondition,

  signOrder(o: DydxOrderParams, networkId: number, privateKey: bigint, opts?: MessageOptions) {
    const stark = orderToStark(o, networkId, opts);
    return signed(stark, orderHash(stark, opts), privateKey);
  },
  signWithdrawal(w: DydxWithdrawalParams, networkId: number, privateKey: bigint, opts?: MessageOptions) {
    const stark = withdrawalToStark(w, networkId, opts);
    return signed(stark, withdrawalHash(stark, opts), privateKey);
  },
  signTransfer(t: DydxTransferParams, networkId: number, privateKey: bigint, opts?: MessageOptions) {
    const stark = transferToStark(t, networkId, opts);
    return signed(stark, transferHash(stark, opts), privateKey);
  },
  signConditionalTransfer(
    t: DydxConditionalTransferParams,
    networkId: number,
    privateKey: bigint,
    opts?: MessageOptions,
  ) {
    const stark = conditionalTransferToStark(t, networkId, opts);
    return signed(stark, conditionalTransferHash(stark, opts), privateKey);
  },
  signOraclePrice(p: DydxOraclePriceParams, privateKey: bigint) {
    const stark = oraclePriceToStark(p);
    return signed(stark, oraclePriceHash(stark), privateKey);
  },
});
