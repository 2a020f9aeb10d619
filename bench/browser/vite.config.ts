import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const r = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * The bench/test pages (`node scripts/build.mjs --bench`), built apart from the extension into
 * dist-bench/ so that benchmark code (synthetic positions, the tree-root job) never ships in
 * dist/. Served over loopback HTTP by bench/browser/page.ts; the page's `new Worker(new URL(...))`
 * brings the hash worker along, as in the extension.
 */
export default defineConfig({
  root: r('.'),
  publicDir: false,
  logLevel: process.env.CI ? 'warn' : 'info',
  build: {
    outDir: r('../../dist-bench'),
    emptyOutDir: true,
    target: 'esnext',
    modulePreload: false,
    sourcemap: true,
    rollupOptions: {
      input: { 'tree-root': r('./tree-root.html') },
      output: {
        entryFileNames: '[name].js',
        chunkFileNames: 'chunks/[name]-[hash].js',
        assetFileNames: 'assets/[name]-[hash][extname]',
      },
    },
  },
  worker: { format: 'es' },
});
