import { describe, expect, it } from 'vitest';
import { serializeStarkSignature, signHash } from '../../../src/crypto/ecdsa.js';
import { dydx } from '../../../src/messages/dydx.js';
import { checkStarkOrder, orderHash } from '../../../src/messages/order.js';
import { conditionalTransferHash, transferHash } from '../../../src/messages/transfer.js';
import { withdrawalHash } from '../../../src/messages/withdrawal.js';
import {
  InvalidParamsError,
  parseSignConditionalTransferParams,
  parseSignOrderParams,
  parseSignTransferParams,
  parseSignWithdrawalParams,
} from '../../../src/rpc/index.js';
import { readVector } from '../../helpers/vectors.js';

const NOW = Date.parse('2020-09-01T00:00:00Z');
const ORDER = {
  market: 'ETH-USD',
  side: 'BUY',
  size: '145.0005',
  price: '350.00067',
  limitFee: '0.125',
  clientId: 'id-1',
  positionId: '12345',
  expiration: '2020-09-17T04:15:55.028Z',
};

/** starkex-lib's enum spellings in the vectors → the API strings dapps send. */
function apiParams(p: Record<string, string>): Record<string, string> {
  const out = { ...p };
  if (out.market) out.market = out.market.replace('DydxMarket.', '').replace('_', '-');
  if (out.side) out.side = out.side.replace('StarkwareOrderSide.', '');
  return out;
}

describe('stark_sign* params reproduce starkex-lib signatures (dYdX v3 shapes)', () => {
  const v = readVector('signing/dydx_starkex_lib_signables.json');
  const parsers: Record<string, (params: unknown) => bigint> = {
    order: (p) => orderHash(parseSignOrderParams(p, NOW).message),
    withdrawal: (p) => withdrawalHash(parseSignWithdrawalParams(p, NOW).message),
    transfer: (p) => transferHash(parseSignTransferParams(p, NOW).message),
    conditional_transfer: (p) => conditionalTransferHash(parseSignConditionalTransferParams(p, NOW).message),
  };
  const cases = (
    v.cases as {
      network: string;
      chain_id: number;
      kind: string;
      params: Record<string, string>;
      private_key: string;
      signature: string;
    }[]
  ).filter((c) => c.kind in parsers);
  it.each(cases.map((c) => [`${c.network} ${c.kind}`, c] as const))('%s', (_name, c) => {
    const hash = parsers[c.kind]!([{ ...apiParams(c.params), networkId: c.chain_id }]);
    expect(serializeStarkSignature(signHash(hash, BigInt(`0x${c.private_key}`)))).toBe(c.signature);
  });
});

describe('parseSignOrderParams', () => {
  it('the API shape, the starkex-lib names and the raw StarkEx fields give the same order', () => {
    const fromApi = parseSignOrderParams([ORDER], NOW);
    expect(fromApi).toMatchObject({ networkId: 1, source: 'dydx' });
    const expected = dydx.orderToStark(
      {
        positionId: '12345',
        humanSize: '145.0005',
        humanPrice: '350.00067',
        limitFee: '0.125',
        market: 'ETH-USD',
        side: 'BUY',
        expirationIsoTimestamp: ORDER.expiration,
        clientId: 'id-1',
      },
      1,
    );
    expect(fromApi.message).toEqual(expected);
    const { size, price, expiration, ...rest } = ORDER;
    expect(
      parseSignOrderParams({ ...rest, humanSize: size, humanPrice: price, expirationIsoTimestamp: expiration }, NOW)
        .message,
    ).toEqual(expected);
    const raw = starkexLibFields(expected);
    const fromRaw = parseSignOrderParams([raw], NOW);
    expect(fromRaw.source).toBe('starkex');
    expect(fromRaw.message).toEqual(checkStarkOrder(expected));
  });

  const cases: [string, unknown, RegExp][] = [
    ['no params', undefined, /params\[0\]: expected an object/],
    ['two params', [ORDER, ORDER], /params: expected exactly 1 element/],
    ['a string', ['x'], /params\[0\]: expected an object/],
    ['unknown market', [{ ...ORDER, market: 'NOPE-USD' }], /market/],
    ['bad side', [{ ...ORDER, side: 'LONG' }], /side/],
    ['negative size', [{ ...ORDER, size: '-1' }], /humanSize/],
    ['size and humanSize', [{ ...ORDER, humanSize: '1' }], /humanSize: give humanSize or size, not both/],
    ['expired', [{ ...ORDER, expiration: '2020-08-01T00:00:00Z' }], /expirationIsoTimestamp/],
    ['bad networkId', [{ ...ORDER, networkId: 'mainnet' }], /networkId: expected a positive integer/],
    ['unknown networkId', [{ ...ORDER, networkId: 42 }], /networkId/],
    [
      'raw order out of range',
      [{ ...checkStarkOrderFields(), quantumsAmountSynthetic: (1n << 64n).toString() }],
      /^Invalid params: quantumsAmountSynthetic: "18446744073709551616" is out of range/,
    ],
  ];
  it.each(cases)('%s → InvalidParamsError (-32602) naming the field', (_name, params, message) => {
    expect(() => parseSignOrderParams(params, NOW)).toThrow(InvalidParamsError);
    expect(() => parseSignOrderParams(params, NOW)).toThrow(message);
    try {
      parseSignOrderParams(params, NOW);
    } catch (err) {
      expect((err as InvalidParamsError).code).toBe(-32602);
    }
  });
});

/** starkex-lib's StarkwareOrder conventions: asset ids in hex, amounts and ids in decimal. */
function starkexLibFields(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(o).map(([k, x]) => [
      k,
      typeof x === 'bigint' ? (k.startsWith('assetId') ? `0x${x.toString(16)}` : x.toString()) : x,
    ]),
  );
}
function checkStarkOrderFields() {
  return starkexLibFields(
    dydx.orderToStark(
      {
        positionId: '1',
        humanSize: '1',
        humanPrice: '1',
        limitFee: '0',
        market: 'ETH-USD',
        side: 'SELL',
        expirationIsoTimestamp: ORDER.expiration,
        clientId: 'c',
      },
      1,
    ),
  );
}

describe('withdrawal and transfer params', () => {
  it('validate with the field named', () => {
    expect(() =>
      parseSignWithdrawalParams([{ positionId: '1', amount: '0', clientId: 'c', expiration: ORDER.expiration }], NOW),
    ).toThrow(/humanAmount/);
    expect(() =>
      parseSignTransferParams(
        [
          {
            positionId: '1',
            receiverPositionId: '1',
            receiverPublicKey: '0x1',
            amount: '1',
            clientId: 'c',
            expiration: ORDER.expiration,
          },
        ],
        NOW,
      ),
    ).toThrow(/receiverPositionId/);
    expect(() => parseSignConditionalTransferParams([{ positionId: '1' }], NOW)).toThrow(InvalidParamsError);
  });
});
