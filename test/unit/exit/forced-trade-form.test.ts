import { describe, expect, it } from 'vitest';
import { ExitInputError, dydxMarketTable, forcedTradeOfForm, type ForcedTradeForm } from '../../helpers/core.js';

// Party B's forced-trade form (issue 17): human units in, the request the offer signs out.

const NOW = Date.UTC(2026, 11, 2, 13, 0, 0);
const form: ForcedTradeForm = {
  starkKeyA: '0x3b865a18323b8d147a12c556bfb1d502516c325b1477a23ba6c77af31f020fd',
  positionIdA: '12',
  positionIdB: '34',
  market: 'ETH-USD',
  amountSynthetic: '0.5',
  amountCollateral: '1,000.25',
  direction: 'a-buys',
  nonce: '',
  validHours: '24',
};
// The exchange's system asset type as L1 gives it: here a devnet's, not network 1's USDC.
const ctx = { starkKeyB: 0x1234n, nowMs: NOW, randomNonce: 777n, collateralAssetId: 0xc011a7e4a1n };

describe('forced-trade form', () => {
  it('turns the filled form into the request: market by name, amounts in quanta, direction, expiry in hours', () => {
    const t = forcedTradeOfForm(form, ctx);
    const eth = dydxMarketTable(1).markets['ETH-USD']!;
    expect(t).toEqual({
      starkKeyA: BigInt(form.starkKeyA),
      starkKeyB: 0x1234n,
      positionIdA: 12n,
      positionIdB: 34n,
      collateralAssetId: 0xc011a7e4a1n,
      syntheticAssetId: eth.syntheticAssetId,
      amountCollateral: 1_000_250_000n,
      amountSynthetic: 5n * 10n ** BigInt(eth.resolution - 1),
      aIsBuyingSynthetic: true,
      nonce: 777n,
      submissionExpirationTime: BigInt(NOW / 3_600_000 + 24),
    });
    const sells = forcedTradeOfForm({ ...form, direction: 'a-sells', nonce: '99' }, ctx);
    expect(sells.aIsBuyingSynthetic).toBe(false);
    expect(sells.nonce).toBe(99n);
  });

  it('refuses each bad field naming the field, the value and the range', () => {
    const bad: [Partial<ForcedTradeForm>, string][] = [
      [{ starkKeyA: '12' }, 'starkKeyA: "12" is out of range; expected a stark key: 0x-hex, 0 < key < P'],
      [{ positionIdA: '-1' }, 'positionIdA: "-1" is out of range; expected an integer 0 <= positionId < 2^64'],
      [{ positionIdB: '12' }, 'positionIdB: "12" is out of range; expected a position other than party A’s'],
      [{ market: 'ETH' }, 'market: "ETH" is out of range; expected one of '],
      [
        { amountSynthetic: '0.0000000001' },
        'amountSynthetic: "0.0000000001" is out of range; expected an amount of ETH',
      ],
      [{ amountCollateral: '0' }, 'amountCollateral: "0" is out of range; expected a USDC amount > 0'],
      [{ direction: 'up' as never }, 'direction: "up" is out of range; expected "a-buys" or "a-sells"'],
      [{ nonce: '-3' }, 'nonce: "-3" is out of range; expected a decimal integer 0 <= nonce < P'],
      [{ validHours: '0' }, 'validHours: "0" is out of range; expected whole hours, 1 to 8760'],
    ];
    for (const [change, message] of bad) {
      expect(() => forcedTradeOfForm({ ...form, ...change }, ctx), message).toThrow(ExitInputError);
      expect(() => forcedTradeOfForm({ ...form, ...change }, ctx), message).toThrow(message);
    }
  });
});
