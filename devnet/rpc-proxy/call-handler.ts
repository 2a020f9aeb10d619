import {
  PROFILE_DEFAULTS,
  type LaggingProfile,
  type LyingProfile,
  type Profile,
  type RangeProfile,
  type ResultsProfile,
} from './profiles.js';

/**
 * What the proxy does to one JSON-RPC call (a batch member or a single request), after the
 * HTTP-level profiles (rate, flaky, latency) let it through: the lagging view of the chain, the
 * block-range and result-count limits of `eth_getLogs`, forwarding to upstream, and lies.
 */

export type RpcCall = { jsonrpc?: string; id?: unknown; method: string; params?: unknown[] };
export type RpcAnswer = {
  jsonrpc: '2.0';
  id: unknown;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
};

/** Counters the handler bumps; the server owns them. */
export type CallCounters = { rangeRefused: number; resultsRefused: number; lagRefused: number; lies: number };

export type Upstream = (method: string, params: unknown[]) => Promise<{ result?: unknown; error?: RpcAnswer['error'] }>;

const hex = (n: bigint) => `0x${n.toString(16)}`;
const BLOCK_TAGS = new Set(['latest', 'safe', 'finalized', 'pending']);

/** Index of the block parameter of methods that read state at a block. */
const STATE_BLOCK_PARAM: Record<string, number> = {
  eth_getStorageAt: 2,
  eth_call: 1,
  eth_getBalance: 1,
  eth_getCode: 1,
  eth_getTransactionCount: 1,
  eth_getProof: 2,
};

/** Flips the last hex digit of a 0x string (`0x` becomes `0x01`): a minimal, valid-looking lie. */
export function alterHex(v: string): string {
  if (v.length <= 2) return '0x01';
  const d = parseInt(v.at(-1)!, 16) ^ 1;
  return v.slice(0, -1) + d.toString(16);
}

export class CallHandler {
  readonly #range: Required<Pick<RangeProfile, 'maxRange' | 'code' | 'message'>>[];
  readonly #results: number | undefined;
  readonly #lag: number | undefined;
  readonly #lying: LyingProfile | undefined;

  constructor(
    profiles: readonly Profile[],
    private readonly upstream: Upstream,
    private readonly counters: CallCounters,
  ) {
    this.#range = profiles
      .filter((p): p is RangeProfile => p.name === 'range-1000' || p.name === 'tiny-range-10')
      .map((p) => {
        const d = PROFILE_DEFAULTS[p.name];
        const maxRange = p.maxRange ?? d.maxRange;
        // A custom maxRange with the default text keeps the text truthful.
        const message = p.message ?? d.message.replace(String(d.maxRange), String(maxRange));
        return { maxRange, code: p.code ?? d.code, message };
      });
    const results = profiles.filter((p): p is ResultsProfile => p.name === 'results-10k');
    this.#results = results.length
      ? Math.min(...results.map((p) => p.max ?? PROFILE_DEFAULTS['results-10k'].max))
      : undefined;
    const lag = profiles.filter((p): p is LaggingProfile => p.name === 'lagging');
    this.#lag = lag.length ? Math.max(...lag.map((p) => p.blocks ?? PROFILE_DEFAULTS.lagging.blocks)) : undefined;
    this.#lying = profiles.find((p): p is LyingProfile => p.name === 'lying');
  }

  async handle(call: RpcCall): Promise<RpcAnswer> {
    const id = call.id ?? null;
    const fail = (code: number, message: string, data?: unknown): RpcAnswer => ({
      jsonrpc: '2.0',
      id,
      error: data === undefined ? { code, message } : { code, message, data },
    });
    const method = call.method;
    let params = Array.isArray(call.params) ? [...call.params] : [];

    let upstreamHead: bigint | undefined;
    const head = async () => (upstreamHead ??= BigInt((await this.upstream('eth_blockNumber', [])).result as string));
    const lagHead = async () =>
      this.#lag === undefined
        ? undefined
        : (await head()) - BigInt(this.#lag) < 0n
          ? 0n
          : (await head()) - BigInt(this.#lag);
    /** A block parameter as a number; tags resolve to the (lagged) head. */
    const blockOf = async (v: unknown): Promise<bigint | undefined> => {
      if (v === undefined || (typeof v === 'string' && BLOCK_TAGS.has(v))) return (await lagHead()) ?? (await head());
      if (v === 'earliest') return 0n;
      if (typeof v === 'string' && /^0x[0-9a-f]+$/i.test(v)) return BigInt(v);
      return undefined; // a block hash or an object: leave it to upstream
    };

    // lagging: this node's head is behind; it refuses or does not know anything above it.
    const lh = await lagHead();
    if (lh !== undefined) {
      const refuse = () => {
        this.counters.lagRefused++;
        return fail(-32000, 'header not found');
      };
      if (method === 'eth_blockNumber') return { jsonrpc: '2.0', id, result: hex(lh) };
      if (method === 'eth_getBlockByNumber') {
        const n = await blockOf(params[0]);
        if (n !== undefined && n > lh) {
          this.counters.lagRefused++;
          return { jsonrpc: '2.0', id, result: null };
        }
        if (n !== undefined) params[0] = hex(n);
      }
      if (method in STATE_BLOCK_PARAM) {
        const i = STATE_BLOCK_PARAM[method]!;
        const n = await blockOf(params[i]);
        if (n !== undefined && n > lh) return refuse();
        if (n !== undefined) params[i] = hex(n);
      }
      if (method === 'eth_getLogs') {
        const f = { ...(params[0] as Record<string, unknown>) };
        if (f.blockHash === undefined) {
          const to = await blockOf(f.toBlock);
          if (to !== undefined && to > lh) {
            this.counters.lagRefused++;
            return fail(-32000, 'block range extends beyond current head block');
          }
          for (const k of ['fromBlock', 'toBlock'] as const) {
            const n = await blockOf(f[k]);
            if (n !== undefined) f[k] = hex(n);
          }
          params = [f, ...params.slice(1)];
        }
      }
    }

    // range limits of eth_getLogs.
    if (method === 'eth_getLogs' && this.#range.length) {
      const f = (params[0] ?? {}) as Record<string, unknown>;
      if (f.blockHash === undefined) {
        const from = await blockOf(f.fromBlock);
        const to = await blockOf(f.toBlock);
        if (from !== undefined && to !== undefined) {
          for (const r of this.#range) {
            if (to - from + 1n > BigInt(r.maxRange)) {
              this.counters.rangeRefused++;
              const message = r.message
                .replace('{from}', hex(from))
                .replace('{to}', hex(from + BigInt(r.maxRange) - 1n));
              return fail(r.code, message);
            }
          }
        }
      }
    }

    const answer = await this.upstream(method, params);
    if (answer.error) return { jsonrpc: '2.0', id, error: answer.error };
    let result = answer.result;

    // Infura-style result cap, with a correct suggestion: the longest range from `fromBlock` that fits.
    if (
      method === 'eth_getLogs' &&
      this.#results !== undefined &&
      Array.isArray(result) &&
      result.length > this.#results
    ) {
      const max = this.#results;
      const f = (params[0] ?? {}) as Record<string, unknown>;
      const from = (await blockOf(f.fromBlock)) ?? BigInt((result[0] as { blockNumber: string }).blockNumber);
      const firstOver = BigInt((result[max] as { blockNumber: string }).blockNumber);
      const to = firstOver - 1n < from ? from : firstOver - 1n;
      this.counters.resultsRefused++;
      return fail(
        -32005,
        `query returned more than ${max} results. Try with this block range [${hex(from)}, ${hex(to)}].`,
        { from: hex(from), to: hex(to), limit: max },
      );
    }

    // A lagging node does not know transactions mined above its head.
    if (
      lh !== undefined &&
      (method === 'eth_getTransactionByHash' || method === 'eth_getTransactionReceipt') &&
      result &&
      typeof result === 'object'
    ) {
      const bn = (result as { blockNumber?: string | null }).blockNumber;
      if (bn && BigInt(bn) > lh) {
        this.counters.lagRefused++;
        result = null;
      }
    }

    if (this.#lying && ((this.#lying.methods ?? PROFILE_DEFAULTS.lying.methods) as readonly string[]).includes(method))
      result = this.#lie(method, result);
    return { jsonrpc: '2.0', id, result };
  }

  #lie(method: string, result: unknown): unknown {
    const field = this.#lying?.field;
    const alterField = (obj: Record<string, unknown>, fallback: string) => {
      const k = field !== undefined && field in obj ? field : fallback;
      const v = obj[k];
      this.counters.lies++;
      if (Array.isArray(v)) return { ...obj, [k]: v.length ? [alterHex(String(v[0])), ...v.slice(1)] : ['0x01'] };
      return { ...obj, [k]: typeof v === 'string' ? alterHex(v) : '0x01' };
    };
    if (method === 'eth_getLogs' && Array.isArray(result) && result.length > 0) {
      return [alterField(result[0] as Record<string, unknown>, 'data'), ...result.slice(1)];
    }
    if (method === 'eth_getTransactionByHash' && result && typeof result === 'object')
      return alterField(result as Record<string, unknown>, 'input');
    // A header read (transactions as hashes): its `hash`, or the header field `field` names.
    if (
      method === 'eth_getBlockByNumber' &&
      result &&
      typeof result === 'object' &&
      !(result as { transactions?: unknown[] }).transactions?.some((t) => t && typeof t === 'object')
    )
      return alterField(result as Record<string, unknown>, 'hash');
    // A proof (eth_getProof): the first storage proof's `value` by default; `field` = accountProof
    // or proof alters the last node of the account proof / of the first storage proof, storageHash
    // the stated storage root.
    if (method === 'eth_getProof' && result && typeof result === 'object') {
      const r = result as { accountProof: string[]; storageProof: Array<Record<string, unknown>> };
      this.counters.lies++;
      const lastAltered = (nodes: string[]) => [...nodes.slice(0, -1), alterHex(nodes.at(-1) ?? '0x')];
      if (field === 'accountProof') return { ...r, accountProof: lastAltered(r.accountProof) };
      if (field === 'storageHash')
        return { ...r, storageHash: alterHex(String((r as { storageHash?: unknown }).storageHash)) };
      const [first, ...rest] = r.storageProof;
      if (!first) return r;
      const altered =
        field === 'proof'
          ? { ...first, proof: lastAltered(first.proof as string[]) }
          : { ...first, value: alterHex(String(first.value)) };
      return { ...r, storageProof: [altered, ...rest] };
    }
    // A block read with its transactions (the sync's block plan): every transaction's calldata.
    if (
      method === 'eth_getBlockByNumber' &&
      result &&
      typeof result === 'object' &&
      Array.isArray((result as { transactions?: unknown }).transactions)
    ) {
      const b = result as { transactions: unknown[] };
      return {
        ...b,
        transactions: b.transactions.map((t) =>
          t && typeof t === 'object' ? alterField(t as Record<string, unknown>, 'input') : t,
        ),
      };
    }
    if (method === 'eth_getStorageAt' && typeof result === 'string') {
      this.counters.lies++;
      return alterHex(result);
    }
    return result;
  }
}
