import { defineConfig, type UserConfig } from 'vite';

/**
 * The build both page sets share — the extension (vite.config.ts) and the bench/test pages
 * (bench/browser/vite.config.ts): ES modules, no module preload (an extension page loads from its
 * own origin), source maps, stable entry names, and workers bundled as ES modules so that
 * `new Worker(new URL(...))` brings the hash and sync workers along.
 */
export function pagesConfig(opts: { root: string; outDir: string; input: Record<string, string> }): UserConfig {
  return defineConfig({
    root: opts.root,
    publicDir: false,
    logLevel: process.env.CI ? 'warn' : 'info',
    build: {
      outDir: opts.outDir,
      emptyOutDir: true,
      target: 'esnext',
      modulePreload: false,
      sourcemap: true,
      rollupOptions: {
        input: opts.input,
        output: {
          entryFileNames: '[name].js',
          chunkFileNames: 'chunks/[name]-[hash].js',
          assetFileNames: 'assets/[name]-[hash][extname]',
        },
      },
    },
    worker: { format: 'es' },
  });
}
