import { describe, expect, it } from 'vitest';
import { TypeCheckError } from '../../../src/errors.js';
import {
  FIELD_PRIME,
  KeyError,
  MessageHashError,
  SignatureError,
  STARK_CURVE_ORDER,
  isValidStarkKey,
  parseStarkSignature,
  pedersen,
  serializeStarkSignature,
  signHash,
  starkKeyPair,
  starkPublicKeyPoint,
  verifyHash,
} from '../../helpers/core.js';
import { readVector } from '../../helpers/vectors.js';

const hex = (s: string): bigint => BigInt(s.startsWith('0x') ? s : `0x${s}`);

describe('signing/ecdsa_signatures.json', () => {
  const vec = readVector('signing/ecdsa_signatures.json');

  it('RFC 6979 set: 9/9 identical (r, s), and each verifies', () => {
    const priv = hex(vec.rfc6979.private_key);
    const pub = starkKeyPair(priv).publicKey;
    expect(vec.rfc6979.messages_rs_decimal).toHaveLength(9);
    for (const m of vec.rfc6979.messages_rs_decimal) {
      const sig = signHash(hex(m.hash), priv);
      expect(sig).toEqual({ r: BigInt(m.r), s: BigInt(m.s) });
      expect(verifyHash(hex(m.hash), sig, pub)).toBe(true);
    }
  });

  it('hash-length set 4/4, including the 63-hex-digit shift case', () => {
    const priv = hex(vec.hash_lengths.private_key);
    expect(vec.hash_lengths.vectors).toHaveLength(4);
    for (const m of vec.hash_lengths.vectors)
      expect(signHash(hex(m.msg_hash), priv)).toEqual({ r: hex(m.r), s: hex(m.s) });
  });

  it('starkex-lib sanity signature (priv 1, msg 1)', () => {
    const v = vec.starkex_lib_sanity;
    expect(signHash(hex(v.msg_hash), hex(v.private_key))).toEqual({ r: hex(v.r), s: hex(v.s) });
  });

  it('StarkEx spot test data: the settlement orders reproduce; the two stale signatures do not verify', () => {
    const byLabel = Object.fromEntries(vec.starkex_spot_test_data.vectors.map((v: any) => [v.label, v]));
    for (const label of ['party_a_order', 'party_b_order']) {
      const v = byLabel[label];
      expect(starkKeyPair(hex(v.private_key)).publicKey).toBe(hex(v.public_key));
      expect(signHash(hex(v.msg_hash), hex(v.private_key))).toEqual({ r: hex(v.r), s: hex(v.s) });
    }
    // README: these two (r, s) are stale upstream data and must not be trusted.
    for (const label of ['transfer_order', 'conditional_transfer_order']) {
      const v = byLabel[label];
      expect(verifyHash(hex(v.msg_hash), { r: hex(v.r), s: hex(v.s) }, hex(v.public_key))).toBe(false);
      const fresh = signHash(hex(v.msg_hash), hex(v.private_key));
      expect(verifyHash(hex(v.msg_hash), fresh, hex(v.public_key))).toBe(true);
    }
  });
});

describe('signing/stark_public_keys.json, pedersen.json, key_pairs_with_y', () => {
  it('30/30 private → public keys', () => {
    const { vectors } = readVector('signing/stark_public_keys.json');
    expect(vectors).toHaveLength(30);
    for (const v of vectors) expect(starkPublicKeyPoint(hex(v.private_key)).x).toBe(hex(v.public_key_x));
  });

  it('pedersen 4/4 through the crypto module', () => {
    const { vectors } = readVector('signing/pedersen.json');
    for (const v of vectors) expect(pedersen(hex(v.a), hex(v.b))).toBe(BigInt(v.hash ?? v.hash_dec));
  });

  it('key pairs with y: y of the odd-y key; the other y is the negation; isValidPublicKey x lists', () => {
    const kp = readVector('signing/key_derivation.json').key_pairs_with_y;
    const [odd, even, other] = kp.vectors;
    const pair = starkKeyPair(hex(odd.privateKey));
    expect(pair.publicKey).toBe(hex(odd.publicKey));
    expect(pair.publicKeyY).toBe(hex(odd.publicKeyYCoordinate));
    expect(pair.publicKeyY % 2n).toBe(1n);
    expect(starkKeyPair(hex(even.privateKey)).publicKey).toBe(hex(even.publicKey));
    expect(starkKeyPair(hex(even.privateKey)).publicKeyY % 2n).toBe(0n);
    expect(hex(other.publicKeyYCoordinate)).toBe(FIELD_PRIME - pair.publicKeyY);
    for (const x of kp.isValidPublicKey.valid_x) expect(isValidStarkKey(hex(x)), x).toBe(true);
    for (const x of kp.isValidPublicKey.invalid_x) expect(isValidStarkKey(hex(x)), x).toBe(false);
  });
});

describe('signHash / verifyHash edges', () => {
  const priv = 0x58c7d5a90b1776bde86ebac077e053ed85b0f7164f53b080304a531947f46e3n;
  const { publicKey, publicKeyY } = starkKeyPair(priv);

  it('verifies with x only (either y) and with the exact point, not with the negated point', () => {
    const sig = signHash(123n, priv);
    expect(verifyHash(123n, sig, publicKey)).toBe(true);
    expect(verifyHash(123n, sig, { x: publicKey, y: publicKeyY })).toBe(true);
    expect(verifyHash(123n, sig, { x: publicKey, y: FIELD_PRIME - publicKeyY })).toBe(false);
    expect(verifyHash(124n, sig, publicKey)).toBe(false);
  });

  it('rejects out-of-range hashes and keys with typed errors and never signs them', () => {
    expect(() => signHash(1n << 251n, priv)).toThrow(MessageHashError);
    expect(() => signHash(-1n, priv)).toThrow(MessageHashError);
    expect(() => signHash(1n, 0n)).toThrow(KeyError);
    expect(() => signHash(1n, STARK_CURVE_ORDER)).toThrow(KeyError);
    expect(() => signHash(1n, 1n << 256n)).toThrow(KeyError);
    // The secret is not echoed in the message.
    expect(() => signHash(1n, STARK_CURVE_ORDER + 5n)).toThrow(/>= n/);
    expect(() => signHash(1 as unknown as bigint, priv)).toThrow(TypeCheckError);
    expect(() => verifyHash(1n, { r: 1n, s: 1n }, 0n)).toThrow(KeyError);
    expect(() => verifyHash(1n, { r: 1n, s: 1n }, FIELD_PRIME)).toThrow(KeyError);
  });

  it('returns false for malformed signatures instead of throwing', () => {
    const sig = signHash(5n, priv);
    expect(verifyHash(5n, { r: 0n, s: sig.s }, publicKey)).toBe(false);
    expect(verifyHash(5n, { r: 1n << 251n, s: sig.s }, publicKey)).toBe(false);
    expect(verifyHash(5n, { r: sig.r, s: STARK_CURVE_ORDER }, publicKey)).toBe(false);
    expect(verifyHash(5n, sig, 0xcn)).toBe(false); // x not on the curve
  });

  it('serialises r‖s as 128 lowercase hex digits and parses it back', () => {
    const sig = signHash(77n, priv);
    const text = serializeStarkSignature(sig);
    expect(text).toMatch(/^[0-9a-f]{128}$/);
    expect(parseStarkSignature(text)).toEqual(sig);
    expect(parseStarkSignature(`0x${text}`)).toEqual(sig);
    expect(() => parseStarkSignature(text.slice(2))).toThrow(SignatureError);
    expect(() => parseStarkSignature('0'.repeat(128))).toThrow(SignatureError);
    expect(() => serializeStarkSignature({ r: 0n, s: 1n })).toThrow(SignatureError);
  });
});
