import { RangeCheckError } from '../../src/index.js';

/*
 * The settings form's "Test" button (issue 17): one RPC asked for its chain id and head block, the
 * answer or the reason in one line. `fetch` is passed in (the service worker's; a test's stub).
 */

export type RpcProbe = { chainId: number; head: bigint };

const HTTP_URL = /^https?:\/\/[^\s/]+(\/\S*)?$/;

async function rpcCall(fetchFn: typeof fetch, url: string, method: string, signal: AbortSignal): Promise<string> {
  const res = await fetchFn(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: [] }),
    signal,
  });
  if (!res.ok) throw new Error(`${method}: HTTP ${res.status} ${res.statusText}`.trim());
  const body = (await res.json().catch(() => undefined)) as
    | { result?: unknown; error?: { message?: unknown } }
    | undefined;
  if (body?.error) throw new Error(`${method}: ${String(body.error.message ?? 'error')}`);
  if (typeof body?.result !== 'string' || !/^0x[0-9a-fA-F]{1,64}$/.test(body.result))
    throw new Error(`${method}: not a JSON-RPC answer with a hex result`);
  return body.result;
}

/** eth_chainId and eth_blockNumber on `url`, within `timeoutMs`; an error says which call failed and why. */
export async function probeRpc(fetchFn: typeof fetch, url: unknown, timeoutMs = 10_000): Promise<RpcProbe> {
  if (typeof url !== 'string' || !HTTP_URL.test(url.trim())) throw new RangeCheckError('url', url, 'an http(s) URL');
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const chainId = await rpcCall(fetchFn, url.trim(), 'eth_chainId', controller.signal);
    const head = await rpcCall(fetchFn, url.trim(), 'eth_blockNumber', controller.signal);
    return { chainId: Number(BigInt(chainId)), head: BigInt(head) };
  } catch (err) {
    if (controller.signal.aborted) throw new Error(`no answer within ${timeoutMs / 1000} s`);
    throw err instanceof TypeError
      ? new Error(`unreachable (${err.message}; no CORS headers or host not granted?)`)
      : err;
  } finally {
    clearTimeout(timer);
  }
}
