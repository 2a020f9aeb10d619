#!/usr/bin/env node
// `npm start`: set-up, build, then Debian Chromium with Vigil loaded into a fresh profile — a
// window when a display is available (e.g. `xvfb-run npm start`), headless otherwise.
// Stops with Ctrl-C (SIGINT/SIGTERM), cleaning up everything it started.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureChromium, ensureNodeModules, ROOT, run, step } from './setup.mjs';

if (!ensureChromium()) exit(1, 'could not install Debian chromium (apt-get install chromium)');
if (!ensureNodeModules()) exit(1, 'npm ci failed');
step('build the extension into dist/');
if (run('node', ['scripts/build.mjs']) !== 0) exit(1, 'the build failed');

const { chromium } = await import('playwright-core');
const headed = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
const extensionDir = join(ROOT, 'dist');
const profile = mkdtempSync(join(tmpdir(), 'vigil-start-'));
// However we end (Ctrl-C, Chromium closing, a crash), the fresh profile goes with us.
process.on('exit', () => rmSync(profile, { recursive: true, force: true }));
step(headed ? `launching Chromium on display ${process.env.DISPLAY ?? process.env.WAYLAND_DISPLAY}` : 'launching Chromium');
if (!headed) {
  console.log('No display found (DISPLAY is not set): running Chromium HEADLESS. For a window, run `xvfb-run npm start`');
  console.log('under a virtual display, or run it from a desktop session; or load dist/ into your own Chromium (see README).');
}

const context = await chromium.launchPersistentContext(profile, {
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
const sw = context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://')) ?? (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
const extensionId = new URL(sw.url()).host;
const page = context.pages()[0] ?? (await context.newPage());
await page.goto(`chrome-extension://${extensionId}/ui/dashboard.html`);

console.log('\nVigil is running:');
console.log(`  extension id     ${extensionId}`);
console.log(`  extension files  ${extensionDir}`);
console.log(`  profile          ${profile} (fresh; removed on exit)`);
console.log(`  dashboard        chrome-extension://${extensionId}/ui/dashboard.html`);
console.log(`  mode             ${headed ? 'headed' : 'headless'}`);
console.log('The local exchange (devnet) is not part of npm start yet. Press Ctrl-C to stop.');

let stopping = false;
async function stop(code, reason) {
  if (stopping) return;
  stopping = true;
  if (reason) console.log(`\n${reason}`);
  await Promise.race([context.close().catch(() => {}), new Promise((r) => setTimeout(r, 5000))]);
  process.exit(code);
}
process.on('SIGINT', () => stop(0, 'Stopping (SIGINT)...'));
process.on('SIGTERM', () => stop(0, 'Stopping (SIGTERM)...'));
context.on('close', () => stop(0, 'Chromium closed; stopping.'));

function exit(code, message) {
  console.error(`npm start: ${message}`);
  process.exit(code);
}
