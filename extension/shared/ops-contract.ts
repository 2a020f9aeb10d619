/**
 * The one channel's contract, for pages (ui/api.ts `call`): the op table's TYPE, derived from the
 * table itself (`type Ops = typeof ops`, background/ops/index.ts) so that a page's call is
 * type-checked end to end. Type-only: erased at build, so no service-worker code is bundled into a
 * page, and no page imports extension/background at all (test/unit/extension/ui-boundaries.test.ts).
 */
export type { Ops, OpName } from '../background/ops/index.js';
