import type { Address } from 'viem';
import type { RiskParams } from '../risk/risk-config.js';

/**
 * Everything a client must know about one StarkEx perpetual deployment to verify it and exit
 * from it. dYdX v3 mainnet below; the devnet builds one from its deploy output.
 */
export type StarkExDeployment = {
  /** Short id used in storage keys and the UI, e.g. "dydx-mainnet", "devnet". */
  id: string;
  name: string;
  chainId: number;
  /** StarkPerpetual (the proxy: every user call goes here). */
  starkPerpetual: Address;
  perpetualEscapeVerifier: Address;
  memoryPageFactRegistry: Address;
  /** Contracts that emit LogMemoryPagesHashes (the GPS statement verifiers, in deployment order). */
  gpsStatementVerifiers: Address[];
  /** The registered state-transition verifier(s) (fact adapters). */
  factAdapters: Address[];
  /** Cairo program hash of the StarkEx program whose facts are accepted. */
  programHash: bigint;
  /** Collateral (USDC) token, its asset type and quantum. */
  collateral: { token: Address; assetType: bigint; quantum: bigint; decimals: number };
  /** First block to scan for state updates. */
  firstBlock: bigint;
  /** Program-output layout: dYdX v1 has no data-availability-mode word (§2.2). */
  daModeWord: boolean;
  /** True once the exchange is known to be frozen (dYdX v3 since its shutdown). */
  frozen?: boolean;
  /**
   * The risk factors of the deployment's markets, as its operator configured them (the devnet: its
   * market config). dYdX v3 mainnet's are built in (src/risk/presets.ts). The user's saved risk
   * configuration wins over both (`effectiveRiskParams`).
   */
  riskParams?: RiskParams;
};

/** dYdX v3 on Ethereum mainnet (l1-data-tree.md §1.1, vectors/l1tree-dydx-mainnet-onchain-values.json). */
export const DYDX_V3_MAINNET: StarkExDeployment = Object.freeze({
  id: 'dydx-mainnet',
  name: 'dYdX v3 (Ethereum mainnet)',
  chainId: 1,
  starkPerpetual: '0xD54f502e184B6B739d7D27a6410a67dc462D69c8',
  perpetualEscapeVerifier: '0x626211C1e9BC633f4D342Af99f4E8bc93f11F3DD',
  memoryPageFactRegistry: '0xEfbCcE4659db72eC6897F46783303708cf9ACef8',
  gpsStatementVerifiers: ['0xB1EDA32c467569fbDC8C3E041C81825D76b32b84', '0x894c4a12548FB18EaA48cF34f9Cd874Fc08b7FC3'],
  factAdapters: ['0xF23754231BC4cE8C8E92C3bADfB37d922d46053C'],
  programHash: 0x06aef41a7100a913e3883a8d5a7c72f7daf44843f6f418990e2ac092e94706e8n,
  collateral: {
    token: '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48',
    assetType: 0x02893294412a4c8f915f75892b395ebbf6859ec246ec365c3b1f56f47c3a0a5dn,
    quantum: 1n,
    decimals: 6,
  },
  // MemoryPageFactRegistry since 11813182; StarkPerpetual deployed at 11834295 (§1.1).
  firstBlock: 11813182n,
  daModeWord: false,
  frozen: true,
}) as StarkExDeployment;

/** What `deployDevnet` (devnet/deploy.ts) reports, as plain data (src cannot import devnet/). */
export type DevnetDeploymentInfo = {
  chainId: number;
  addresses: {
    starkPerpetual: Address;
    memoryPageFactRegistry: Address;
    gpsStatementVerifier: Address;
    gpsFactAdapter: Address;
    escapeVerifier: Address;
    usdc: Address;
  };
  programHash: bigint;
  usdcAssetType: bigint;
  /** First block to scan: the block StarkPerpetual was deployed in (or 0). */
  firstBlock?: bigint;
  /** The devnet operator's risk factors (devnet/operator/config.ts `riskParamsOf`). */
  riskParams?: RiskParams;
};

/** The devnet as a `StarkExDeployment` (issue 9 "Deployments": dYdX v3 mainnet and the devnet). */
export function devnetDeployment(info: DevnetDeploymentInfo): StarkExDeployment {
  return {
    id: 'devnet',
    name: `Vigil devnet (chain ${info.chainId})`,
    chainId: info.chainId,
    starkPerpetual: info.addresses.starkPerpetual,
    perpetualEscapeVerifier: info.addresses.escapeVerifier,
    memoryPageFactRegistry: info.addresses.memoryPageFactRegistry,
    gpsStatementVerifiers: [info.addresses.gpsStatementVerifier],
    factAdapters: [info.addresses.gpsFactAdapter],
    programHash: info.programHash,
    collateral: { token: info.addresses.usdc, assetType: info.usdcAssetType, quantum: 1n, decimals: 6 },
    firstBlock: info.firstBlock ?? 0n,
    daModeWord: false,
    ...(info.riskParams ? { riskParams: info.riskParams } : {}),
  };
}
