#!/usr/bin/env node
// Builds the unpacked extension into dist/: vite.config.ts (service worker, pages, offscreen
// document, workers), then one self-contained IIFE per content script, then the manifest.
// `--bench` builds only the bench/test pages (bench/browser/vite.config.ts) into dist-bench/:
// benchmark code stays out of the extension.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const r = (p) => fileURLToPath(new URL(`../${p}`, import.meta.url));
const logLevel = process.env.CI ? 'warn' : 'info';

if (process.argv.includes('--bench')) {
  await build({ configFile: r('bench/browser/vite.config.ts'), logLevel });
  if (!existsSync(r('dist-bench/tree-root.html'))) throw new Error('build did not produce dist-bench/tree-root.html');
  console.log('built dist-bench/ (bench/test pages)');
} else {
  await buildExtension();
}

async function buildExtension() {
  await build({ configFile: r('vite.config.ts'), logLevel });

  // MAIN-world provider and isolated-world relay: each one file with no imports, so Chromium runs
  // them synchronously at document_start, before any page script.
  for (const [name, entry] of [
    ['inpage', 'extension/content/inpage.ts'],
    ['content', 'extension/content/content.ts'],
  ]) {
    await build({
      configFile: false,
      logLevel,
      publicDir: false,
      build: {
        outDir: r('dist'),
        emptyOutDir: false,
        copyPublicDir: false,
        target: 'esnext',
        sourcemap: true,
        lib: { entry: r(entry), formats: ['iife'], name: `vigil_${name}`, fileName: () => `${name}.js` },
      },
    });
    const code = readFileSync(r(`dist/${name}.js`), 'utf8');
    if (/^\s*import[\s{*]/m.test(code))
      throw new Error(`dist/${name}.js has an import statement; content scripts must be self-contained`);
  }

  // The manifest version follows package.json so there is one source of truth.
  const manifest = JSON.parse(readFileSync(r('manifest.json'), 'utf8'));
  manifest.version = JSON.parse(readFileSync(r('package.json'), 'utf8')).version;
  writeFileSync(r('dist/manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  for (const f of ['background.js', 'inpage.js', 'content.js', 'ui/popup.html', 'offscreen/offscreen.html']) {
    if (!existsSync(r(`dist/${f}`))) throw new Error(`build did not produce dist/${f}`);
  }
  console.log('built dist/ (unpacked extension)');
}
