import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeFunctionData, encodePacked, keccak256, numberToHex, type Abi, type Address, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { FIELD_PRIME, continuousPageFact, devnetDeployment, starkKeyPair } from '../../src/index.js';
import type { Position, SharedState, StarkExDeployment } from '../../src/index.js';
import { compileDevnetContracts } from '../compile.js';
import { planBatches, type PlanParams } from './plan.js';
import {
  BLOCK_SECONDS,
  HISTORY_ASSET,
  HISTORY_ASSET_CONFIG,
  rng,
  type MainnetShapedOptions,
  type PlannedBatch,
} from './shape.js';
import { planInWorker } from './plan-in-worker.js';
import { deployDevnet, type DevnetDeployment } from '../deploy.js';
import {
  ANVIL_DEV_PRIVATE_KEYS,
  EIP7825_TX_GAS_CAP,
  MAINNET_RULES_ANVIL_ARGS,
  startAnvil,
  type AnvilInstance,
} from '../lib/anvil.js';
import { compileSolidity } from '../lib/solc.js';
import { DEVNET_OUTPUT_START, DEVNET_PAGE_ALPHA, DEVNET_PAGE_Z } from '../state-update.js';

/**
 * A devnet history shaped like dYdX v3 on mainnet (issue 15, "A mainnet-shaped rehearsal"):
 * mainnet block heights and 12-second blocks, a memory-page fact registry shared with another
 * application, batches of several data pages some of which were registered long before their
 * batch, positions dense up to N, a GPS-verifier proxy upgrade early on, and a freeze at the end.
 *
 * Deterministic from a seed. Batches are planned by plan.ts (positions, tree roots with the
 * incremental tree, state updates, planned block timestamps) — in-process first, or in a worker
 * thread running ahead of the writer (`planInWorker`) — and the chain is written block by block
 * with automine off, so several transactions (ours and the other application's) share a block,
 * as on mainnet. Plan and chain draw from separate random streams, so the history is the same
 * either way.
 *
 * Block numbers: anvil starts its genesis at `startBlock` (--number). Gaps between batches are
 * mined with anvil_mine, which costs anvil 1.7.1 milliseconds per block and grows with the chain
 * (measured: 1,000 blocks ~1.4 s, 10,000 in one call ~3–4 min), so histories spread over millions
 * of blocks cannot be mined; gaps stay small and configurable, and "long before" is counted in
 * batches (and blocks) instead.
 */

export type GeneratedBatch = {
  sequenceNumber: bigint;
  batchId: bigint;
  blockNumber: bigint;
  txHash: Hex;
  positionsRoot: bigint;
  sharedState: SharedState;
  /** Per data page: its memory hash and the block it was registered in. */
  dataPages: { memoryHash: Hex; size: number; registeredAt: bigint }[];
  changedPositions: number;
};

export type MainnetShapedHistory = {
  rpcUrl: string;
  devnet: DevnetDeployment;
  deployment: StarkExDeployment;
  genesis: SharedState;
  batches: GeneratedBatch[];
  finalPositions: Map<bigint, Position>;
  finalRoot: bigint;
  proxy: { address: Address; implementations: Address[]; upgradeBlocks: bigint[] };
  foreignPages: { count: number; blocks: bigint[] };
  freeze?: { requestBlock: bigint; freezeBlock: bigint; starkKey: bigint; positionId: bigint };
  firstBlock: bigint;
  lastBlock: bigint;
  timings: { planMs: number; chainMs: number };
};

/** 2021-02-01T00:00:00Z, just before StarkPerpetual's mainnet deployment (block 11,834,295). */
export const MAINNET_START_BLOCK = 11_813_000n;
export const MAINNET_START_TIMESTAMP = 1_612_137_600n;
export { HISTORY_ASSET, HISTORY_ASSET_CONFIG, type MainnetShapedOptions, type Range } from './shape.js';

const HERE = dirname(fileURLToPath(import.meta.url));
/** The compiled StarkWareProxy (legacy pipeline, compiled apart from the devnet contracts). */
let proxyArtifact: { abi: Abi; bytecode: Hex } | undefined;
export function proxyContract(): { abi: Abi; bytecode: Hex } {
  if (!proxyArtifact) {
    const out = compileSolidity(
      { 'StarkWareProxy.sol': readFileSync(join(HERE, 'contracts/StarkWareProxy.sol'), 'utf8') },
      { optimizerRuns: 200 },
    );
    const c = out.StarkWareProxy;
    if (!c) throw new Error('StarkWareProxy missing from the compiler output');
    proxyArtifact = { abi: c.abi as Abi, bytecode: c.bytecode as Hex };
  }
  return proxyArtifact;
}

type Rpc = <T = unknown>(method: string, params?: unknown[]) => Promise<T>;
function rpcClient(url: string): Rpc & { batch<T>(calls: Array<[string, unknown[]]>): Promise<T[]> } {
  let id = 0;
  const post = async (body: unknown) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return res.json() as Promise<unknown>;
  };
  const call = async <T>(method: string, params: unknown[] = []): Promise<T> => {
    const body = (await post({ jsonrpc: '2.0', id: ++id, method, params })) as {
      result?: T;
      error?: { message: string };
    };
    if (body.error) throw new Error(`${method}: ${body.error.message}`);
    return body.result as T;
  };
  return Object.assign(call, {
    async batch<T>(calls: Array<[string, unknown[]]>): Promise<T[]> {
      if (!calls.length) return [];
      const body = (await post(
        calls.map(([method, params]) => ({ jsonrpc: '2.0', id: ++id, method, params })),
      )) as Array<{ id: number; result?: T; error?: { message: string } }>;
      const first = id - calls.length + 1;
      const out: T[] = new Array(calls.length);
      for (const r of body) {
        if (r.error) throw new Error(`${calls[r.id - first]?.[0]}: ${r.error.message}`);
        out[r.id - first] = r.result as T;
      }
      return out;
    },
  });
}

export async function generateMainnetShapedHistory(
  rpcUrl: string,
  opts: MainnetShapedOptions,
): Promise<MainnetShapedHistory> {
  // The chain's own random stream (the other application's pages), apart from the plan's.
  const r = rng((opts.seed ?? 1) ^ 0x5bd1e995);
  const foreignRange = opts.foreignPagesPerBatch ?? [0, 3];
  const upgradeBefore = opts.upgradeBeforeBatch ?? Math.min(2, opts.batches - 1);
  const log = (s: string) => (opts.logEvery ? console.error(`[history] ${s}`) : undefined);
  const rpc = rpcClient(rpcUrl);
  const dev = await rpc<Address[]>('eth_accounts');
  const [governor, foreignApp, , , forcedUser, freezer] = dev as [Address, Address, Address, Address, Address, Address];

  // ---- deployment: StarkPerpetual & co, the GPS stand-in behind a StarkWare-style proxy ----
  const proxyC = proxyContract();
  const gpsImpls: Address[] = [];
  let proxyAddress: Address | undefined;
  /** Automine mines right after eth_sendTransaction returns, not before: poll for the receipt. */
  const receiptOf = async <T>(hash: Hex): Promise<T> => {
    for (let i = 0; i < 600; i++) {
      const receipt = await rpc<T | null>('eth_getTransactionReceipt', [hash]);
      if (receipt) return receipt;
      await new Promise((res) => setTimeout(res, 20));
    }
    throw new Error(`no receipt for ${hash}`);
  };
  const deployRaw = async (bytecode: Hex): Promise<Address> => {
    const hash = await rpc<Hex>('eth_sendTransaction', [
      { from: governor, data: bytecode, gas: numberToHex(EIP7825_TX_GAS_CAP) },
    ]);
    const receipt = await receiptOf<{ status: Hex; contractAddress: Address }>(hash);
    if (receipt.status !== '0x1') throw new Error('deploy failed');
    return receipt.contractAddress;
  };
  const callNow = async (to: Address, abi: Abi, functionName: string, args: unknown[], from: Address = governor) => {
    const hash = await rpc<Hex>('eth_sendTransaction', [
      {
        from,
        to,
        data: encodeFunctionData({ abi, functionName, args } as never),
        gas: numberToHex(EIP7825_TX_GAS_CAP),
      },
    ]);
    const receipt = await receiptOf<{ status: Hex; blockNumber: Hex }>(hash);
    if (receipt.status !== '0x1') throw new Error(`${functionName} failed (tx ${hash})`);
    return BigInt(receipt.blockNumber);
  };
  const proxyDeployData = (delay: bigint) => (proxyC.bytecode + numberToHex(delay, { size: 32 }).slice(2)) as Hex;
  const devnet = await deployDevnet({
    rpcUrl,
    assetConfigurations: [{ assetId: HISTORY_ASSET, configHash: HISTORY_ASSET_CONFIG }],
    // A history never escapes and mines many blocks (deploy.ts: the tables slow anvil_mine).
    escapeVerifier: false,
    wrapStatementVerifier: async (gps) => {
      gpsImpls.push(gps);
      proxyAddress = await deployRaw(proxyDeployData(0n));
      await callNow(proxyAddress, proxyC.abi, 'addImplementation', [gps, '0x', false]);
      await callNow(proxyAddress, proxyC.abi, 'upgradeTo', [gps, '0x', false]);
      return proxyAddress;
    },
  });
  const proxy = proxyAddress!;
  // A second GPS stand-in for the upgrade (same code; the facts live in the proxy's storage).
  const gpsC = (await compileDevnetContracts()).GpsStatementVerifierStandIn!;
  const gps2 = await deployRaw(
    (gpsC.bytecode + numberToHex(BigInt(devnet.addresses.memoryPageFactRegistry), { size: 32 }).slice(2)) as Hex,
  );
  gpsImpls.push(gps2);
  // The forced-withdrawal user: registered now (a user admin's signature, §1.2).
  const forced = { starkKey: starkKeyPair(0xf0ced5n).publicKey, positionId: 1n, amount: 1n };
  if (opts.freeze !== false) {
    const signer = privateKeyToAccount(ANVIL_DEV_PRIVATE_KEYS[0]);
    const sig = await signer.sign({
      hash: keccak256(
        encodePacked(['string', 'address', 'uint256'], ['UserRegistration:', forcedUser, forced.starkKey]),
      ),
    });
    await callNow(devnet.addresses.starkPerpetual, devnet.abis.starkPerpetual, 'registerUser', [
      forcedUser,
      forced.starkKey,
      sig,
    ]);
  }
  const deployedHead = BigInt(await rpc<Hex>('eth_blockNumber'));
  const firstBlock = deployedHead + 1n;
  const deployment = devnetDeployment({
    addresses: devnet.addresses,
    chainId: devnet.chain.id,
    programHash: devnet.programHash,
    usdcAssetType: devnet.usdcAssetType,
    firstBlock,
  });
  const headTime = BigInt((await rpc<{ timestamp: Hex }>('eth_getBlockByNumber', ['latest', false])).timestamp);

  // ---- plan every batch (in a worker when asked: the plan runs beside anvil) ----
  const planned: PlannedBatch[] = [];
  const earlyAt = new Map<number, Array<[PlannedBatch, number]>>();
  let planError: unknown;
  let wake: (() => void) | undefined;
  const onBatch = (b: PlannedBatch) => {
    planned.push(b);
    for (const [page, at] of b.early) earlyAt.set(at, [...(earlyAt.get(at) ?? []), [b, page]]);
    wake?.();
  };
  const params: PlanParams = {
    opts: { ...opts, seed: opts.seed ?? 1 },
    genesis: devnet.initialSharedState,
    globalConfigurationHash: devnet.globalConfigurationHash,
    headTime,
  };
  const planDone = opts.planInWorker
    ? planInWorker(params, onBatch)
    : Promise.resolve(await planBatches(params, onBatch));
  planDone.catch((err: unknown) => {
    planError = err;
    wake?.();
  });
  /** Waits until batch i and every batch that registers a page in batch i's block is planned. */
  const ready = async (i: number) => {
    const need = Math.min(opts.batches, i + (opts.earlyByBatches ?? [3, 20])[1] + 1);
    while (planned.length < need) {
      if (planError) throw planError;
      await new Promise<void>((res) => (wake = res));
    }
  };
  // ---- write the chain ----
  const t1 = Date.now();
  await rpc('evm_setAutomine', [false]);
  const registeredAt = new Map<string, bigint>();
  const foreignBlocks: bigint[] = [];
  let foreignCount = 0;
  const upgradeBlocks: bigint[] = [];
  const batches: GeneratedBatch[] = [];
  const mr = memoryPageRegistryAbi(devnet);
  let lastTime = headTime;
  let block = deployedHead;
  type Queued = { hash: Hex; what: string };
  const send = async (
    q: Queued[],
    from: Address,
    to: Address,
    abi: Abi,
    functionName: string,
    args: unknown[],
    gas: bigint,
    what = functionName,
  ) => {
    const hash = await rpc<Hex>('eth_sendTransaction', [
      { from, to, data: encodeFunctionData({ abi, functionName, args } as never), gas: numberToHex(gas) },
    ]);
    q.push({ hash, what });
    return hash;
  };
  /** Mines one block at `timestamp` holding the queued transactions; checks every receipt. */
  const mine = async (q: Queued[], timestamp: bigint) => {
    if (timestamp <= lastTime) timestamp = lastTime + 1n;
    await rpc('evm_setNextBlockTimestamp', [Number(timestamp)]);
    await rpc('evm_mine');
    lastTime = timestamp;
    block += 1n;
    const receipts = await rpc.batch<{ status: Hex; blockNumber: Hex } | null>(
      q.map((x) => ['eth_getTransactionReceipt', [x.hash]]),
    );
    receipts.forEach((rc, k) => {
      if (!rc) throw new Error(`${q[k]!.what} was not mined in block ${block}`);
      if (rc.status !== '0x1') throw new Error(`${q[k]!.what} reverted (tx ${q[k]!.hash})`);
      if (BigInt(rc.blockNumber) !== block)
        throw new Error(`${q[k]!.what} mined in ${BigInt(rc.blockNumber)}, expected ${block}`);
    });
  };
  const registerPage = (q: Queued[], b: PlannedBatch, k: number) => {
    const p = b.pages[k]!;
    registeredAt.set(`${b.index}:${k}`, block + 1n);
    return send(
      q,
      governor,
      devnet.addresses.memoryPageFactRegistry,
      mr,
      'registerContinuousMemoryPage',
      [p.start, p.values, DEVNET_PAGE_Z, DEVNET_PAGE_ALPHA, FIELD_PRIME],
      8_000_000n,
      `page ${k} of batch ${b.index}`,
    );
  };
  const foreign = async (q: Queued[]) => {
    const n = r.int(foreignRange);
    for (let k = 0; k < n; k++) {
      // Another application's continuous page: random values, start address, interaction elements.
      const values = Array.from({ length: 1 + Math.floor(r.next() * 200) }, () => r.big() % FIELD_PRIME);
      const startAddr = BigInt(Math.floor(r.next() * 2 ** 40));
      await send(
        q,
        foreignApp,
        devnet.addresses.memoryPageFactRegistry,
        mr,
        'registerContinuousMemoryPage',
        [startAddr, values, r.big() % FIELD_PRIME, r.big() % FIELD_PRIME, FIELD_PRIME],
        8_000_000n,
        'foreign page',
      );
    }
    if (n) {
      foreignCount += n;
      foreignBlocks.push(block + 1n);
    }
  };
  for (let i = 0; i < opts.batches; i++) {
    await ready(i);
    const b = planned[i]!;
    if (b.index === upgradeBefore) {
      const q: Queued[] = [];
      await send(q, governor, proxy, proxyC.abi, 'addImplementation', [gps2, '0x', false], 1_000_000n);
      await mine(q, lastTime + BLOCK_SECONDS);
      upgradeBlocks.push(block);
      const q2: Queued[] = [];
      await send(q2, governor, proxy, proxyC.abi, 'upgradeTo', [gps2, '0x', false], 1_000_000n);
      await mine(q2, lastTime + BLOCK_SECONDS);
      upgradeBlocks.push(block);
    }
    const gap = b.gap - (b.index === upgradeBefore ? 2 : 0);
    if (gap > 0) {
      await rpc('anvil_mine', [numberToHex(gap), numberToHex(BLOCK_SECONDS)]);
      block += BigInt(gap);
      lastTime = BigInt((await rpc<{ timestamp: Hex }>('eth_getBlockByNumber', ['latest', false])).timestamp);
    }
    const q: Queued[] = [];
    // Pages of later batches registered long before them, the other application's pages, then ours.
    for (const [later, k] of earlyAt.get(b.index) ?? []) if (later.index !== b.index) await registerPage(q, later, k);
    await foreign(q);
    for (let k = 0; k < b.pages.length; k++)
      if (!b.early.has(k) || b.early.get(k) === b.index) await registerPage(q, b, k);
    const descriptors: bigint[] = [];
    for (const p of b.pages) {
      const fact = continuousPageFact(p.start, p.values, DEVNET_PAGE_Z, DEVNET_PAGE_ALPHA);
      descriptors.push(BigInt(p.values.length), BigInt(fact.memoryHash), fact.prod);
    }
    await send(
      q,
      governor,
      proxy,
      devnet.abis.gpsStatementVerifier,
      'registerOutputWithoutProof',
      [devnet.programHash, b.update.mainPage, DEVNET_OUTPUT_START, DEVNET_PAGE_Z, DEVNET_PAGE_ALPHA, descriptors],
      EIP7825_TX_GAS_CAP,
    );
    const txHash = await send(
      q,
      governor,
      devnet.addresses.starkPerpetual,
      devnet.abis.starkPerpetual,
      'updateState',
      [b.update.programOutput, b.update.applicationData],
      EIP7825_TX_GAS_CAP,
      `updateState ${b.index}`,
    );
    await mine(q, b.timestamp);
    const n = BigInt(b.index + 1);
    batches.push({
      sequenceNumber: n,
      batchId: n * 10n,
      blockNumber: block,
      txHash,
      positionsRoot: b.sharedState.positionsRoot,
      sharedState: b.sharedState,
      dataPages: b.pages.map((p, k) => ({
        memoryHash: p.memoryHash,
        size: p.values.length,
        registeredAt: registeredAt.get(`${b.index}:${k}`)!,
      })),
      changedPositions: b.changes,
    });
    if (opts.logEvery && (b.index + 1) % opts.logEvery === 0)
      log(`posted ${b.index + 1}/${opts.batches} batches, block ${block} (${((Date.now() - t1) / 1000).toFixed(1)} s)`);
  }

  // ---- the end: a forced withdrawal the operator ignores, then a freeze past the grace period ----
  let freeze: MainnetShapedHistory['freeze'];
  if (opts.freeze !== false) {
    const q: Queued[] = [];
    await foreign(q);
    await send(
      q,
      forcedUser,
      devnet.addresses.starkPerpetual,
      devnet.abis.starkPerpetual,
      'forcedWithdrawalRequest',
      [forced.starkKey, forced.positionId, forced.amount, false],
      1_000_000n,
    );
    await mine(q, lastTime + BLOCK_SECONDS);
    const requestBlock = block;
    // The grace period passes (one time jump: a real 14 days would be ~100,000 blocks).
    const q2: Queued[] = [];
    await send(
      q2,
      freezer,
      devnet.addresses.starkPerpetual,
      devnet.abis.starkPerpetual,
      'freezeRequest',
      [forced.starkKey, forced.positionId, forced.amount],
      1_000_000n,
    );
    await mine(q2, lastTime + devnet.freezeGracePeriod + BLOCK_SECONDS);
    freeze = { requestBlock, freezeBlock: block, starkKey: forced.starkKey, positionId: forced.positionId };
  }
  await rpc('evm_setAutomine', [true]);
  const chainMs = Date.now() - t1;
  const { positions, finalRoot, planMs } = await planDone;
  log(`chain: ${chainMs} ms, blocks ${firstBlock}..${block}`);
  return {
    rpcUrl,
    devnet,
    deployment,
    genesis: devnet.initialSharedState,
    batches,
    finalPositions: positions,
    finalRoot,
    proxy: { address: proxy, implementations: gpsImpls, upgradeBlocks },
    foreignPages: { count: foreignCount, blocks: foreignBlocks },
    ...(freeze ? { freeze } : {}),
    firstBlock,
    lastBlock: block,
    timings: { planMs, chainMs },
  };
}

const memoryPageRegistryAbi = (d: DevnetDeployment) => d.abis.memoryPageFactRegistry;

/**
 * anvil for a mainnet-shaped history: genesis at a mainnet height and time, mainnet's gas rules
 * (45 M per block, EIP-7825's 2^24 per transaction). A whole batch still fits one block, as on
 * mainnet: measured on a 6-batch × 3,000-position history, the largest page registration used
 * 587 k gas, registerOutputWithoutProof 144 k, updateState 119 k, the fullest block 6.5 M.
 */
export async function startHistoryAnvil(
  opts: Pick<MainnetShapedOptions, 'startBlock' | 'startTimestamp'> & { port?: number } = {},
): Promise<AnvilInstance> {
  return startAnvil({
    ...(opts.port ? { port: opts.port } : {}),
    args: [
      ...MAINNET_RULES_ANVIL_ARGS,
      '--number',
      String(opts.startBlock ?? MAINNET_START_BLOCK),
      '--timestamp',
      String(opts.startTimestamp ?? MAINNET_START_TIMESTAMP),
    ],
  });
}

/** Starts anvil and generates a history on it; `stop()` kills anvil. */
export async function startMainnetShapedDevnet(
  opts: MainnetShapedOptions & { port?: number },
): Promise<MainnetShapedHistory & { anvil: AnvilInstance; stop(): Promise<void> }> {
  const anvil = await startHistoryAnvil(opts);
  try {
    const h = await generateMainnetShapedHistory(anvil.rpcUrl, opts);
    return { ...h, anvil, stop: () => anvil.stop() };
  } catch (err) {
    await anvil.stop();
    throw err;
  }
}
