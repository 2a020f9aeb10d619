import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hashTypedData, stringToHex } from 'viem';
import { dydxStarkKeyTypedData } from '../../../src/keys/dydx-onboarding.js';
import {
  TYPED_DATA_MAX_CHARS,
  TYPED_DATA_MAX_FIELDS,
  TypedDataError,
  UNPRINTABLE,
  decodePersonalMessage,
  decodeTypedDataForApproval,
} from '../../../src/wallet/index.js';
import { readVector } from '../../helpers/vectors.js';

const ORIGIN = 'https://trade.dydx.exchange';
const CTX = { chainId: 1, origin: ORIGIN };
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
  message: {
    owner: OWNER,
    spender: SPENDER,
    value: '115792089237316195423570985008687907853269984665640564039457584007913129639935',
    nonce: 0,
    deadline: '9999999999',
  },
});

// Uniswap Permit2 PermitSingle (AllowanceTransfer).
const permitSingle = () => ({
  types: {
    EIP712Domain: [
      { name: 'name', type: 'string' },
      { name: 'chainId', type: 'uint256' },
      { name: 'verifyingContract', type: 'address' },
    ],
    PermitDetails: [
      { name: 'token', type: 'address' },
      { name: 'amount', type: 'uint160' },
      { name: 'expiration', type: 'uint48' },
      { name: 'nonce', type: 'uint48' },
    ],
    PermitSingle: [
      { name: 'details', type: 'PermitDetails' },
      { name: 'spender', type: 'address' },
      { name: 'sigDeadline', type: 'uint256' },
    ],
  },
  domain: { name: 'Permit2', chainId: 1, verifyingContract: SPENDER },
  primaryType: 'PermitSingle',
  message: {
    details: {
      token: TOKEN,
      amount: '1461501637330902918203684832716283019655932542975',
      expiration: 1900000000,
      nonce: 0,
    },
    spender: OWNER,
    sigDeadline: 1900000000,
  },
});

const PERMIT2 = SPENDER;
const SEAPORT = '0x00000000000000adc04c56bf30ac9d3c0aaf14dc';
const DAI = '0x6b175474e89094c44da98b954eedeac495271d0f';
const ALLOWED = 'primaryType "dYdX" with message.action "dYdX Onboarding"';

// Permit2 PermitBatch (AllowanceTransfer) and PermitTransferFrom (SignatureTransfer).
const permitBatch = () => ({
  types: {
    PermitDetails: [
      { name: 'token', type: 'address' },
      { name: 'amount', type: 'uint160' },
      { name: 'expiration', type: 'uint48' },
      { name: 'nonce', type: 'uint48' },
    ],
    PermitBatch: [
      { name: 'details', type: 'PermitDetails[]' },
      { name: 'spender', type: 'address' },
      { name: 'sigDeadline', type: 'uint256' },
    ],
  },
  domain: { name: 'Permit2', chainId: 1, verifyingContract: PERMIT2 },
  primaryType: 'PermitBatch',
  message: {
    details: [{ token: TOKEN, amount: '1', expiration: 1900000000, nonce: 0 }],
    spender: OWNER,
    sigDeadline: 1900000000,
  },
});
const permitTransferFrom = () => ({
  types: {
    TokenPermissions: [
      { name: 'token', type: 'address' },
      { name: 'amount', type: 'uint256' },
    ],
    PermitTransferFrom: [
      { name: 'permitted', type: 'TokenPermissions' },
      { name: 'spender', type: 'address' },
      { name: 'nonce', type: 'uint256' },
      { name: 'deadline', type: 'uint256' },
    ],
  },
  domain: { name: 'Permit2', chainId: 1, verifyingContract: PERMIT2 },
  primaryType: 'PermitTransferFrom',
  message: { permitted: { token: TOKEN, amount: '1000000' }, spender: OWNER, nonce: 7, deadline: 1900000000 },
});
// EIP-3009 (USDC): both kinds.
const eip3009 = (primaryType: 'TransferWithAuthorization' | 'ReceiveWithAuthorization') => ({
  types: {
    EIP712Domain: DOMAIN_TYPE,
    [primaryType]: [
      { name: 'from', type: 'address' },
      { name: 'to', type: 'address' },
      { name: 'value', type: 'uint256' },
      { name: 'validAfter', type: 'uint256' },
      { name: 'validBefore', type: 'uint256' },
      { name: 'nonce', type: 'bytes32' },
    ],
  },
  domain: { name: 'USD Coin', version: '2', chainId: 1, verifyingContract: TOKEN },
  primaryType,
  message: {
    from: OWNER,
    to: SPENDER,
    value: '1000000000',
    validAfter: 0,
    validBefore: '9999999999',
    nonce: `0x${'42'.repeat(32)}`,
  },
});
// Seaport 1.5 OrderComponents.
const seaport = () => {
  const item = [
    { name: 'itemType', type: 'uint8' },
    { name: 'token', type: 'address' },
    { name: 'identifierOrCriteria', type: 'uint256' },
    { name: 'startAmount', type: 'uint256' },
    { name: 'endAmount', type: 'uint256' },
  ];
  return {
    types: {
      EIP712Domain: DOMAIN_TYPE,
      OrderComponents: [
        { name: 'offerer', type: 'address' },
        { name: 'zone', type: 'address' },
        { name: 'offer', type: 'OfferItem[]' },
        { name: 'consideration', type: 'ConsiderationItem[]' },
        { name: 'orderType', type: 'uint8' },
        { name: 'startTime', type: 'uint256' },
        { name: 'endTime', type: 'uint256' },
        { name: 'zoneHash', type: 'bytes32' },
        { name: 'salt', type: 'uint256' },
        { name: 'conduitKey', type: 'bytes32' },
        { name: 'counter', type: 'uint256' },
      ],
      OfferItem: item,
      ConsiderationItem: [...item, { name: 'recipient', type: 'address' }],
    },
    domain: { name: 'Seaport', version: '1.5', chainId: 1, verifyingContract: SEAPORT },
    primaryType: 'OrderComponents',
    message: {
      offerer: OWNER,
      zone: `0x${'00'.repeat(20)}`,
      offer: [{ itemType: 2, token: TOKEN, identifierOrCriteria: 1, startAmount: 1, endAmount: 1 }],
      consideration: [
        {
          itemType: 0,
          token: `0x${'00'.repeat(20)}`,
          identifierOrCriteria: 0,
          startAmount: 1,
          endAmount: 1,
          recipient: SPENDER,
        },
      ],
      orderType: 0,
      startTime: 0,
      endTime: '9999999999',
      zoneHash: `0x${'00'.repeat(32)}`,
      salt: 1,
      conduitKey: `0x${'00'.repeat(32)}`,
      counter: 0,
    },
  };
};
// DAI's pre-EIP-2612 permit: holder, spender, nonce, expiry, allowed.
const daiPermit = () => ({
  types: {
    EIP712Domain: DOMAIN_TYPE,
    Permit: [
      { name: 'holder', type: 'address' },
      { name: 'spender', type: 'address' },
      { name: 'nonce', type: 'uint256' },
      { name: 'expiry', type: 'uint256' },
      { name: 'allowed', type: 'bool' },
    ],
  },
  domain: { name: 'Dai Stablecoin', version: '1', chainId: 1, verifyingContract: DAI },
  primaryType: 'Permit',
  message: { holder: OWNER, spender: SPENDER, nonce: 0, expiry: 0, allowed: true },
});
// The dYdX API-key action (signing-risk.md A1.1): mainnet shape (with onlySignOn) and testnet shape.
const apiKey = (chainId = 1, onlySignOn: string | undefined = ORIGIN) => ({
  types: {
    EIP712Domain: [
      { name: 'name', type: 'string' },
      { name: 'version', type: 'string' },
      { name: 'chainId', type: 'uint256' },
    ],
    dYdX:
      onlySignOn === undefined
        ? [{ name: 'action', type: 'string' }]
        : [
            { name: 'action', type: 'string' },
            { name: 'onlySignOn', type: 'string' },
          ],
  },
  domain: { name: 'dYdX', version: '1.0', chainId },
  primaryType: 'dYdX',
  message: onlySignOn === undefined ? { action: 'dYdX Onboarding' } : { action: 'dYdX Onboarding', onlySignOn },
});

describe('dYdX onboarding typed data (vectors)', () => {
  it('the real mainnet "dYdX STARK Key" typed data (ethereum_side.json) is decoded in full and refused as key derivation', () => {
    const json = readVector('signing/ethereum_side.json').dydx_key_derivation_messages
      .eip712_typed_data_mainnet as string;
    const t = decodeTypedDataForApproval(json, CTX);
    expect(t.kind).toBe('dydx-stark-key');
    expect(t.refusal).toContain('stark_account');
    expect(t.domain).toEqual({ name: 'dYdX', version: '1.0', chainId: '1' });
    expect(t.fields).toEqual([
      { name: 'action', type: 'string', value: 'dYdX STARK Key' },
      { name: 'onlySignOn', type: 'string', value: 'https://trade.dydx.exchange' },
    ]);
  });

  it('every self-generated onboarding vector: hashes to the vector digest and is refused as key derivation', () => {
    const v = readVector('signing/dydx_onboarding_eip712_selfgenerated.json');
    expect(v.eip712.length).toBeGreaterThan(0);
    for (const e of v.eip712 as { chainId: number; digest: string; includes_onlySignOn: boolean }[]) {
      const td = dydxStarkKeyTypedData(e.chainId);
      expect(hashTypedData(td as any)).toBe(e.digest);
      const t = decodeTypedDataForApproval(JSON.stringify(td), { chainId: e.chainId, origin: ORIGIN });
      expect(t.kind).toBe('dydx-stark-key');
      expect(t.refusal).toContain(e.digest);
    }
  });
});

describe('allowed: the dYdX API-key action, for the origin that asks', () => {
  it('"dYdX Onboarding" (mainnet and testnet shapes) is dydx-api-key, with a plain grant naming the origin and no refusal', () => {
    for (const td of [apiKey(1), apiKey(5, undefined), apiKey(11155111, undefined)]) {
      const t = decodeTypedDataForApproval(JSON.stringify(td), { chainId: td.domain.chainId, origin: ORIGIN });
      expect(t.kind).toBe('dydx-api-key');
      expect(t.refusal).toBeUndefined();
      expect(t.grant).toBe(`This signature gives ${ORIGIN} your dYdX API key credentials; it cannot move funds.`);
      expect(t.warnings).toEqual([]);
    }
  });

  it('onlySignOn must be the requesting origin: another site is refused, naming field, value and allowed set', () => {
    const t = decodeTypedDataForApproval(apiKey(1), { chainId: 1, origin: 'https://dydx-exchange.example' });
    expect(t.refusal).toContain('message.onlySignOn is "https://trade.dydx.exchange"');
    expect(t.refusal).toContain('must be the requesting origin "https://dydx-exchange.example"');
    expect(t.grant).toBeUndefined();
  });

  it('anything else about its shape is refused, naming the field: domain, struct, extra types, action', () => {
    const base = apiKey(1);
    const cases: [unknown, string][] = [
      [
        {
          ...base,
          types: { ...base.types, EIP712Domain: DOMAIN_TYPE },
          domain: { ...base.domain, verifyingContract: TOKEN },
        },
        `domain.verifyingContract is "${TOKEN}"`,
      ],
      [
        {
          ...base,
          types: { ...base.types, EIP712Domain: [...base.types.EIP712Domain, { name: 'salt', type: 'bytes32' }] },
          domain: { ...base.domain, salt: `0x${'01'.repeat(32)}` },
        },
        'domain.salt is',
      ],
      [{ ...base, domain: { ...base.domain, name: 'dYdX v3' } }, 'domain.name is "dYdX v3"'],
      [{ ...base, domain: { ...base.domain, version: '2' } }, 'domain.version is "2"'],
      [
        {
          ...base,
          types: { EIP712Domain: base.types.EIP712Domain.slice(0, 2), dYdX: base.types.dYdX },
          domain: { name: 'dYdX', version: '1.0' },
        },
        'domain.chainId is missing',
      ],
      [
        {
          ...base,
          types: { ...base.types, dYdX: [...base.types.dYdX, { name: 'to', type: 'address' }] },
          message: { ...base.message, to: OWNER },
        },
        'types.dYdX is "dYdX(string action,string onlySignOn,address to)"',
      ],
      [{ ...base, types: { ...base.types, Extra: [{ name: 'x', type: 'uint256' }] } }, 'types.Extra is declared'],
      [{ ...base, message: { ...base.message, action: 'Send all funds' } }, 'primaryType is "dYdX"'],
      [{ ...base, message: { ...base.message, action: 'dYdX Onboarding\u202e' } }, 'primaryType is "dYdX"'],
    ];
    for (const [td, text] of cases) {
      const t = decodeTypedDataForApproval(td, CTX);
      expect(t.refusal, text).toContain(text);
      expect(t.refusal).toContain(ALLOWED);
      expect(t.grant).toBeUndefined();
    }
  });
});

describe('refused: every other family, with 4100 naming the primaryType and the allowed set', () => {
  const families: [string, () => unknown, string, string][] = [
    ['EIP-2612 Permit', permit, 'Permit', 'token-approval'],
    ['Permit2 PermitSingle', permitSingle, 'PermitSingle', 'token-approval'],
    ['Permit2 PermitBatch', permitBatch, 'PermitBatch', 'token-approval'],
    ['Permit2 PermitTransferFrom', permitTransferFrom, 'PermitTransferFrom', 'token-approval'],
    [
      'EIP-3009 TransferWithAuthorization',
      () => eip3009('TransferWithAuthorization'),
      'TransferWithAuthorization',
      'token-transfer',
    ],
    [
      'EIP-3009 ReceiveWithAuthorization',
      () => eip3009('ReceiveWithAuthorization'),
      'ReceiveWithAuthorization',
      'token-transfer',
    ],
    ['Seaport OrderComponents', seaport, 'OrderComponents', 'marketplace-order'],
    ['DAI permit (holder, spender, nonce, expiry, allowed)', daiPermit, 'Permit', 'token-approval'],
    [
      'an unknown type',
      () => ({
        types: {
          Mail: [
            { name: 'to', type: 'address' },
            { name: 'note', type: 'string' },
          ],
        },
        domain: { name: 'Some App', version: '3', chainId: 1 },
        primaryType: 'Mail',
        message: { to: OWNER, note: 'hello' },
      }),
      'Mail',
      'unknown',
    ],
  ];
  for (const [what, make, primaryType, kind] of families) {
    it(what, () => {
      const td = make();
      expect(() => hashTypedData(td as any)).not.toThrow(); // well-formed: refused for what it is
      const t = decodeTypedDataForApproval(JSON.stringify(td), CTX);
      expect(t.kind).toBe(kind);
      expect(t.refusal).toContain(`primaryType is "${primaryType}"`);
      expect(t.refusal).toContain(ALLOWED);
      expect(t.refusal).toContain('issue 13');
      expect(t.grant).toBeUndefined();
    });
  }

  it('refusals say what the request would have done (spender, recipient)', () => {
    expect(decodeTypedDataForApproval(permit(), CTX).refusal).toContain(`let ${SPENDER} move tokens`);
    expect(decodeTypedDataForApproval(daiPermit(), CTX).refusal).toContain(`let ${SPENDER} move tokens`);
    expect(decodeTypedDataForApproval(eip3009('TransferWithAuthorization'), CTX).refusal).toContain(
      `token transfer to ${SPENDER}`,
    );
    expect(decodeTypedDataForApproval(seaport(), CTX).refusal).toContain('Seaport order');
  });

  it('spender + value/amount/allowance/allowed under any primaryType is a token approval', () => {
    for (const [amountField, type, v] of [
      ['value', 'uint256', '1'],
      ['amount', 'uint256', '1'],
      ['allowance', 'uint256', '1'],
      ['allowed', 'bool', true],
    ] as const) {
      const td = {
        types: {
          Order: [
            { name: 'spender', type: 'address' },
            { name: amountField, type },
          ],
        },
        domain: { name: 'Innocent Exchange', chainId: 1 },
        primaryType: 'Order',
        message: { spender: SPENDER, [amountField]: v },
      };
      const t = decodeTypedDataForApproval(td, CTX);
      expect(t.kind).toBe('token-approval');
      expect(t.refusal).toContain('primaryType is "Order"');
    }
  });
});

describe('what the approval shows', () => {
  it('nested fields are flattened with their path; every domain field, salt included', () => {
    const t = decodeTypedDataForApproval(permitSingle(), CTX);
    expect(t.fields.map((f) => f.name)).toEqual([
      'details.token',
      'details.amount',
      'details.expiration',
      'details.nonce',
      'spender',
      'sigDeadline',
    ]);
    const salt = `0x${'5a'.repeat(32)}`;
    const td = {
      types: { EIP712Domain: [...DOMAIN_TYPE, { name: 'salt', type: 'bytes32' }], M: [{ name: 'a', type: 'uint8[]' }] },
      domain: { name: 'N', version: '1', chainId: 1, verifyingContract: TOKEN, salt },
      primaryType: 'M',
      message: { a: [] },
    };
    const d = decodeTypedDataForApproval(td, CTX);
    expect(d.domain).toEqual({ name: 'N', version: '1', chainId: '1', verifyingContract: TOKEN, salt });
    // An empty array is hashed too: it is shown.
    expect(d.fields).toEqual([{ name: 'a', type: 'uint8[]', value: '[] (empty)' }]);
  });

  it('control and bidi characters in strings (message and domain) are shown escaped, with a warning naming the field', () => {
    const td = {
      types: {
        M: [
          { name: 'note', type: 'string' },
          { name: 'ok', type: 'string' },
        ],
      },
      domain: { name: 'Bank\u200b' },
      primaryType: 'M',
      message: { note: 'pay \u202eevil\u202c now\u0007', ok: 'plain ✓' },
    };
    const t = decodeTypedDataForApproval(td, CTX);
    expect(t.fields).toEqual([
      { name: 'note', type: 'string', value: 'pay \\u{202E}evil\\u{202C} now\\u{0007}' },
      { name: 'ok', type: 'string', value: 'plain ✓' },
    ]);
    expect(t.domain.name).toBe('Bank\\u{200B}');
    expect(t.warnings.filter((w) => w.code === 'hidden-characters').map((w) => w.message.split(' ')[0])).toEqual([
      'domain.name',
      'message.note',
    ]);
  });

  it('domain chainId other than the wallet chain is flagged; a missing chainId too', () => {
    const t = decodeTypedDataForApproval(apiKey(5, undefined), CTX);
    expect(t.warnings.map((w) => w.code)).toEqual(['chain-mismatch']);
    expect(t.warnings[0]!.message).toContain('5');
    expect(decodeTypedDataForApproval(apiKey(5, undefined), { chainId: 5, origin: ORIGIN }).warnings).toEqual([]);
    const td = {
      types: { Mail: [{ name: 'note', type: 'string' }] },
      domain: { name: 'x' },
      primaryType: 'Mail',
      message: { note: 'hi' },
    };
    expect(decodeTypedDataForApproval(td, CTX).warnings.map((w) => w.code)).toEqual(['no-chain-id']);
  });

  it('the declared EIP712Domain must be what the domain holds, with the standard types', () => {
    const base = apiKey(1);
    const missing = {
      ...base,
      types: { ...base.types, EIP712Domain: [...base.types.EIP712Domain, { name: 'salt', type: 'bytes32' }] },
    };
    expect(() => decodeTypedDataForApproval(missing, CTX)).toThrow(
      /^domain\.salt: declared in types\.EIP712Domain but missing/,
    );
    const retyped = {
      ...base,
      types: { ...base.types, EIP712Domain: [{ name: 'name', type: 'bytes32' }, ...base.types.EIP712Domain.slice(1)] },
    };
    expect(() => decodeTypedDataForApproval(retyped, CTX)).toThrow(
      /^types\.EIP712Domain\.name: type "bytes32"; EIP-712 says string/,
    );
  });
});

describe('malformed typed data → TypedDataError naming the field', () => {
  const good = () => dydxStarkKeyTypedData(1) as any;
  const cases: [string, () => unknown, string][] = [
    ['not JSON', () => '{"types":', 'typedData'],
    ['not an object', () => [1, 2], 'typedData'],
    ['types not an object', () => ({ ...good(), types: 'x' }), 'types'],
    [
      'a type field without a type',
      () => ({ ...good(), types: { ...good().types, dYdX: [{ name: 'action' }] } }),
      'types.dYdX[0]',
    ],
    ['primaryType missing', () => ({ ...good(), primaryType: undefined }), 'primaryType'],
    ['primaryType not in types', () => ({ ...good(), primaryType: 'Permit' }), 'primaryType'],
    ['primaryType EIP712Domain', () => ({ ...good(), primaryType: 'EIP712Domain' }), 'primaryType'],
    ['domain missing', () => ({ ...good(), domain: undefined }), 'domain'],
    ['unknown domain field', () => ({ ...good(), domain: { ...good().domain, owner: OWNER } }), 'domain.owner'],
    ['chainId not an integer', () => ({ ...good(), domain: { ...good().domain, chainId: 'one' } }), 'domain.chainId'],
    [
      'an untyped message field',
      () => ({ ...good(), message: { ...good().message, spender: SPENDER } }),
      'message.spender',
    ],
    ['a missing message field', () => ({ ...good(), message: { action: 'dYdX STARK Key' } }), 'message.onlySignOn'],
    ['a wrong value type', () => ({ ...good(), message: { ...good().message, action: 5 } }), 'message.action'],
    [
      'an undefined type',
      () => ({ types: { M: [{ name: 'a', type: 'Foo' }] }, domain: {}, primaryType: 'M', message: { a: 1 } }),
      'message.a',
    ],
    [
      'a bad address',
      () => ({ types: { M: [{ name: 'a', type: 'address' }] }, domain: {}, primaryType: 'M', message: { a: '0x12' } }),
      'message.a',
    ],
    [
      'a fixed array of the wrong length',
      () => ({ types: { M: [{ name: 'a', type: 'uint8[2]' }] }, domain: {}, primaryType: 'M', message: { a: [1] } }),
      'message.a',
    ],
  ];
  for (const [what, make, field] of cases) {
    it(what, () => {
      let err: unknown;
      try {
        decodeTypedDataForApproval(make(), CTX);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(TypedDataError);
      expect((err as TypedDataError).field).toBe(field);
      expect((err as TypedDataError).message.startsWith(`${field}:`)).toBe(true);
    });
  }

  it('size, field count and nesting are bounded', () => {
    const big = {
      types: { M: [{ name: 's', type: 'string' }] },
      domain: {},
      primaryType: 'M',
      message: { s: 'a'.repeat(TYPED_DATA_MAX_CHARS) },
    };
    expect(() => decodeTypedDataForApproval(big, CTX)).toThrow(TypedDataError);
    const many = {
      types: { M: [{ name: 'a', type: 'uint8[]' }] },
      domain: {},
      primaryType: 'M',
      message: { a: Array(TYPED_DATA_MAX_FIELDS + 1).fill(1) },
    };
    expect(() => decodeTypedDataForApproval(many, CTX)).toThrow(/more than/);
    // A recursive type: only a bounded depth is accepted.
    let node: any = { next: [] };
    for (let i = 0; i < 12; i++) node = { next: [node] };
    const deep = {
      types: { Node: [{ name: 'next', type: 'Node[]' }] },
      domain: {},
      primaryType: 'Node',
      message: node,
    };
    expect(() => decodeTypedDataForApproval(deep, CTX)).toThrow(/nested deeper/);
  });

  it('property: arbitrary JSON never escapes as anything but TypedDataError or a decoded approval', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        try {
          decodeTypedDataForApproval(v, CTX);
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
    for (const data of [
      '0xff00',
      '0xc0af',
      '0xeda080',
      '0x0001020304',
      stringToHex('abc\u202egpj.exe'),
      stringToHex('pay\u200ehidden'),
      stringToHex('a\u061cb'),
      stringToHex('zero\u200bwidth'),
    ] as `0x${string}`[]) {
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
        else expect(s === '' || UNPRINTABLE.test(s)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
