/**
 * Vigil's protocol core: the public API. Pure functions on plain data (DESIGN.md §3); no chrome.*,
 * no DOM. Each concern has its own folder and its own index; names must not collide across them.
 */
export * from './errors.js';
export * from './checks.js';
export * from './crypto/index.js';
export * from './keys/index.js';
export * from './messages/index.js';
export * from './starkex/index.js';
export * from './state/index.js';
export * from './tree/index.js';
export * from './risk/index.js';
export * from './l1/index.js';
export * from './rpc/index.js';
export * from './wallet/index.js';
export * from './sync/index.js';
export * from './exit/index.js';
export * from './util/index.js';
