import { describe, expect, it } from 'vitest';
import { dydx, type DydxApiOrder } from '../../helpers/core.js';

/** The dYdX v3 REST bodies (v3-client createOrder / createWithdrawal / createTransfer) map onto starkex-lib params. */
describe('dYdX v3 API request shapes', () => {
  const apiOrder: DydxApiOrder = {
    market: 'ETH-USD',
    side: 'BUY',
    type: 'LIMIT',
    timeInForce: 'GTT',
    postOnly: false,
    size: '145.0005',
    price: '350.00067',
    limitFee: '0.125',
    expiration: '2020-09-17T04:15:55.028Z',
    clientId: 'This is an ID that the client came up with to describe this order',
  };

  it('order: size/price/expiration become humanSize/humanPrice/expirationIsoTimestamp; the message is the same', () => {
    const params = dydx.orderParamsFromApi(apiOrder, '12345');
    expect(params).toEqual({
      positionId: '12345',
      humanSize: '145.0005',
      humanPrice: '350.00067',
      limitFee: '0.125',
      market: 'ETH-USD',
      side: 'BUY',
      expirationIsoTimestamp: '2020-09-17T04:15:55.028Z',
      clientId: apiOrder.clientId,
    });
    const stark = dydx.orderToStark(params, 1);
    expect(stark.quantumsAmountCollateral).toBe(50750272151n); // A3.7
    expect(stark.expirationEpochHours).toBe(444701n);
  });

  it('withdrawal and transfer bodies', () => {
    const w = dydx.withdrawalParamsFromApi(
      { amount: '49.478023', asset: 'USDC', expiration: '2020-09-17T04:15:55.028Z', clientId: 'c' },
      '12345',
    );
    expect(dydx.withdrawalToStark(w, 1).quantumsAmount).toBe(49478023n);
    const t = dydx.transferParamsFromApi(
      {
        amount: '1',
        receiverAccountId: 'x',
        receiverPublicKey: '05135ef87716b0faecec3ba672d145a6daad0aa46437c365d490022115aba674',
        receiverPositionId: '67890',
        expiration: '2020-09-17T04:15:55.028Z',
        clientId: 'c',
      },
      '12345',
    );
    expect(t).toMatchObject({ senderPositionId: '12345', receiverPositionId: '67890', humanAmount: '1' });
    expect(dydx.transferToStark(t, 1).quantumsAmount).toBe(1000000n);
  });
});
