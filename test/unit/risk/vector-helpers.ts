import type { FundingIndices, OraclePrices, Position, RiskParams, SharedState } from '../../helpers/core.js';

/** Shapes of vectors/risk/derived_risk_cases.json (decimal strings). */
export type VectorPosition = {
  public_key: string;
  collateral: string;
  assets: { asset: string; balance: string; cached_funding: string }[];
};
export type VectorRiskConfig = Record<string, { risk?: string; segments?: { upper_bound: string; risk: string }[] }>;
export type VectorCase = {
  label: string;
  position_before_funding: VectorPosition;
  oracle_prices_internal: Record<string, string>;
  global_funding_indices: Record<string, string>;
  risk_config: VectorRiskConfig;
  is_risk_by_balance_only: boolean;
  funded_collateral: string;
  total_value_rep_32: string;
  total_risk_rep_64: string;
  status_code: string;
  well_leveraged: boolean;
  liquidatable: boolean;
  deleveragable: boolean;
  max_valid_forced_withdrawal_quantums: string;
  forced_withdrawal_checks: { amount: string; result: string }[];
  escape_amount_quantums: string;
};

export function toPosition(v: VectorPosition): Position {
  return {
    starkKey: BigInt(v.public_key),
    collateral: BigInt(v.collateral),
    assets: v.assets.map((a) => ({
      assetId: BigInt(a.asset),
      balance: BigInt(a.balance),
      cachedFundingIndex: BigInt(a.cached_funding),
    })),
  };
}

/** Sorted by asset id, as the program keeps them. */
export function toPrices(m: Record<string, string>): OraclePrices {
  return Object.entries(m)
    .map(([k, v]) => ({ assetId: BigInt(k), price: BigInt(v) }))
    .sort((a, b) => (a.assetId < b.assetId ? -1 : 1));
}

export function toIndices(m: Record<string, string>): FundingIndices {
  return Object.entries(m)
    .map(([k, v]) => ({ assetId: BigInt(k), fundingIndex: BigInt(v) }))
    .sort((a, b) => (a.assetId < b.assetId ? -1 : 1));
}

export function toRiskParams(cfg: VectorRiskConfig, byBalanceOnly: boolean): RiskParams {
  return {
    isRiskByBalanceOnly: byBalanceOnly,
    assets: Object.entries(cfg).map(([k, v]) =>
      v.segments
        ? {
            assetId: BigInt(k),
            riskFactorSegments: v.segments.map((s) => ({ upperBound: BigInt(s.upper_bound), risk: BigInt(s.risk) })),
          }
        : { assetId: BigInt(k), riskFactor: BigInt(v.risk!) },
    ),
  };
}

/** dYdX v3 synthetic asset ids and resolutions used by the derived vectors (README there). */
export const SYNTHETICS: Record<string, { assetId: bigint; resolution: bigint }> = {
  BTC: { assetId: 0x4254432d3130000000000000000000n, resolution: 10n ** 10n },
  ETH: { assetId: 0x4554482d3900000000000000000000n, resolution: 10n ** 9n },
  DOGE: { assetId: 0x444f47452d35000000000000000000n, resolution: 10n ** 5n },
  LINK: { assetId: 0x4c494e4b2d37000000000000000000n, resolution: 10n ** 7n },
};
export const USDC_RESOLUTION = 10n ** 6n;

/** marginView's inputs for a derived risk case: its prices and funding indices in an otherwise fixed shared state. */
export function marginInputs(c: VectorCase) {
  const sharedState: SharedState = {
    positionsRoot: 1n,
    positionsTreeHeight: 64n,
    ordersRoot: 2n,
    ordersTreeHeight: 64n,
    fundingIndices: [...toIndices(c.global_funding_indices)],
    fundingTimestamp: 1_700_000_000n,
    oraclePrices: [...toPrices(c.oracle_prices_internal)],
    systemTime: 1_700_000_123n,
  };
  return {
    sharedState,
    position: toPosition(c.position_before_funding),
    riskParams: toRiskParams(c.risk_config, c.is_risk_by_balance_only),
    positionId: 7n,
    basis: { sequenceNumber: 41n, batchId: 40n, blockNumber: 1234n },
  };
}
