export { DecodeError } from './decode-error.js';
export { decodeSharedState, encodeSharedState, FUNDING_INDEX_BIAS, type SharedState } from './shared-state.js';
