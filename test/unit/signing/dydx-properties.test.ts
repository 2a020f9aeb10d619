import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DYDX_NETWORK_IDS,
  conditionalTransferHash,
  dydx,
  dydxMarketTable,
  orderHash,
  quantumsToHuman,
  starkKeyPair,
  transferHash,
  verifyHash,
  withdrawalHash,
} from '../../helpers/core.js';

/**
 * Property tests over random valid dYdX requests on every network and market: sign → verify, the
 * StarkEx fields equal an independent bigint computation of A3.4–A3.6, and the hash is unchanged
 * when equal decimals are re-encoded ("1.5" vs "01.50").
 */
const NOW = Date.UTC(2024, 0, 1);
const HOUR = 3_600_000;
const MARKETS = Object.values(dydxMarketTable(1).markets);
const PRIV = 0x65b7bb244e019b45a521ef990fb8a002f76695d1fc6c1e31911680f2ed78b84n;
const PUB = starkKeyPair(PRIV).publicKey;
const RECEIVER = starkKeyPair(12345n).publicKey.toString(16);

/** An equal decimal written differently: leading zeros, trailing zeros, "." added. */
const reencode = (s: string, lead: number, trail: number): string =>
  '0'.repeat(lead) + s + (trail === 0 ? '' : (s.includes('.') ? '' : '.') + '0'.repeat(trail));
const encoding = fc.record({ lead: fc.integer({ min: 0, max: 3 }), trail: fc.integer({ min: 0, max: 4 }) });
const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b;
const nonceOf = (clientId: string) =>
  BigInt(`0x${createHash('sha256').update(clientId, 'utf8').digest('hex')}`) % 2n ** 32n;

const orderInput = (resolution: number) =>
  fc.record({
    // 1 to 100 000 whole units of the synthetic, any number of quantums.
    sizeQ: fc.bigInt({ min: 10n ** BigInt(resolution), max: 10n ** BigInt(resolution + 5) }),
    // 0.001 to 100 000 USD with up to 8 decimals.
    priceU: fc.bigInt({ min: 10n ** 5n, max: 10n ** 13n }),
    // 0 to 1 with up to 9 decimals (the last three are truncated away, A3.5).
    feeU: fc.bigInt({ min: 0n, max: 10n ** 9n }),
    side: fc.constantFrom('BUY' as const, 'SELL' as const),
    positionId: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
    clientId: fc.string({ maxLength: 40 }),
    expiresInMs: fc.integer({ min: 1, max: 365 * 24 * HOUR }),
    sizeEnc: encoding,
    priceEnc: encoding,
    feeEnc: encoding,
  });

type OrderX = typeof orderInput extends (r: number) => fc.Arbitrary<infer T> ? T : never;

function checkOrder(networkId: number, market: (typeof MARKETS)[number], x: OrderX): void {
  const r = BigInt(market.resolution);
  const humanSize = quantumsToHuman(x.sizeQ, market.resolution);
  const humanPrice = quantumsToHuman(x.priceU, 8);
  const limitFee = quantumsToHuman(x.feeU, 9);
  const expiration = new Date(NOW + x.expiresInMs).toISOString();
  const params = {
    positionId: x.positionId.toString(),
    humanSize,
    humanPrice,
    limitFee,
    market: market.market,
    side: x.side,
    expirationIsoTimestamp: expiration,
    clientId: x.clientId,
  };
  const signed = dydx.signOrder(params, networkId, PRIV, { now: NOW });

  // Independent computation of the StarkEx fields (A3.4–A3.6).
  const exact = x.sizeQ * x.priceU * 10n ** 6n; // collateral quantums × 10^(r+8)
  const den = 10n ** (r + 8n);
  const collateral = x.side === 'BUY' ? ceilDiv(exact, den) : exact / den;
  const table = dydxMarketTable(networkId);
  expect(signed.stark).toEqual({
    orderType: 'LIMIT_ORDER_WITH_FEES',
    assetIdSynthetic: market.syntheticAssetId,
    assetIdCollateral: table.collateral.assetId,
    assetIdFee: table.collateral.assetId,
    isBuyingSynthetic: x.side === 'BUY',
    quantumsAmountSynthetic: x.sizeQ,
    quantumsAmountCollateral: collateral,
    quantumsAmountFee: ceilDiv((x.feeU / 1000n) * collateral, 10n ** 6n),
    nonce: nonceOf(x.clientId),
    positionId: x.positionId,
    expirationEpochHours: BigInt(Math.ceil((NOW + x.expiresInMs) / HOUR)) + 168n,
  });
  expect(signed.hash).toBe(orderHash(signed.stark));
  expect(verifyHash(signed.hash, signed.signature, PUB)).toBe(true);

  // Equal decimals, different spelling: the same message.
  const again = dydx.orderToStark(
    {
      ...params,
      humanSize: reencode(humanSize, x.sizeEnc.lead, x.sizeEnc.trail),
      humanPrice: reencode(humanPrice, x.priceEnc.lead, x.priceEnc.trail),
      limitFee: reencode(limitFee, x.feeEnc.lead, x.feeEnc.trail),
    },
    networkId,
    { now: NOW },
  );
  expect(orderHash(again)).toBe(signed.hash);
}

describe('dYdX orders: every network × every market', () => {
  it(`sign → verify, fields and re-encoding (${DYDX_NETWORK_IDS.length} networks × ${MARKETS.length} markets, one random order each)`, () => {
    let seed = 20240101;
    for (const networkId of DYDX_NETWORK_IDS) {
      for (const market of MARKETS) {
        fc.assert(
          fc.property(orderInput(market.resolution), (x) => checkOrder(networkId, market, x)),
          { numRuns: 1, seed: seed++ },
        );
      }
    }
  });

  it('random network and market, 40 runs', () => {
    const arb = fc
      .record({ networkId: fc.constantFrom(...DYDX_NETWORK_IDS), market: fc.constantFrom(...MARKETS) })
      .chain(({ networkId, market }) => orderInput(market.resolution).map((x) => ({ networkId, market, x })));
    fc.assert(
      fc.property(arb, ({ networkId, market, x }) => checkOrder(networkId, market, x)),
      { numRuns: 40 },
    );
  });
});

describe('dYdX withdrawals and transfers on every network', () => {
  const arb = fc.record({
    networkId: fc.constantFrom(...DYDX_NETWORK_IDS),
    amountQ: fc.bigInt({ min: 1n, max: 2n ** 64n - 1n }),
    sender: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
    receiver: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
    clientId: fc.string({ maxLength: 40 }),
    expiresInMs: fc.integer({ min: 1, max: 365 * 24 * HOUR }),
    fact: fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }),
    enc: encoding,
  });

  it('sign → verify, amounts exact, hash stable under re-encoding (30 runs)', () => {
    fc.assert(
      fc.property(arb, (x) => {
        fc.pre(x.sender !== x.receiver);
        const humanAmount = quantumsToHuman(x.amountQ, 6);
        const expirationIsoTimestamp = new Date(NOW + x.expiresInMs).toISOString();
        const hours = BigInt(Math.ceil((NOW + x.expiresInMs) / HOUR)); // no 168-hour buffer here
        const opts = { now: NOW };
        const recoded = reencode(humanAmount, x.enc.lead, x.enc.trail);

        const w = { positionId: x.sender.toString(), humanAmount, expirationIsoTimestamp, clientId: x.clientId };
        const sw = dydx.signWithdrawal(w, x.networkId, PRIV, opts);
        expect([sw.stark.quantumsAmount, sw.stark.expirationEpochHours, sw.stark.nonce]).toEqual([
          x.amountQ,
          hours,
          nonceOf(x.clientId),
        ]);
        expect(verifyHash(sw.hash, sw.signature, PUB)).toBe(true);
        expect(withdrawalHash(dydx.withdrawalToStark({ ...w, humanAmount: recoded }, x.networkId, opts))).toBe(sw.hash);

        const t = {
          senderPositionId: x.sender.toString(),
          receiverPositionId: x.receiver.toString(),
          receiverPublicKey: RECEIVER,
          humanAmount,
          expirationIsoTimestamp,
          clientId: x.clientId,
        };
        const st = dydx.signTransfer(t, x.networkId, PRIV, opts);
        expect(st.stark.quantumsAmount).toBe(x.amountQ);
        expect(verifyHash(st.hash, st.signature, PUB)).toBe(true);
        expect(transferHash(dydx.transferToStark({ ...t, humanAmount: recoded }, x.networkId, opts))).toBe(st.hash);

        const c = {
          ...t,
          factRegistryAddress: '0x12aa12aa12aa12aa12aa12aa12aa12aa12aa12aa',
          fact: `0x${x.fact.toString(16).padStart(64, '0')}`,
        };
        const sc = dydx.signConditionalTransfer(c, x.networkId, PRIV, opts);
        expect(verifyHash(sc.hash, sc.signature, PUB)).toBe(true);
        expect(sc.hash).not.toBe(st.hash);
        expect(
          conditionalTransferHash(dydx.conditionalTransferToStark({ ...c, humanAmount: recoded }, x.networkId, opts)),
        ).toBe(sc.hash);
      }),
      { numRuns: 30 },
    );
  });
});
