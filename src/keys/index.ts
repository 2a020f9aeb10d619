/** STARK keys: dYdX v3 derivation, StarkWare grinding / EIP-2645, key pairs (signing-risk.md A1). */
export { KeyDerivationError } from './errors.js';
export { type StarkKeyPair, starkKeyPair, starkKeyPairToHex } from './stark-key.js';
export {
  SIGNATURE_TYPE_EIP712,
  SIGNATURE_TYPE_PERSONAL,
  type DydxKeyOptions,
  type DydxKeyCandidate,
  dydxKeyPairFromData,
  dydxTypedSignature,
  deriveDydxStarkKey,
  dydxStarkKeyCandidates,
  matchDydxStarkKey,
} from './dydx-key.js';
export {
  DYDX_STARK_KEY_ACTION,
  DYDX_ONLY_SIGN_ON,
  dydxStarkKeyTypedData,
  dydxStarkKeyPersonalMessage,
  dydxStarkKeySigningDigest,
} from './dydx-onboarding.js';
export {
  type StarkwarePathParams,
  grindStarkKey,
  deriveStarkwareKeyFromEthSignature,
  starkwareAccountPath,
  deriveStarkKeyFromMnemonic,
} from './starkware-key.js';
