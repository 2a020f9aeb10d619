import { startLyingRpcProxy } from '../../helpers/lying-rpc-proxy.js';

/**
 * The lying RPC of issue 9's acceptance ("alters one log or one calldata byte"), as a result
 * rewrite over the one loopback lying proxy (test/helpers/lying-rpc-proxy.ts).
 */
export type RpcRewrite = (method: string, params: unknown[], result: unknown) => unknown;

export type RpcProxy = {
  url: string;
  rewrite: RpcRewrite | undefined /** Added latency per request, ms. */;
  delayMs: number;
  stop(): Promise<void>;
};

export async function startRpcProxy(target: string): Promise<RpcProxy> {
  const proxy = await startLyingRpcProxy(target);
  let rewrite: RpcRewrite | undefined;
  proxy.lie = (call, answer) =>
    rewrite && 'result' in answer ? { result: rewrite(call.method, call.params, answer.result) } : undefined;
  return {
    url: proxy.url,
    get rewrite() {
      return rewrite;
    },
    set rewrite(f) {
      rewrite = f;
    },
    get delayMs() {
      return proxy.delayMs;
    },
    set delayMs(ms) {
      proxy.delayMs = ms;
    },
    stop: () => proxy.close(),
  };
}

/** Flips the last hex digit of one byte at `byteOffset` (from the end when negative) of a 0x string. */
export function flipByte(hex: string, byteOffset: number): string {
  const bytes = (hex.length - 2) / 2;
  const at = byteOffset < 0 ? bytes + byteOffset : byteOffset;
  const i = 2 + at * 2 + 1;
  const d = parseInt(hex[i]!, 16) ^ 1;
  return hex.slice(0, i) + d.toString(16) + hex.slice(i + 1);
}
