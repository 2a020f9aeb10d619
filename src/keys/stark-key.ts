import { starkPublicKeyPoint } from '../crypto/ecdsa.js';

/**
 * A STARK key pair as dYdX keeps it (starkex-lib `KeyPairWithYCoordinate`): the private key, the
 * stark key (x of d·G) and its y coordinate (signing-risk.md A1.1 step 4, §0.3).
 */
export type StarkKeyPair = { privateKey: bigint; publicKey: bigint; publicKeyY: bigint };

/** Key pair of a private key 1 <= d < n (KeyError otherwise). */
export function starkKeyPair(privateKey: bigint): StarkKeyPair {
  const { x, y } = starkPublicKeyPoint(privateKey);
  return { privateKey, publicKey: x, publicKeyY: y };
}

/** The key pair as 64-digit lowercase hex without 0x, the format of the dYdX API and starkex-lib. */
export function starkKeyPairToHex(pair: StarkKeyPair): {
  privateKey: string;
  publicKey: string;
  publicKeyYCoordinate: string;
} {
  const hex = (v: bigint) => v.toString(16).padStart(64, '0');
  return {
    privateKey: hex(pair.privateKey),
    publicKey: hex(pair.publicKey),
    publicKeyYCoordinate: hex(pair.publicKeyY),
  };
}
