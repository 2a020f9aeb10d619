/**
 * The arguments of a `LogForcedTradeRequest` as the contract logs them (vaultIdA/vaultIdB, the
 * event's own names), for the decoder and alarm tests.
 */
export const forcedTradeLogArgs = (starkKeyA = 0xaan, starkKeyB = 0xbbn) => ({
  starkKeyA,
  starkKeyB,
  vaultIdA: 1n,
  vaultIdB: 2n,
  collateralAssetId: 9n,
  syntheticAssetId: 8n,
  amountCollateral: 100n,
  amountSynthetic: 3n,
  aIsBuyingSynthetic: true,
  nonce: 77n,
});
