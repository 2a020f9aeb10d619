import {
  concatHex,
  createPublicClient,
  createWalletClient,
  http,
  keccak256,
  numberToHex,
  type Abi,
  type Address,
  type Chain,
  type Hex,
  type PublicClient,
  type WalletClient,
  zeroAddress,
} from 'viem';
import { privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { emptySubtreeRoot, encodeSharedState, sharedStateHash } from '../src/index.js';
import type { DevnetDeploymentInfo, SharedState } from '../src/index.js';
import { compileDevnetContracts } from './compile.js';
import { ANVIL_DEV_PRIVATE_KEYS } from './lib/anvil.js';
import { receiptOf } from './lib/receipt.js';
import { deployPedersenTables } from './pedersen-lookup-tables.js';

/**
 * Deploys and wires the devnet exchange (l1-data-tree.md §1–§2): TestUsdc, MemoryPageFactRegistry,
 * GpsStatementVerifierStandIn (the only contract that verifies no proof), GpsFactRegistryAdapter,
 * PerpetualEscapeVerifier (with its 63 Pedersen lookup-table contracts and their directory, built
 * here from src/crypto: devnet/pedersen-lookup-tables.ts) and StarkPerpetual, with USDC as the
 * system asset.
 */

const DAY = 86_400n;
/** dYdX's deployed values (§0.2.3). */
export const MAINNET_FREEZE_GRACE_PERIOD = 14n * DAY;
export const MAINNET_DEPOSIT_CANCEL_DELAY = 7n * DAY;
export const MAINNET_UNFREEZE_DELAY = 365n * DAY;
/** dYdX's registered Cairo program hash (§1.1, FinalizableGpsFactAdapter). */
export const DYDX_PROGRAM_HASH = 0x06aef41a7100a913e3883a8d5a7c72f7daf44843f6f418990e2ac092e94706e8n;
/** The empty orders-tree root of height 64 (§4.4). */
export const EMPTY_ORDERS_ROOT = 0x07ced9b79b31453a1d939ac7fc159188f369ee677d20385864c767fc391fa61bn;
/** bytes4(keccak256("ERC20Token(address)")), the assetInfo prefix of an ERC-20 (§1.1). */
export const ERC20_ASSET_SELECTOR: Hex = '0xf47261b0';
const MASK_250 = (1n << 250n) - 1n;

/** An arbitrary non-zero devnet general-config hash (a field element, like mainnet's). */
export const DEVNET_GLOBAL_CONFIGURATION_HASH =
  BigInt(keccak256(new TextEncoder().encode('Vigil devnet PerpetualConfig1'))) & MASK_250;

export type DeployDevnetOptions = {
  rpcUrl: string;
  /** Governor and deployer; anvil dev key #0 by default. */
  privateKey?: Hex;
  /** Registered as operator (may call updateState); the governor by default. */
  operator?: Address;
  /** Registered as user admin (signs registerUser); the governor by default. */
  userAdmin?: Address;
  /** Seconds; 14 days by default, like dYdX mainnet. */
  freezeGracePeriod?: bigint;
  depositCancelDelay?: bigint;
  unfreezeDelay?: bigint;
  programHash?: bigint;
  globalConfigurationHash?: bigint;
  assetConfigurations?: { assetId: bigint; configHash: bigint }[];
  /** The shared state the first updateState must start from; an empty exchange by default. */
  initialSharedState?: SharedState;
  initialBatchId?: bigint;
  /**
   * Puts something in front of the GPS stand-in (e.g. devnet/history's StarkWare-style proxy):
   * gets the stand-in's address, returns the address the fact adapter and clients use instead.
   */
  wrapStatementVerifier?: (gpsStandIn: Address) => Promise<Address>;
  /**
   * Deploy the escape verifier and its 63 Pedersen lookup tables (true by default). Devnets that
   * never escape and mine thousands of blocks opt out: anvil 1.7.1 re-hashes every account's code
   * each block, so ~1.6 MB of table code makes `anvil_mine` 3.6× slower (6,000 blocks: 26 s → 92 s
   * measured) and the tables take 6 s to deploy. Without it `escapeVerifier` is the zero address and
   * any escape reverts.
   */
  escapeVerifier?: boolean;
};

/** The devnet's contract addresses: the shape src/l1 builds a deployment from. */
export type DevnetAddresses = DevnetDeploymentInfo['addresses'];

export type DevnetAbis = { [K in keyof DevnetAddresses]: Abi };

export type DevnetDeployment = {
  rpcUrl: string;
  chain: Chain;
  governor: Address;
  operator: Address;
  userAdmin: Address;
  addresses: DevnetAddresses;
  /**
   * The Pedersen lookup tables' directory the escape verifier reads (PedersenHasher takes it too);
   * the zero address when deployed without the escape verifier.
   */
  pedersenTables: Address;
  abis: DevnetAbis;
  usdcAssetType: bigint;
  usdcAssetInfo: Hex;
  programHash: bigint;
  globalConfigurationHash: bigint;
  initialSharedState: SharedState;
  freezeGracePeriod: bigint;
  depositCancelDelay: bigint;
  unfreezeDelay: bigint;
};

/** The state of an empty exchange: empty trees of height 64, no assets, times 0. */
export function genesisSharedState(): SharedState {
  return {
    positionsRoot: emptySubtreeRoot(64),
    positionsTreeHeight: 64n,
    ordersRoot: EMPTY_ORDERS_ROOT,
    ordersTreeHeight: 64n,
    fundingIndices: [],
    fundingTimestamp: 0n,
    oraclePrices: [],
    systemTime: 0n,
  };
}

/** assetInfo and assetType of an ERC-20: keccak256(0xf47261b0 ‖ uint256(token) ‖ uint256(quantum)) & MASK_250. */
export function erc20AssetType(token: Address, quantum: bigint): { assetInfo: Hex; assetType: bigint } {
  const assetInfo = concatHex([ERC20_ASSET_SELECTOR, numberToHex(BigInt(token), { size: 32 })]);
  const assetType = BigInt(keccak256(concatHex([assetInfo, numberToHex(quantum, { size: 32 })]))) & MASK_250;
  return { assetInfo, assetType };
}

export function devnetChain(rpcUrl: string, chainId: number): Chain {
  return {
    id: chainId,
    name: 'Vigil devnet',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  };
}

export type DevnetClients = { account: PrivateKeyAccount; wallet: WalletClient; client: PublicClient };

export function devnetClients(rpcUrl: string, chain: Chain, privateKey: Hex): DevnetClients {
  const account = privateKeyToAccount(privateKey);
  const transport = http(rpcUrl);
  return {
    account,
    wallet: createWalletClient({ account, chain, transport }),
    client: createPublicClient({ chain, transport }) as PublicClient,
  };
}

/**
 * Deploys contracts (creation codes) with consecutive nonces and mines them together: anvil puts
 * as many in a block as its gas limit allows. One block per contract, as automine gives, costs
 * 6 s for the 63 Pedersen tables because anvil re-hashes all code each block; this takes < 1 s.
 * Automine is restored to what it was.
 */
async function deployInFewBlocks(
  codes: readonly Hex[],
  c: { wallet: WalletClient; client: PublicClient; account: PrivateKeyAccount; chain: Chain },
): Promise<Address[]> {
  const rpc = (method: string, params: unknown[] = []) =>
    c.client.request({ method, params } as never) as Promise<unknown>;
  const automine = (await rpc('anvil_getAutomine')) === true;
  let nonce = await c.client.getTransactionCount({ address: c.account.address, blockTag: 'pending' });
  const hashes: Hex[] = [];
  try {
    if (automine) await rpc('evm_setAutomine', [false]);
    for (const data of codes) {
      // A table's creation costs ~5 M gas; give each the per-transaction cap's worth of headroom.
      hashes.push(
        await c.wallet.sendTransaction({ data, account: c.account, chain: c.chain, nonce: nonce++, gas: 8_000_000n }),
      );
    }
    for (let i = 0; i <= codes.length; i++) {
      const pending = await Promise.all(
        hashes.map((hash) => c.client.getTransactionReceipt({ hash }).catch(() => undefined)),
      );
      if (pending.every((r) => r !== undefined)) break;
      await rpc('evm_mine');
    }
  } finally {
    if (automine) await rpc('evm_setAutomine', [true]);
  }
  return Promise.all(
    hashes.map(async (hash) => {
      const receipt = await receiptOf(c.client, hash);
      if (receipt.status !== 'success' || !receipt.contractAddress)
        throw new Error(`deploying a data contract failed (tx ${hash})`);
      return receipt.contractAddress;
    }),
  );
}

export async function deployDevnet(opts: DeployDevnetOptions): Promise<DevnetDeployment> {
  const compiled = await compileDevnetContracts();
  const bootstrap = createPublicClient({ transport: http(opts.rpcUrl) });
  const chain = devnetChain(opts.rpcUrl, await bootstrap.getChainId());
  const { account, wallet, client } = devnetClients(opts.rpcUrl, chain, opts.privateKey ?? ANVIL_DEV_PRIVATE_KEYS[0]);
  const governor = account.address;
  const artifact = (name: string) => {
    const c = compiled[name];
    if (!c) throw new Error(`devnet contract ${name} missing from the compiler output`);
    return c;
  };
  const deploy = async (name: string, args: unknown[] = []): Promise<Address> => {
    const { abi, bytecode } = artifact(name);
    const hash = await wallet.deployContract({ abi, bytecode, args, account, chain });
    const receipt = await receiptOf(client, hash);
    if (receipt.status !== 'success' || !receipt.contractAddress)
      throw new Error(`deploying ${name} failed (tx ${hash})`);
    return receipt.contractAddress;
  };
  const send = async (address: Address, name: string, functionName: string, args: unknown[]) => {
    const hash = await wallet.writeContract({ address, abi: artifact(name).abi, functionName, args, account, chain });
    const receipt = await receiptOf(client, hash);
    if (receipt.status !== 'success') throw new Error(`${name}.${functionName} failed (tx ${hash})`);
  };

  const freezeGracePeriod = opts.freezeGracePeriod ?? MAINNET_FREEZE_GRACE_PERIOD;
  const depositCancelDelay = opts.depositCancelDelay ?? MAINNET_DEPOSIT_CANCEL_DELAY;
  const unfreezeDelay = opts.unfreezeDelay ?? MAINNET_UNFREEZE_DELAY;
  const programHash = opts.programHash ?? DYDX_PROGRAM_HASH;
  const globalConfigurationHash = opts.globalConfigurationHash ?? DEVNET_GLOBAL_CONFIGURATION_HASH;
  const initialSharedState = opts.initialSharedState ?? genesisSharedState();
  const operator = opts.operator ?? governor;
  const userAdmin = opts.userAdmin ?? governor;

  const usdc = await deploy('TestUsdc');
  const memoryPageFactRegistry = await deploy('MemoryPageFactRegistry');
  const gpsStandIn = await deploy('GpsStatementVerifierStandIn', [memoryPageFactRegistry]);
  const gpsStatementVerifier = opts.wrapStatementVerifier ? await opts.wrapStatementVerifier(gpsStandIn) : gpsStandIn;
  const gpsFactAdapter = await deploy('GpsFactRegistryAdapter', [gpsStatementVerifier, programHash]);
  const withEscape = opts.escapeVerifier ?? true;
  const pedersenTables = withEscape
    ? await deployPedersenTables((codes) => deployInFewBlocks(codes, { wallet, client, account, chain }))
    : zeroAddress;
  const escapeVerifier = withEscape ? await deploy('PerpetualEscapeVerifier', [pedersenTables]) : zeroAddress;
  const starkPerpetual = await deploy('StarkPerpetual', [
    {
      escapeVerifier,
      initialSharedStateHash: sharedStateHash(encodeSharedState(initialSharedState)),
      initialBatchId: opts.initialBatchId ?? 0n,
      freezeGracePeriod,
      depositCancelDelay,
      unfreezeDelay,
    },
  ]);

  // USDC with quantum 1, like dYdX (§1.1).
  const { assetInfo: usdcAssetInfo, assetType: usdcAssetType } = erc20AssetType(usdc, 1n);
  const sp = (fn: string, args: unknown[]) => send(starkPerpetual, 'StarkPerpetual', fn, args);
  await sp('registerSystemAssetType', [usdcAssetType, usdcAssetInfo]);
  await sp('applyGlobalConfigurationChange', [numberToHex(globalConfigurationHash, { size: 32 })]);
  for (const c of opts.assetConfigurations ?? [])
    await sp('applyAssetConfigurationChange', [c.assetId, numberToHex(c.configHash, { size: 32 })]);
  await sp('registerOperator', [operator]);
  await sp('registerUserAdmin', [userAdmin]);
  await sp('registerVerifier', [gpsFactAdapter, 'GpsFactRegistryAdapter']);

  return {
    rpcUrl: opts.rpcUrl,
    chain,
    governor,
    operator,
    userAdmin,
    addresses: { starkPerpetual, memoryPageFactRegistry, gpsStatementVerifier, gpsFactAdapter, escapeVerifier, usdc },
    pedersenTables,
    abis: {
      starkPerpetual: artifact('StarkPerpetual').abi,
      memoryPageFactRegistry: artifact('MemoryPageFactRegistry').abi,
      gpsStatementVerifier: artifact('GpsStatementVerifierStandIn').abi,
      gpsFactAdapter: artifact('GpsFactRegistryAdapter').abi,
      escapeVerifier: artifact('PerpetualEscapeVerifier').abi,
      usdc: artifact('TestUsdc').abi,
    },
    usdcAssetType,
    usdcAssetInfo,
    programHash,
    globalConfigurationHash,
    initialSharedState,
    freezeGracePeriod,
    depositCancelDelay,
    unfreezeDelay,
  };
}
