/**
 * The exit wizard's operations in the service worker (issue 10): margin view and forced-withdrawal
 * planning from the verifier's store, the exit flow (observe / preview with gas / send with the
 * vault's Ethereum key) and forced-trade offers. Only public data leaves the worker; bigints travel
 * as tagged JSON.
 */
import { createPublicClient, createWalletClient, http, type Hex, type PublicClient } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import {
  createForcedTradeOffer,
  decodeForcedTradeOffer,
  encodeForcedTradeOffer,
  escapeSourceFromStore,
  exitTransaction,
  forcedTradeOfferFile,
  forcedTradeOfferSigner,
  marginView,
  nextExitAction,
  observeExitFlow,
  parseForcedTradeOfferFile,
  planForcedWithdrawal,
  sendExitStep,
  startExitFlow,
  verifiedPosition,
  type ExitFlow,
  type ExitRunnerDeps,
} from '../../src/exit/index.js';
import { createExitChainReader } from '../../src/l1/exit-reader.js';
import { estimateL1TransactionGas, type L1Transaction } from '../../src/l1/transactions.js';
import type { ForcedTradeRequest } from '../../src/messages/forced-trade.js';
import { starkPerpetualAbi } from '../../src/l1/abi.js';
import { IdbSyncStore, getSyncSettings, type SyncSettings } from '../shared/sync-db.js';
import { fromTaggedJson, toTaggedJson } from '../shared/tagged-json.js';
import { allFlows, getExitSettings, getFlow, putExitSettings, saveFlow, type ExitSettings } from './exit-db.js';
import * as session from './session.js';

type Args = Record<string, unknown>;

async function syncSettings(): Promise<SyncSettings> {
  const s = await getSyncSettings();
  if (!s) throw new Error('Set up the verifier first: the exit uses only verified data.');
  return s;
}

const clients = new Map<string, PublicClient>();
function publicClient(s: SyncSettings): PublicClient {
  const url = s.rpcUrls[0]!;
  let c = clients.get(url);
  if (!c) clients.set(url, (c = createPublicClient({ transport: http(url, { retryCount: 1 }) }) as PublicClient));
  return c;
}

async function ethKey(): Promise<{ address: Hex; privateKey: Hex }> {
  const keys = await session.currentKeys();
  if (!keys) throw new Error('Vigil is locked: unlock first.');
  if (!keys.ethPrivateKey || !keys.address) throw new Error('This vault holds no Ethereum key: L1 transactions need one.');
  return { address: keys.address, privateKey: keys.ethPrivateKey };
}

async function positionIdOf(settings: ExitSettings, starkKey: bigint): Promise<bigint> {
  if (settings.positionId !== undefined) return settings.positionId;
  // One position per key on StarkEx perpetual deployments (l1-data-tree.md §5.1).
  const found = (await new IdbSyncStore().allPositions()).find(([, p]) => p.starkKey === starkKey);
  if (!found) throw new Error('No verified position holds this wallet’s stark key: set the position id, or sync further.');
  return found[0];
}

async function context() {
  const s = await syncSettings();
  const acct = await session.account();
  if (!acct) throw new Error('Create or import a wallet first.');
  const settings = await getExitSettings();
  const starkKey = BigInt(acct.starkKey);
  const positionId = await positionIdOf(settings, starkKey);
  return { s, settings, starkKey, positionId, chain: createExitChainReader(s.deployment, publicClient(s)) };
}

function deps(s: SyncSettings, positionId: bigint, send: ExitRunnerDeps['send']): ExitRunnerDeps {
  return { deployment: s.deployment, chain: createExitChainReader(s.deployment, publicClient(s)), send, save: saveFlow, escapeSource: escapeSourceFromStore(new IdbSyncStore(), positionId) };
}

const refuseSend: ExitRunnerDeps['send'] = async () => {
  throw new Error('observing only');
};

function flowView(f: ExitFlow) {
  return { flow: f, action: nextExitAction(f) };
}

async function preview(s: SyncSettings, tx: L1Transaction, from: Hex | null) {
  const gas = from ? await estimateL1TransactionGas(publicClient(s), from, tx) : undefined;
  return { functionName: tx.functionName, to: tx.to, data: tx.data, args: tx.args, ...(gas ? { gas: gas.gas, gasLimit: gas.gasLimit } : {}) };
}

const ops: Record<string, (args: Args) => Promise<unknown>> = {
  /** The margin view of the wallet's position at the last verified batch, the chain's freeze state and the flows. */
  async exitStatus() {
    const { s, settings, positionId, chain } = await context();
    const v = await verifiedPosition(new IdbSyncStore(), positionId);
    const view = marginView({ ...v, riskParams: settings.riskParams, ...(settings.adverseMoveBps !== undefined ? { adverseMoveBps: settings.adverseMoveBps } : {}) });
    const [frozen, gracePeriod] = await Promise.all([chain.isFrozen(), chain.freezeGracePeriod()]);
    return { deploymentId: s.deployment.id, positionId, view, halted: v.halted, frozen, gracePeriod, flows: (await allFlows()).map(flowView) };
  },
  async exitConfigure(args) {
    const raw = typeof args.settings === 'string' ? fromTaggedJson<Partial<ExitSettings>>(args.settings) : {};
    const next: ExitSettings = { ...(await getExitSettings()), ...raw };
    await putExitSettings(next);
    return null;
  },
  /** Plans a forced withdrawal (refusing an invalid amount with the reason) and shows the transaction with its gas. */
  async exitPlanWithdrawal(args) {
    const { s, settings, starkKey, positionId, chain } = await context();
    const v = await verifiedPosition(new IdbSyncStore(), positionId);
    const plan = planForcedWithdrawal({
      ...v,
      starkKey,
      riskParams: settings.riskParams,
      amount: BigInt(String(args.amount)),
      premiumCost: args.premiumCost === true,
      frozen: await chain.isFrozen(),
      ...(settings.adverseMoveBps !== undefined ? { adverseMoveBps: settings.adverseMoveBps } : {}),
    });
    const flow = startExitFlow({ id: 'preview', deploymentId: s.deployment.id, chainId: s.deployment.chainId, starkKey, positionId, request: { kind: 'withdrawal', ...plan.request }, frozen: false, now: Date.now() });
    const acct = await session.account();
    return { plan, tx: await preview(s, exitTransaction(flow, s.deployment), acct?.address ?? null) };
  },
  /** Starts a flow: a planned forced withdrawal, a forced trade from an offer, or (frozen) the escape. */
  async exitStart(args) {
    const { s, settings, starkKey, positionId, chain } = await context();
    const frozen = await chain.isFrozen();
    const id = `exit-${Date.now()}`;
    const base = { id, deploymentId: s.deployment.id, chainId: s.deployment.chainId, starkKey, positionId, frozen, now: Date.now() };
    let flow: ExitFlow;
    if (frozen || args.kind === 'escape') {
      if (!frozen) throw new Error('The exchange is not frozen: send a forced request first.');
      flow = startExitFlow(base);
    } else if (args.kind === 'withdrawal') {
      const v = await verifiedPosition(new IdbSyncStore(), positionId);
      const plan = planForcedWithdrawal({ ...v, starkKey, riskParams: settings.riskParams, amount: BigInt(String(args.amount)), premiumCost: args.premiumCost === true, ...(settings.adverseMoveBps !== undefined ? { adverseMoveBps: settings.adverseMoveBps } : {}) });
      flow = startExitFlow({ ...base, request: { kind: 'withdrawal', quantizedAmount: plan.request.quantizedAmount, premiumCost: plan.request.premiumCost } });
    } else if (args.kind === 'trade') {
      const offer = decodeForcedTradeOffer(String(args.offer));
      if (offer.chainId !== s.deployment.chainId || offer.starkPerpetual.toLowerCase() !== s.deployment.starkPerpetual.toLowerCase()) throw new Error('This offer is for another exchange.');
      if (offer.trade.starkKeyA !== starkKey) throw new Error('This offer names another party A.');
      flow = startExitFlow({ ...base, positionId: offer.trade.positionIdA, request: { kind: 'trade', trade: offer.trade, signature: offer.signature, premiumCost: args.premiumCost === true } });
    } else throw new TypeError('kind: expected "withdrawal", "trade" or "escape"');
    await saveFlow(flow);
    return flowView(flow);
  },
  /** Reads the chain for one flow (or all) and applies what it shows. */
  async exitObserve(args) {
    const s = await syncSettings();
    const ids = typeof args.id === 'string' ? [args.id] : (await allFlows()).filter((f) => f.step !== 'done').map((f) => f.id);
    const out = [];
    for (const id of ids) {
      const f = await getFlow(id);
      if (!f) continue;
      out.push(flowView(await observeExitFlow(f, deps(s, f.positionId, refuseSend))));
    }
    return out;
  },
  async exitPreview(args) {
    const s = await syncSettings();
    const f = await getFlow(String(args.id));
    if (!f) throw new Error('No such exit flow.');
    const acct = await session.account();
    return preview(s, exitTransaction(f, s.deployment), acct?.address ?? null);
  },
  /** Sends the flow's current transaction with the vault's Ethereum key, then observes. */
  async exitSend(args) {
    const s = await syncSettings();
    const f = await getFlow(String(args.id));
    if (!f) throw new Error('No such exit flow.');
    const key = await ethKey();
    await session.touch();
    const account = privateKeyToAccount(key.privateKey);
    const wallet = createWalletClient({ account, transport: http(s.rpcUrls[0]!) });
    const send: ExitRunnerDeps['send'] = async (tx) => {
      const { gasLimit } = await estimateL1TransactionGas(publicClient(s), account.address, tx);
      return wallet.sendTransaction({ account, chain: null, to: tx.to, data: tx.data, gas: gasLimit });
    };
    const d = deps(s, f.positionId, send);
    return flowView(await observeExitFlow(await sendExitStep(await observeExitFlow(f, d), d), d));
  },
  /** Party B: signs a forced-trade offer with the vault's Ethereum key. */
  async exitOfferCreate(args) {
    const s = await syncSettings();
    const key = await ethKey();
    const trade = fromTaggedJson<ForcedTradeRequest>(String(args.trade));
    const account = privateKeyToAccount(key.privateKey);
    const offer = await createForcedTradeOffer({ chainId: s.deployment.chainId, starkPerpetual: s.deployment.starkPerpetual, trade, sign: (hash) => account.sign({ hash }), nowMs: Date.now() });
    return { text: encodeForcedTradeOffer(offer), file: forcedTradeOfferFile(offer) };
  },
  /** Party A: reads an offer (string or file) and checks its signer is party B's registered Ethereum key. */
  async exitOfferRead(args) {
    const s = await syncSettings();
    const text = String(args.text).trim();
    const offer = text.startsWith('{') ? parseForcedTradeOfferFile(text) : decodeForcedTradeOffer(text);
    const signer = await forcedTradeOfferSigner(offer);
    const registered = (await publicClient(s).readContract({ address: s.deployment.starkPerpetual, abi: starkPerpetualAbi, functionName: 'getEthKey', args: [offer.trade.starkKeyB] }).catch(() => null)) as Hex | null;
    return { offer, text: encodeForcedTradeOffer(offer), signer, signerRegistered: registered !== null && registered.toLowerCase() === signer.toLowerCase() };
  },
};

export const EXIT_MESSAGE = 'vigil/exit';
export type ExitMessage = { type: typeof EXIT_MESSAGE; op: string; args?: Args };
export type ExitReply = { ok: true; result: string } | { ok: false; error: { name: string; message: string; reason?: string } };

/**
 * Flow reads and writes run one at a time: a page's periodic observe must never save an older copy
 * of a flow over the one that just recorded a sent transaction (that would send it twice).
 */
let queue: Promise<unknown> = Promise.resolve();
function serial<T>(fn: () => Promise<T>): Promise<T> {
  const run = queue.catch(() => undefined).then(fn);
  queue = run.catch(() => undefined);
  return run;
}

export async function handleExitMessage(op: string, args: Args): Promise<ExitReply> {
  try {
    const fn = Object.hasOwn(ops, op) ? ops[op] : undefined;
    if (!fn) throw new Error(`Unknown exit operation ${JSON.stringify(op)}`);
    return { ok: true, result: toTaggedJson((await serial(() => fn(args))) ?? null) };
  } catch (err) {
    const e = err as Error & { reason?: unknown };
    return { ok: false, error: { name: e.name ?? 'Error', message: e.message ?? String(err), ...(typeof e.reason === 'string' ? { reason: e.reason } : {}) } };
  }
}
