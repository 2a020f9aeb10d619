/**
 * The perpetual program's return codes (stark-perpetual `definitions/perpetual_error_code.cairo`),
 * by name, with their numeric values. A return code is the program's verdict on a valid input
 * (e.g. an operator must mark a forced withdrawal invalid unless `update_position` returns
 * `SUCCESS`, signing-risk.md B2.1); inputs that could not be proven at all throw instead.
 */
export const PERPETUAL_RETURN_CODES = {
  SUCCESS: 0,
  ERROR: 1,
  ILLEGAL_POSITION_TRANSITION_ENLARGING_SYNTHETIC_HOLDINGS: 2,
  ILLEGAL_POSITION_TRANSITION_NO_RISK_REDUCED_VALUE: 3,
  ILLEGAL_POSITION_TRANSITION_REDUCING_TOTAL_VALUE_RISK_RATIO: 4,
  INVALID_PUBLIC_KEY: 11,
  MISSING_GLOBAL_FUNDING_INDEX: 13,
  MISSING_ORACLE_PRICE: 14,
  OUT_OF_RANGE_BALANCE: 17,
  OUT_OF_RANGE_TOTAL_RISK: 20,
  OUT_OF_RANGE_TOTAL_VALUE: 21,
  TOO_MANY_SYNTHETIC_ASSETS_IN_POSITION: 23,
} as const;

/** The subset of return codes that position updates can produce. */
export type PerpetualReturnCode = keyof typeof PERPETUAL_RETURN_CODES;
