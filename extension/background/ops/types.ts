/**
 * The op table's TYPE, for pages (ui/api.ts): the one thing a page may import from
 * extension/background, and only with `import type` — erased at build, so no background code is
 * bundled into a page (test/unit/extension/ui-boundaries.test.ts checks both).
 */
export type { Ops, OpName } from './index.js';
