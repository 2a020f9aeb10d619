/** The STARK field prime P = 2^251 + 17·2^192 + 1 (signing-risk.md part A). */
export const FIELD_PRIME = 2n ** 251n + 17n * 2n ** 192n + 1n;
