import { STARK_CURVE_ORDER, signHash, starkPublicKeyPoint, assertStarkKeyRange } from '../crypto/ecdsa.js';
import { keccakUint, uintToBytes, utf8 } from '../crypto/keccak.js';
import { ethAddressField } from './fields.js';

/**
 * L1 registration of a stark key (signing-risk.md A1.4; starkex-contracts `Users.sol`
 * `registerEthAddress`): the stark key signs
 * msgHash = keccak256("UserRegistration:" ‖ ethKey (20 bytes) ‖ starkKey (32 bytes)) mod n,
 * and the calldata signature is r ‖ s ‖ y (3 × 32 bytes, y = the key's y coordinate).
 * dYdX's own deployment used operator-signed `registerUser` instead; this is for newer StarkEx.
 */
export function registrationMessageHash(ethAddress: string, starkKey: bigint): bigint {
  const eth = ethAddressField('ethAddress', ethAddress);
  assertStarkKeyRange(starkKey, 'starkKey');
  return keccakUint(utf8('UserRegistration:'), uintToBytes(eth, 20), uintToBytes(starkKey, 32)) % STARK_CURVE_ORDER;
}

export type RegistrationSignature = {
  r: bigint;
  s: bigint;
  /** The public key's y coordinate (the contract checks the point is on the curve). */
  y: bigint;
  /** Calldata `starkSignature`: 0x ‖ r ‖ s ‖ y, 96 bytes. */
  starkSignature: `0x${string}`;
};

/** Signs the registration of `ethAddress` with the stark private key. */
export function signRegistration(ethAddress: string, privateKey: bigint): RegistrationSignature {
  const { x, y } = starkPublicKeyPoint(privateKey);
  const { r, s } = signHash(registrationMessageHash(ethAddress, x), privateKey);
  const hex = (v: bigint) => v.toString(16).padStart(64, '0');
  return { r, s, y, starkSignature: `0x${hex(r)}${hex(s)}${hex(y)}` };
}
