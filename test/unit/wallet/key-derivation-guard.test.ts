import { describe, expect, it } from 'vitest';
import { hashMessage, hashTypedData, stringToHex, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { deriveDydxStarkKey } from '../../../src/keys/dydx-key.js';
import {
  DYDX_ONLY_SIGN_ON,
  dydxStarkKeyPersonalMessage,
  dydxStarkKeySigningDigest,
  dydxStarkKeyTypedData,
} from '../../../src/keys/dydx-onboarding.js';
import {
  DYDX_KEY_CHAIN_IDS,
  decodePersonalMessage,
  decodeTypedDataForApproval,
  isStarkKeyDerivationDigest,
  keyDerivationRefusal,
  mentionsStarkKeyAction,
  personalSignKeyDerivation,
  starkKeyDerivationDigests,
  typedDataKeyDerivation,
} from '../../../src/wallet/index.js';
import { readVector } from '../../helpers/vectors.js';

// Issue 13 (critical): no page may obtain a signature that derives Vigil's stark key (signing-risk.md A1.1).

const ORIGIN = 'https://trade.dydx.exchange';
const WALLET_CHAIN = 31337;
const CHAINS = [1, 3, 5, 11155111, WALLET_CHAIN];
// Hardhat/Anvil account #0: a public development key.
const DEV_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80' as const;

type TD = {
  types: Record<string, { name: string; type: string }[]>;
  domain: Record<string, unknown>;
  primaryType: string;
  message: Record<string, unknown>;
};
const DOMAIN_TYPE = [
  { name: 'name', type: 'string' },
  { name: 'version', type: 'string' },
  { name: 'chainId', type: 'uint256' },
];
const typed = (chainId: number, onlySignOn: boolean, action = 'dYdX STARK Key'): TD => ({
  types: {
    EIP712Domain: DOMAIN_TYPE,
    dYdX: onlySignOn
      ? [
          { name: 'action', type: 'string' },
          { name: 'onlySignOn', type: 'string' },
        ]
      : [{ name: 'action', type: 'string' }],
  },
  domain: { name: 'dYdX', version: '1.0', chainId },
  primaryType: 'dYdX',
  message: onlySignOn ? { action, onlySignOn: DYDX_ONLY_SIGN_ON } : { action },
});
const legacyText = (chainId: number, onlySignOn: boolean, action = 'dYdX STARK Key') =>
  JSON.stringify(
    { name: 'dYdX', version: '1.0', chainId, action, ...(onlySignOn ? { onlySignOn: DYDX_ONLY_SIGN_ON } : {}) },
    null,
    2,
  );

describe('the exact "dYdX STARK Key" messages are refused by their digest', () => {
  it('EIP-712, with and without onlySignOn, for chains 1, 3, 5, 11155111 and the wallet chain (as object and as JSON)', () => {
    for (const chainId of CHAINS) {
      for (const onlySignOn of [true, false]) {
        for (const input of [typed(chainId, onlySignOn), JSON.stringify(typed(chainId, onlySignOn))]) {
          const m = typedDataKeyDerivation(input, { chainId: WALLET_CHAIN });
          expect(m, `chain ${chainId} onlySignOn ${onlySignOn}`).toMatchObject({
            rule: 'digest',
            field: 'typedData',
            value: hashTypedData(typed(chainId, onlySignOn) as any),
          });
        }
      }
    }
    // What src/keys builds (and Vigil itself signs in accounts.ts), with and without the EIP712Domain type.
    for (const chainId of DYDX_KEY_CHAIN_IDS) {
      const td = dydxStarkKeyTypedData(chainId);
      expect(typedDataKeyDerivation(td, { chainId: 1 })?.rule).toBe('digest');
      expect(typedDataKeyDerivation({ ...td, types: { dYdX: td.types.dYdX } }, { chainId: 1 })?.rule).toBe('digest');
    }
  });

  it('legacy personal_sign text, with and without onlySignOn, for every chain', () => {
    for (const chainId of CHAINS) {
      for (const onlySignOn of [true, false]) {
        const m = personalSignKeyDerivation(stringToHex(legacyText(chainId, onlySignOn)), { chainId: WALLET_CHAIN });
        expect(m, `chain ${chainId} onlySignOn ${onlySignOn}`).toMatchObject({ rule: 'digest', field: 'params[0]' });
      }
    }
    for (const chainId of DYDX_KEY_CHAIN_IDS)
      expect(personalSignKeyDerivation(stringToHex(dydxStarkKeyPersonalMessage(chainId)), { chainId: 1 })?.rule).toBe(
        'digest',
      );
  });

  it('a personal_sign of the 32-byte digest itself (blind signing of the key message) is refused', () => {
    for (const chainId of CHAINS) {
      for (const digest of [
        dydxStarkKeySigningDigest(chainId === WALLET_CHAIN ? 1 : chainId),
        dydxStarkKeySigningDigest(chainId === WALLET_CHAIN ? 1 : chainId, { legacy: true }),
      ]) {
        expect(personalSignKeyDerivation(digest, { chainId: WALLET_CHAIN })).toMatchObject({
          rule: 'digest',
          value: digest,
        });
      }
    }
  });

  it('the digest set holds what src/keys signs: EIP-712 and legacy, every dYdX chain and the wallet chain only', () => {
    for (const chainId of DYDX_KEY_CHAIN_IDS) {
      expect(starkKeyDerivationDigests(chainId)).toContain(dydxStarkKeySigningDigest(chainId));
      expect(starkKeyDerivationDigests(chainId)).toContain(dydxStarkKeySigningDigest(chainId, { legacy: true }));
      expect(isStarkKeyDerivationDigest(dydxStarkKeySigningDigest(chainId), 1)).toBe(true);
    }
    // The wallet's own chain is covered only when it is the wallet's chain.
    const devnet = hashTypedData(typed(WALLET_CHAIN, false) as any);
    expect(isStarkKeyDerivationDigest(devnet, WALLET_CHAIN)).toBe(true);
    expect(isStarkKeyDerivationDigest(devnet, 1)).toBe(false);
    expect(isStarkKeyDerivationDigest(hashTypedData(typed(1, true, 'dYdX Onboarding') as any), 1)).toBe(false);
  });

  it('the published digests (vectors) are in the set; the published mainnet messages are refused', () => {
    const v = readVector('signing/dydx_onboarding_eip712_selfgenerated.json');
    for (const e of v.eip712 as { chainId: number; digest: Hex }[])
      expect(isStarkKeyDerivationDigest(e.digest, 1)).toBe(true);
    const msgs = readVector('signing/ethereum_side.json').dydx_key_derivation_messages;
    expect(typedDataKeyDerivation(msgs.eip712_typed_data_mainnet, { chainId: 1 })?.rule).toBe('digest');
    expect(personalSignKeyDerivation(stringToHex(msgs.personal_sign_legacy_mainnet), { chainId: 1 })?.rule).toBe(
      'digest',
    );
  });

  it('the guarded digest is the one whose signature yields the stark key (the attack this stops)', async () => {
    const account = privateKeyToAccount(DEV_KEY);
    const td = dydxStarkKeyTypedData(1);
    const signature = await account.signTypedData({
      domain: td.domain,
      types: { dYdX: td.types.dYdX },
      primaryType: 'dYdX',
      message: td.message,
    } as any);
    expect(deriveDydxStarkKey(signature).privateKey).toBeGreaterThan(0n);
    expect(typedDataKeyDerivation(td, { chainId: 1 })).toBeDefined();
  });
});

describe('the action string is refused in any variant (case, whitespace, width, punctuation, placement)', () => {
  // (The exact spelling in the exact message is caught by its digest, above.)
  const spellings = [
    'DYDX STARK KEY',
    'dydx stark key',
    ' dYdX  STARK\tKey\n',
    'dYdX\u200bSTARK\u202eKey',
    'dYdX-STARK_Key',
    'ｄＹｄＸ ＳＴＡＲＫ Ｋｅｙ',
    'please sign: dYdX STARK Key (it is safe)',
  ];

  it('typed data: every spelling as message.action, any chain, with or without onlySignOn', () => {
    for (const action of spellings) {
      for (const chainId of [1, 5, 42, 31337]) {
        for (const onlySignOn of [true, false]) {
          const m = typedDataKeyDerivation(typed(chainId, onlySignOn, action), { chainId: 1 });
          expect(m, `${JSON.stringify(action)} chain ${chainId}`).toMatchObject({
            rule: 'action-string',
            field: 'message.action',
          });
        }
      }
    }
  });

  it('typed data: the action in any other place (another primaryType, a nested struct, the domain, a key, an array, no chainId, a verifyingContract)', () => {
    const cases: [unknown, string][] = [
      [
        {
          ...typed(1, true),
          primaryType: 'dYdX',
          domain: { name: 'dYdX', version: '1.0', chainId: 1, verifyingContract: `0x${'11'.repeat(20)}` },
          types: {
            EIP712Domain: [...DOMAIN_TYPE, { name: 'verifyingContract', type: 'address' }],
            dYdX: typed(1, true).types.dYdX,
          },
        },
        'message.action',
      ],
      [
        {
          types: { Mail: [{ name: 'note', type: 'string' }] },
          domain: { name: 'x' },
          primaryType: 'Mail',
          message: { note: 'DYDX stark key' },
        },
        'message.note',
      ],
      [
        {
          types: { Outer: [{ name: 'inner', type: 'Inner' }], Inner: [{ name: 'texts', type: 'string[]' }] },
          domain: {},
          primaryType: 'Outer',
          message: { inner: { texts: ['hello', 'dYdX STARK Key'] } },
        },
        'message.inner.texts[1]',
      ],
      [
        {
          types: { dYdX: [{ name: 'action', type: 'string' }] },
          domain: { name: 'dYdX STARK Key' },
          primaryType: 'dYdX',
          message: { action: 'x' },
        },
        'domain.name',
      ],
      [
        {
          types: { dYdX: [{ name: 'action', type: 'string' }] },
          domain: { name: 'dYdX', version: '1.0' },
          primaryType: 'dYdX',
          message: { action: 'dYdX STARK Key' },
        },
        'message.action',
      ],
      [
        {
          types: { dYdX: [{ name: 'action', type: 'string' }] },
          domain: { name: 'dYdX', version: '1.0', chainId: 7 },
          primaryType: 'dYdX',
          message: { action: 'dYdX STARK Key' },
        },
        'message.action',
      ],
    ];
    for (const [td, field] of cases)
      expect(typedDataKeyDerivation(td, { chainId: 1 }), field).toMatchObject({ rule: 'action-string', field });
    // An undeclared extra field is not hashed (viem ignores it): the digest is the key message's.
    const extra = { ...typed(5, false), message: { action: 'dYdX STARK Key', extra: 1 } };
    expect(typedDataKeyDerivation(extra, { chainId: 1 })).toMatchObject({ rule: 'digest' });
    // Malformed JSON that carries the action: refused for it, not merely as malformed.
    expect(typedDataKeyDerivation('{"message":{"action":"dYdX STARK Key"', { chainId: 1 })).toMatchObject({
      rule: 'action-string',
      field: 'typedData',
    });
    // JSON escapes are decoded before matching.
    expect(typedDataKeyDerivation('{"message":{"action":"dYdX \\u0053TARK Key"}}', { chainId: 1 })).toMatchObject({
      rule: 'action-string',
      field: 'message.action',
    });
  });

  it('personal_sign: every spelling, in the legacy JSON or alone, as UTF-8 and inside invalid UTF-8', () => {
    for (const action of spellings) {
      for (const text of [action, legacyText(1, true, action), legacyText(5, false, action)]) {
        expect(personalSignKeyDerivation(stringToHex(text), { chainId: 1 }), JSON.stringify(text)).toMatchObject({
          rule: 'action-string',
          field: expect.stringMatching(/^params\[0\]/),
        });
      }
    }
    expect(
      personalSignKeyDerivation(stringToHex('{"action": "dYdX \\u0053TARK\\tKey"}'), { chainId: 1 }),
    ).toMatchObject({ rule: 'action-string', field: 'params[0].action' });
    const invalidUtf8 = `0xff${stringToHex('dYdX STARK Key').slice(2)}fe` as Hex;
    expect(personalSignKeyDerivation(invalidUtf8, { chainId: 1 })).toMatchObject({ rule: 'action-string' });
  });

  it('other messages pass: the API-key action, ordinary text, near misses', () => {
    expect(typedDataKeyDerivation(typed(1, true, 'dYdX Onboarding'), { chainId: 1 })).toBeUndefined();
    expect(typedDataKeyDerivation(typed(5, false, 'dYdX Onboarding'), { chainId: 5 })).toBeUndefined();
    for (const text of [
      'dYdX API key',
      'Sign in to dYdX',
      'STARK Key for dYdX',
      'dYdX STARK',
      legacyText(1, true, 'dYdX Onboarding'),
    ]) {
      expect(personalSignKeyDerivation(stringToHex(text), { chainId: 1 }), text).toBeUndefined();
      expect(mentionsStarkKeyAction(text)).toBe(false);
    }
    expect(personalSignKeyDerivation(`0x${'ab'.repeat(32)}`, { chainId: 1 })).toBeUndefined();
    expect(personalSignKeyDerivation(hashMessage('x'), { chainId: 1 })).toBeUndefined();
  });
});

describe('the refusal (what the page receives as 4100)', () => {
  it('says why, names field and value, and points to stark_account', () => {
    const msg = keyDerivationRefusal(typedDataKeyDerivation(typed(1, true, 'DYDX STARK KEY'), { chainId: 1 })!);
    expect(msg).toContain('message.action');
    expect(msg).toContain('"DYDX STARK KEY"');
    expect(msg).toContain('STARK private key');
    expect(msg).toContain('stark_account');
    expect(msg).toContain('A1.1');
    const byDigest = keyDerivationRefusal(typedDataKeyDerivation(dydxStarkKeyTypedData(1), { chainId: 1 })!);
    expect(byDigest).toContain(dydxStarkKeySigningDigest(1));
    expect(byDigest).toContain('stark_account');
  });

  it('decoders carry it: the typed-data approval and the personal_sign approval are never signable', () => {
    for (const chainId of CHAINS) {
      const t = decodeTypedDataForApproval(typed(chainId, chainId === 1), { chainId: WALLET_CHAIN, origin: ORIGIN });
      expect(t.kind).toBe('dydx-stark-key');
      expect(t.refusal).toContain('stark_account');
      expect(t.grant).toBeUndefined();
      expect(
        decodePersonalMessage(stringToHex(legacyText(chainId, chainId === 1)), { chainId: WALLET_CHAIN }).refusal,
      ).toContain('stark_account');
    }
    expect(decodePersonalMessage(stringToHex('hello')).refusal).toBeUndefined();
  });
});
