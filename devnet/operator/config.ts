import {
  dydxMarket,
  dydxMarketTable,
  externalPriceFromDecimal,
  internalOraclePrice,
  riskFactorFromFraction,
} from '../../src/index.js';
import type { RiskParams } from '../../src/index.js';

/**
 * What the devnet exchange lists. L2 messages are signed for dYdX network 1 (Vigil's default
 * networkId), so orders carry mainnet USDC's L2 collateral asset id; on L1 the collateral is the
 * devnet's TestUsdc (its own asset type). The program never links the two (the general config
 * does on mainnet), so the devnet operator simply accepts network 1's id.
 */
export const DEVNET_NETWORK_ID = 1;
export const COLLATERAL_ASSET_ID = dydxMarketTable(DEVNET_NETWORK_ID).collateral.assetId;
export const COLLATERAL_RESOLUTION = 6;
const COLLATERAL_ONE = 10n ** BigInt(COLLATERAL_RESOLUTION);

export type MarketConfig = {
  market: string;
  asset: string;
  syntheticAssetId: bigint;
  /** Decimals of one synthetic quantum. */
  resolution: number;
  /** USD per whole synthetic at start, a decimal string. */
  initialPrice: string;
  /** Maintenance margin fraction (the program's risk factor). */
  maintenanceMarginFraction: string;
  /** Smallest order size step, in whole synthetic (a decimal string). */
  stepSize: string;
  tickSize: string;
};

function market(name: string, initialPrice: string, stepSize: string, tickSize: string): MarketConfig {
  const m = dydxMarket(name);
  return {
    market: name,
    asset: m.asset,
    syntheticAssetId: m.syntheticAssetId,
    resolution: m.resolution,
    initialPrice,
    maintenanceMarginFraction: '0.03',
    stepSize,
    tickSize,
  };
}

export const DEFAULT_MARKETS: readonly MarketConfig[] = Object.freeze([
  market('BTC-USD', '30000', '0.0001', '1'),
  market('ETH-USD', '2000', '0.001', '0.1'),
  market('SOL-USD', '100', '0.1', '0.01'),
]);

export function riskParamsOf(markets: readonly MarketConfig[]): RiskParams {
  return {
    assets: markets.map((m) => ({
      assetId: m.syntheticAssetId,
      riskFactor: riskFactorFromFraction(m.maintenanceMarginFraction),
    })),
  };
}

/** Internal 32.32 oracle price (collateral quanta per synthetic quantum) of a USD decimal price. */
export function internalPriceOf(m: MarketConfig, usd: string): bigint {
  return internalOraclePrice(externalPriceFromDecimal(usd), 10n ** BigInt(m.resolution), COLLATERAL_ONE);
}

/** USD per whole synthetic of an internal price, as a decimal string with 6 places. */
export function usdOfInternalPrice(m: MarketConfig, price: bigint): string {
  // price · 10^res / (2^32 · 10^6) USD; keep 6 decimals.
  const micro = (price * 10n ** BigInt(m.resolution)) / (1n << 32n);
  return decimalString(micro, COLLATERAL_RESOLUTION);
}

/** An integer amount of 10^-decimals units as a decimal string ("-1.500000"). */
export function decimalString(units: bigint, decimals: number): string {
  const neg = units < 0n;
  const abs = neg ? -units : units;
  const one = 10n ** BigInt(decimals);
  const frac = decimals > 0 ? `.${(abs % one).toString().padStart(decimals, '0')}` : '';
  return `${neg ? '-' : ''}${abs / one}${frac}`;
}

/** USD per whole synthetic of a collateral/synthetic quantum ratio, 6 decimals, rounded down. */
export function usdOfRatio(m: MarketConfig, collateral: bigint, synthetic: bigint): string {
  return decimalString((collateral * 10n ** BigInt(m.resolution)) / synthetic, COLLATERAL_RESOLUTION);
}
