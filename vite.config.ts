import { fileURLToPath } from 'node:url';
import { pagesConfig } from './scripts/vite-pages.js';

const r = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * The ES-module pass of the extension build: the service worker, the preact pages and the
 * offscreen document (whose `new Worker(new URL(...))` calls bring the hash worker and the
 * verifier's sync worker, extension/verifier/sync.worker.ts, along). Content scripts are built
 * separately as self-contained IIFE files by scripts/build.mjs: a classic content script cannot
 * `import` a shared chunk (toolchain.md §3, setup B). Bench/test pages have their own config
 * (bench/browser/vite.config.ts, `build.mjs --bench`) and never land in dist/.
 */
export default pagesConfig({
  root: r('./extension'),
  outDir: r('./dist'),
  input: {
    background: r('./extension/background/index.ts'),
    popup: r('./extension/ui/popup.html'),
    onboarding: r('./extension/ui/onboarding.html'),
    approval: r('./extension/ui/approval.html'),
    dashboard: r('./extension/ui/dashboard.html'),
    exit: r('./extension/ui/exit.html'),
    offscreen: r('./extension/offscreen/offscreen.html'),
  },
});
