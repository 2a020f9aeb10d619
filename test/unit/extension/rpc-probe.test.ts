import { describe, expect, it } from 'vitest';
import { probeRpc } from '../../../extension/background/rpc-probe.js';

// Issue 17: the settings' Test button — chain id and head block, or the reason in one line.

const answering = (results: Record<string, unknown>, status = 200) =>
  (async (_url: string, init: { body: string }) => {
    const { method } = JSON.parse(init.body) as { method: string };
    return new Response(JSON.stringify(results[method]), { status });
  }) as unknown as typeof fetch;

describe('probeRpc', () => {
  it('answers the chain id and the head block', async () => {
    const f = answering({
      eth_chainId: { jsonrpc: '2.0', id: 1, result: '0x1' },
      eth_blockNumber: { jsonrpc: '2.0', id: 1, result: '0x1400000' },
    });
    expect(await probeRpc(f, 'https://rpc.example')).toEqual({ chainId: 1, head: 0x1400000n });
  });
  it('names the call that failed and why', async () => {
    const f = answering({ eth_chainId: { jsonrpc: '2.0', id: 1, error: { code: -32601, message: 'no such method' } } });
    await expect(probeRpc(f, 'https://rpc.example')).rejects.toThrow('eth_chainId: no such method');
    await expect(probeRpc(answering({}, 503), 'https://rpc.example')).rejects.toThrow('eth_chainId: HTTP 503');
  });
  it('refuses what is not an http(s) URL, naming the field', async () => {
    await expect(probeRpc(answering({}), 'ftp://x')).rejects.toThrow(
      'url: "ftp://x" is out of range; expected an http(s) URL',
    );
  });
  it('gives up after the timeout', async () => {
    const never = ((_: string, init: { signal: AbortSignal }) =>
      new Promise((_r, reject) =>
        init.signal.addEventListener('abort', () => reject(new Error('aborted'))),
      )) as unknown as typeof fetch;
    await expect(probeRpc(never, 'http://127.0.0.1:9', 50)).rejects.toThrow('no answer within 0.05 s');
  });
});
