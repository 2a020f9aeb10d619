/**
 * The exit wizard's operations in the service worker (issue 10): margin view and forced-withdrawal
 * planning from the verifier's store, the exit flow (observe / preview with gas / send with the
 * vault's Ethereum key) and forced-trade offers. Only public data leaves the worker; bigints travel
 * as tagged JSON (the channel's codec). Only the exit wizard may call these (src/wallet/sender-policy.ts).
 */
import type { Hex, PublicClient } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import {
  DEFAULT_EXIT_FEE_CAP,
  EscapeNotPossibleError,
  ExitTxSender,
  MultiRpc,
  checkEscapeProof,
  collateralQuantaOf,
  createExitChainReader,
  createForcedTradeOffer,
  createStarkExReader,
  escapeFile,
  escapeSourceFromProof,
  dydxMarketTable,
  finalSharedState,
  forcedTradeOfForm,
  parseEscapeInput,
  positionIdOf as parsePositionId,
  stressView,
  readModel,
  serializeEscapeFile,
  createSerialQueue,
  decodeForcedTradeOffer,
  effectiveRiskParams,
  encodeForcedTradeOffer,
  escapeSourceFromStore,
  exitTransaction,
  forcedTradeOfferFile,
  forcedTradeOfferSigner,
  fromTaggedJson,
  toTaggedJson,
  marginView,
  nextExitAction,
  observeExitFlow,
  parseForcedTradeOfferFile,
  planForcedWithdrawal,
  sendExitStep,
  starkPerpetualAbi,
  startExitFlow,
  verifiedPosition,
  verifiedPositionIdOf,
} from '../../../src/index.js';
import type {
  ExitAction,
  ExitFeeCap,
  ExitFlow,
  ExitRunnerDeps,
  FinalState,
  ForcedTradeRequest,
  ForcedTradeForm,
  L1Transaction,
  MarginView,
  MarketMove,
  StressView,
  PreparedL1Transaction,
  RiskParams,
} from '../../../src/index.js';
import { IdbSyncStore, getSyncSettings, type SyncSettings } from '../../shared/sync-db.js';
import {
  allFlows,
  checkExitSettings,
  getExitSettings,
  getEscapeProof,
  getFlow,
  putExitSettings,
  saveFlow,
  saveFlowWithEscapeProof,
  type ExitSettings,
} from '../exit-db.js';
import * as session from '../session.js';
import { snapshotDbInUse } from './snapshot-stream.js';
import { exitRpc } from '../exit-rpc.js';
import { runSync } from '../sync-coordinator.js';

export type ExitFlowView = { flow: ExitFlow; action: ExitAction };
/** The wallet's position at the last verified batch, the chain's freeze state and the flows. */
/**
 * Frozen and the freeze grace period as the chain reports them; `halted`: the verifier stopped at a
 * bad batch (null when it has verified nothing, so cannot say).
 */
export type FreezeState = { halted: boolean | null; frozen: boolean; gracePeriod: bigint };
export type ExitStatus = FreezeState & {
  deploymentId: string;
  /** The wallet's position and its margin view, when the verifier holds it; else why not (escape with a proof). */
  positionId: bigint | null;
  /** The verified positions of the wallet's stark key (the picker's choices), ascending id. */
  ownPositions: bigint[];
  /** The market names the forced-trade form offers (dYdX v3's table). */
  marketNames: string[];
  view: MarginView | null;
  unverified?: string;
  feeCap: ExitFeeCap;
  flows: ExitFlowView[];
};
/** An escape proof checked against the final state read from L1, before any transaction (issue 16). */
export type EscapeCheck = {
  origin: 'escape-file' | 'verify-escape-calldata';
  positionId: bigint;
  starkKey: bigint;
  amount: bigint;
  final: Pick<FinalState, 'sharedStateHash' | 'sequenceNumber' | 'block' | 'proof' | 'update' | 'check'>;
};
/** A transaction as it would be signed: with `prepared` (gas, fees, nonce) once a sender is known. */
export type TxPreview = {
  functionName: string;
  to: Hex;
  data: Hex;
  args: readonly unknown[];
  gas?: bigint;
  gasLimit?: bigint;
  prepared?: PreparedL1Transaction;
};
export type ExitStartArgs =
  | { kind: 'withdrawal'; amount: string; premiumCost?: boolean }
  | { kind: 'trade'; offer: string; premiumCost?: boolean }
  /** `proof`: an escape file or verifyEscape calldata from any source (no sync needed); else the verified tree. */
  | { kind: 'escape'; proof?: string };

/** The amount typed in the wizard, in USDC: an error names the field, the value and the range. */
const amountArg = (v: unknown): bigint => collateralQuantaOf(String(v ?? ''));

/**
 * The risk parameters the exit uses: the same rule as the approval's margin impact (signing.ts),
 * `effectiveRiskParams` — the user's saved configuration, else the deployment's preset.
 */
function riskParamsFor(settings: ExitSettings, s: SyncSettings): RiskParams {
  return effectiveRiskParams(settings.riskParams, s.deployment).params;
}

async function syncSettings(): Promise<SyncSettings> {
  const s = await getSyncSettings();
  if (!s) throw new Error('Set up the verifier first: the exit uses only verified data.');
  return s;
}

function publicClient(s: SyncSettings): PublicClient {
  return exitRpc(s).client();
}

async function ethKey(): Promise<{ address: Hex; privateKey: Hex }> {
  const keys = await session.currentKeys();
  if (!keys) throw new Error('Vigil is locked: unlock first.');
  if (!keys.ethPrivateKey || !keys.address)
    throw new Error('This vault holds no Ethereum key: L1 transactions need one.');
  return { address: keys.address, privateKey: keys.ethPrivateKey };
}

async function positionIdOf(settings: ExitSettings, starkKey: bigint): Promise<bigint> {
  if (settings.positionId !== undefined) return settings.positionId;
  // One position per key on StarkEx perpetual deployments (l1-data-tree.md §5.1).
  const found = await verifiedPositionIdOf(new IdbSyncStore(), starkKey);
  if (found === undefined)
    throw new Error('No verified position holds this wallet’s stark key: set the position id, or sync further.');
  return found;
}

/**
 * The escape file of the wallet's position from the streamed snapshot in use (ops/snapshot-stream.ts):
 * its root was checked against the anchor when it was imported; the escape check that follows
 * checks the file against the final state like any other.
 */
async function snapshotEscapeFile(): Promise<{ name: string; text: string }> {
  const s = await syncSettings();
  const acct = await session.account();
  if (!acct) throw new Error('Create or import a wallet first.');
  const db = await snapshotDbInUse();
  if (!db) throw new Error('No snapshot is loaded: load a positions snapshot file first.');
  const store = new IdbSyncStore(db);
  const positionId = await verifiedPositionIdOf(store, BigInt(acct.starkKey));
  if (positionId === undefined) throw new Error('No position in the loaded snapshot holds this wallet’s stark key.');
  const material = await readModel(store).escapeSource({ positionId });
  return {
    name: `vigil-escape-${s.deployment.id}-position-${positionId}.json`,
    text: serializeEscapeFile(escapeFile(s.deployment, material)),
  };
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

/** A forced withdrawal of the verified position, planned by src/exit (refused with the reason when invalid). */
async function planWithdrawal(
  c: { s: SyncSettings; settings: ExitSettings; starkKey: bigint; positionId: bigint },
  args: { amount: string; premiumCost?: boolean },
  frozen: boolean,
) {
  const v = await verifiedPosition(new IdbSyncStore(), c.positionId);
  return planForcedWithdrawal({
    ...v,
    starkKey: c.starkKey,
    riskParams: riskParamsFor(c.settings, c.s),
    amount: amountArg(args.amount),
    premiumCost: args.premiumCost === true,
    frozen,
    ...(c.settings.adverseMoveBps !== undefined ? { adverseMoveBps: c.settings.adverseMoveBps } : {}),
  });
}

/**
 * The exchange's final state read from L1 alone (src/exit/final-state.ts), once per deployment and
 * RPC set while the worker lives: a frozen exchange's state no longer changes.
 */
const finals = new Map<string, Promise<FinalState>>();
function finalState(s: SyncSettings): Promise<FinalState> {
  const key = JSON.stringify([s.deployment.id, s.deployment.chainId, s.deployment.starkPerpetual, s.rpcUrls]);
  let f = finals.get(key);
  if (!f) {
    const reader = createStarkExReader(
      s.deployment,
      MultiRpc.adaptive(s.rpcUrls, s.rpcRates ? { rates: s.rpcRates } : {}),
    );
    f = finalSharedState(reader, s.deployment);
    // Only a frozen exchange's state is final: anything else (or a failure) is read again next time.
    f.then(
      (final) => void (final.proof.isFrozen || finals.delete(key)),
      () => finals.delete(key),
    );
    finals.set(key, f);
  }
  return f;
}

/** Checks an escape proof for the wallet's stark key against the final state; nothing is sent. */
async function checkEscape(s: SyncSettings, settings: ExitSettings, starkKey: bigint, proof: string) {
  const input = parseEscapeInput(proof);
  const final = await finalState(s);
  // The escape needs the frozen flag, proven with the same storage proof as the state.
  if (!final.proof.isFrozen)
    throw new Error(
      'The exchange is not frozen (proven at L1): its state may still change; send a forced request first.',
    );
  const positionId = settings.positionId ?? input.positionId;
  const checked = checkEscapeProof(input, final, { deployment: s.deployment, positionId, starkKey });
  // A position escapes once (escapesUsed, l1-data-tree.md §1.6): refused here, before any transaction.
  if (await createExitChainReader(s.deployment, publicClient(s)).escapeUsed(checked.positionId))
    throw new EscapeNotPossibleError(
      'escape-already-used',
      `position ${checked.positionId} has escaped already (escapesUsed on L1): nothing is left to escape`,
    );
  const view: EscapeCheck = {
    origin: input.origin,
    positionId: checked.positionId,
    starkKey: checked.starkKey,
    amount: checked.amount,
    final: {
      sharedStateHash: final.sharedStateHash,
      sequenceNumber: final.sequenceNumber,
      block: final.block,
      proof: final.proof,
      update: final.update,
      check: final.check,
    },
  };
  return { input, final, view };
}

/** Without `signer` the runner only observes, and re-sends a stored signed transaction (no key needed). */
async function deps(s: SyncSettings, flow: ExitFlow, signer?: ExitTxSender): Promise<ExitRunnerDeps> {
  const rpc = exitRpc(s);
  // A flow started with a proof from elsewhere escapes with it, checked again against L1's final state.
  const proof = await getEscapeProof(flow.id);
  return {
    deployment: s.deployment,
    chain: createExitChainReader(s.deployment, rpc.client()),
    ...(signer ? { signer } : {}),
    broadcast: (raw, hash) => rpc.broadcast(raw, hash),
    save: saveFlow,
    escapeSource:
      proof === undefined
        ? escapeSourceFromStore(new IdbSyncStore(), flow.positionId)
        : async () => escapeSourceFromProof(parseEscapeInput(proof), await finalState(s))(),
  };
}

/**
 * `observeExitFlow`, and when the escape cannot be prepared because Vigil's verified state is
 * behind L1's (the batch before a freeze is often newer than the verifier's last run), a sync
 * now rather than at the next period: the flow once waited ~30 s after its own freeze was mined.
 */
async function observe(f: ExitFlow, d: ExitRunnerDeps): Promise<ExitFlow> {
  try {
    return await observeExitFlow(f, d);
  } catch (err) {
    // At most one request per SYNC_KICK_MS: a halted verifier gives the same error on every poll.
    if (
      err instanceof EscapeNotPossibleError &&
      err.reason === 'shared-state-mismatch' &&
      Date.now() - lastSyncKick >= SYNC_KICK_MS
    ) {
      lastSyncKick = Date.now();
      void runSync();
    }
    throw err;
  }
}
const SYNC_KICK_MS = 10_000;
let lastSyncKick = 0;

/** A random forced-trade nonce below P (248 bits). */
function randomNonce(): bigint {
  const b = crypto.getRandomValues(new Uint8Array(31));
  return BigInt(`0x${Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')}`);
}

function flowView(f: ExitFlow): ExitFlowView {
  return { flow: f, action: nextExitAction(f) };
}

/**
 * The transaction as it would be signed: nonce, gas limit and fees read cross-checked, the fee cap
 * applied (a network fee above it is refused here). `exitSend` signs exactly this request.
 */
async function preview(s: SyncSettings, tx: L1Transaction, from: Hex | null): Promise<TxPreview> {
  const base = { functionName: tx.functionName, to: tx.to, data: tx.data, args: tx.args };
  if (!from) return base;
  const feeCap = (await getExitSettings()).feeCap ?? DEFAULT_EXIT_FEE_CAP;
  const prepared = await new ExitTxSender(exitRpc(s), { from, feeCap }).prepare(tx);
  return { ...base, gas: prepared.gasEstimate, gasLimit: prepared.gas, prepared };
}

/** The escape of the position a checked proof is for (the wallet's own key): no verified store needed. */
async function startEscapeWithProof(proof: string): Promise<ExitFlowView> {
  const s = await syncSettings();
  const acct = await session.account();
  if (!acct) throw new Error('Create or import a wallet first.');
  const chain = createExitChainReader(s.deployment, publicClient(s));
  if (!(await chain.isFrozen())) throw new Error('The exchange is not frozen: send a forced request first.');
  const { view } = await checkEscape(s, await getExitSettings(), BigInt(acct.starkKey), proof);
  const flow = startExitFlow({
    id: `exit-${Date.now()}`,
    deploymentId: s.deployment.id,
    chainId: s.deployment.chainId,
    starkKey: view.starkKey,
    positionId: view.positionId,
    frozen: true,
    now: Date.now(),
  });
  await saveFlowWithEscapeProof(flow, proof);
  return flowView(flow);
}

const ops = {
  /** The margin view of the wallet's position at the last verified batch, the chain's freeze state and the flows. */
  async exitStatus(): Promise<ExitStatus> {
    const s = await syncSettings();
    const acct = await session.account();
    if (!acct) throw new Error('Create or import a wallet first.');
    const settings = await getExitSettings();
    const chain = createExitChainReader(s.deployment, publicClient(s));
    const [frozen, gracePeriod] = await Promise.all([chain.isFrozen(), chain.freezeGracePeriod()]);
    const base = {
      deploymentId: s.deployment.id,
      frozen,
      gracePeriod,
      feeCap: settings.feeCap ?? DEFAULT_EXIT_FEE_CAP,
      flows: (await allFlows()).map(flowView),
      marketNames: Object.keys(dydxMarketTable(1).markets),
      ownPositions: await readModel(new IdbSyncStore())
        .positionsOfStarkKey(BigInt(acct.starkKey))
        .then(
          (ps) => ps.map((p) => p.positionId),
          () => [], // nothing verified yet: no choices, a typed id still works
        ),
    };
    let v: Awaited<ReturnType<typeof verifiedPosition>>;
    let positionId: bigint;
    try {
      positionId = await positionIdOf(settings, BigInt(acct.starkKey));
      v = await verifiedPosition(new IdbSyncStore(), positionId);
    } catch (err) {
      // Nothing verified (no sync, or not this far): a frozen exchange can still be left with a proof.
      return { ...base, positionId: null, view: null, halted: null, unverified: (err as Error).message };
    }
    const view = marginView({
      ...v,
      riskParams: riskParamsFor(settings, s),
      ...(settings.adverseMoveBps !== undefined ? { adverseMoveBps: settings.adverseMoveBps } : {}),
    });
    return { ...base, positionId, view, halted: v.halted };
  },
  /**
   * The picker (issue 17): show position `positionId` (typed or chosen; checked: an integer,
   * 0 <= id < 2^64), or with an empty one the wallet's own again. Only this setting changes.
   */
  async exitSelectPosition(args: { positionId: string }): Promise<ExitSettings> {
    const text = String(args?.positionId ?? '').trim();
    const { positionId: _old, ...rest } = await getExitSettings();
    const next = checkExitSettings(text === '' ? rest : { ...rest, positionId: parsePositionId(text) });
    await putExitSettings(next);
    return next;
  },
  /**
   * The stress view (issue 17): the shown position's margin recomputed by src/risk on the verified
   * state with the markets in `moves` moved (a USD price or a percentage each).
   */
  async exitStress(args: { moves: MarketMove[] }): Promise<StressView> {
    const c = await context();
    const v = await verifiedPosition(new IdbSyncStore(), c.positionId);
    return stressView({
      ...v,
      riskParams: riskParamsFor(c.settings, c.s),
      moves: Array.isArray(args?.moves) ? args.moves : [],
      ...(c.settings.adverseMoveBps !== undefined ? { adverseMoveBps: c.settings.adverseMoveBps } : {}),
    });
  },
  /**
   * The escape file of the wallet's verified position (src/exit/escape-file.ts), from Vigil's own
   * tree: for a backup, or for another person's Vigil (which checks it against L1 in its turn).
   */
  async exitEscapeFile(args: { source?: 'sync' | 'snapshot' } = {}): Promise<{ name: string; text: string }> {
    if (args.source === 'snapshot') return snapshotEscapeFile();
    const { s, positionId } = await context();
    const material = await readModel(new IdbSyncStore()).escapeSource({ positionId });
    return {
      name: `vigil-escape-${s.deployment.id}-position-${positionId}.json`,
      text: serializeEscapeFile(escapeFile(s.deployment, material)),
    };
  },
  async exitConfigure(args: { settings: Partial<ExitSettings> | string }): Promise<ExitSettings> {
    // Text (tagged JSON, as typed or scripted) or the object itself (the channel keeps its bigints).
    const raw =
      typeof args.settings === 'string'
        ? fromTaggedJson<Partial<ExitSettings>>(args.settings)
        : args.settings && typeof args.settings === 'object'
          ? args.settings
          : {};
    // Checked before anything is written: a bad value is refused (field, value, range) and the stored settings stay.
    const next = checkExitSettings({ ...(await getExitSettings()), ...raw });
    await putExitSettings(next);
    return next;
  },
  /** Plans a forced withdrawal (refusing an invalid amount with the reason) and shows the transaction with its gas. */
  async exitPlanWithdrawal(args: { amount: string; premiumCost?: boolean }) {
    const c = await context();
    const { s, starkKey, positionId } = c;
    const plan = await planWithdrawal(c, args, await c.chain.isFrozen());
    const flow = startExitFlow({
      id: 'preview',
      deploymentId: s.deployment.id,
      chainId: s.deployment.chainId,
      starkKey,
      positionId,
      request: { kind: 'withdrawal', ...plan.request },
      frozen: false,
      now: Date.now(),
    });
    const acct = await session.account();
    return { plan, tx: await preview(s, exitTransaction(flow, s.deployment), acct?.address ?? null) };
  },
  /** Starts a flow: a planned forced withdrawal, a forced trade from an offer, or (frozen) the escape. */
  async exitStart(args: ExitStartArgs): Promise<ExitFlowView> {
    if (args.kind === 'escape' && typeof args.proof === 'string') return startEscapeWithProof(args.proof);
    const { s, settings, starkKey, positionId, chain } = await context();
    const frozen = await chain.isFrozen();
    const id = `exit-${Date.now()}`;
    const base = {
      id,
      deploymentId: s.deployment.id,
      chainId: s.deployment.chainId,
      starkKey,
      positionId,
      frozen,
      now: Date.now(),
    };
    let flow: ExitFlow;
    if (frozen || args.kind === 'escape') {
      if (!frozen) throw new Error('The exchange is not frozen: send a forced request first.');
      flow = startExitFlow(base);
    } else if (args.kind === 'withdrawal') {
      const plan = await planWithdrawal({ s, settings, starkKey, positionId }, args, false);
      flow = startExitFlow({
        ...base,
        request: {
          kind: 'withdrawal',
          quantizedAmount: plan.request.quantizedAmount,
          premiumCost: plan.request.premiumCost,
        },
      });
    } else if (args.kind === 'trade') {
      const offer = decodeForcedTradeOffer(String(args.offer));
      if (
        offer.chainId !== s.deployment.chainId ||
        offer.starkPerpetual.toLowerCase() !== s.deployment.starkPerpetual.toLowerCase()
      )
        throw new Error('This offer is for another exchange.');
      if (offer.trade.starkKeyA !== starkKey) throw new Error('This offer names another party A.');
      const system = await chain.systemAssetType();
      if (offer.trade.collateralAssetId !== system)
        throw new Error(
          `This offer's collateral asset 0x${offer.trade.collateralAssetId.toString(16)} is not the exchange's (0x${system.toString(16)}, getSystemAssetType on L1): L1 would refuse the trade.`,
        );
      flow = startExitFlow({
        ...base,
        positionId: offer.trade.positionIdA,
        request: {
          kind: 'trade',
          trade: offer.trade,
          signature: offer.signature,
          premiumCost: args.premiumCost === true,
        },
      });
    } else throw new TypeError('kind: expected "withdrawal", "trade" or "escape"');
    await saveFlow(flow);
    return flowView(flow);
  },
  /** Reads the chain for one flow (or all) and applies what it shows. */
  async exitObserve(args: { id?: string } = {}): Promise<ExitFlowView[]> {
    const s = await syncSettings();
    const ids =
      typeof args.id === 'string' ? [args.id] : (await allFlows()).filter((f) => f.step !== 'done').map((f) => f.id);
    const out = [];
    for (const id of ids) {
      const f = await getFlow(id);
      if (!f) continue;
      out.push(flowView(await observe(f, await deps(s, f))));
    }
    return out;
  },
  async exitPreview(args: { id: string }): Promise<TxPreview> {
    const s = await syncSettings();
    const f = await getFlow(String(args.id));
    if (!f) throw new Error('No such exit flow.');
    const acct = await session.account();
    return preview(s, exitTransaction(f, s.deployment), acct?.address ?? null);
  },
  /**
   * Signs the previewed request (`prepared`, re-checked: same to/data/value, chain, nonce, under
   * the cap) with the vault's Ethereum key, saves the signed bytes in the flow, then broadcasts
   * them to every RPC, then observes. Without `prepared` a fresh one is prepared.
   */
  async exitSend(args: { id: string; prepared?: PreparedL1Transaction }): Promise<ExitFlowView> {
    const s = await syncSettings();
    const f = await getFlow(String(args.id));
    if (!f) throw new Error('No such exit flow.');
    const key = await ethKey();
    await session.touch();
    const account = privateKeyToAccount(key.privateKey);
    const feeCap = (await getExitSettings()).feeCap ?? DEFAULT_EXIT_FEE_CAP;
    const signer = new ExitTxSender(exitRpc(s), {
      from: account.address,
      feeCap,
      signTransaction: (t) => account.signTransaction(t),
    });
    // The previewed request, re-checked by the sender before it signs (to/data/value, chain, nonce, cap).
    const prepared = args.prepared && typeof args.prepared === 'object' ? args.prepared : undefined;
    const d = await deps(s, f, signer);
    const sent = await sendExitStep(await observe(f, d), d, prepared ? { prepared } : {});
    // Sent and saved: what the chain shows next is the page's next observe, not a failed send.
    return flowView(
      await observe(sent, d).catch((err: unknown) => {
        console.warn('exitSend: sent and saved; the observe after it failed (the next poll reads again)', err);
        return sent;
      }),
    );
  },
  /** Party B: signs a forced-trade offer with the vault's Ethereum key. */
  async exitOfferCreate(args: { trade?: string; form?: ForcedTradeForm }): Promise<{ text: string; file: string }> {
    const s = await syncSettings();
    const key = await ethKey();
    const acct = await session.account();
    if (!acct) throw new Error('Create or import a wallet first.');
    // A frozen exchange takes no forced trade (forcedTradeRequest is notFrozen), and a signed offer
    // would stay valid to its expiry if governance unfroze it: none is signed then.
    const chain = createExitChainReader(s.deployment, publicClient(s));
    if (await chain.isFrozen())
      throw new Error(
        'The exchange is frozen: L1 takes no forced trade any more, only the escape. No offer was signed.',
      );
    // The form (issue 17), checked field by field; raw tagged JSON stays for scripts.
    // The collateral the trade names is the exchange's own, read from L1: a form once named
    // network 1's USDC on the devnet, and L1 refused the trade (SYSTEM_ASSET_NOT_IN_TRADE).
    const trade = args.form
      ? forcedTradeOfForm(args.form, {
          starkKeyB: BigInt(acct.starkKey),
          collateralAssetId: await chain.systemAssetType(),
          nowMs: Date.now(),
          randomNonce: randomNonce(),
        })
      : fromTaggedJson<ForcedTradeRequest>(String(args.trade));
    const account = privateKeyToAccount(key.privateKey);
    const offer = await createForcedTradeOffer({
      chainId: s.deployment.chainId,
      starkPerpetual: s.deployment.starkPerpetual,
      trade,
      sign: (hash) => account.sign({ hash }),
      nowMs: Date.now(),
    });
    return { text: encodeForcedTradeOffer(offer), file: forcedTradeOfferFile(offer) };
  },
  /** Party A: reads an offer (string or file) and checks its signer is party B's registered Ethereum key. */
  async exitOfferRead(args: { text: string }) {
    const s = await syncSettings();
    const text = String(args.text).trim();
    const offer = text.startsWith('{') ? parseForcedTradeOfferFile(text) : decodeForcedTradeOffer(text);
    const signer = await forcedTradeOfferSigner(offer);
    const registered = (await publicClient(s)
      .readContract({
        address: s.deployment.starkPerpetual,
        abi: starkPerpetualAbi,
        functionName: 'getEthKey',
        args: [offer.trade.starkKeyB],
      })
      .catch(() => null)) as Hex | null;
    return {
      offer,
      text: encodeForcedTradeOffer(offer),
      signer,
      signerRegistered: registered !== null && registered.toLowerCase() === signer.toLowerCase(),
    };
  },
};

/**
 * Flow reads and writes run one at a time: a page's periodic observe must never save an older copy
 * of a flow over the one that just recorded a sent transaction (that would send it twice).
 */
const flows = createSerialQueue();
const serial = <T>(fn: () => Promise<T>): Promise<T> => flows.run(fn);

/**
 * The reads the exit page polls: a call identical to one still waiting in the queue shares it. The
 * page once polled every 2 s whatever the answer took; each observe reads L1, and a send waited
 * ~30 s behind the observes queued in front of it.
 */
const POLLED_READS = new Set(['exitObserve', 'exitStatus']);

/** Every op of `table` behind `serial`, with its own parameter and result types. */
function serialized<T extends Record<string, (args: never) => Promise<unknown>>>(table: T): T {
  return Object.fromEntries(
    Object.entries(table).map(([name, fn]) => [
      name,
      (args: never) =>
        POLLED_READS.has(name)
          ? flows.runShared(`${name} ${toTaggedJson(args ?? {})}`, () => fn(args))
          : serial(() => fn(args)),
    ]),
  ) as T;
}

/**
 * Checking a proof writes no flow and may search millions of blocks for the last update on mainnet:
 * it runs beside the queue, so observing and sending flows never waits for it.
 */
const unqueued = {
  /**
   * Checks an escape proof from any source — an escape file or verifyEscape calldata — against the
   * exchange's final state read from L1, for the wallet's stark key (issue 16). Sends nothing.
   */
  async exitCheckEscape(args: { proof: string }): Promise<EscapeCheck> {
    const s = await syncSettings();
    const acct = await session.account();
    if (!acct) throw new Error('Create or import a wallet first.');
    return (await checkEscape(s, await getExitSettings(), BigInt(acct.starkKey), String(args.proof))).view;
  },
};

export const exitOps = { ...serialized(ops), ...unqueued };
