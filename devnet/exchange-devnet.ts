import { MAINNET_RULES_ANVIL_ARGS, startAnvil, type AnvilInstance } from './lib/anvil.js';
import { deployDevnet, type DevnetDeployment } from './deploy.js';
import { devnetDeployment, toTaggedJson, type StarkExDeployment } from '../src/index.js';
import { DEFAULT_MARKETS, riskParamsOf } from './operator/config.js';
import { OperatorCore, type OperatorCoreOptions } from './operator/operator.js';
import { startOperatorServer, type OperatorServer } from './operator/api.js';

/**
 * The whole local exchange in one call: anvil under mainnet's gas rules (45 M per block, EIP-7825's
 * 2^24 per transaction: MAINNET_RULES_ANVIL_ARGS), the devnet contracts with the listed markets configured, the operator
 * and, unless `port` is null, its HTTP API and demo page on 127.0.0.1.
 */
export type ExchangeDevnet = {
  anvil: AnvilInstance;
  deployment: DevnetDeployment;
  operator: OperatorCore;
  server?: OperatorServer;
  /**
   * The deployment as Vigil follows it (what `npm start` configures): the contracts, scanned from
   * `firstBlock` (default 0), and the operator's own markets' risk factors (issue 17 item 1).
   */
  vigilDeployment(firstBlock?: bigint): StarkExDeployment;
  /**
   * The verifier settings `npm start` hands to Vigil (scripts/configure-vigil.mjs), as tagged JSON:
   * follow this exchange from its genesis state (block 0 of this fresh anvil chain) over anvil's RPC.
   */
  vigilSettings(): string;
  stop(): Promise<void>;
};

export type ExchangeDevnetOptions = Omit<OperatorCoreOptions, 'deployment'> & {
  /** API port; 0 = a free one; null = no HTTP server. */
  port?: number | null;
  anvilPort?: number;
};

export async function startExchangeDevnet(opts: ExchangeDevnetOptions = {}): Promise<ExchangeDevnet> {
  const anvil = await startAnvil({ port: opts.anvilPort, args: [...MAINNET_RULES_ANVIL_ARGS] });
  let operator: OperatorCore | undefined;
  try {
    const markets = opts.markets ?? DEFAULT_MARKETS;
    // A configuration hash per market, so forced trades in them pass the L1 UNKNOWN_ASSET check.
    const deployment = await deployDevnet({
      rpcUrl: anvil.rpcUrl,
      assetConfigurations: markets.map((m) => ({ assetId: m.syntheticAssetId, configHash: m.syntheticAssetId + 1n })),
    });
    operator = await OperatorCore.start({ ...opts, deployment });
    const server = opts.port === null ? undefined : await startOperatorServer(operator, { port: opts.port ?? 0 });
    const op = operator;
    const vigilDeployment = (firstBlock = 0n) =>
      devnetDeployment({ ...deployment, chainId: anvil.chainId, firstBlock, riskParams: riskParamsOf(markets) });
    return {
      anvil,
      deployment,
      operator: op,
      server,
      vigilDeployment,
      vigilSettings: () =>
        toTaggedJson({
          deployment: vigilDeployment(0n),
          initialSharedState: deployment.initialSharedState,
          rpcUrls: [anvil.rpcUrl],
        }),
      async stop() {
        await server?.close();
        await op.stop();
        await anvil.stop();
      },
    };
  } catch (err) {
    await operator?.stop();
    await anvil.stop();
    throw err;
  }
}
