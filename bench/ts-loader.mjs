// Lets plain `node` run the TypeScript bench: Node 20 has no --experimental-strip-types.
// Usage: `node --import ./bench/ts-loader.mjs bench/run.ts`; worker_threads inherit the flag.
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
