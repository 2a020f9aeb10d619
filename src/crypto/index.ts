export { FIELD_PRIME } from './field.js';
export { pedersen, pedersenMany, assertFelt } from './pedersen.js';
