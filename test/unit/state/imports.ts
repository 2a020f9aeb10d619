/** The names under test, from the folder indexes (not src/index.ts, so a broken sibling folder does not hide results). */
export * from '../../../src/state/index.js';
export * from '../../../src/starkex/index.js';
export { VigilError } from '../../../src/errors.js';
