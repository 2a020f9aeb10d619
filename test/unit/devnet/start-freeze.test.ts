import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Address, Hex } from 'viem';
import { generatePrivateKey } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devnetChain, devnetClients, type DevnetClients } from '../../../devnet/deploy.js';
import { receiptOf } from '../../../devnet/lib/receipt.js';
import { starkKeyPair } from '../../../src/keys/stark-key.js';
import { starkPerpetualAbi } from '../../../src/l1/abi.js';

// Issue 17 item 5, the process `npm start` runs (devnet/start.ts, batches every 300 ms, one bot):
// a user's forced withdrawal goes unserved, `npm run devnet -- advance-time` moves the chain past
// the grace period, the user freezes the exchange. The process must keep running and serving — if
// it exited, `npm start` would close Chromium — and post nothing more.

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const run = promisify(execFile);

type Ready = { api: string; rpcUrl: string; chainId: number; addresses: { starkPerpetual: Address } };
let child: ChildProcess;
let ready: Ready;
const stdout: string[] = [];
let stderr = '';

beforeAll(async () => {
  child = spawn(process.execPath, ['--import', 'tsx', 'devnet/start.ts', '--bots', '1', '--batch-ms', '300'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  ready = await new Promise<Ready>((resolveReady, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('VIGIL_DEVNET_READY ')) resolveReady(JSON.parse(line.slice('VIGIL_DEVNET_READY '.length)));
      else stdout.push(line);
    });
    child.once('exit', (code) => reject(new Error(`devnet/start.ts exited ${code} before READY: ${stderr}`)));
  });
}, 120_000);
afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
});

const api = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${ready.api}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: (res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as any,
  };
};
const cli = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'devnet/admin.ts', ...args], { cwd: ROOT });
const alive = () => child.exitCode === null && child.signalCode === null;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('npm start’s exchange process through a freeze', () => {
  it('keeps serving after the freeze, posts no batch after it, and stops cleanly on SIGTERM', async () => {
    const user = starkKeyPair(0xf4ee2en);
    const eth: DevnetClients = devnetClients(
      ready.rpcUrl,
      devnetChain(ready.rpcUrl, ready.chainId),
      generatePrivateKey(),
    );
    const sp = { address: ready.addresses.starkPerpetual, abi: starkPerpetualAbi };
    const send = async (functionName: string, args: readonly unknown[]) => {
      const hash = await eth.wallet.writeContract({
        ...sp,
        functionName,
        args,
        account: eth.account,
        chain: eth.wallet.chain,
        gas: 1_000_000n,
      } as never);
      const r = await receiptOf(eth.client, hash as Hex);
      if (r.status !== 'success') throw new Error(`${functionName} reverted`);
    };
    const read = (functionName: string) => eth.client.readContract({ ...sp, functionName } as never) as Promise<bigint>;

    // Connect: test ETH for gas (the user pays for the forced withdrawal and the freeze itself).
    const onboarded = await api('POST', '/v3/onboarding', {
      starkKey: `0x${user.publicKey.toString(16)}`,
      ethereumAddress: eth.account.address,
    });
    expect(onboarded.status).toBe(200);
    expect(await eth.client.getBalance({ address: eth.account.address })).toBeGreaterThan(0n);
    const positionId = BigInt(onboarded.body.account.positionId);
    expect((await api('POST', '/admin/misbehaviour', { ignoreForcedActions: true })).status).toBe(200);
    await send('forcedWithdrawalRequest', [user.publicKey, positionId, 1_000_000n, false]);
    const requested = (await eth.client.getBlock()).timestamp;

    // The documented admin command: bad input refused (exit 1, field, value and range named), then the default.
    const bad = await cli('advance-time', '--api', ready.api, '--seconds', '-5').catch((e) => e);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/seconds: .*1\.\.\d+, got -5/);
    const { stdout: moved } = await cli('advance-time', '--api', ready.api);
    const grace = await read('FREEZE_GRACE_PERIOD');
    expect(BigInt(JSON.parse(moved).advanced.toTimestamp)).toBeGreaterThan(requested + grace);
    expect((await eth.client.getBlock()).timestamp).toBeGreaterThan(requested + grace);

    await send('freezeRequest', [user.publicKey, positionId, 1_000_000n]);
    // The batch loop notices by itself (the admin read does not look at L1).
    const deadline = Date.now() + 15_000;
    while ((await api('GET', '/admin/misbehaviour')).body.frozen === null) {
      expect(alive(), `devnet/start.ts exited: ${stderr}`).toBe(true);
      expect(Date.now()).toBeLessThan(deadline);
      await sleep(100);
    }
    const sequence = await read('getSequenceNumber');
    const batches = (await api('GET', '/v3/batches')).body.batches.length;
    await sleep(1500); // five batch intervals
    expect(alive(), `devnet/start.ts exited: ${stderr}`).toBe(true);
    expect(await read('getSequenceNumber')).toBe(sequence);
    expect((await api('GET', '/v3/batches')).body.batches.length).toBe(batches);
    expect((await api('GET', '/v3/status')).body.status).toBe('FROZEN');
    expect((await api('GET', '/v3/markets')).status).toBe(200);
    expect((await api('GET', '/')).status).toBe(200);
    expect((await cli('status', '--api', ready.api)).stdout).toContain('"FROZEN"');
    expect(stdout.filter((l) => /exchange FROZEN/.test(l))).toHaveLength(1);
    expect(stderr).not.toMatch(/devnet:/);

    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
