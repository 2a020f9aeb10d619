/**
 * Moved to src/codec/tagged-json.ts (issue 14: one codec). This re-export stays only for the
 * modules another change owns (workers/sync.worker.ts, devnet/start.ts, e2e specs); new code
 * imports src/codec directly.
 */
export { fromTaggedJson, toTaggedJson, fromTagged, toTagged } from '../../src/codec/tagged-json.js';
