export { FIELD_PRIME } from './field.js';
export { pedersen, pedersenMany, assertFelt } from './pedersen.js';
export { KeyError, MessageHashError, SignatureError } from './ecdsa-errors.js';
export {
  STARK_CURVE_ORDER,
  STARK_SIGNATURE_BOUND,
  type StarkSignature,
  type StarkPublicKeyPoint,
  assertStarkPrivateKey,
  assertStarkKeyRange,
  assertMessageHash,
  starkPublicKeyPoint,
  isValidStarkKey,
  signHash,
  verifyHash,
  serializeStarkSignature,
  parseStarkSignature,
} from './ecdsa.js';
