import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The layout's one-way rules (DESIGN.md §2–3, issue 14), checked statically over the sources:
 * `src/` is the core and knows nothing above it; `workers/` are generic hashing workers over
 * `src/`, not an extension context; the extension ships no benchmark, devnet or test code. A rule
 * broken in code is cheaper to catch here than in a bundle or a review.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

type Edge = { file: string; spec: string; target: string };

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|tsx|mts|js|mjs|html)$/.test(e.name))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

/**
 * Every relative module reference of a file: static and dynamic imports, re-exports, worker
 * entries (`new URL('…', import.meta.url)`, which a bundler follows like an import) and HTML
 * `src=`. Bare specifiers (npm packages) are not layout edges.
 */
const REFERENCE = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\bnew\s+URL\(\s*|\bsrc=)['"](\.{1,2}\/[^'"]*)['"]/g;

function edges(dir: string): Edge[] {
  return sources(dir).flatMap((file) =>
    [...readFileSync(join(ROOT, file), 'utf8').matchAll(REFERENCE)].map((m) => ({
      file,
      spec: m[1]!,
      target: relative(ROOT, resolve(ROOT, dirname(file), m[1]!)),
    })),
  );
}

/** The edges out of `dir` into any of `forbidden` (top-level folders), as "file: specifier" lines. */
function violations(dir: string, forbidden: string[]): string[] {
  return edges(dir)
    .filter((e) => forbidden.some((f) => e.target === f || e.target.startsWith(f + sep)))
    .map((e) => `${e.file}: ${e.spec}`);
}

describe('layout: no upward or sideways imports', () => {
  it('sees the imports it checks (the scanner is not blind)', () => {
    const fromVerifier = edges('extension/verifier').map((e) => e.target);
    expect(fromVerifier).toContain(join('workers', 'pool.js'));
    expect(fromVerifier).toContain(join('workers', 'hash.worker.ts')); // a worker entry, new URL(…)
    expect(edges('extension/offscreen').map((e) => e.target)).toContain(join('extension', 'offscreen', 'offscreen.ts')); // HTML src=
    expect(edges('workers').map((e) => e.target)).toContain(join('src', 'crypto', 'pedersen.js'));
  });

  it('src/ (the core) imports nothing from extension/, workers/, bench/, devnet/ or test/', () => {
    expect(violations('src', ['extension', 'workers', 'bench', 'devnet', 'test'])).toEqual([]);
  });

  it('workers/ (generic hashing workers over src/) import nothing from extension/, bench/, devnet/ or test/', () => {
    expect(violations('workers', ['extension', 'bench', 'devnet', 'test'])).toEqual([]);
  });

  it('extension/ ships no benchmark, devnet or test code: nothing under it imports bench/, devnet/ or test/', () => {
    expect(violations('extension', ['bench', 'devnet', 'test'])).toEqual([]);
  });
});
