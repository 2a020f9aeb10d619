import { keccakSelector, keccakUint, MASK_250, uintToBytes } from '../crypto/keccak.js';
import { assetIdFromText } from '../starkex/asset-id.js';
import { AssetIdError, MarketError, NetworkIdError } from './errors.js';
import { ethAddressField } from './fields.js';
import { checkBigint, checkString } from '../checks.js';

/**
 * dYdX v3 asset metadata (signing-risk.md A3.1–A3.3; starkex-lib `src/constants.ts`):
 * synthetic asset ids and resolutions (the same on every network) and the USDC collateral asset
 * id per network.
 */

/** Decimals of one quantum per asset (A3.3; Cairo resolution = 10^decimals). */
export const DYDX_ASSET_RESOLUTIONS: Readonly<Record<string, number>> = Object.freeze({
  USDC: 6,
  BTC: 10,
  ETH: 9,
  LINK: 7,
  AAVE: 8,
  UNI: 7,
  SUSHI: 7,
  SOL: 7,
  YFI: 10,
  '1INCH': 7,
  AVAX: 7,
  SNX: 7,
  CRV: 6,
  UMA: 7,
  DOT: 7,
  DOGE: 5,
  MATIC: 6,
  MKR: 9,
  FIL: 7,
  ADA: 6,
  ATOM: 7,
  COMP: 8,
  BCH: 8,
  LTC: 8,
  EOS: 6,
  ALGO: 6,
  ZRX: 6,
  XMR: 8,
  ZEC: 8,
  ENJ: 6,
  ETC: 7,
  XLM: 5,
  TRX: 4,
  XTZ: 6,
  HNT: 7,
  ICP: 7,
  RUNE: 6,
  LUNA: 6,
  NEAR: 6,
  AR: 7,
  FLOW: 7,
  PERP: 6,
  REN: 5,
  CELO: 6,
  KSM: 8,
  BAL: 7,
  BNT: 6,
  MIR: 6,
  SRM: 6,
  LON: 6,
  DODO: 6,
  ALPHA: 5,
  WNXM: 7,
  XCH: 8,
});

export const DYDX_COLLATERAL_ASSET = 'USDC';
export const DYDX_COLLATERAL_RESOLUTION = 6;

/** USDC token per network dYdX v3 ran on (A3.1). */
const USDC_BY_NETWORK: Readonly<Record<number, { name: string; usdc: string }>> = Object.freeze({
  1: { name: 'mainnet', usdc: '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48' },
  3: { name: 'ropsten', usdc: '0x8707a5bf4c2842d46b31a405ba41b858c0f876c4' },
  5: { name: 'goerli', usdc: '0xf7a2fa2c2025ffe64427dd40dc190d47ecc8b36e' },
  11155111: { name: 'sepolia', usdc: '0x7fC9C132268E0E414991449c003DbdB3E73E2059' },
});

export const DYDX_NETWORK_IDS: readonly number[] = Object.freeze(Object.keys(USDC_BY_NETWORK).map(Number));

export type DydxMarketInfo = {
  readonly market: string;
  readonly asset: string;
  readonly resolution: number;
  readonly syntheticAssetId: bigint;
};
export type DydxCollateralInfo = {
  readonly asset: 'USDC';
  readonly resolution: number;
  readonly tokenAddress: string;
  readonly assetId: bigint;
};
export type DydxMarketTable = {
  readonly networkId: number;
  readonly networkName: string;
  readonly collateral: DydxCollateralInfo;
  readonly markets: Readonly<Record<string, DydxMarketInfo>>;
};

/**
 * ASCII("<SYMBOL>-<decimals>") right-padded with zero bytes to 15 bytes (A3.2): the asset-id text
 * encoding of l1-data-tree.md §3.3, implemented once in `assetIdFromText`.
 */
export function syntheticAssetIdOf(symbol: string, decimals: number): bigint {
  checkString('symbol', symbol);
  if (!Number.isSafeInteger(decimals) || decimals < 0)
    throw new AssetIdError('decimals', decimals, 'a non-negative integer (the asset resolution)');
  return assetIdFromText(`${symbol}-${decimals}`);
}

/** StarkEx ERC-20 asset id: keccak256(selector ‖ address_32 ‖ quantum_32) & (2^250 − 1) (A3.1). */
export function erc20AssetId(tokenAddress: string, quantum = 1n): bigint {
  const selector = keccakSelector('ERC20Token(address)');
  const address = ethAddressField('tokenAddress', tokenAddress);
  // StarkEx TokenRegister: 0 < quantum < 2^128.
  checkBigint('quantum', quantum);
  if (quantum <= 0n || quantum >= 1n << 128n) throw new AssetIdError('quantum', quantum, '0 < quantum < 2^128');
  return keccakUint(selector, uintToBytes(address, 32), uintToBytes(quantum, 32)) & MASK_250;
}

const MARKETS: Readonly<Record<string, DydxMarketInfo>> = Object.freeze(
  Object.fromEntries(
    Object.entries(DYDX_ASSET_RESOLUTIONS)
      .filter(([asset]) => asset !== DYDX_COLLATERAL_ASSET)
      .map(([asset, resolution]) => {
        const market = `${asset}-USD`;
        return [
          market,
          Object.freeze({ market, asset, resolution, syntheticAssetId: syntheticAssetIdOf(asset, resolution) }),
        ];
      }),
  ),
);

const TABLES = new Map<number, DydxMarketTable>();

/** The market table of a dYdX v3 network (1 mainnet, 3 Ropsten, 5 Goerli, 11155111 Sepolia). */
export function dydxMarketTable(networkId: number): DydxMarketTable {
  const net = typeof networkId === 'number' ? USDC_BY_NETWORK[networkId] : undefined;
  if (!net) throw new NetworkIdError('networkId', networkId, `one of ${DYDX_NETWORK_IDS.join(', ')}`);
  let table = TABLES.get(networkId);
  if (!table) {
    const collateral = Object.freeze({
      asset: 'USDC' as const,
      resolution: DYDX_COLLATERAL_RESOLUTION,
      tokenAddress: net.usdc,
      assetId: erc20AssetId(net.usdc),
    });
    table = Object.freeze({ networkId, networkName: net.name, collateral, markets: MARKETS });
    TABLES.set(networkId, table);
  }
  return table;
}

/** Looks a market up ("BTC-USD"); MarketError if dYdX v3 never listed it. */
export function dydxMarket(value: unknown): DydxMarketInfo {
  const market = checkString('market', value);
  const info = Object.hasOwn(MARKETS, market) ? MARKETS[market] : undefined;
  if (!info) throw new MarketError('market', market, 'a dYdX v3 market such as "BTC-USD" (see DYDX_ASSET_RESOLUTIONS)');
  return info;
}
