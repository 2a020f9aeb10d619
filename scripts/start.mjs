#!/usr/bin/env node
// `npm start`: set-up, build, then the local exchange and Chromium with Vigil:
//   1. anvil + the devnet contracts + the operator (API, demo page, bots) — devnet/start.ts, in a
//      child process that starts anvil itself and prints one READY line with what runs where;
//   2. Debian Chromium with Vigil loaded into a fresh profile, showing the demo page — a window when
//      a display is available (e.g. `xvfb-run npm start`), headless otherwise.
// Ports: `npm start -- --port 8080 --anvil-port 8545` (or VIGIL_OPERATOR_PORT / VIGIL_ANVIL_PORT);
// free ones by default. Also --bots N (3) and --batch-ms N (5000). `npm start -- --frozen`: the
// exchange in dYdX v3's situation — some history, the operator stops, a forced withdrawal goes
// unserved, the exchange is frozen; the operator's API then serves (untrusted) escape files.
// Ctrl-C (SIGINT/SIGTERM) stops everything it started; if one part dies, the rest is stopped
// with a message saying which part and why.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { configureVigil } from './configure-vigil.mjs';
import { ensureChromium, ensureNodeModules, ROOT, run, step } from './setup.mjs';

const FORWARDED = ['--port', '--anvil-port', '--bots', '--batch-ms'];
const SWITCHES = ['--frozen'];
const devnetArgs = [];
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (SWITCHES.includes(a)) {
    devnetArgs.push(a);
    continue;
  }
  if (!FORWARDED.includes(a) || process.argv[i + 1] === undefined)
    exit(2, `unknown argument ${a}; known: ${[...FORWARDED.map((f) => `${f} N`), ...SWITCHES].join(', ')}`);
  devnetArgs.push(a, process.argv[++i]);
}

if (!ensureChromium()) exit(1, 'could not install Debian chromium (apt-get install chromium)');
if (!ensureNodeModules()) exit(1, 'npm ci failed');
step('build the extension into dist/');
if (run('node', ['scripts/build.mjs']) !== 0) exit(1, 'the build failed');

let stopping = false;
let context;
let devnet;
let ready;
let profile;

// Whatever happens, never leave our anvil behind (it is the devnet's child; killed by its PID).
process.on('exit', () => {
  if (devnet && devnet.exitCode === null && devnet.signalCode === null) devnet.kill('SIGKILL');
  if (ready?.anvilPid) {
    try {
      process.kill(ready.anvilPid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  if (profile) rmSync(profile, { recursive: true, force: true });
});
process.on('SIGINT', () => stop(0, 'Stopping (SIGINT)...'));
process.on('SIGTERM', () => stop(0, 'Stopping (SIGTERM)...'));

step('start anvil, deploy the exchange contracts, seed the bots, start the operator (devnet/start.ts)');
devnet = spawn(process.execPath, ['--import', 'tsx', 'devnet/start.ts', ...devnetArgs], {
  cwd: ROOT,
  stdio: ['ignore', 'pipe', 'inherit'],
});
devnet.on('exit', (code, signal) => {
  if (stopping) return;
  stop(
    1,
    `The local exchange (devnet/start.ts) exited ${signal ? `on ${signal}` : `with code ${code}`}; stopping Chromium and everything else.`,
  );
});
ready = await new Promise((resolve) => {
  const lines = createInterface({ input: devnet.stdout });
  lines.on('line', (line) => {
    if (line.startsWith('VIGIL_DEVNET_READY ')) resolve(JSON.parse(line.slice('VIGIL_DEVNET_READY '.length)));
    else console.log(line);
  });
  devnet.once('exit', () => resolve(undefined));
});
if (!ready) await stop(1, 'The local exchange did not start (see the errors above).');

const { chromium } = await import('playwright-core');
const headed = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
const extensionDir = join(ROOT, 'dist');
profile = mkdtempSync(join(tmpdir(), 'vigil-start-'));
step(
  headed ? `launching Chromium on display ${process.env.DISPLAY ?? process.env.WAYLAND_DISPLAY}` : 'launching Chromium',
);
if (!headed) {
  console.log(
    'No display found (DISPLAY is not set): running Chromium HEADLESS. For a window, run `xvfb-run npm start`',
  );
  console.log(
    'under a virtual display, or run it from a desktop session; or load dist/ into your own Chromium (see README).',
  );
}
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/lib/chromium/chromium',
    headless: !headed,
    viewport: null,
    args: [
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      '--no-sandbox',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
    ],
  });
} catch (err) {
  await stop(1, `Chromium did not start: ${err.message}`);
}
context.on('close', () => stop(stopping ? 0 : 1, 'Chromium closed; stopping the local exchange.'));
const sw =
  context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://')) ??
  (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
const extensionId = new URL(sw.url()).host;
// The onboarding tab Vigil opens on install stays: it is where the user creates the wallet.
const dashboard = context.pages().find((p) => !p.url().includes('/ui/onboarding.html')) ?? (await context.newPage());
// Point Vigil's verifier at the devnet: the same settings a user enters on the dashboard.
const configured = await configureVigil(dashboard, extensionId, ready.vigilSettings);
if (!configured?.ok)
  console.log(`Vigil's verifier could not be configured for the devnet: ${configured?.error?.message ?? 'no answer'}`);
const demo = await context.newPage();
await demo.goto(ready.demo);

console.log('\nVigil and the local exchange are running:');
console.log(
  `  demo trading page  ${ready.demo}   (connect Vigil there: 100000 test USDC deposited, 10 test ETH for L1 gas)`,
);
console.log(`  operator API       ${ready.api}/v3/markets, /v3/orderbook/ETH-USD, /v3/batches, /v3/status, …`);
console.log(`  admin (tests)      ${ready.admin}   (misbehaviour switches), ${ready.api}/admin/close-batch`);
console.log(`  advance time       npm run devnet -- advance-time --api ${ready.api}   [--seconds N]`);
console.log(`                     (= curl -X POST ${ready.advanceTime}; default: just past the freeze grace period)`);
console.log(`  anvil (L1)         ${ready.rpcUrl}   chain id ${ready.chainId}, pid ${ready.anvilPid}`);
console.log(`  StarkPerpetual     ${ready.addresses.starkPerpetual}   (USDC ${ready.addresses.usdc})`);
console.log(`  bots               ${ready.bots} trading on BTC-USD, ETH-USD, SOL-USD`);
console.log(`  extension id       ${extensionId}   (files ${extensionDir})`);
console.log(
  `  dashboard          chrome-extension://${extensionId}/ui/dashboard.html   (${configured?.ok ? 'verifier following the devnet from block 0' : 'verifier NOT configured'})`,
);
console.log(`  profile            ${profile} (fresh; removed on exit)`);
console.log(`  mode               ${headed ? 'headed' : 'headless'}`);
console.log('In Vigil: create or import an account, then use the demo page. Press Ctrl-C to stop everything.');

async function stop(code, reason) {
  if (stopping) return;
  stopping = true;
  if (reason) console.log(`\n${reason}`);
  const devnetExited =
    devnet && devnet.exitCode === null && devnet.signalCode === null
      ? new Promise((r) => {
          devnet.once('exit', r);
          devnet.kill('SIGTERM');
        })
      : Promise.resolve();
  await Promise.race([
    Promise.all([context?.close().catch(() => {}), devnetExited]),
    new Promise((r) => setTimeout(r, 8000)),
  ]);
  process.exit(code);
}

function exit(code, message) {
  console.error(`npm start: ${message}`);
  process.exit(code);
}
