import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hashTypedData, stringToHex } from 'viem';
import { dydxStarkKeyTypedData } from '../../../src/keys/dydx-onboarding.js';
import { TYPED_DATA_MAX_CHARS, TYPED_DATA_MAX_FIELDS, TypedDataError, decodePersonalMessage, decodeTypedDataForApproval } from '../../../src/wallet/index.js';
import { readVector } from '../../helpers/vectors.js';

const SPENDER = '0x000000000022d473030f116ddee9f6b43ac78ba3';
const TOKEN = '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48';
const OWNER = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266';
const DOMAIN_TYPE = [
  { name: 'name', type: 'string' },
  { name: 'version', type: 'string' },
  { name: 'chainId', type: 'uint256' },
  { name: 'verifyingContract', type: 'address' },
];

// EIP-2612 Permit, as a USDC phishing page would send it.
const permit = () => ({
  types: {
    EIP712Domain: DOMAIN_TYPE,
    Permit: [
      { name: 'owner', type: 'address' },
      { name: 'spender', type: 'address' },
      { name: 'value', type: 'uint256' },
      { name: 'nonce', type: 'uint256' },
      { name: 'deadline', type: 'uint256' },
    ],
  },
  domain: { name: 'USD Coin', version: '2', chainId: 1, verifyingContract: TOKEN },
  primaryType: 'Permit',
  message: { owner: OWNER, spender: SPENDER, value: '115792089237316195423570985008687907853269984665640564039457584007913129639935', nonce: 0, deadline: '9999999999' },
});

// Uniswap Permit2 PermitSingle (AllowanceTransfer).
const permitSingle = () => ({
  types: {
    EIP712Domain: [{ name: 'name', type: 'string' }, { name: 'chainId', type: 'uint256' }, { name: 'verifyingContract', type: 'address' }],
    PermitDetails: [{ name: 'token', type: 'address' }, { name: 'amount', type: 'uint160' }, { name: 'expiration', type: 'uint48' }, { name: 'nonce', type: 'uint48' }],
    PermitSingle: [{ name: 'details', type: 'PermitDetails' }, { name: 'spender', type: 'address' }, { name: 'sigDeadline', type: 'uint256' }],
  },
  domain: { name: 'Permit2', chainId: 1, verifyingContract: SPENDER },
  primaryType: 'PermitSingle',
  message: { details: { token: TOKEN, amount: '1461501637330902918203684832716283019655932542975', expiration: 1900000000, nonce: 0 }, spender: OWNER, sigDeadline: 1900000000 },
});

describe('dYdX onboarding typed data (vectors)', () => {
  it('the real mainnet "dYdX STARK Key" typed data (ethereum_side.json) classifies as dydx-onboarding', () => {
    const json = readVector('signing/ethereum_side.json').dydx_key_derivation_messages.eip712_typed_data_mainnet as string;
    const t = decodeTypedDataForApproval(json, { chainId: 1 });
    expect(t.kind).toBe('dydx-onboarding');
    expect(t.warnings).toEqual([]);
    expect(t.domain).toEqual({ name: 'dYdX', version: '1.0', chainId: '1' });
    expect(t.fields).toEqual([
      { name: 'action', type: 'string', value: 'dYdX STARK Key' },
      { name: 'onlySignOn', type: 'string', value: 'https://trade.dydx.exchange' },
    ]);
  });

  it('every self-generated onboarding vector: the typed data hashes to the vector digest and classifies as dydx-onboarding', () => {
    const v = readVector('signing/dydx_onboarding_eip712_selfgenerated.json');
    expect(v.eip712.length).toBeGreaterThan(0);
    for (const e of v.eip712 as { chainId: number; digest: string; includes_onlySignOn: boolean }[]) {
      const td = dydxStarkKeyTypedData(e.chainId);
      expect(hashTypedData(td as any)).toBe(e.digest);
      const t = decodeTypedDataForApproval(JSON.stringify(td), { chainId: e.chainId });
      expect(t.kind).toBe('dydx-onboarding');
      expect(t.fields.some((f) => f.name === 'onlySignOn')).toBe(e.includes_onlySignOn);
      expect(t.warnings).toEqual([]);
    }
  });
});

describe('classification', () => {
  it('"dYdX Onboarding" (API key derivation) is dydx-api-key', () => {
    const td = { ...dydxStarkKeyTypedData(1), message: { action: 'dYdX Onboarding', onlySignOn: 'https://trade.dydx.exchange' } };
    expect(decodeTypedDataForApproval(td, { chainId: 1 }).kind).toBe('dydx-api-key');
  });

  it('a look-alike dYdX message (other action, extra field, or a verifyingContract) is unknown, with a warning', () => {
    const base = dydxStarkKeyTypedData(1);
    const other = { ...base, message: { action: 'Send all funds', onlySignOn: 'https://trade.dydx.exchange' } };
    const extra = { ...base, types: { ...base.types, dYdX: [...base.types.dYdX, { name: 'to', type: 'address' }] }, message: { ...base.message, to: OWNER } };
    const contract = { ...base, types: { ...base.types, EIP712Domain: DOMAIN_TYPE }, domain: { ...base.domain, verifyingContract: TOKEN } };
    for (const td of [other, extra, contract]) {
      const t = decodeTypedDataForApproval(td, { chainId: 1 });
      expect(t.kind).toBe('unknown');
      expect(t.warnings[0]!.code).toBe('unknown-typed-data');
    }
  });

  it('a Permit is a refused token approval that names the spender', () => {
    const t = decodeTypedDataForApproval(JSON.stringify(permit()), { chainId: 1 });
    expect(t.kind).toBe('token-approval');
    expect(t.refusal).toContain('Permit');
    expect(t.refusal).toContain(SPENDER);
  });

  it('a Permit2 PermitSingle is a token approval; nested fields are flattened with their path', () => {
    const t = decodeTypedDataForApproval(permitSingle(), { chainId: 1 });
    expect(t.kind).toBe('token-approval');
    expect(t.refusal).toContain('PermitSingle');
    expect(t.fields.map((f) => f.name)).toEqual(['details.token', 'details.amount', 'details.expiration', 'details.nonce', 'spender', 'sigDeadline']);
  });

  it('any message with spender + value/amount/allowance is a token approval, whatever its primaryType', () => {
    for (const amountField of ['value', 'amount', 'allowance']) {
      const td = {
        types: { Order: [{ name: 'spender', type: 'address' }, { name: amountField, type: 'uint256' }] },
        domain: { name: 'Innocent Exchange', chainId: 1 },
        primaryType: 'Order',
        message: { spender: SPENDER, [amountField]: '1' },
      };
      const t = decodeTypedDataForApproval(td, { chainId: 1 });
      expect(t.kind).toBe('token-approval');
      expect(t.refusal).toContain('spender');
    }
  });

  it('domain chainId other than the wallet chain is flagged; a missing chainId too', () => {
    const t = decodeTypedDataForApproval(dydxStarkKeyTypedData(5), { chainId: 1 });
    expect(t.warnings.map((w) => w.code)).toEqual(['chain-mismatch']);
    expect(t.warnings[0]!.message).toContain('5');
    expect(decodeTypedDataForApproval(dydxStarkKeyTypedData(5), { chainId: 5 }).warnings).toEqual([]);
    const td = { types: { Mail: [{ name: 'note', type: 'string' }] }, domain: { name: 'x' }, primaryType: 'Mail', message: { note: 'hi' } };
    expect(decodeTypedDataForApproval(td, { chainId: 1 }).warnings.map((w) => w.code)).toEqual(['unknown-typed-data', 'no-chain-id']);
  });
});

describe('malformed typed data → TypedDataError naming the field', () => {
  const good = () => dydxStarkKeyTypedData(1) as any;
  const cases: [string, () => unknown, string][] = [
    ['not JSON', () => '{"types":', 'typedData'],
    ['not an object', () => [1, 2], 'typedData'],
    ['types not an object', () => ({ ...good(), types: 'x' }), 'types'],
    ['a type field without a type', () => ({ ...good(), types: { ...good().types, dYdX: [{ name: 'action' }] } }), 'types.dYdX[0]'],
    ['primaryType missing', () => ({ ...good(), primaryType: undefined }), 'primaryType'],
    ['primaryType not in types', () => ({ ...good(), primaryType: 'Permit' }), 'primaryType'],
    ['primaryType EIP712Domain', () => ({ ...good(), primaryType: 'EIP712Domain' }), 'primaryType'],
    ['domain missing', () => ({ ...good(), domain: undefined }), 'domain'],
    ['unknown domain field', () => ({ ...good(), domain: { ...good().domain, owner: OWNER } }), 'domain.owner'],
    ['chainId not an integer', () => ({ ...good(), domain: { ...good().domain, chainId: 'one' } }), 'domain.chainId'],
    ['an untyped message field', () => ({ ...good(), message: { ...good().message, spender: SPENDER } }), 'message.spender'],
    ['a missing message field', () => ({ ...good(), message: { action: 'dYdX STARK Key' } }), 'message.onlySignOn'],
    ['a wrong value type', () => ({ ...good(), message: { ...good().message, action: 5 } }), 'message.action'],
    ['an undefined type', () => ({ types: { M: [{ name: 'a', type: 'Foo' }] }, domain: {}, primaryType: 'M', message: { a: 1 } }), 'message.a'],
    ['a bad address', () => ({ types: { M: [{ name: 'a', type: 'address' }] }, domain: {}, primaryType: 'M', message: { a: '0x12' } }), 'message.a'],
    ['a fixed array of the wrong length', () => ({ types: { M: [{ name: 'a', type: 'uint8[2]' }] }, domain: {}, primaryType: 'M', message: { a: [1] } }), 'message.a'],
  ];
  for (const [what, make, field] of cases) {
    it(what, () => {
      let err: unknown;
      try {
        decodeTypedDataForApproval(make(), { chainId: 1 });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(TypedDataError);
      expect((err as TypedDataError).field).toBe(field);
      expect((err as TypedDataError).message.startsWith(`${field}:`)).toBe(true);
    });
  }

  it('size, field count and nesting are bounded', () => {
    const big = { types: { M: [{ name: 's', type: 'string' }] }, domain: {}, primaryType: 'M', message: { s: 'a'.repeat(TYPED_DATA_MAX_CHARS) } };
    expect(() => decodeTypedDataForApproval(big, { chainId: 1 })).toThrow(TypedDataError);
    const many = { types: { M: [{ name: 'a', type: 'uint8[]' }] }, domain: {}, primaryType: 'M', message: { a: Array(TYPED_DATA_MAX_FIELDS + 1).fill(1) } };
    expect(() => decodeTypedDataForApproval(many, { chainId: 1 })).toThrow(/more than/);
    // A recursive type: only a bounded depth is accepted.
    let node: any = { next: [] };
    for (let i = 0; i < 12; i++) node = { next: [node] };
    const deep = { types: { Node: [{ name: 'next', type: 'Node[]' }] }, domain: {}, primaryType: 'Node', message: node };
    expect(() => decodeTypedDataForApproval(deep, { chainId: 1 })).toThrow(/nested deeper/);
  });

  it('property: arbitrary JSON never escapes as anything but TypedDataError or a decoded approval', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        try {
          decodeTypedDataForApproval(v, { chainId: 1 });
        } catch (e) {
          expect(e).toBeInstanceOf(TypedDataError);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('personal_sign message', () => {
  it('printable UTF-8 is shown as text', () => {
    const m = decodePersonalMessage(stringToHex('dYdX API key — ünïcode ✓\nline 2'));
    expect(m).toMatchObject({ encoding: 'utf8', text: 'dYdX API key — ünïcode ✓\nline 2', warnings: [] });
  });

  it('invalid UTF-8, control characters and bidi overrides are shown as hex', () => {
    for (const data of ['0xff00', '0xc0af', '0xeda080', '0x0001020304', stringToHex('abc\u202egpj.exe')] as `0x${string}`[]) {
      expect(decodePersonalMessage(data)).toMatchObject({ encoding: 'hex', text: data.toLowerCase() });
    }
  });

  it('32 bytes (a hash), or text that is a 32-byte hex string, warns of blind signing', () => {
    const hash = `0x${'ab'.repeat(32)}` as const;
    expect(decodePersonalMessage(hash).warnings.map((w) => w.code)).toEqual(['blind-signing']);
    expect(decodePersonalMessage(stringToHex(hash)).warnings.map((w) => w.code)).toEqual(['blind-signing']);
    expect(decodePersonalMessage(`0x${'ab'.repeat(31)}`).warnings).toEqual([]);
  });

  it('property: any string round-trips as text unless it has unprintable characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => {
        const m = decodePersonalMessage(stringToHex(s));
        if (m.encoding === 'utf8') expect(m.text).toBe(s);
        else expect(s === '' || /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufeff]/u.test(s)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
