/**
 * Vigil's protocol core: the public API. Pure functions on plain data (DESIGN.md §3); no chrome.*,
 * no DOM. Each concern has its own folder and its own index.
 */
export * from './errors.js';
export * from './crypto/index.js';
