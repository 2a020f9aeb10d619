import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EIP7825_TX_GAS_LIMIT_CAP } from '../../src/index.js';

/**
 * Starts anvil by spawning the native binary of `@foundry-rs/anvil-linux-amd64` directly: the npm
 * wrapper always exits 0 and leaves anvil orphaned when killed (toolchain.md §5). Stopped by PID.
 */
export const ANVIL_BIN = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil',
);

/** anvil's well-known dev accounts #0..#3 (public test keys from the default mnemonic; never use on a real network). */
export const ANVIL_DEV_PRIVATE_KEYS = [
  '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
  '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
  '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a',
  '0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6',
] as const;

/** EIP-7825 (Osaka): no transaction may use more than 2^24 gas; the cap src/l1 sends exits under. */
export const EIP7825_TX_GAS_CAP = EIP7825_TX_GAS_LIMIT_CAP;
/** Mainnet's block gas limit since early 2026 (45 M; only an upper bound matters to the devnet). */
export const MAINNET_BLOCK_GAS_LIMIT = 45_000_000n;

/**
 * anvil under the current mainnet rules (issue 16): the Osaka hardfork, a mainnet-sized block gas
 * limit and EIP-7825's per-transaction cap, which anvil 1.7.1 enforces only when asked
 * (`--enable-tx-gas-limit`): a transaction declaring more than 2^24 gas is refused with "intrinsic
 * gas too high". So whatever passes on the devnet fits a mainnet transaction, the escape included
 * (PerpetualEscapeVerifier with lookup tables, l1-data-tree.md §4.6).
 */
export const MAINNET_RULES_ANVIL_ARGS: readonly string[] = [
  '--hardfork',
  'osaka',
  '--gas-limit',
  String(MAINNET_BLOCK_GAS_LIMIT),
  '--enable-tx-gas-limit',
];

export type AnvilInstance = {
  rpcUrl: string;
  port: number;
  pid: number;
  chainId: number;
  /** Kills anvil by PID and resolves when it has exited. Safe to call twice. */
  stop(): Promise<void>;
};

export type StartAnvilOptions = {
  /** Loopback port; a free one by default. */
  port?: number;
  chainId?: number;
  /** Seconds per block; by default anvil mines one block per transaction. */
  blockTime?: number;
  /** Extra command-line flags. */
  args?: string[];
  /** Milliseconds to wait for the RPC to answer. */
  startTimeoutMs?: number;
};

export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export async function startAnvil(options: StartAnvilOptions = {}): Promise<AnvilInstance> {
  if (!existsSync(ANVIL_BIN)) throw new Error(`anvil binary not found at ${ANVIL_BIN}: run npm ci`);
  const port = options.port ?? (await freeLoopbackPort());
  const chainId = options.chainId ?? 31337;
  const args = ['--host', '127.0.0.1', '--port', String(port), '--chain-id', String(chainId), '--silent'];
  if (options.blockTime !== undefined) args.push('--block-time', String(options.blockTime));
  args.push(...(options.args ?? []));
  // anvil keeps historical states on disk under $HOME/.foundry/anvil/tmp and removes them only on a
  // clean exit: a killed instance leaked them (tens of GB over many runs). Each instance gets a
  // HOME of its own, removed whenever it exits.
  const home = mkdtempSync(join(tmpdir(), 'vigil-anvil-home-'));
  const child: ChildProcess = spawn(ANVIL_BIN, args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, HOME: home },
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const exited = new Promise<number | null>((r) =>
    child.once('exit', (code) => {
      rmSync(home, { recursive: true, force: true });
      r(code);
    }),
  );
  const rpcUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 15_000);
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`anvil exited with code ${child.exitCode} before answering: ${stderr.trim()}`);
    try {
      const res = await fetch(rpcUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
      });
      const body = (await res.json()) as { result?: string };
      if (body.result && Number(body.result) === chainId) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `anvil did not answer on ${rpcUrl} within ${options.startTimeoutMs ?? 15_000} ms: ${stderr.trim()}`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { rpcUrl, port, pid: child.pid!, chainId, stop };
}
