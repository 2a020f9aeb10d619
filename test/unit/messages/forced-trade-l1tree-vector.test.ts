import { describe, expect, it } from 'vitest';
import { recoverAddress } from 'viem';
import { forcedTradeActionHash, forcedTradeDigest } from '../../helpers/core.js';
import { readVector } from '../../helpers/vectors.js';

const FILE = 'l1tree-forced-trade-signature-dydx-mainnet.json';

// The l2beat packaging of the real mainnet forcedTradeRequest (tx 0x9b2dce55…5634): unlike
// signing/ethereum_side.json it also states the intermediate actionHash, so a wrong field order or
// width in the packed encoding is caught before the digest (signing-risk.md A2.6).
describe(FILE, () => {
  const vec = readVector(FILE);
  const p = vec.params;
  const trade = {
    starkKeyA: p.starkKeyA,
    starkKeyB: p.starkKeyB,
    positionIdA: p.positionIdA,
    positionIdB: p.positionIdB,
    collateralAssetId: p.collateralAssetId,
    syntheticAssetId: /^(0x[0-9a-f]+)/.exec(p.syntheticAssetId)![1]!,
    amountCollateral: p.amountCollateral,
    amountSynthetic: p.amountSynthetic,
    aIsBuyingSynthetic: p.aIsBuyingSynthetic,
    nonce: p.nonce,
    submissionExpirationTime: p.submissionExpirationTimeHours,
  };

  it('reproduces the actionHash and the digest party B signed', () => {
    expect(forcedTradeActionHash(trade)).toBe(vec.derived.actionHash);
    expect(forcedTradeDigest(trade)).toBe(vec.derived['signedDigest_keccak(actionHash||uint256(expirationHours))']);
  });

  it('the real signature over our digest recovers the expected party B', async () => {
    const signer = await recoverAddress({ hash: forcedTradeDigest(trade), signature: vec.signatureB });
    expect(signer.toLowerCase()).toBe(vec.expectedSignerB.toLowerCase());
    // The flag is part of the signed data: flipping it must change who the signature recovers to.
    const flipped = await recoverAddress({
      hash: forcedTradeDigest({ ...trade, aIsBuyingSynthetic: !trade.aIsBuyingSynthetic }),
      signature: vec.signatureB,
    });
    expect(flipped.toLowerCase()).not.toBe(vec.expectedSignerB.toLowerCase());
  });
});
