import { describe, expect, it } from 'vitest';
import {
  DYDX_ASSET_RESOLUTIONS,
  DYDX_NETWORK_IDS,
  PrecisionError,
  dydx,
  dydxMarket,
  dydxMarketTable,
  erc20AssetId,
  factToCondition,
  humanToQuantums,
  limitFeeToQuantums,
  nonceFromClientId,
  quantumsToHuman,
} from '../../helpers/core.js';
import { readVector } from '../../helpers/vectors.js';

const chainOf = (label: string) => Number(/\((\d+)\)/.exec(label)![1]);

describe('signing/dydx_assets_and_helpers.json', () => {
  const vec = readVector('signing/dydx_assets_and_helpers.json');

  it('collateral asset id per network 4/4, computed from the USDC address', () => {
    const ids = Object.entries(vec.collateral_asset_id_by_network).filter(([k]) => k !== 'source');
    const addresses = vec.collateral_token_address_by_network;
    expect(ids).toHaveLength(4);
    for (const [label, id] of ids) {
      const table = dydxMarketTable(chainOf(label));
      expect(table.collateral.assetId, label).toBe(BigInt(id as string));
      expect(table.collateral.tokenAddress.toLowerCase()).toBe(addresses[label].toLowerCase());
      expect(erc20AssetId(addresses[label])).toBe(BigInt(id as string));
    }
    expect([...DYDX_NETWORK_IDS].sort((a, b) => a - b)).toEqual(ids.map(([l]) => chainOf(l)).sort((a, b) => a - b));
  });

  it('synthetic asset ids 3/3 and the resolution table (all markets)', () => {
    for (const [asset, id] of Object.entries(vec.synthetic_asset_id_examples)) {
      if (asset === 'source') continue;
      expect(dydxMarket(`${asset}-USD`).syntheticAssetId, asset).toBe(BigInt(id as string));
    }
    expect(DYDX_ASSET_RESOLUTIONS).toEqual(vec.resolution_decimals.values);
    for (const [asset, decimals] of Object.entries(vec.resolution_decimals.values)) {
      if (asset === 'USDC') continue;
      expect(dydxMarket(`${asset}-USD`).resolution).toBe(decimals);
    }
  });

  it('quantization and fee rounding 9/9, including the error cases', () => {
    const res = vec.resolution_decimals.values;
    expect(vec.quantization.vectors).toHaveLength(9);
    for (const v of vec.quantization.vectors) {
      const label = JSON.stringify(v);
      switch (v.fn) {
        case 'fromQuantums':
          expect(quantumsToHuman(BigInt(v.quantums), res[v.asset]), label).toBe(v.human);
          break;
        case 'toQuantumsExact':
        case 'toQuantumsRoundDown':
        case 'toQuantumsRoundUp': {
          const rounding = v.fn === 'toQuantumsExact' ? 'exact' : v.fn === 'toQuantumsRoundUp' ? 'up' : 'down';
          const run = () => humanToQuantums(v.human, res[v.asset], rounding);
          if (v.error) expect(run, label).toThrow(PrecisionError);
          else expect(run(), label).toBe(BigInt(v.quantums));
          break;
        }
        case 'getStarkwareAmounts': {
          const params = {
            positionId: '1',
            limitFee: '0',
            market: v.market,
            side: v.side,
            humanSize: v.humanSize,
            expirationIsoTimestamp: '2030-01-01T00:00:00.000Z',
            clientId: 'x',
            ...(v.humanPrice !== undefined ? { humanPrice: v.humanPrice } : { humanQuoteAmount: v.humanQuoteAmount }),
          };
          const run = () => dydx.orderToStark(params, 1);
          if (v.error) {
            expect(run, label).toThrow(PrecisionError);
            break;
          }
          const o = run();
          expect(o.quantumsAmountSynthetic, label).toBe(BigInt(v.quantumsAmountSynthetic));
          expect(o.quantumsAmountCollateral, label).toBe(BigInt(v.quantumsAmountCollateral));
          expect(o.isBuyingSynthetic, label).toBe(v.isBuyingSynthetic);
          break;
        }
        case 'getStarkwareLimitFeeAmount':
          expect(limitFeeToQuantums(v.limitFee, BigInt(v.quantumsAmountCollateral)), label).toBe(
            BigInt(v.quantumsAmountFee),
          );
          break;
        default:
          throw new Error(`unhandled vector ${label}`);
      }
    }
  });

  it('nonceFromClientId 5/5 and factToCondition 1/1', () => {
    expect(vec.nonceFromClientId.vectors).toHaveLength(5);
    for (const v of vec.nonceFromClientId.vectors) expect(nonceFromClientId(v.clientId)).toBe(BigInt(v.nonce));
    for (const v of vec.factToCondition.vectors)
      expect(factToCondition(v.factRegistryAddress, v.fact)).toBe(BigInt(`0x${v.condition}`));
  });
});
