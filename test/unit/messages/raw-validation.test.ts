import { describe, expect, it } from 'vitest';
import { RangeCheckError, TypeCheckError } from '../../helpers/core.js';
import {
  AmountError,
  AssetIdError,
  ConditionError,
  EthAddressError,
  ExpirationError,
  KeyError,
  NonceError,
  OraclePriceError,
  PositionIdError,
  conditionalTransferHash,
  oraclePriceHash,
  orderHash,
  signHash,
  starkKeyPair,
  transferHash,
  withdrawalHash,
  withdrawalToAddressHash,
} from '../../helpers/core.js';
import { expectRejected } from './expect-rejected.js';

/** Raw StarkEx messages: every field range-checked before hashing; a bad field never reaches signHash. */
const PRIV = 0x58c7d5a90b1776bde86ebac077e053ed85b0f7164f53b080304a531947f46e3n;
const RECEIVER = '05135ef87716b0faecec3ba672d145a6daad0aa46437c365d490022115aba674';

describe('raw StarkEx message validation (every field range-checked before hashing)', () => {
  const collateral = 0x02893294412a4c8f915f75892b395ebbf6859ec246ec365c3b1f56f47c3a0a5dn;
  const rawOrder = {
    assetIdSynthetic: 0x4554482d3900000000000000000000n,
    assetIdCollateral: collateral,
    assetIdFee: collateral,
    isBuyingSynthetic: true,
    quantumsAmountSynthetic: 1n,
    quantumsAmountCollateral: 2n,
    quantumsAmountFee: 0n,
    nonce: 1n,
    positionId: 1n,
    expirationEpochHours: 500000n,
  };
  const rawWithdrawal = {
    assetIdCollateral: collateral,
    positionId: 1n,
    quantumsAmount: 5n,
    nonce: 1n,
    expirationEpochHours: 500000n,
  };
  const rawTransfer = {
    assetId: collateral,
    receiverPublicKey: BigInt(`0x${RECEIVER}`),
    senderPositionId: 1n,
    receiverPositionId: 2n,
    quantumsAmount: 5n,
    nonce: 1n,
    expirationEpochHours: 500000n,
  };
  const sign = (hash: () => bigint) => () => signHash(hash(), PRIV);

  it('valid raw messages hash', () => {
    for (const h of [
      orderHash(rawOrder),
      withdrawalHash(rawWithdrawal),
      transferHash(rawTransfer),
      conditionalTransferHash({ ...rawTransfer, condition: 4n }),
    ]) {
      expect(h).toBeGreaterThan(0n);
    }
  });

  it('amounts: < 2^64, non-negative, integers → AmountError', () => {
    for (const f of ['quantumsAmountSynthetic', 'quantumsAmountCollateral', 'quantumsAmountFee'] as const) {
      expectRejected(
        sign(() => orderHash({ ...rawOrder, [f]: 2n ** 64n })),
        AmountError,
        f,
      );
      expectRejected(
        sign(() => orderHash({ ...rawOrder, [f]: -1n })),
        AmountError,
        f,
      );
      expectRejected(
        sign(() => orderHash({ ...rawOrder, [f]: 1.5 })),
        AmountError,
        f,
      );
      expectRejected(
        sign(() => orderHash({ ...rawOrder, [f]: '1e3' })),
        AmountError,
        f,
      );
      expectRejected(
        sign(() => orderHash({ ...rawOrder, [f]: undefined as any })),
        TypeCheckError,
        f,
      );
    }
    expectRejected(
      sign(() => withdrawalHash({ ...rawWithdrawal, quantumsAmount: 2n ** 64n })),
      AmountError,
      'quantumsAmount',
    );
    expectRejected(
      sign(() => transferHash({ ...rawTransfer, quantumsAmount: 2n ** 64n })),
      AmountError,
      'quantumsAmount',
    );
    expectRejected(
      sign(() => transferHash({ ...rawTransfer, maxAmountFee: 2n ** 64n })),
      AmountError,
      'maxAmountFee',
    );
    expect(orderHash({ ...rawOrder, quantumsAmountSynthetic: 2n ** 64n - 1n })).toBeGreaterThan(0n);
  });

  it('nonce < 2^32, position id < 2^64, expiration < 2^32 and in the future when `now` is given', () => {
    expectRejected(
      sign(() => orderHash({ ...rawOrder, nonce: 2n ** 32n })),
      NonceError,
      'nonce',
    );
    expectRejected(
      sign(() => withdrawalHash({ ...rawWithdrawal, nonce: 2n ** 32n })),
      NonceError,
      'nonce',
    );
    expectRejected(
      sign(() => orderHash({ ...rawOrder, positionId: 2n ** 64n })),
      PositionIdError,
      'positionId',
    );
    expectRejected(
      sign(() => transferHash({ ...rawTransfer, receiverPositionId: 2n ** 64n })),
      PositionIdError,
      'receiverPositionId',
    );
    expectRejected(
      sign(() => transferHash({ ...rawTransfer, srcFeePositionId: 2n ** 64n })),
      PositionIdError,
      'srcFeePositionId',
    );
    expectRejected(
      sign(() => orderHash({ ...rawOrder, expirationEpochHours: 2n ** 32n })),
      ExpirationError,
      'expirationEpochHours',
    );
    expectRejected(
      sign(() => withdrawalHash({ ...rawWithdrawal, expirationEpochHours: 2n ** 32n })),
      ExpirationError,
      'expirationEpochHours',
    );
    const hour = 500000;
    expectRejected(
      sign(() => orderHash(rawOrder, { now: hour * 3_600_000 })),
      ExpirationError,
      'expirationEpochHours',
    );
    expectRejected(
      sign(() => transferHash(rawTransfer, { now: new Date(hour * 3_600_000 + 1) })),
      ExpirationError,
      'expirationEpochHours',
    );
    expect(orderHash(rawOrder, { now: hour * 3_600_000 - 1 })).toBe(orderHash(rawOrder));
  });

  it('asset ids: synthetic < 2^120, collateral and fee < 2^250 → AssetIdError', () => {
    expectRejected(
      sign(() => orderHash({ ...rawOrder, assetIdSynthetic: 2n ** 120n })),
      AssetIdError,
      'assetIdSynthetic',
    );
    expectRejected(
      sign(() => orderHash({ ...rawOrder, assetIdCollateral: 2n ** 250n })),
      AssetIdError,
      'assetIdCollateral',
    );
    expectRejected(
      sign(() => orderHash({ ...rawOrder, assetIdFee: 2n ** 250n })),
      AssetIdError,
      'assetIdFee',
    );
    expectRejected(
      sign(() => withdrawalHash({ ...rawWithdrawal, assetIdCollateral: 2n ** 250n })),
      AssetIdError,
      'assetIdCollateral',
    );
    expectRejected(
      sign(() => transferHash({ ...rawTransfer, assetId: 2n ** 250n })),
      AssetIdError,
      'assetId',
    );
    expectRejected(
      sign(() => transferHash({ ...rawTransfer, assetIdFee: 2n ** 250n })),
      AssetIdError,
      'assetIdFee',
    );
    expectRejected(
      sign(() => orderHash({ ...rawOrder, assetIdSynthetic: 'zz' })),
      AssetIdError,
      'assetIdSynthetic',
    );
  });

  it('keys non-zero and < 2^251, condition < 2^251, eth address 160 bits, order type fixed', () => {
    expectRejected(
      sign(() => transferHash({ ...rawTransfer, receiverPublicKey: 0n })),
      KeyError,
      'receiverPublicKey',
    );
    expectRejected(
      sign(() => transferHash({ ...rawTransfer, receiverPublicKey: 2n ** 251n })),
      KeyError,
      'receiverPublicKey',
    );
    expectRejected(
      sign(() => conditionalTransferHash({ ...rawTransfer, condition: 2n ** 251n })),
      ConditionError,
      'condition',
    );
    expectRejected(
      sign(() => withdrawalToAddressHash({ ...rawWithdrawal, ethAddress: 2n ** 160n })),
      EthAddressError,
      'ethAddress',
    );
    expectRejected(
      sign(() => withdrawalToAddressHash({ ...rawWithdrawal, ethAddress: '0x123' })),
      EthAddressError,
      'ethAddress',
    );
    expectRejected(
      sign(() => orderHash({ ...rawOrder, orderType: 'MARKET' as any })),
      RangeCheckError,
      'orderType',
    );
    expectRejected(
      sign(() => orderHash({ ...rawOrder, isBuyingSynthetic: 1 as any })),
      TypeCheckError,
      'isBuyingSynthetic',
    );
  });

  it('oracle price fields → OraclePriceError', () => {
    const p = { signedAssetId: 1n, signedPrice: 1n, expirationEpochSeconds: 1n };
    expectRejected(
      sign(() => oraclePriceHash({ ...p, signedPrice: 2n ** 120n })),
      OraclePriceError,
      'signedPrice',
    );
    expectRejected(
      sign(() => oraclePriceHash({ ...p, expirationEpochSeconds: 2n ** 32n })),
      OraclePriceError,
      'expirationEpochSeconds',
    );
    expectRejected(
      sign(() => oraclePriceHash({ ...p, signedAssetId: 2n ** 168n })),
      OraclePriceError,
      'signedAssetId',
    );
    expectRejected(
      sign(() => oraclePriceHash({ ...p, signedAssetId: 0n })),
      OraclePriceError,
      'signedAssetId',
    );
  });

  it('key pairs reject invalid private keys', () => {
    expectRejected(() => starkKeyPair(0n), KeyError, 'privateKey');
  });
});
