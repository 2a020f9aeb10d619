// Set-up shared by `npm test` and `npm start`: what a fresh machine lacks is installed here, using
// only Node built-ins (nothing from node_modules can be imported before `npm ci` has run).
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CHROMIUM = '/usr/bin/chromium';

/** Runs a command with inherited output; returns its exit code (never throws). */
export function run(cmd, args, options = {}) {
  const res = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', ...options });
  if (res.error) {
    console.error(`could not run ${cmd}: ${res.error.message}`);
    return 127;
  }
  return res.status ?? 1;
}

export function step(title) {
  console.log(`\n== ${title}`);
}

/** Debian's chromium, installed with apt-get when /usr/bin/chromium is missing. */
export function ensureChromium() {
  if (existsSync(CHROMIUM)) return true;
  step('installing Debian chromium (apt-get)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (run('apt-get', ['update', '-qq'], { env }) !== 0) return false;
  if (run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], { env }) !== 0) return false;
  return existsSync(CHROMIUM);
}

/** `npm ci` when node_modules is missing or older than package-lock.json. */
export function ensureNodeModules() {
  const lock = `${ROOT}/package-lock.json`;
  const marker = `${ROOT}/node_modules/.package-lock.json`; // npm rewrites it on every install
  const fresh = existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs;
  if (fresh) return true;
  step('npm ci (node_modules missing or older than package-lock.json)');
  return run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error']) === 0;
}
