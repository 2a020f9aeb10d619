import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FIELD_PRIME,
  STARK_CURVE_ORDER,
  deriveDydxStarkKey,
  dydxStarkKeyCandidates,
  isValidStarkKey,
  matchDydxStarkKey,
  signHash,
  starkKeyPair,
  verifyHash,
} from '../../helpers/core.js';

describe('key and signature properties', () => {
  it('random key, random hash: sign → verify (x only and full point); other hash or key fails (25 runs)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: STARK_CURVE_ORDER - 1n }),
        fc.bigInt({ min: 0n, max: 2n ** 251n - 2n }),
        (priv, hash) => {
          const pair = starkKeyPair(priv);
          expect(isValidStarkKey(pair.publicKey)).toBe(true);
          expect(pair.publicKeyY < FIELD_PRIME).toBe(true);
          const sig = signHash(hash, priv);
          expect(signHash(hash, priv)).toEqual(sig); // deterministic (RFC 6979)
          expect(verifyHash(hash, sig, pair.publicKey)).toBe(true);
          expect(verifyHash(hash, sig, { x: pair.publicKey, y: pair.publicKeyY })).toBe(true);
          expect(verifyHash(hash + 1n, sig, pair.publicKey)).toBe(false);
          const other = starkKeyPair(priv === 1n ? 2n : priv - 1n).publicKey;
          expect(verifyHash(hash, sig, other)).toBe(false);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('dYdX candidates: the first is the key of the signature as given, and matching finds each (20 runs)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 64, maxLength: 64 }),
        fc.constantFrom(0x1b, 0x1c),
        fc.boolean(),
        (rs, v, legacy) => {
          const sig = new Uint8Array([...rs, v]);
          const candidates = dydxStarkKeyCandidates(sig, { legacy });
          expect(candidates[0]!.keyPair).toEqual(deriveDydxStarkKey(sig, { legacy }));
          expect(new Set(candidates.map((c) => c.keyPair.publicKey)).size).toBe(4);
          for (const c of candidates) expect(matchDydxStarkKey(sig, c.keyPair.publicKey, { legacy })).toEqual(c);
          // v = 00/01 normalises to the same key as 1b/1c.
          expect(deriveDydxStarkKey(new Uint8Array([...rs, v - 27]), { legacy })).toEqual(
            deriveDydxStarkKey(sig, { legacy }),
          );
        },
      ),
      { numRuns: 20 },
    );
  });
});
