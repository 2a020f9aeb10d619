import {
  BaseError,
  createPublicClient,
  custom,
  HttpRequestError,
  keccak256,
  numberToHex,
  TimeoutError,
  type Address,
  type Hex,
  type PublicClient,
  type Transport,
  type TransactionSerializableEIP1559,
} from 'viem';
import { RangeCheckError, TypeCheckError, VigilError } from '../errors.js';
import { L1DataError, RpcDisagreementError } from './errors.js';
import { canonicalJson, type MultiRpc, type RpcOutcome } from './multi-rpc.js';
import { hexBytes, hexQuantity } from './rpc-values.js';
import {
  ChainIdMismatchError,
  FeeCapExceededError,
  InsufficientEthError,
  L1BroadcastError,
  PreparedTransactionError,
} from './transaction-errors.js';
import { estimateL1TransactionGas, type ExitFunctionName, type L1Transaction } from './transactions.js';

/*
 * The exit's L1 access (issue 13 "Wallet hardening"): pinned to the deployment's chain, every read
 * cross-checked over all configured RPCs like the verifier's (MultiRpc), and one signed transaction
 * per action. Reads at "latest" are pinned to the lowest head of all RPCs so every RPC can answer
 * for the same block; answers that must agree are compared field by field, and a disagreement stops
 * the flow before anything is signed. `eth_chainId` is asserted on an RPC before any of its answers
 * is used, and on every RPC again right before signing.
 */

/** EIP-7825: no transaction may use more than 2^24 gas. */
export const EIP7825_TX_GAS_LIMIT_CAP = 16_777_216n;
const GWEI = 1_000_000_000n;

/** The user's fee cap for exit transactions (exit settings). */
export type ExitFeeCap = {
  /** Wei per gas; the most a transaction may offer (and what the network may ask) per gas. */
  maxFeePerGas: bigint;
  /**
   * The largest gas limit sent: at most EIP-7825's per-transaction cap (mainnet since Osaka), the
   * default. A node refuses a larger limit ("intrinsic gas too high"), so a setting above it could
   * only make a sign-then-fail transaction; the devnet runs under the same cap (its verifyEscape
   * needs ~3.2 M gas, like mainnet's ~2.6 M: l1-data-tree.md §4.6).
   */
  gasLimit: bigint;
};
export const DEFAULT_EXIT_FEE_CAP: ExitFeeCap = { maxFeePerGas: 200n * GWEI, gasLimit: EIP7825_TX_GAS_LIMIT_CAP };
/** Bounds of the settings themselves: 0.001 gwei .. 100 000 gwei; 21 000 gas .. EIP-7825's 2^24 gas. */
export const FEE_CAP_BOUNDS = {
  maxFeePerGas: [1_000_000n, 100_000n * GWEI],
  gasLimit: [21_000n, EIP7825_TX_GAS_LIMIT_CAP],
} as const;

/** Checks a fee cap setting; a bad value throws `RangeCheckError` naming the field, the value and the range. */
export function checkExitFeeCap(v: unknown): ExitFeeCap {
  const o = (v ?? {}) as Partial<Record<keyof ExitFeeCap, unknown>>;
  const out = {} as ExitFeeCap;
  for (const field of ['maxFeePerGas', 'gasLimit'] as const) {
    const x = o[field] ?? DEFAULT_EXIT_FEE_CAP[field];
    const [lo, hi] = FEE_CAP_BOUNDS[field];
    if (typeof x !== 'bigint' || x < lo || x > hi)
      throw new RangeCheckError(
        `feeCap.${field}`,
        x,
        `an integer ${lo} <= feeCap.${field} <= ${hi}${field === 'maxFeePerGas' ? ' (wei per gas)' : ' gas'}`,
      );
    out[field] = x;
  }
  return out;
}

/** True when the node answered (a JSON-RPC error such as a revert); false when it did not (network, timeout). */
export function isJsonRpcAnswer(err: unknown): boolean {
  if (!(err instanceof BaseError)) return false;
  if (err.walk((e) => e instanceof HttpRequestError || e instanceof TimeoutError)) return false;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'number' && code !== -1;
}

/** The first error of class `C` in a cause chain (viem wraps what a transport throws). */
export function causeOf<C>(err: unknown, C: abstract new (...a: never[]) => C): C | undefined {
  let e: unknown = err;
  for (let i = 0; i < 32 && e; i++) {
    if (e instanceof C) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Runs one named read; a disagreement deep in viem's error chain comes out naming the read and the RPCs. */
export async function namedRead<T>(read: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const chain = causeOf(err, ChainIdMismatchError);
    if (chain) throw chain;
    const d = causeOf(err, RpcDisagreementError);
    if (d && !d.method.includes(' via '))
      throw new RpcDisagreementError(`${read} via ${d.method}`, d.urls, d.details, { cause: err });
    // viem's formatters parse answers with BigInt/string methods: a malformed answer (non-hex, a
    // number or null for a quantity) surfaces as a raw SyntaxError/TypeError/RangeError, a core
    // decoder's type check as a TypeCheckError. Name the read.
    if (
      err instanceof SyntaxError ||
      err instanceof TypeError ||
      err instanceof RangeError ||
      err instanceof TypeCheckError
    )
      throw new L1DataError(read, `an RPC answer does not parse (${err.message})`, { cause: err });
    throw err;
  }
}

const pick = (o: unknown, keys: readonly string[]) =>
  o && typeof o === 'object' ? Object.fromEntries(keys.map((k) => [k, (o as Record<string, unknown>)[k] ?? null])) : o;
const LOG_FIELDS = ['address', 'topics', 'data', 'blockNumber', 'transactionHash', 'logIndex'] as const;
const selectLogs = (a: unknown) => (Array.isArray(a) ? a.map((l) => pick(l, LOG_FIELDS)) : a);
const selectBlock = (b: unknown) => pick(b, ['number', 'hash', 'parentHash', 'timestamp', 'baseFeePerGas']);

/** Which parameter is the block tag; "latest"/"pending"/absent are pinned to the lowest head. */
const BLOCK_PARAM: Record<string, number> = {
  eth_call: 1,
  eth_getStorageAt: 2,
  eth_getBalance: 1,
  eth_getTransactionCount: 1,
  eth_getCode: 1,
  eth_getBlockByNumber: 0,
};
/** Only the fields Vigil uses must agree (providers add their own). */
const SELECT: Record<string, (a: unknown) => unknown> = {
  eth_getBlockByNumber: selectBlock,
  eth_getBlockByHash: selectBlock,
  eth_getLogs: selectLogs,
  eth_getTransactionByHash: (t) =>
    pick(t, ['hash', 'from', 'to', 'input', 'nonce', 'value', 'blockNumber', 'blockHash']),
  eth_getTransactionReceipt: (r) =>
    r && typeof r === 'object'
      ? {
          ...(pick(r, ['transactionHash', 'blockHash', 'blockNumber', 'status', 'from', 'to']) as object),
          logs: selectLogs((r as { logs?: unknown }).logs),
        }
      : r,
};
/** Answers that differ between honest nodes (mempool-based): the highest is used, never below what the chain needs. */
const HIGHEST = new Set(['eth_estimateGas', 'eth_maxPriorityFeePerGas', 'eth_gasPrice']);
/** Null on a node that has not seen it yet: null anywhere means "not yet" (waiting is safe, acting on one RPC is not). */
const NULL_UNTIL_ALL = new Set(['eth_getTransactionReceipt', 'eth_getTransactionByHash']);

/** Answers that are one hex value: checked here, before viem's decoders see them (they throw raw errors on non-hex). */
const HEX_ANSWER: Record<string, (method: string, v: unknown) => unknown> = {
  eth_call: hexBytes,
  eth_getCode: hexBytes,
  eth_getStorageAt: hexQuantity,
  eth_getTransactionCount: hexQuantity,
  eth_getBalance: hexQuantity,
  eth_estimateGas: hexQuantity,
};

const errorText = (e: unknown) =>
  e instanceof BaseError ? e.details || e.shortMessage : e instanceof Error ? e.message : String(e);

/**
 * The exit's RPCs: cross-checked reads (`request`, or `client()` for viem actions), the chain-id
 * assertion and the idempotent broadcast of a signed transaction.
 */
export class ExitRpc {
  readonly rpc: MultiRpc;
  readonly chainId: number;
  /** RPCs whose `eth_chainId` matched; only their answers are used. */
  readonly #checked = new Set<string>();

  constructor(rpc: MultiRpc, chainId: number) {
    if (!Number.isSafeInteger(chainId) || chainId <= 0)
      throw new RangeCheckError('chainId', chainId, 'a positive integer');
    this.rpc = rpc;
    this.chainId = chainId;
  }

  /** Asks every RPC (or `urls`) for `eth_chainId` now; any other answer throws `ChainIdMismatchError` naming the RPC. */
  async assertChain(urls?: readonly string[]): Promise<void> {
    const endpoints = this.rpc.endpoints.filter((e) => !urls || urls.includes(e.url));
    await Promise.all(
      endpoints.map(async (e) => {
        let answer: unknown;
        try {
          answer = await e.request({ method: 'eth_chainId' });
        } catch (err) {
          this.#checked.delete(e.url);
          throw new ChainIdMismatchError(e.url, undefined, this.chainId, { cause: err });
        }
        let got: number;
        try {
          got = Number(hexQuantity(`eth_chainId of ${e.url}`, answer, BigInt(Number.MAX_SAFE_INTEGER)));
        } catch (err) {
          this.#checked.delete(e.url);
          throw new ChainIdMismatchError(e.url, undefined, this.chainId, { cause: err });
        }
        if (got !== this.chainId) {
          this.#checked.delete(e.url);
          throw new ChainIdMismatchError(e.url, got, this.chainId);
        }
        this.#checked.add(e.url);
      }),
    );
  }

  async #ensureChain(outcomes: readonly RpcOutcome[]): Promise<void> {
    const unchecked = outcomes.map((o) => o.url).filter((u) => !this.#checked.has(u));
    if (unchecked.length > 0) await this.assertChain(unchecked);
  }

  /** The lowest head of all RPCs (each can answer for it). */
  async head(): Promise<bigint> {
    return this.rpc.blockNumber();
  }

  /** One cross-checked JSON-RPC request (see the file comment); the node's own error when every RPC answers with one. */
  async request(method: string, params: readonly unknown[] = []): Promise<unknown> {
    if (method === 'eth_sendRawTransaction')
      throw new RangeCheckError(
        'method',
        method,
        'a read method (eth_sendRawTransaction goes through ExitRpc.broadcast)',
      );
    if (method === 'eth_chainId') {
      await this.assertChain();
      return numberToHex(this.chainId);
    }
    if (method === 'eth_blockNumber') return numberToHex(await this.head());
    const p = [...params];
    const at = BLOCK_PARAM[method];
    if (at !== undefined && (p[at] === undefined || p[at] === 'latest' || p[at] === 'pending')) {
      while (p.length < at) p.push(undefined);
      p[at] = numberToHex(await this.head());
      if (method === 'eth_getBlockByNumber' && p[1] === undefined) p[1] = false;
    }
    const outcomes = await this.rpc.outcomes(method, p, isJsonRpcAnswer);
    await this.#ensureChain(outcomes);
    const ok = outcomes.filter((o): o is Extract<RpcOutcome, { ok: true }> => o.ok);
    const failed = outcomes.filter((o): o is Extract<RpcOutcome, { ok: false }> => !o.ok);
    if (ok.length === 0) throw failed[0]!.error; // every RPC answered an error (e.g. the same revert): viem decodes it
    if (failed.length > 0) {
      throw new RpcDisagreementError(
        method,
        [ok[0]!.url, failed[0]!.url],
        `${failed[0]!.url} answered an error (${errorText(failed[0]!.error)}); params ${canonicalJson(p)}`,
      );
    }
    for (const o of ok) HEX_ANSWER[method]?.(`${method} of ${o.url}`, o.result);
    if (HIGHEST.has(method))
      return numberToHex(
        ok.map((o) => hexQuantity(`${method} of ${o.url}`, o.result)).reduce((m, x) => (x > m ? x : m)),
      );
    if (NULL_UNTIL_ALL.has(method) && ok.some((o) => o.result === null)) return null;
    const select = SELECT[method] ?? ((x: unknown) => x);
    const first = canonicalJson(select(ok[0]!.result));
    for (const o of ok.slice(1)) {
      if (canonicalJson(select(o.result)) !== first)
        throw new RpcDisagreementError(method, [ok[0]!.url, o.url], `params ${canonicalJson(p)}`);
    }
    return ok[0]!.result;
  }

  /** A viem transport over `request` (viem's retries off: MultiRpc retries per RPC). */
  transport(): Transport {
    return custom(
      { request: ({ method, params }) => this.request(method, (params as unknown[] | undefined) ?? []) },
      { retryCount: 0 },
    );
  }

  /** A viem public client whose every read is chain-checked and cross-checked. */
  client(): PublicClient {
    return createPublicClient({ transport: this.transport() }) as PublicClient;
  }

  /**
   * Sends a signed transaction to every RPC (asserting their chain first). Idempotent: an RPC that
   * already has it ("already known") or has mined it ("nonce too low" with this hash mined) counts
   * as success; the hash any RPC answers must be the hash of these bytes.
   */
  async broadcast(raw: Hex, hash: Hex): Promise<void> {
    if (keccak256(raw).toLowerCase() !== hash.toLowerCase())
      throw new L1BroadcastError(hash, `the stored bytes hash to ${keccak256(raw)}`);
    await this.assertChain();
    const outcomes = await this.rpc.outcomes('eth_sendRawTransaction', [raw], isJsonRpcAnswer);
    let accepted = false;
    let nonceUsed: RpcOutcome | undefined;
    const refused: Extract<RpcOutcome, { ok: false }>[] = [];
    for (const o of outcomes) {
      if (o.ok) {
        if (String(o.result).toLowerCase() !== hash.toLowerCase())
          throw new L1BroadcastError(hash, `${o.url} answered another hash (${String(o.result)})`);
        accepted = true;
      } else {
        const text = errorText(o.error).toLowerCase();
        if (/already known|known transaction|already imported|alreadyknown|already exists/.test(text)) accepted = true;
        else if (/nonce too low|nonce is too low|invalid nonce|nonce has already been used/.test(text)) nonceUsed = o;
        else refused.push(o);
      }
    }
    if (accepted) return;
    if (nonceUsed) {
      const receipt = await this.request('eth_getTransactionReceipt', [hash]);
      if (receipt !== null) return; // this very transaction is mined: nothing to send
      throw new L1BroadcastError(hash, `${nonceUsed.url}: its nonce is used by another transaction`, {
        cause: (nonceUsed as { error?: unknown }).error,
      });
    }
    throw new L1BroadcastError(hash, `no RPC accepted it (${refused.map((r) => r.url).join(', ')})`, {
      cause: refused[0]?.error,
    });
  }
}

/**
 * A transaction ready to sign, as previewed: everything a signer puts in it, plus what the user
 * sees (estimate, base fee, the most it can cost, the cap it was checked against).
 */
export type PreparedL1Transaction = {
  type: 'eip1559';
  chainId: number;
  from: Address;
  to: Address;
  data: Hex;
  value: bigint;
  nonce: number;
  gas: bigint;
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
  functionName: ExitFunctionName;
  gasEstimate: bigint;
  baseFeePerGas: bigint;
  /** gas × maxFeePerGas, wei. */
  maxCost: bigint;
  /** The sender's ETH balance when prepared, wei (cross-checked like every read). */
  balance: bigint;
  feeCap: ExitFeeCap;
};

export type SignTransaction = (tx: TransactionSerializableEIP1559) => Promise<Hex>;

/** The network's fee now and the cap: refuse above it, offer at most the cap. */
function feesUnderCap(
  baseFeePerGas: bigint,
  priority: bigint,
  cap: ExitFeeCap,
): { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint } {
  const network = baseFeePerGas + priority;
  if (network > cap.maxFeePerGas) {
    throw new FeeCapExceededError(
      'maxFeePerGas',
      network,
      cap.maxFeePerGas,
      `the network asks ${network} wei per gas (base fee ${baseFeePerGas} + tip ${priority}), above your cap of ${cap.maxFeePerGas} wei per gas`,
    );
  }
  const maxFeePerGas = [2n * baseFeePerGas + priority, cap.maxFeePerGas].reduce((a, b) => (a < b ? a : b));
  return { maxFeePerGas, maxPriorityFeePerGas: priority };
}

function gasUnderCap(estimate: bigint, cap: ExitFeeCap): bigint {
  if (estimate > cap.gasLimit)
    throw new FeeCapExceededError(
      'gasLimit',
      estimate,
      cap.gasLimit,
      `the call needs ${estimate} gas, above the gas-limit cap of ${cap.gasLimit}`,
    );
  const padded = (estimate * 12n) / 10n;
  return padded < cap.gasLimit ? padded : cap.gasLimit;
}

/**
 * Prepares, re-checks and signs exit transactions for one sender: chain asserted on every RPC,
 * nonce, fees and gas read cross-checked, the fee cap enforced, and exactly the prepared request
 * signed for the deployment's chain id (viem's EIP-1559 serialization).
 */
export class ExitTxSender {
  readonly rpc: ExitRpc;
  readonly from: Address;
  readonly feeCap: ExitFeeCap;
  readonly #sign: SignTransaction | undefined;

  constructor(rpc: ExitRpc, opts: { from: Address; feeCap?: ExitFeeCap; signTransaction?: SignTransaction }) {
    this.rpc = rpc;
    this.from = opts.from;
    this.feeCap = checkExitFeeCap(opts.feeCap ?? DEFAULT_EXIT_FEE_CAP);
    this.#sign = opts.signTransaction;
  }

  async #nonce(): Promise<number> {
    const n = await namedRead('nonce', () => this.rpc.request('eth_getTransactionCount', [this.from, 'latest']));
    return Number(BigInt(n as string));
  }

  async #balance(): Promise<bigint> {
    return BigInt(
      (await namedRead('balance', () => this.rpc.request('eth_getBalance', [this.from, 'latest']))) as string,
    );
  }

  async #networkFees(): Promise<{ baseFeePerGas: bigint; priority: bigint }> {
    const block = (await namedRead('fees (block base fee)', () =>
      this.rpc.request('eth_getBlockByNumber', ['latest', false]),
    )) as { baseFeePerGas?: Hex } | null;
    if (!block?.baseFeePerGas) throw new L1DataError('fees (block base fee)', 'the chain has no EIP-1559 base fee');
    let priority: bigint;
    try {
      priority = BigInt((await this.rpc.request('eth_maxPriorityFeePerGas')) as string);
    } catch {
      priority = BigInt((await this.rpc.request('eth_gasPrice')) as string) - BigInt(block.baseFeePerGas);
    }
    return { baseFeePerGas: BigInt(block.baseFeePerGas), priority: priority < 0n ? 0n : priority };
  }

  /** The transaction to preview and sign: refuses (before anything is signed) on chain, cross-check or fee-cap failures. */
  async prepare(tx: L1Transaction): Promise<PreparedL1Transaction> {
    await this.rpc.assertChain();
    // With no ETH the gas estimate fails with the node's long message: say it plainly first.
    const balance = await this.#balance();
    if (balance === 0n) throw new InsufficientEthError(this.from, 0n);
    const { gas: gasEstimate } = await namedRead('gas', () =>
      estimateL1TransactionGas(this.rpc.client(), this.from, tx),
    );
    const gas = gasUnderCap(gasEstimate, this.feeCap);
    const [{ baseFeePerGas, priority }, nonce] = await Promise.all([this.#networkFees(), this.#nonce()]);
    const fees = feesUnderCap(baseFeePerGas, priority, this.feeCap);
    return {
      type: 'eip1559',
      chainId: this.rpc.chainId,
      from: this.from,
      to: tx.to,
      data: tx.data,
      value: tx.value,
      nonce,
      gas,
      ...fees,
      functionName: tx.functionName,
      gasEstimate,
      baseFeePerGas,
      maxCost: gas * fees.maxFeePerGas,
      balance,
      feeCap: this.feeCap,
    };
  }

  /** A previewed request must still be the flow's transaction, for this chain, sender and nonce, under the cap. */
  async confirm(p: PreparedL1Transaction, tx: L1Transaction): Promise<PreparedL1Transaction> {
    const same = (field: string, a: unknown, b: unknown) => {
      if (String(a).toLowerCase() !== String(b).toLowerCase())
        throw new PreparedTransactionError(field, `previewed ${String(a)}, now ${String(b)}`);
    };
    same('to', p.to, tx.to);
    same('data', p.data, tx.data);
    same('value', p.value, tx.value);
    same('chainId', p.chainId, this.rpc.chainId);
    same('from', p.from, this.from);
    same('type', p.type, 'eip1559');
    if (p.gas > this.feeCap.gasLimit)
      throw new FeeCapExceededError(
        'gasLimit',
        p.gas,
        this.feeCap.gasLimit,
        `the previewed gas limit ${p.gas} is above the cap of ${this.feeCap.gasLimit}`,
      );
    if (p.maxFeePerGas > this.feeCap.maxFeePerGas)
      throw new FeeCapExceededError(
        'maxFeePerGas',
        p.maxFeePerGas,
        this.feeCap.maxFeePerGas,
        `the previewed max fee ${p.maxFeePerGas} wei per gas is above your cap of ${this.feeCap.maxFeePerGas}`,
      );
    await this.rpc.assertChain();
    same('nonce', p.nonce, await this.#nonce());
    const balance = await this.#balance();
    if (balance < p.maxCost) throw new InsufficientEthError(this.from, balance, p.maxCost);
    const { baseFeePerGas, priority } = await this.#networkFees();
    feesUnderCap(baseFeePerGas, priority, this.feeCap);
    if (baseFeePerGas > p.maxFeePerGas)
      throw new PreparedTransactionError(
        'maxFeePerGas',
        `the base fee rose to ${baseFeePerGas}, above the previewed ${p.maxFeePerGas}`,
      );
    return p;
  }

  /** Signs exactly `p` for the deployment's chain (chain asserted on every RPC first); the hash is of the signed bytes. */
  async sign(p: PreparedL1Transaction): Promise<{ raw: Hex; hash: Hex }> {
    if (!this.#sign) throw new VigilError('no signing key: unlock Vigil to send');
    if (p.chainId !== this.rpc.chainId)
      throw new PreparedTransactionError('chainId', `previewed ${p.chainId}, the deployment is on ${this.rpc.chainId}`);
    if (p.gas > this.feeCap.gasLimit || p.maxFeePerGas > this.feeCap.maxFeePerGas)
      throw new FeeCapExceededError(
        p.gas > this.feeCap.gasLimit ? 'gasLimit' : 'maxFeePerGas',
        p.gas > this.feeCap.gasLimit ? p.gas : p.maxFeePerGas,
        p.gas > this.feeCap.gasLimit ? this.feeCap.gasLimit : this.feeCap.maxFeePerGas,
        'above the fee cap',
      );
    await this.rpc.assertChain();
    const raw = await this.#sign({
      type: 'eip1559',
      chainId: p.chainId,
      to: p.to,
      data: p.data,
      value: p.value,
      nonce: p.nonce,
      gas: p.gas,
      maxFeePerGas: p.maxFeePerGas,
      maxPriorityFeePerGas: p.maxPriorityFeePerGas,
    });
    return { raw, hash: keccak256(raw) };
  }
}
