// The local exchange as a process: `node --import tsx devnet/start.ts [--port N] [--anvil-port N]
// [--bots N] [--batch-ms N] [--frozen]`. Starts anvil, deploys, seeds the bots, runs the operator with its API
// and demo page, prints one line `VIGIL_DEVNET_READY {json}` (what runs where) and runs until
// SIGINT/SIGTERM. `--frozen` (issue 16): after some history the operator stops, a forced
// withdrawal goes unserved and the exchange is frozen (devnet/operator/freeze.ts); the READY line
// then carries `frozen`. A freeze while running (issue 17: a forced request left unserved, the admin's
// advance-time, a freezeRequest) is not a failure: the operator stops posting and matching, the bots
// stop, and the API, admin endpoint and demo page keep serving (GET /v3/status says FROZEN). If any
// part fails (anvil dies, a batch cannot be posted) it stops everything it started and exits 1 with
// the reason on stderr. Used by `npm start` (scripts/start.mjs).
import { toTaggedJson } from '../src/index.js';
import { startExchangeDevnet, type ExchangeDevnet } from './exchange-devnet.js';
import { freezeDevnet, type FrozenDevnet } from './operator/freeze.js';

function flag(name: string, env: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const raw = i >= 0 ? process.argv[i + 1] : process.env[env];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0 || n > 65535 * 1000)
    throw new Error(`--${name} / ${env}: expected a non-negative integer, got ${JSON.stringify(raw)}`);
  return n;
}

let net: ExchangeDevnet | undefined;
let stopping = false;

async function stop(code: number, reason?: string): Promise<never> {
  if (!stopping) {
    stopping = true;
    if (reason) console.error(reason);
    await Promise.race([net?.stop(), new Promise((r) => setTimeout(r, 5000))]).catch(() => {});
  }
  process.exit(code);
}

process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
process.on('uncaughtException', (err) => void stop(1, `devnet: ${err.stack ?? err}`));
process.on('unhandledRejection', (err) => void stop(1, `devnet: ${(err as Error)?.stack ?? err}`));

const log = (line: string) => console.log(`[operator] ${line}`);
const frozenMode = process.argv.includes('--frozen');
let frozen: FrozenDevnet | undefined;
try {
  net = await startExchangeDevnet({
    port: flag('port', 'VIGIL_OPERATOR_PORT', 0),
    anvilPort: flag('anvil-port', 'VIGIL_ANVIL_PORT', 0) || undefined,
    bots: Math.max(frozenMode ? 1 : 0, flag('bots', 'VIGIL_BOTS', 3)),
    // Frozen: the history is made here, step by step, then nothing moves.
    batchIntervalMs: frozenMode ? 0 : flag('batch-ms', 'VIGIL_BATCH_MS', 5000),
    botIntervalMs: frozenMode ? 0 : 1000,
    log,
  });
  if (frozenMode) {
    const bots = net.operator.bots!;
    for (let batch = 0; batch < 3; batch++) {
      for (let i = 0; i < 50; i++) bots.step();
      await net.operator.closeBatch();
    }
    frozen = await freezeDevnet(net.operator);
    log(`frozen after batch ${frozen.lastSequenceNumber} (freezeRequest ${frozen.freezeTx})`);
    await net.operator.checkFrozen('--frozen: freezeRequest sent at start');
  }
} catch (err) {
  await stop(1, `devnet: could not start: ${(err as Error).stack ?? err}`);
}
const { anvil, deployment, server, operator } = net!;
console.log(
  `VIGIL_DEVNET_READY ${JSON.stringify({
    rpcUrl: anvil.rpcUrl,
    anvilPid: anvil.pid,
    chainId: anvil.chainId,
    api: server!.url,
    demo: `${server!.url}/`,
    admin: `${server!.url}/admin/misbehaviour`,
    advanceTime: `${server!.url}/admin/advance-time`,
    status: `${server!.url}/v3/status`,
    addresses: deployment.addresses,
    bots: operator.bots?.bots.length ?? 0,
    ...(frozen ? { frozen: toTaggedJson(frozen) } : {}),
    // What Vigil's verifier needs to follow this exchange from its genesis state: npm start hands
    // it to the extension (scripts/configure-vigil.mjs).
    vigilSettings: net!.vigilSettings(),
  })}`,
);

// Watch the parts: anvil alive, the batch loop not failed.
setInterval(() => {
  if (stopping) return;
  try {
    process.kill(anvil.pid, 0);
  } catch {
    void stop(1, `devnet: anvil (pid ${anvil.pid}) exited unexpectedly; stopping the operator`);
    return;
  }
  if (operator.failure) void stop(1, `devnet: the operator stopped posting batches: ${operator.failure.message}`);
}, 500);
