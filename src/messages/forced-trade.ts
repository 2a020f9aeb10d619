import { checkObject } from '../checks.js';
import { FIELD_PRIME } from '../crypto/field.js';
import { keccakUint, uintToBytes, utf8 } from '../crypto/keccak.js';
import { ExpirationError, NonceError } from './errors.js';
import { boolField, decUint, type UintLike } from './fields.js';
import {
  type MessageOptions,
  HOUR_MS,
  amountField,
  collateralAssetIdField,
  messageStarkKeyField,
  nowMs,
  positionIdField,
  syntheticAssetIdField,
} from './message-fields.js';

/**
 * Forced trade (signing-risk.md A2.6; starkex-contracts `ForcedTrades.sol`): party B signs, with
 * its Ethereum key and no EIP-191 prefix, digest = keccak256(actionHash ‖ uint256 expirationHours)
 * where actionHash = keccak256("FORCED_TRADE" ‖ abi.encodePacked(starkKeyA, starkKeyB,
 * positionIdA, positionIdB, collateralAssetId, syntheticAssetId, amountCollateral,
 * amountSynthetic, aIsBuyingSynthetic (1 byte), nonce)). Keccak, not EIP-712.
 */
export type ForcedTradeRequestOf<N> = {
  starkKeyA: N;
  starkKeyB: N;
  positionIdA: N;
  positionIdB: N;
  collateralAssetId: N;
  syntheticAssetId: N;
  amountCollateral: N;
  amountSynthetic: N;
  aIsBuyingSynthetic: boolean;
  /** Any value below the field prime (the contract requires nonce < P). */
  nonce: N;
  /** Hours since the epoch; the contract requires it >= block.timestamp / 3600. */
  submissionExpirationTime: N;
};
export type ForcedTradeRequest = ForcedTradeRequestOf<bigint>;

export function checkForcedTradeRequest(t: ForcedTradeRequestOf<UintLike>, opts?: MessageOptions): ForcedTradeRequest {
  checkObject('forced trade', t);
  const nonce = decUint('nonce', t.nonce, NonceError, { bits: 252, rangeText: '0 <= nonce < P' });
  if (nonce >= FIELD_PRIME) throw new NonceError('nonce', t.nonce, '0 <= nonce < P');
  const hours = decUint('submissionExpirationTime', t.submissionExpirationTime, ExpirationError, { bits: 32 });
  const ms = nowMs(opts);
  if (ms !== undefined && hours < BigInt(Math.floor(ms / HOUR_MS))) {
    // ForcedTrades.sol: require(submissionExpirationTime >= block.timestamp / 1 hours).
    throw new ExpirationError(
      'submissionExpirationTime',
      t.submissionExpirationTime,
      `${Math.floor(ms / HOUR_MS)} <= submissionExpirationTime < 2^32`,
    );
  }
  return {
    starkKeyA: messageStarkKeyField('starkKeyA', t.starkKeyA),
    starkKeyB: messageStarkKeyField('starkKeyB', t.starkKeyB),
    positionIdA: positionIdField('positionIdA', t.positionIdA),
    positionIdB: positionIdField('positionIdB', t.positionIdB),
    collateralAssetId: collateralAssetIdField('collateralAssetId', t.collateralAssetId),
    syntheticAssetId: syntheticAssetIdField('syntheticAssetId', t.syntheticAssetId),
    amountCollateral: amountField('amountCollateral', t.amountCollateral),
    amountSynthetic: amountField('amountSynthetic', t.amountSynthetic),
    aIsBuyingSynthetic: boolField('aIsBuyingSynthetic', t.aIsBuyingSynthetic),
    nonce,
    submissionExpirationTime: hours,
  };
}

const word = (v: bigint) => uintToBytes(v, 32);
const hex32 = (v: bigint): `0x${string}` => `0x${v.toString(16).padStart(64, '0')}`;

/** keccak256("FORCED_TRADE" ‖ packed fields), 0x-hex. */
export function forcedTradeActionHash(trade: ForcedTradeRequestOf<UintLike>, opts?: MessageOptions): `0x${string}` {
  const t = checkForcedTradeRequest(trade, opts);
  return hex32(actionHashOf(t));
}

function actionHashOf(t: ForcedTradeRequest): bigint {
  return keccakUint(
    utf8('FORCED_TRADE'),
    word(t.starkKeyA),
    word(t.starkKeyB),
    word(t.positionIdA),
    word(t.positionIdB),
    word(t.collateralAssetId),
    word(t.syntheticAssetId),
    word(t.amountCollateral),
    word(t.amountSynthetic),
    new Uint8Array([t.aIsBuyingSynthetic ? 1 : 0]),
    word(t.nonce),
  );
}

/** The 32-byte digest party B signs raw (eth_sign style, ecrecover'd by the contract), 0x-hex. */
export function forcedTradeDigest(trade: ForcedTradeRequestOf<UintLike>, opts?: MessageOptions): `0x${string}` {
  const t = checkForcedTradeRequest(trade, opts);
  return hex32(keccakUint(word(actionHashOf(t)), word(t.submissionExpirationTime)));
}
