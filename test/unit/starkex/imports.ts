/** The names under test, from the folder indexes (not src/index.ts, so a broken sibling folder does not hide results). */
export * from '../../../src/starkex/index.js';
export { FIELD_PRIME } from '../../../src/crypto/field.js';
export { RangeCheckError, VigilError } from '../../../src/errors.js';
