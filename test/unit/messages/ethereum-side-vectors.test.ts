import { describe, expect, it } from 'vitest';
import { hexToBytes } from '@noble/hashes/utils.js';
import { recoverAddress } from 'viem';
import {
  ExpirationError,
  dydxKeyPairFromData,
  forcedTradeActionHash,
  forcedTradeDigest,
  registrationMessageHash,
  signRegistration,
  verifyHash,
} from '../../helpers/core.js';
import { readVector } from '../../helpers/vectors.js';

describe('signing/ethereum_side.json', () => {
  const vec = readVector('signing/ethereum_side.json');

  it('L1 registration: r‖s‖y of the l2beat vector reproduces and verifies', () => {
    const reg = vec.registration_stark_signature;
    const pair = dydxKeyPairFromData(hexToBytes('1234')); // "keccak256(0x1234) >> 5"
    const signed = signRegistration(reg.eth_address, pair.privateKey);
    expect(signed.starkSignature).toBe(reg.rsy);
    expect(signed.y).toBe(pair.publicKeyY);
    const hash = registrationMessageHash(reg.eth_address, pair.publicKey);
    expect(verifyHash(hash, signed, { x: pair.publicKey, y: pair.publicKeyY })).toBe(true);
  });

  it('forced trade: the digest of the real mainnet AAVE trade recovers party B', async () => {
    const ft = vec.forced_trade_accept;
    const syntheticAssetId = BigInt(/\((0x[0-9a-f]+)\)/.exec(ft.syntheticAssetId)![1]!);
    const trade = {
      starkKeyA: ft.starkKeyA,
      starkKeyB: ft.starkKeyB,
      positionIdA: BigInt(ft.positionIdA),
      positionIdB: BigInt(ft.positionIdB),
      collateralAssetId: ft.collateralAssetId,
      syntheticAssetId,
      amountCollateral: BigInt(ft.collateralAmount),
      amountSynthetic: BigInt(ft.syntheticAmount),
      aIsBuyingSynthetic: ft.isABuyingSynthetic,
      nonce: ft.nonce,
      submissionExpirationTime: ft.submissionExpirationTime_hours,
    };
    expect(ft.submissionExpirationTime_hours * 3_600_000).toBe(ft.submissionExpirationTime_ms);
    const digest = forcedTradeDigest(trade);
    const signer = await recoverAddress({ hash: digest, signature: ft.signature });
    expect(signer.toLowerCase()).toBe(ft.expected_signer.toLowerCase());
    expect(forcedTradeActionHash(trade)).not.toBe(digest);
    // A different expiration is a different digest (it is signed), and it may not lie in the past.
    expect(forcedTradeDigest({ ...trade, submissionExpirationTime: 960001 })).not.toBe(digest);
    expect(() => forcedTradeDigest(trade, { now: (ft.submissionExpirationTime_hours + 1) * 3_600_000 })).toThrow(
      ExpirationError,
    );
    expect(forcedTradeDigest(trade, { now: ft.submissionExpirationTime_hours * 3_600_000 })).toBe(digest);
  });
});
