// Module hooks for ts-loader.mjs. Types are stripped by oxc (`rolldown/utils`, installed with
// vite); `./x.js` specifiers that name a `.ts` file on disk resolve to it, as tsc's Bundler
// resolution does for src/.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export async function resolve(specifier, context, next) {
  if (specifier.endsWith('.js') && /^(\.|\/|file:)/.test(specifier) && context.parentURL) {
    const url = new URL(specifier, context.parentURL);
    const ts = new URL(`${url.href.slice(0, -3)}.ts`);
    if (url.protocol === 'file:' && !existsSync(url) && existsSync(ts)) {
      return { url: ts.href, format: 'module', shortCircuit: true };
    }
  }
  return next(specifier, context);
}

/** oxc's TypeScript transform: rolldown's (vite 8's bundler), or vite's wrapper of it. */
async function loadTransform() {
  try {
    const { transformSync } = await import('rolldown/utils');
    return async (filename, source, options) => transformSync(filename, source, options);
  } catch {
    const { transformWithOxc } = await import('vite');
    return (filename, source, options) => transformWithOxc(source, filename, options);
  }
}

let transform;
export async function load(url, context, next) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return next(url, context);
  transform ??= await loadTransform();
  const filename = fileURLToPath(url);
  const result = await transform(filename, readFileSync(filename, 'utf8'), { lang: 'ts', sourcemap: false });
  if (result.errors?.length) throw new Error(`${filename}: ${result.errors.map((e) => e.message).join('; ')}`);
  return { format: 'module', source: result.code, shortCircuit: true };
}
