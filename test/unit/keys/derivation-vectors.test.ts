import { describe, expect, it } from 'vitest';
import { TypeCheckError } from '../../../src/errors.js';
import { hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { recoverAddress } from 'viem';
import {
  deriveDydxStarkKey,
  deriveStarkKeyFromMnemonic,
  deriveStarkwareKeyFromEthSignature,
  dydxKeyPairFromData,
  dydxStarkKeyCandidates,
  dydxStarkKeyPersonalMessage,
  dydxStarkKeySigningDigest,
  dydxStarkKeyTypedData,
  grindStarkKey,
  matchDydxStarkKey,
  starkwareAccountPath,
} from '../../helpers/core.js';
import { readVector } from '../../helpers/vectors.js';

const hex = (s: string): bigint => BigInt(s.startsWith('0x') ? s : `0x${s}`);

describe('signing/key_derivation.json', () => {
  const vec = readVector('signing/key_derivation.json');

  it('dYdX keyPairFromData (keccak >> 5) 3/3 with y', () => {
    expect(vec.dydx_keyPairFromData.vectors).toHaveLength(3);
    for (const v of vec.dydx_keyPairFromData.vectors) {
      expect(v.data_hex).toBe(Buffer.from(v.data_utf8, 'utf8').toString('hex'));
      const pair = dydxKeyPairFromData(utf8ToBytes(v.data_utf8));
      expect(pair).toEqual({
        privateKey: hex(v.privateKey),
        publicKey: hex(v.publicKey),
        publicKeyY: hex(v.publicKeyYCoordinate),
      });
    }
  });

  it('l2beat generic StarkEx keys 2/2 (dYdX raw bytes and ApeX signature + 03)', () => {
    for (const v of vec.l2beat_getGenericStarkExKeyPairFromData.vectors) {
      const pair = dydxKeyPairFromData(hexToBytes(v.input_hex.slice(2)));
      expect(pair).toEqual({
        privateKey: hex(v.privateKey),
        publicKey: hex(v.publicKey),
        publicKeyY: hex(v.publicKeyYCoordinate),
      });
    }
    // The ApeX input is a 65-byte personal_sign signature with type byte 03: the same key via the typed path.
    const apex = vec.l2beat_getGenericStarkExKeyPairFromData.vectors.find((v: any) => v.label === 'apex');
    expect(deriveDydxStarkKey(apex.input_hex, { legacy: true }).privateKey).toBe(hex(apex.privateKey));
  });

  it('StarkWare ethSigToPrivate 2/2 and grindKey 1/1', () => {
    for (const v of vec.starkware_ethSigToPrivate.vectors) {
      const pair = deriveStarkwareKeyFromEthSignature(v.eth_signature);
      expect(pair.privateKey).toBe(hex(v.privateKey));
      if (v.publicKey) expect(pair.publicKey).toBe(hex(v.publicKey));
      if (v.publicKeyYCoordinate) expect(pair.publicKeyY).toBe(hex(v.publicKeyYCoordinate));
    }
    for (const v of vec.grindKey.vectors) expect(grindStarkKey(hexToBytes(v.seed))).toBe(hex(v.privateKey));
  });

  it('EIP-2645 HD path from the BIP-39 mnemonic 3/3', () => {
    const hd = vec.starkware_hd_path;
    for (const v of hd.vectors) {
      const pair = deriveStarkKeyFromMnemonic(hd.mnemonic, {
        layer: hd.layer,
        application: hd.application,
        ethAddress: hd.ethAddress,
        index: v.index,
      });
      expect(pair.privateKey).toBe(hex(v.privateKey));
    }
  });
});

describe('signing/dydx_onboarding_eip712_selfgenerated.json + ethereum_side.json', () => {
  const onboarding = readVector('signing/dydx_onboarding_eip712_selfgenerated.json');
  const eth = readVector('signing/ethereum_side.json');

  it('EIP-712 digests for chains 1, 5, 11155111; the signature recovers to the test address; key pair 3/3', async () => {
    expect(onboarding.eip712).toHaveLength(3);
    for (const v of onboarding.eip712) {
      const digest = dydxStarkKeySigningDigest(v.chainId);
      expect(digest).toBe(v.digest);
      expect((await recoverAddress({ hash: digest, signature: v.eth_signature_rsv })).toLowerCase()).toBe(
        v.test_eth_address,
      );
      const fromWallet = deriveDydxStarkKey(v.eth_signature_rsv);
      const fromTyped = deriveDydxStarkKey(v.typed_signature);
      const expected = {
        privateKey: hex(v.stark.privateKey),
        publicKey: hex(v.stark.publicKey),
        publicKeyY: hex(v.stark.publicKeyYCoordinate),
      };
      expect(fromWallet).toEqual(expected);
      expect(fromTyped).toEqual(expected);
      expect('onlySignOn' in dydxStarkKeyTypedData(v.chainId).message).toBe(v.includes_onlySignOn);
    }
  });

  it('typed data and the legacy personal_sign text match the published mainnet messages', () => {
    const msgs = eth.dydx_key_derivation_messages;
    expect(dydxStarkKeyTypedData(1)).toEqual(JSON.parse(msgs.eip712_typed_data_mainnet));
    expect(dydxStarkKeyPersonalMessage(1)).toBe(msgs.personal_sign_legacy_mainnet);
    expect(dydxStarkKeyPersonalMessage(5)).not.toContain('onlySignOn');
  });

  it('candidate rotations find the registered key whatever v / type the wallet returned', () => {
    const v = onboarding.eip712[0];
    const registered = hex(v.stark.publicKey);
    const rs = v.eth_signature_rsv.slice(0, 130);
    const vByte = v.eth_signature_rsv.slice(130);
    const lowV = (parseInt(vByte, 16) - 27).toString(16).padStart(2, '0');
    // A hardware wallet returning v = 00/01: the key the web app would derive from it differs...
    const raw = dydxStarkKeyCandidates(`${rs}${lowV}` as `0x${string}`);
    expect(raw.map((c) => [c.vRotated, c.typeRotated])).toEqual([
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ]);
    expect(raw[0]!.keyPair.publicKey).not.toBe(registered);
    // ...but the rotated-v candidate is the registered key, and matchDydxStarkKey finds it.
    expect(raw[1]!.keyPair.publicKey).toBe(registered);
    expect(matchDydxStarkKey(`${rs}${lowV}` as `0x${string}`, registered)?.vRotated).toBe(true);
    // A key registered from the legacy (03) signature is found from an EIP-712 one, and vice versa.
    const legacyKey = deriveDydxStarkKey(v.eth_signature_rsv, { legacy: true }).publicKey;
    expect(matchDydxStarkKey(v.eth_signature_rsv, legacyKey)?.typeRotated).toBe(true);
    expect(matchDydxStarkKey(v.eth_signature_rsv, 12345n)).toBeNull();
    // Normalising v: 00/01 derive the same key as 1b/1c.
    expect(deriveDydxStarkKey(`${rs}${lowV}` as `0x${string}`)).toEqual(deriveDydxStarkKey(v.eth_signature_rsv));
  });
});

describe('key derivation input validation', () => {
  const sig65 = `0x${'11'.repeat(64)}1b` as const;
  it('rejects bad Ethereum signatures with KeyDerivationError (field ethSignature)', () => {
    expect(() => deriveDydxStarkKey(`0x${'11'.repeat(64)}` as `0x${string}`)).toThrow(
      expect.objectContaining({ name: 'KeyDerivationError', field: 'ethSignature' }),
    ); // 64 bytes
    expect(() => deriveDydxStarkKey(`0x${'11'.repeat(64)}1d` as `0x${string}`)).toThrow(
      expect.objectContaining({ name: 'KeyDerivationError', field: 'ethSignature' }),
    ); // bad v
    expect(() => deriveDydxStarkKey(`${sig65}02` as `0x${string}`)).toThrow(
      expect.objectContaining({ name: 'KeyDerivationError', field: 'ethSignature' }),
    ); // bad type byte
    expect(() => deriveDydxStarkKey(`${sig65}00` as `0x${string}`, { legacy: true })).toThrow(
      expect.objectContaining({ name: 'KeyDerivationError', field: 'ethSignature' }),
    );
    expect(() => deriveDydxStarkKey('0xzz' as `0x${string}`)).toThrow(
      expect.objectContaining({ name: 'KeyDerivationError', field: 'ethSignature' }),
    );
    expect(() => deriveDydxStarkKey(42 as unknown as `0x${string}`)).toThrow(TypeCheckError);
    expect(() => deriveStarkwareKeyFromEthSignature('0x1234')).toThrow(
      expect.objectContaining({ name: 'KeyDerivationError', field: 'ethSignature' }),
    );
  });

  it('never echoes the signature (it is the stark key seed) in an error', () => {
    const secret = `0x${'ab'.repeat(64)}1d` as const; // bad v
    expect(() => deriveDydxStarkKey(secret)).toThrow(/hidden: string of 132 characters/);
    expect(() => deriveDydxStarkKey(secret)).not.toThrow(/abab/);
    expect(() => deriveStarkwareKeyFromEthSignature(`0x${'ab'.repeat(64)}`)).not.toThrow(/abab/);
    expect(() => deriveDydxStarkKey(hexToBytes('ab'.repeat(66)))).not.toThrow(/171|abab/);
  });

  it('rejects a bad mnemonic or path with KeyDerivationError and never echoes the phrase', () => {
    const p = {
      layer: 'starkex',
      application: 'starkdeployement',
      ethAddress: '0xa4864d977b944315389d1765ffa7e66F74ee8cd7',
      index: 0,
    };
    const badPhrase = `${'abandon '.repeat(11)}zoo`;
    expect(() => deriveStarkKeyFromMnemonic(badPhrase, p)).toThrow(
      expect.objectContaining({ name: 'KeyDerivationError', field: 'mnemonic' }),
    );
    expect(() => deriveStarkKeyFromMnemonic(badPhrase, p)).not.toThrow(/zoo/);
    expect(() => starkwareAccountPath({ ...p, index: -1 })).toThrow(
      expect.objectContaining({ name: 'KeyDerivationError', field: 'index' }),
    );
    expect(() => starkwareAccountPath({ ...p, index: 2 ** 31 })).toThrow(
      expect.objectContaining({ name: 'KeyDerivationError', field: 'index' }),
    );
    expect(() => starkwareAccountPath({ ...p, ethAddress: '0x1234' })).toThrow(
      expect.objectContaining({ name: 'KeyDerivationError', field: 'ethAddress' }),
    );
  });
});
