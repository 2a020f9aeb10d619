/**
 * Every concern's exports in one module, for tests that exercise the core across concerns. The
 * product's public API is src/index.ts (what the extension, workers, devnet and bench use); tests
 * may reach inside, and import through here or from the module under test.
 */
export * from '../../src/errors.js';
export * from '../../src/checks.js';
export * from '../../src/crypto/index.js';
export * from '../../src/keys/index.js';
export * from '../../src/messages/index.js';
export * from '../../src/starkex/index.js';
export * from '../../src/state/index.js';
export * from '../../src/tree/index.js';
export * from '../../src/risk/index.js';
export * from '../../src/l1/index.js';
export * from '../../src/rpc/index.js';
export * from '../../src/wallet/index.js';
export * from '../../src/sync/index.js';
export * from '../../src/exit/index.js';
export * from '../../src/util/index.js';
