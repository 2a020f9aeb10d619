import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeRpc } from '../../../extension/background/rpc-probe.js';
import { startAnvil, type AnvilInstance } from '../../../devnet/lib/anvil.js';

// Issue 17: the settings' Test button — chain id and head block, or the reason in one line.
// anvil answers; a loopback server plays the endpoints that fail (an error answer, HTTP 503, silence).

let anvil: AnvilInstance;
let failing: Server;
let failingUrl: string;

beforeAll(async () => {
  anvil = await startAnvil();
  failing = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (req.url === '/silent') return; // never answers
      if (req.url === '/503') {
        res.writeHead(503).end('busy');
        return;
      }
      const { id } = JSON.parse(body) as { id: number };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ jsonrpc: '2.0', id, error: { code: -32601, message: 'no such method' } }));
    });
  });
  await new Promise<void>((r) => failing.listen(0, '127.0.0.1', r));
  const address = failing.address();
  failingUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(async () => {
  failing?.closeAllConnections();
  await new Promise((r) => failing?.close(r));
  await anvil?.stop();
});

describe('probeRpc', () => {
  it('answers the chain id and the head block', async () => {
    await fetch(anvil.rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'anvil_mine', params: ['0x5'] }),
    });
    expect(await probeRpc(anvil.rpcUrl)).toEqual({ chainId: anvil.chainId, head: 5n });
  });
  it('names the call that failed and why', async () => {
    await expect(probeRpc(`${failingUrl}/`)).rejects.toThrow(/^eth_chainId: .*no such method/);
    await expect(probeRpc(`${failingUrl}/503`)).rejects.toThrow(/^eth_chainId: .*503/);
  });
  it('refuses what is not an http(s) URL, naming the field', async () => {
    await expect(probeRpc('ftp://x')).rejects.toThrow('url: "ftp://x" is out of range; expected an http(s) URL');
  });
  it('gives up after the timeout', async () => {
    await expect(probeRpc(`${failingUrl}/silent`, 200)).rejects.toThrow(/^eth_chainId: .*(timed out|timeout)/i);
  });
});
