import { checkBigint } from '../checks.js';
import { TypeCheckError } from '../errors.js';
import { bytesToHex, concatBytes, hexToBytes } from '@noble/hashes/utils.js';
import { keccakUint } from '../crypto/keccak.js';
import { type StarkKeyPair, starkKeyPair } from './stark-key.js';
import { KeyDerivationError } from './errors.js';

/**
 * dYdX v3 stark key derivation (signing-risk.md A1.1; starkex-lib `keyPairFromData`, v3-client
 * `deriveStarkKey` / `deriveAllStarkKeys` / `getAllSignatureRotations`):
 * privateKey = keccak256(typed signature) >> 5, where the typed signature is the wallet's 65-byte
 * r‖s‖v followed by a type byte: 0x00 for EIP-712, 0x03 for the legacy personal_sign.
 * No grinding: the shifted hash is 251 bits, always below the curve order.
 */

export const SIGNATURE_TYPE_EIP712 = 0x00;
export const SIGNATURE_TYPE_PERSONAL = 0x03;

/** keccak256(data) >> 5 as a key pair (starkex-lib `keyPairFromData`, l2beat generic StarkEx keys). */
export function dydxKeyPairFromData(data: Uint8Array): StarkKeyPair {
  if (!(data instanceof Uint8Array)) throw new TypeCheckError('data', data, 'Uint8Array', { secret: true });
  return starkKeyPair(keccakUint(data) >> 5n);
}

const SIG_RANGE =
  '65 bytes r‖s‖v (v in 00, 01, 1b, 1c) or 66 bytes with a trailing type byte 00 or 03, as 0x-hex or Uint8Array';

/**
 * The onboarding signature IS the stark key's seed (anyone holding it derives the private key),
 * so errors describe its shape only, never its bytes.
 */
export function describeSecretSignature(sig: unknown): string {
  if (sig instanceof Uint8Array) return `(hidden: ${sig.length} bytes)`;
  if (typeof sig === 'string') return `(hidden: string of ${sig.length} characters)`;
  return `(hidden: ${typeof sig})`;
}

function toBytes(sig: unknown): Uint8Array {
  if (sig instanceof Uint8Array) return sig;
  if (typeof sig !== 'string')
    throw new TypeCheckError('ethSignature', sig, '0x-hex string or Uint8Array', { secret: true });
  const body = sig.startsWith('0x') ? sig.slice(2) : sig;
  if (!/^[0-9a-fA-F]*$/.test(body) || body.length % 2 !== 0)
    throw new KeyDerivationError('ethSignature', describeSecretSignature(sig), SIG_RANGE);
  return hexToBytes(body);
}

function checkedV(v: number, original: unknown): number {
  if (v !== 0x00 && v !== 0x01 && v !== 0x1b && v !== 0x1c)
    throw new KeyDerivationError('ethSignature', describeSecretSignature(original), SIG_RANGE);
  return v;
}

export type DydxKeyOptions = {
  /** The wallet personal_signed the legacy JSON text (type byte 03) instead of EIP-712 (00). */
  legacy?: boolean;
};

/**
 * The 66-byte typed signature. A 65-byte wallet signature gets v normalised (00/01 → 1b/1c, as
 * v3-client's `createTypedSignature` does) and the type byte appended; a 66-byte input is taken
 * as an already-typed dYdX signature, unchanged.
 */
export function dydxTypedSignature(ethSignature: `0x${string}` | Uint8Array, opts: DydxKeyOptions = {}): Uint8Array {
  const bytes = toBytes(ethSignature);
  if (bytes.length === 65) {
    const v = checkedV(bytes[64]!, ethSignature);
    const normalised = v < 27 ? v + 27 : v;
    return concatBytes(
      bytes.subarray(0, 64),
      new Uint8Array([normalised, opts.legacy ? SIGNATURE_TYPE_PERSONAL : SIGNATURE_TYPE_EIP712]),
    );
  }
  if (bytes.length === 66) {
    checkedV(bytes[64]!, ethSignature);
    const t = bytes[65]!;
    const expected =
      opts.legacy === undefined
        ? [SIGNATURE_TYPE_EIP712, SIGNATURE_TYPE_PERSONAL]
        : [opts.legacy ? SIGNATURE_TYPE_PERSONAL : SIGNATURE_TYPE_EIP712];
    if (!expected.includes(t))
      throw new KeyDerivationError(
        'ethSignature',
        describeSecretSignature(ethSignature),
        `type byte ${expected.map((x) => x.toString(16).padStart(2, '0')).join(' or ')} (legacy: ${String(opts.legacy)})`,
      );
    return bytes.slice();
  }
  throw new KeyDerivationError('ethSignature', describeSecretSignature(ethSignature), SIG_RANGE);
}

/** The dYdX stark key pair of an onboarding signature (issue 3 public name). */
export function deriveDydxStarkKey(ethSignature: `0x${string}` | Uint8Array, opts?: DydxKeyOptions): StarkKeyPair {
  return dydxKeyPairFromData(dydxTypedSignature(ethSignature, opts));
}

export type DydxKeyCandidate = {
  /** 0x-hex of the 66 bytes hashed. */
  typedSignature: `0x${string}`;
  vRotated: boolean;
  typeRotated: boolean;
  keyPair: StarkKeyPair;
};

const ROTATE_V: Record<number, number> = { 0: 0x1b, 1: 0x1c, 27: 0x00, 28: 0x01 };
const ROTATE_T: Record<number, number> = {
  [SIGNATURE_TYPE_EIP712]: SIGNATURE_TYPE_PERSONAL,
  [SIGNATURE_TYPE_PERSONAL]: SIGNATURE_TYPE_EIP712,
};

/**
 * The four keys v3-client's `deriveAllStarkKeys` tries, in its order: original, v rotated
 * (00↔1b, 01↔1c), type rotated (00↔03), both. A 65-byte signature is used as the wallet returned
 * it (the web app appended the type byte without touching v), so a key registered from either
 * v form is found.
 */
export function dydxStarkKeyCandidates(
  ethSignature: `0x${string}` | Uint8Array,
  opts: DydxKeyOptions = {},
): DydxKeyCandidate[] {
  const bytes = toBytes(ethSignature);
  let typed: Uint8Array;
  if (bytes.length === 65)
    typed = concatBytes(bytes, new Uint8Array([opts.legacy ? SIGNATURE_TYPE_PERSONAL : SIGNATURE_TYPE_EIP712]));
  else typed = dydxTypedSignature(bytes, opts);
  checkedV(typed[64]!, ethSignature);
  const variants: Array<[boolean, boolean]> = [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ];
  return variants.map(([vRotated, typeRotated]) => {
    const t = typed.slice();
    if (vRotated) t[64] = ROTATE_V[t[64]!]!;
    if (typeRotated) t[65] = ROTATE_T[t[65]!]!;
    return { typedSignature: `0x${bytesToHex(t)}`, vRotated, typeRotated, keyPair: dydxKeyPairFromData(t) };
  });
}

/** The candidate whose stark key equals the registered one (dYdX API account or LogUserRegistered), or null. */
export function matchDydxStarkKey(
  ethSignature: `0x${string}` | Uint8Array,
  registeredStarkKey: bigint,
  opts?: DydxKeyOptions,
): DydxKeyCandidate | null {
  checkBigint('registeredStarkKey', registeredStarkKey);
  return dydxStarkKeyCandidates(ethSignature, opts).find((c) => c.keyPair.publicKey === registeredStarkKey) ?? null;
}
