#!/usr/bin/env node
// `npm test`: set-up, typecheck, format and lint, build, unit tests (vitest) and end-to-end tests (Playwright with
// Debian Chromium and dist/ loaded). Writes test-results/vitest.json and test-results/playwright.json
// and ends with one line `N passed, M failed` summing both runners. Exits non-zero on any failure.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { ensureChromium, ensureNodeModules, ROOT, run, step } from './setup.mjs';

process.env.NO_COLOR = '1';
process.env.FORCE_COLOR = '0';
const RESULTS = `${ROOT}/test-results`;
const bin = (name) => `${ROOT}/node_modules/.bin/${name}`;
let setupFailures = 0;
const notes = [];

const fail = (what) => {
  setupFailures++;
  notes.push(`FAILED: ${what}`);
  console.error(`FAILED: ${what}`);
};

if (!ensureChromium()) fail('installing Debian chromium');
if (!ensureNodeModules()) {
  fail('npm ci');
  finish(0, 0, 0);
}

step('typecheck (src, workers, extension, tests)');
for (const project of ['src', 'workers', 'extension', '.']) {
  if (run(bin('tsc'), ['-p', project]) !== 0)
    fail(`typecheck of ${project === '.' ? 'tests, bench and devnet' : project}/`);
}

step('format and lint (Biome: biome.jsonc)');
// `biome ci` fails on any file the formatter would change and on any lint error; `npm run format` fixes the former.
if (run(bin('biome'), ['ci', '--max-diagnostics=50', '.']) !== 0)
  fail('format and lint (npm run format, then fix what the linter names)');

step('build the extension into dist/');
const built = run('node', ['scripts/build.mjs']) === 0;
if (!built) fail('build');

mkdirSync(RESULTS, { recursive: true });
for (const f of ['vitest.json', 'playwright.json']) rmSync(`${RESULTS}/${f}`, { force: true });

step('unit tests (vitest)');
run(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile=${RESULTS}/vitest.json`]);
const unit = readVitest(`${RESULTS}/vitest.json`);

let e2e = { passed: 0, failed: 0, skipped: 0 };
if (built) {
  step('end-to-end tests (Playwright, Debian chromium, dist/)');
  run(bin('playwright'), ['test'], { env: { ...process.env, PW_JSON: `${RESULTS}/playwright.json` } });
  e2e = readPlaywright(`${RESULTS}/playwright.json`);
} else {
  notes.push('end-to-end tests not run: the build failed');
  e2e.failed = 1;
}

step('summary');
console.log(`unit (vitest): ${unit.passed} passed, ${unit.failed} failed, ${unit.skipped} skipped`);
console.log(`end-to-end (playwright): ${e2e.passed} passed, ${e2e.failed} failed, ${e2e.skipped} skipped`);
finish(unit.passed + e2e.passed, unit.failed + e2e.failed + setupFailures, unit.skipped + e2e.skipped);

function finish(passed, failed, skipped) {
  for (const n of notes) console.log(n);
  console.log(
    skipped > 0 ? `${passed} passed, ${failed} failed, ${skipped} skipped` : `${passed} passed, ${failed} failed`,
  );
  process.exit(failed > 0 || passed === 0 ? 1 : 0);
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

function readVitest(file) {
  const r = readJson(file);
  if (!r) {
    notes.push(`vitest wrote no report at ${file}`);
    return { passed: 0, failed: 1, skipped: 0 };
  }
  // A test file that fails to load has no test results of its own: count it as a failure.
  const brokenFiles = (r.testResults ?? []).filter(
    (f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0,
  ).length;
  return {
    passed: r.numPassedTests ?? 0,
    failed: (r.numFailedTests ?? 0) + brokenFiles,
    skipped: (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0),
  };
}

function readPlaywright(file) {
  const r = readJson(file);
  if (!r?.stats) {
    notes.push(`playwright wrote no report at ${file}`);
    return { passed: 0, failed: 1, skipped: 0 };
  }
  const { expected = 0, unexpected = 0, flaky = 0, skipped = 0 } = r.stats;
  const loadErrors = (r.errors ?? []).length; // e.g. a spec file that does not compile
  return { passed: expected + flaky, failed: unexpected + loadErrors, skipped };
}
