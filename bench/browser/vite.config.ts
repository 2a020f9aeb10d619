import { fileURLToPath } from 'node:url';
import { pagesConfig } from '../../scripts/vite-pages.js';

const r = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * The bench/test pages (`node scripts/build.mjs --bench`), built apart from the extension into
 * dist-bench/ so that benchmark code (synthetic positions, the tree-root job) never ships in
 * dist/. Served over loopback HTTP by bench/browser/page.ts; the page's `new Worker(new URL(...))`
 * brings the hash worker along, as in the extension.
 */
export default pagesConfig({
  root: r('.'),
  outDir: r('../../dist-bench'),
  input: { 'tree-root': r('./tree-root.html') },
});
