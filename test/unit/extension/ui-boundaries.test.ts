import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Issue 14, static checks of the extension's structure:
 * - pages render; they never open IndexedDB nor build trees: no page module reaches (directly or
 *   through what it imports at run time) src/tree, idb, the verifier's store or
 *   extension/background, and no file under extension/ui imports extension/background at all, not
 *   even a type. The op table's type reaches ui/api.ts `call` through the channel's contract,
 *   extension/shared/ops-contract.ts, a type-only file (erased at build).
 * - the service worker has exactly one chrome.runtime.onMessage listener.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const rel = (p: string) => relative(ROOT, p).replaceAll('\\', '/');

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name), ext) : ext.test(e.name) ? [join(dir, e.name)] : [],
  );
}

type Import = { spec: string; typeOnly: boolean };
/** import … from '…', export … from '…', import '…', import('…'); `import type` / `export type` marked. */
function importsOf(source: string): Import[] {
  const out: Import[] = [];
  const re =
    /(?:^|[;\n])\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of source.matchAll(re))
    out.push(m[4] !== undefined ? { spec: m[4], typeOnly: false } : { spec: m[3]!, typeOnly: m[2] !== undefined });
  return out;
}

function resolveLocal(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = resolve(dirname(from), spec).replace(/\.js$/, '');
  for (const c of [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]) if (existsSync(c)) return c;
  return null;
}

const FORBIDDEN: Array<[RegExp, string]> = [
  [/^src\/tree\//, 'src/tree (pages never build trees)'],
  [/^extension\/background\//, 'extension/background (service worker code)'],
  [/^extension\/shared\/sync-db\.ts$/, 'the verifier store (pages never open IndexedDB)'],
  [/^extension\/background\/exit-db\.ts$/, 'the exit store (pages never open IndexedDB)'],
];
const CONTRACT = 'extension/shared/ops-contract.ts';

/** Every module a page loads at run time, with the chain that led there; and its type-only imports of background code. */
function walk(entry: string): { problems: string[] } {
  const problems: string[] = [];
  const seen = new Set<string>();
  const visit = (file: string, chain: string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const imp of importsOf(readFileSync(file, 'utf8'))) {
      if (!imp.spec.startsWith('.')) {
        if (!imp.typeOnly && /^idb(\/|$)/.test(imp.spec))
          problems.push(`${[...chain, rel(file)].join(' → ')} imports "${imp.spec}" (pages never open IndexedDB)`);
        continue;
      }
      const target = resolveLocal(file, imp.spec);
      if (!target) continue;
      const r = rel(target);
      if (imp.typeOnly) {
        // Erased at build; still, a page takes background types only through the contract.
        if (r.startsWith('extension/background/'))
          problems.push(`${rel(file)}: import type from ${r}; pages take the op table's type from ${CONTRACT}`);
        continue;
      }
      const bad = FORBIDDEN.find(([re]) => re.test(r));
      if (bad) problems.push(`${[...chain, rel(file)].join(' → ')} → ${r}: ${bad[1]}`);
      else visit(target, [...chain, rel(file)]);
    }
  };
  visit(entry, []);
  return { problems };
}

describe('extension structure (issue 14)', () => {
  it('the import scanner sees value and type imports apart', () => {
    expect(
      importsOf(
        "import type { Ops } from '../shared/ops-contract.js';\nimport { call } from './api.js';\nimport './x.js';\nexport { y } from '../y.js';",
      ),
    ).toEqual([
      { spec: '../shared/ops-contract.js', typeOnly: true },
      { spec: './api.js', typeOnly: false },
      { spec: './x.js', typeOnly: false },
      { spec: '../y.js', typeOnly: false },
    ]);
  });

  it('no page reaches src/tree, idb, the stores or extension/background at run time', () => {
    const pages = files(join(ROOT, 'extension/ui'), /\.tsx?$/);
    expect(pages.length).toBeGreaterThan(5);
    const problems = pages.flatMap((p) => walk(p).problems);
    expect([...new Set(problems)]).toEqual([]);
  });

  it('the page client takes the op table as a type, from the channel contract, which holds only types', () => {
    const api = importsOf(readFileSync(join(ROOT, 'extension/ui/api.ts'), 'utf8'));
    expect(api.filter((i) => i.spec.includes('ops-contract') || i.spec.includes('background'))).toEqual([
      { spec: '../shared/ops-contract.js', typeOnly: true },
    ]);
    const contract = readFileSync(join(ROOT, CONTRACT), 'utf8');
    expect(importsOf(contract)).toEqual([{ spec: '../background/ops/index.js', typeOnly: true }]);
    // Nothing but type re-exports: no value can ride along into a page.
    expect(
      contract
        .replace(/\/\*\*[\s\S]*?\*\//g, '')
        .trim()
        .split('\n'),
    ).toEqual(["export type { Ops, OpName } from '../background/ops/index.js';"]);
  });

  it('the service worker registers exactly one chrome.runtime.onMessage listener', () => {
    const sources = files(join(ROOT, 'extension/background'), /\.tsx?$/);
    const found = sources.flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/chrome\.runtime\.onMessage\.addListener\s*\(/g)].map(() => rel(f)),
    );
    expect(found).toEqual(['extension/background/index.ts']);
  });

  it('the onboarding tab is opened in exactly one place: one onInstalled listener, on reason "install"', () => {
    const sources = [...files(join(ROOT, 'extension'), /\.tsx?$/), ...files(join(ROOT, 'src'), /\.ts$/)];
    const listeners = sources.flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/onInstalled\.addListener\s*\(/g)].map(() => rel(f)),
    );
    expect(listeners).toEqual(['extension/background/index.ts']);
    const opens = sources.flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/ui\/onboarding\.html/g)].map(() => rel(f)),
    );
    // The service worker opens it; the sender policy lists it (createVault and status only).
    expect(opens.sort()).toEqual(['extension/background/index.ts', 'src/wallet/sender-policy.ts']);
    const sw = readFileSync(join(ROOT, 'extension/background/index.ts'), 'utf8');
    const listener = sw.slice(sw.indexOf('onInstalled.addListener'));
    expect(listener.slice(0, listener.indexOf('\n});'))).toMatch(
      /reason === chrome\.runtime\.OnInstalledReason\.INSTALL\)\s*void chrome\.tabs\.create\(\{ url: chrome\.runtime\.getURL\('ui\/onboarding\.html'\) \}\)/,
    );
    expect(readFileSync(join(ROOT, 'vite.config.ts'), 'utf8')).toContain(
      "onboarding: r('./extension/ui/onboarding.html')",
    );
  });
});
