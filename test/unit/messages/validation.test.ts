import { describe, expect, it } from 'vitest';
import { RangeCheckError, TypeCheckError } from '../../helpers/core.js';
import { expectRejected } from './expect-rejected.js';
import {
  AmountError,
  ConditionError,
  DecimalError,
  EthAddressError,
  ExpirationError,
  FeeError,
  KeyError,
  MarketError,
  NetworkIdError,
  NonceError,
  OraclePriceError,
  OrderSideError,
  PositionIdError,
  PrecisionError,
  dydx,
  signHash,
} from '../../helpers/core.js';

/**
 * Every validation rule: the bad input throws the rule's error class, and nothing (in particular
 * no signature) is returned. No vectors needed.
 */
const PRIV = 0x58c7d5a90b1776bde86ebac077e053ed85b0f7164f53b080304a531947f46e3n;
const RECEIVER = '05135ef87716b0faecec3ba672d145a6daad0aa46437c365d490022115aba674';
const NOW = Date.UTC(2024, 0, 1);
const FUTURE = '2024-02-01T00:00:00.000Z';
const order = {
  positionId: '12345',
  humanSize: '1.5',
  humanPrice: '2000.25',
  limitFee: '0.001',
  market: 'ETH-USD',
  side: 'BUY' as const,
  expirationIsoTimestamp: FUTURE,
  clientId: 'client-1',
};
const withdrawal = { positionId: '12345', humanAmount: '10.5', expirationIsoTimestamp: FUTURE, clientId: 'w-1' };
const transfer = {
  senderPositionId: '12345',
  receiverPositionId: '67890',
  receiverPublicKey: RECEIVER,
  humanAmount: '10.5',
  expirationIsoTimestamp: FUTURE,
  clientId: 't-1',
};
const conditional = {
  ...transfer,
  factRegistryAddress: '0x12aa12aa12aa12aa12aa12aa12aa12aa12aa12aa',
  fact: `0x${'12ff'.repeat(16)}`,
};
const signOrder = (o: any, net = 1) => dydx.signOrder(o, net, PRIV, { now: NOW });
const signWithdrawal = (w: any, net = 1) => dydx.signWithdrawal(w, net, PRIV, { now: NOW });
const signTransfer = (t: any) => dydx.signTransfer(t, 1, PRIV, { now: NOW });
const signConditional = (t: any) => dydx.signConditionalTransfer(t, 1, PRIV, { now: NOW });

describe('dYdX layer validation', () => {
  it('the base inputs are valid (so every rejection below is caused by its one change)', () => {
    expect(signOrder(order).signatureHex).toMatch(/^[0-9a-f]{128}$/);
    expect(signWithdrawal(withdrawal).signatureHex).toMatch(/^[0-9a-f]{128}$/);
    expect(signTransfer(transfer).signatureHex).toMatch(/^[0-9a-f]{128}$/);
    expect(signConditional(conditional).signatureHex).toMatch(/^[0-9a-f]{128}$/);
  });

  it('unknown market → MarketError; unknown network → NetworkIdError', () => {
    expectRejected(() => signOrder({ ...order, market: 'FOO-USD' }), MarketError, 'market');
    expectRejected(() => signOrder({ ...order, market: 'eth-usd' }), MarketError, 'market');
    expectRejected(() => signOrder({ ...order, market: 'USDC-USD' }), MarketError, 'market');
    expectRejected(() => signOrder({ ...order, market: 'toString' }), MarketError, 'market');
    expectRejected(() => signOrder(order, 42), NetworkIdError, 'networkId');
    expectRejected(() => signWithdrawal(withdrawal, 10), NetworkIdError, 'networkId');
    expectRejected(
      () => dydx.withdrawalParamsFromApi({ amount: '1', asset: 'ETH', expiration: FUTURE, clientId: 'x' }, '1'),
      MarketError,
      'asset',
    );
  });

  it('empty, negative, NaN, exponent and other non-plain decimals → DecimalError; JS numbers → TypeCheckError', () => {
    for (const bad of [
      '',
      '-1',
      '-0.5',
      '1e5',
      '1E-3',
      'NaN',
      'Infinity',
      ' 1',
      '1 ',
      '1.',
      '.5',
      '+1',
      '0x10',
      '1,5',
      '1.2.3',
      '١',
    ]) {
      expectRejected(() => signOrder({ ...order, humanSize: bad }), DecimalError, 'humanSize');
      expectRejected(() => signOrder({ ...order, humanPrice: bad }), DecimalError, 'humanPrice');
      expectRejected(() => signOrder({ ...order, limitFee: bad }), DecimalError, 'limitFee');
      expectRejected(() => signWithdrawal({ ...withdrawal, humanAmount: bad }), DecimalError, 'humanAmount');
      expectRejected(() => signTransfer({ ...transfer, humanAmount: bad }), DecimalError, 'humanAmount');
    }
    expectRejected(() => signOrder({ ...order, humanSize: '1'.repeat(101) }), DecimalError, 'humanSize');
    expectRejected(() => signOrder({ ...order, humanSize: 1.5 }), TypeCheckError, 'humanSize');
    expectRejected(() => signWithdrawal({ ...withdrawal, humanAmount: 10 }), TypeCheckError, 'humanAmount');
  });

  it('more decimals than the resolution → PrecisionError (size per market, amounts and quote at 6)', () => {
    expectRejected(() => signOrder({ ...order, humanSize: '1.0000000001' }), PrecisionError, 'humanSize'); // ETH: 9
    expectRejected(() => signOrder({ ...order, market: 'TRX-USD', humanSize: '1.00001' }), PrecisionError, 'humanSize'); // TRX: 4
    expectRejected(() => signWithdrawal({ ...withdrawal, humanAmount: '10.0000001' }), PrecisionError, 'humanAmount');
    expectRejected(() => signTransfer({ ...transfer, humanAmount: '0.0000001' }), PrecisionError, 'humanAmount');
    const { humanPrice: _p, ...noPrice } = order;
    expectRejected(
      () => signOrder({ ...noPrice, humanQuoteAmount: '3000.0000001' }),
      PrecisionError,
      'humanQuoteAmount',
    );
    // Trailing zeros beyond the resolution are fine: they do not change the value.
    expect(signOrder({ ...order, humanSize: '1.500000000000' }).hash).toBe(signOrder(order).hash);
  });

  it('zero or too-large amounts → AmountError', () => {
    expectRejected(() => signOrder({ ...order, humanSize: '0' }), AmountError, 'humanSize');
    expectRejected(() => signOrder({ ...order, humanSize: '0.000' }), AmountError, 'humanSize');
    expectRejected(() => signOrder({ ...order, humanPrice: '0' }), AmountError, 'humanPrice');
    // A SELL whose proceeds round down to nothing would give the synthetic away.
    expectRejected(
      () => signOrder({ ...order, side: 'SELL', humanSize: '0.000000001', humanPrice: '0.5' }),
      AmountError,
      'humanPrice',
    );
    expectRejected(() => signOrder({ ...order, humanSize: '18446744074' }), AmountError, 'humanSize'); // > 2^64 gwei
    expectRejected(
      () => signOrder({ ...order, humanSize: '1000000', humanPrice: '100000000' }),
      AmountError,
      'humanPrice',
    );
    expectRejected(() => signWithdrawal({ ...withdrawal, humanAmount: '0' }), AmountError, 'humanAmount');
    expectRejected(
      () => signWithdrawal({ ...withdrawal, humanAmount: '18446744073709.551616' }),
      AmountError,
      'humanAmount',
    );
    expectRejected(() => signTransfer({ ...transfer, humanAmount: '0.0' }), AmountError, 'humanAmount');
  });

  it('limit fee outside [0, 1] → FeeError; price and quote together → RangeCheckError', () => {
    expectRejected(() => signOrder({ ...order, limitFee: '1.000001' }), FeeError, 'limitFee');
    expectRejected(() => signOrder({ ...order, limitFee: '2' }), FeeError, 'limitFee');
    expect(signOrder({ ...order, limitFee: '1' }).stark.quantumsAmountFee).toBe(
      signOrder(order).stark.quantumsAmountCollateral,
    );
    expectRejected(() => signOrder({ ...order, humanQuoteAmount: '3000' }), RangeCheckError, 'humanQuoteAmount');
  });

  it('side other than BUY / SELL → OrderSideError', () => {
    for (const side of ['buy', 'Sell', 'LONG', '', undefined])
      expectRejected(() => signOrder({ ...order, side }), OrderSideError, 'side');
  });

  it('bad or past expirations → ExpirationError', () => {
    for (const bad of [
      '2024-02-30T00:00:00.000Z',
      '2024-13-01T00:00:00Z',
      '2024-02-01',
      '2024-02-01T24:00:00Z',
      '2024-02-01T00:00:00.0001Z',
      'tomorrow',
      '1969-12-31T23:00:00Z',
      '2024-02-01T00:00:00+25:00',
    ]) {
      expectRejected(
        () => signOrder({ ...order, expirationIsoTimestamp: bad }),
        ExpirationError,
        'expirationIsoTimestamp',
      );
      expectRejected(
        () => signWithdrawal({ ...withdrawal, expirationIsoTimestamp: bad }),
        ExpirationError,
        'expirationIsoTimestamp',
      );
    }
    const past = new Date(NOW - 1).toISOString();
    expectRejected(
      () => signOrder({ ...order, expirationIsoTimestamp: past }),
      ExpirationError,
      'expirationIsoTimestamp',
    );
    expectRejected(
      () => signOrder({ ...order, expirationIsoTimestamp: new Date(NOW).toISOString() }),
      ExpirationError,
      'expirationIsoTimestamp',
    );
    expectRejected(() => signWithdrawal({ ...withdrawal, expirationIsoTimestamp: past }), ExpirationError);
    expectRejected(() => signTransfer({ ...transfer, expirationIsoTimestamp: past }), ExpirationError);
    expectRejected(() => signConditional({ ...conditional, expirationIsoTimestamp: past }), ExpirationError);
    // Without `now` there is no clock: the historic vectors (2020) stay reproducible.
    expect(
      dydx.orderToStark({ ...order, expirationIsoTimestamp: '2020-09-17T04:15:55.028Z' }, 1).expirationEpochHours,
    ).toBe(444701n);
  });

  it('position ids, nonces and client ids → PositionIdError / NonceError / TypeCheckError', () => {
    expectRejected(() => signOrder({ ...order, positionId: '18446744073709551616' }), PositionIdError, 'positionId');
    expectRejected(() => signOrder({ ...order, positionId: '-1' }), PositionIdError, 'positionId');
    expectRejected(() => signOrder({ ...order, positionId: '12.5' }), PositionIdError, 'positionId');
    expectRejected(() => signOrder({ ...order, positionId: 1.5 }), PositionIdError, 'positionId');
    expectRejected(() => signOrder({ ...order, positionId: undefined }), TypeCheckError, 'positionId');
    expectRejected(
      () => signTransfer({ ...transfer, receiverPositionId: '12345' }),
      PositionIdError,
      'receiverPositionId',
    );
    expectRejected(
      () => signTransfer({ ...transfer, senderPositionId: 2n ** 64n }),
      PositionIdError,
      'senderPositionId',
    );
    const { clientId: _c, ...noClient } = withdrawal;
    expectRejected(() => signWithdrawal({ ...noClient, nonce: '4294967296' }), NonceError, 'nonce');
    expectRejected(() => signWithdrawal({ ...withdrawal, nonce: '1' }), RangeCheckError, 'nonce');
    expectRejected(() => signWithdrawal(noClient), TypeCheckError, 'clientId');
    expectRejected(() => signOrder({ ...order, clientId: 5 }), TypeCheckError, 'clientId');
    expect(signWithdrawal({ ...noClient, nonce: '4294967295' }).stark.nonce).toBe(4294967295n);
  });

  it('receiver keys → KeyError; facts and registry addresses → ConditionError / EthAddressError', () => {
    expectRejected(() => signTransfer({ ...transfer, receiverPublicKey: '0' }), KeyError, 'receiverPublicKey');
    expectRejected(
      () => signTransfer({ ...transfer, receiverPublicKey: `0x${'8'.padEnd(64, '0')}` }),
      KeyError,
      'receiverPublicKey',
    ); // 2^251
    expectRejected(() => signTransfer({ ...transfer, receiverPublicKey: 'c' }), KeyError, 'receiverPublicKey'); // not on the curve
    expectRejected(() => signTransfer({ ...transfer, receiverPublicKey: 'xyz' }), KeyError, 'receiverPublicKey');
    expectRejected(() => signConditional({ ...conditional, fact: `0x${'1'.repeat(65)}` }), ConditionError, 'fact');
    expectRejected(() => signConditional({ ...conditional, fact: 'not hex' }), ConditionError, 'fact');
    expectRejected(
      () => signConditional({ ...conditional, factRegistryAddress: '0x1234' }),
      EthAddressError,
      'factRegistryAddress',
    );
  });

  it('signing keys → KeyError before anything is signed', () => {
    expectRejected(() => dydx.signOrder(order, 1, 0n), KeyError, 'privateKey');
    expectRejected(() => dydx.signOrder(order, 1, 2n ** 252n), KeyError, 'privateKey');
    expectRejected(() => signHash(1n, -1n), KeyError, 'privateKey');
  });

  it('oracle prices → OraclePriceError / MarketError', () => {
    const p = {
      market: 'BTC-USD',
      oracleName: 'dYdX',
      humanPrice: '11512.34',
      isoTimestamp: '2020-01-01T00:00:00.000Z',
    };
    expect(dydx.signOraclePrice(p, PRIV).signatureHex).toHaveLength(128);
    expectRejected(() => dydx.signOraclePrice({ ...p, oracleName: 'Chainlink' }, PRIV), OraclePriceError, 'oracleName');
    expectRejected(
      () => dydx.signOraclePrice({ ...p, market: undefined, assetName: 'A'.repeat(17) }, PRIV),
      OraclePriceError,
      'assetName',
    );
    expectRejected(() => dydx.signOraclePrice({ ...p, humanPrice: '0' }, PRIV), OraclePriceError, 'humanPrice');
    expectRejected(
      () => dydx.signOraclePrice({ ...p, humanPrice: '0.0000000000000000001' }, PRIV),
      PrecisionError,
      'humanPrice',
    );
    expectRejected(
      () => dydx.signOraclePrice({ ...p, humanPrice: '1330000000000000000' }, PRIV),
      OraclePriceError,
      'humanPrice',
    ); // price·10^18 >= 2^120: named by the field the caller gave
    expectRejected(
      () => dydx.signOraclePrice({ ...p, isoTimestamp: '2106-02-08T00:00:00.000Z' }, PRIV),
      OraclePriceError,
      'expirationEpochSeconds',
    );
    expectRejected(() => dydx.signOraclePrice({ ...p, market: 'XYZ-USD' }, PRIV), MarketError, 'market');
  });
});
