import { describe, expect, it } from 'vitest';
import {
  checkStarkOrder,
  conditionalTransferHash,
  dydx,
  dydxMarketTable,
  oraclePriceHash,
  orderHash,
  parseStarkSignature,
  serializeStarkSignature,
  signHash,
  transferHash,
  verifyHash,
  withdrawalHash,
} from '../../helpers/core.js';
import { readVector } from '../../helpers/vectors.js';

const hex = (s: string): bigint => BigInt(s.startsWith('0x') ? s : `0x${s}`);

/** The upstream test files name markets and sides by their TypeScript enum members. */
function fromEnums(params: Record<string, string>): any {
  const out: Record<string, string> = { ...params };
  if (out.market?.startsWith('DydxMarket.')) out.market = out.market.slice('DydxMarket.'.length).replace('_', '-');
  if (out.side?.startsWith('StarkwareOrderSide.')) out.side = out.side.slice('StarkwareOrderSide.'.length);
  return out;
}

/** Converts, hashes, signs one starkex-lib case; returns everything for comparison. */
function run(kind: string, params: any, chainId: number, privateKey: bigint) {
  switch (kind) {
    case 'order':
    case 'order_even_y': {
      const stark = dydx.orderToStark(params, chainId);
      return { stark, hash: orderHash(stark), signed: dydx.signOrder(params, chainId, privateKey) };
    }
    case 'withdrawal': {
      const stark = dydx.withdrawalToStark(params, chainId);
      return { stark, hash: withdrawalHash(stark), signed: dydx.signWithdrawal(params, chainId, privateKey) };
    }
    case 'transfer': {
      const stark = dydx.transferToStark(params, chainId);
      return { stark, hash: transferHash(stark), signed: dydx.signTransfer(params, chainId, privateKey) };
    }
    case 'conditional_transfer': {
      const stark = dydx.conditionalTransferToStark(params, chainId);
      return {
        stark,
        hash: conditionalTransferHash(stark),
        signed: dydx.signConditionalTransfer(params, chainId, privateKey),
      };
    }
    case 'oracle_price': {
      const stark = dydx.oraclePriceToStark(params);
      return { stark, hash: oraclePriceHash(stark), signed: dydx.signOraclePrice(params, privateKey) };
    }
  }
  throw new Error(`unknown kind ${kind}`);
}

describe('signing/dydx_starkex_lib_signables.json (+ _hashes_computed.json)', () => {
  const upstream = readVector('signing/dydx_starkex_lib_signables.json');
  const computed = readVector('signing/dydx_starkex_lib_signables_hashes_computed.json');

  it('all 18 starkex-lib signatures (SEPOLIA, GOERLI, ROPSTEN) are byte-identical and verify', () => {
    expect(upstream.cases).toHaveLength(18);
    for (const c of upstream.cases) {
      const label = `${c.network} ${c.kind}`;
      const { hash, signed } = run(c.kind, fromEnums(c.params), c.chain_id, hex(c.private_key));
      const expectedHash = computed.cases.find((x: any) => x.network === c.network && x.kind === c.kind).message_hash;
      expect(hash, label).toBe(hex(expectedHash));
      expect(signed.hash, label).toBe(hash);
      expect(signed.signatureHex, label).toBe(c.signature);
      expect(verifyHash(hash, parseStarkSignature(c.signature), hex(c.public_key)), label).toBe(true);
    }
  });

  it('16/16 intermediate values (quantums, fee, expiration hours, nonce, condition, oracle fields)', () => {
    let checked = 0;
    for (const c of computed.cases) {
      const up = upstream.cases.find((x: any) => x.network === c.network && x.kind === c.kind);
      const { stark } = run(c.kind, fromEnums(up.params), up.chain_id, hex(up.private_key)) as { stark: any };
      for (const [key, value] of Object.entries(c.intermediate)) {
        const actual = stark[key];
        const want =
          key === 'condition' || key === 'signedAssetId' ? hex(value as string) : BigInt(value as string | number);
        expect(actual, `${c.network} ${c.kind} ${key}`).toBe(want);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(16);
    // Upstream's own expected intermediates (order.test.ts and friends).
    const ei = upstream.expected_intermediate;
    const order = dydx.orderToStark(fromEnums(upstream.cases[0].params), 11155111);
    expect(order.quantumsAmountSynthetic).toBe(BigInt(ei.order.quantumsAmountSynthetic));
    expect(order.quantumsAmountCollateral).toBe(BigInt(ei.order.quantumsAmountCollateral));
    expect(order.quantumsAmountFee).toBe(BigInt(ei.order.quantumsAmountFee));
    expect(order.expirationEpochHours).toBe(BigInt(ei.order.expirationEpochHours));
    const edge = dydx.orderToStark(
      {
        ...fromEnums(upstream.cases[0].params),
        expirationIsoTimestamp: ei.order_expiration_edge.expirationIsoTimestamp,
      },
      11155111,
    );
    expect(edge.expirationEpochHours).toBe(BigInt(ei.order_expiration_edge.expirationEpochHours));
    const w = dydx.withdrawalToStark(fromEnums(upstream.cases.find((x: any) => x.kind === 'withdrawal').params), 5);
    expect([w.quantumsAmount, w.expirationEpochHours]).toEqual([
      BigInt(ei.withdrawal.quantumsAmount),
      BigInt(ei.withdrawal.expirationEpochHours),
    ]);
  });
});

describe('signing/dydx_mainnet_generated.json', () => {
  const gen = readVector('signing/dydx_mainnet_generated.json');

  it('10/10 MAINNET cases: StarkEx fields, message hash and signature identical to starkex-lib', () => {
    expect(gen.cases).toHaveLength(10);
    const collateral = dydxMarketTable(1).collateral.assetId;
    for (const [i, c] of gen.cases.entries()) {
      const label = `case ${i} ${c.kind} ${c.params.market ?? ''} ${c.params.side ?? ''}`;
      const { stark, hash, signed } = run(c.kind, c.params, 1, hex(c.private_key)) as {
        stark: any;
        hash: bigint;
        signed: any;
      };
      expect(hash, label).toBe(hex(c.message_hash));
      expect(signed.signatureHex, label).toBe(c.signature);
      expect(serializeStarkSignature(signHash(hash, hex(c.private_key))), label).toBe(c.signature);
      expect(verifyHash(hash, signed.signature, hex(c.public_key)), label).toBe(true);
      // starkex-lib's Starkware object (strings, hex ids) goes through the same checks to the same values.
      const sw = c.starkware;
      if (c.kind === 'order') {
        expect(checkStarkOrder(sw), label).toEqual(stark);
        expect(orderHash(sw), label).toBe(hash);
      } else if (c.kind === 'withdrawal') {
        expect(withdrawalHash({ ...sw, assetIdCollateral: collateral }), label).toBe(hash);
      } else if (c.kind === 'transfer') {
        expect(transferHash({ ...sw, assetId: collateral }), label).toBe(hash);
      } else if (c.kind === 'conditional_transfer') {
        expect(conditionalTransferHash({ ...sw, assetId: collateral }), label).toBe(hash);
        expect(stark.condition, label).toBe(hex(sw.condition));
      } else {
        expect(oraclePriceHash(sw), label).toBe(hash);
      }
    }
  });
});
