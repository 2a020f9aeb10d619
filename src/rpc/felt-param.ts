import { FIELD_PRIME } from '../crypto/field.js';
import { InvalidParamsError } from './errors.js';
import { describe } from './request.js';

const HEX = /^0x[0-9a-fA-F]{1,64}$/;
const DEC = /^(0|[1-9][0-9]{0,76})$/;

/**
 * Reads a field element from a JSON parameter: a 0x-prefixed hex string, a decimal string, or a
 * non-negative safe integer. JSON has no bigint, so dapps send strings; numbers beyond 2^53 would
 * already have lost precision and are refused rather than guessed.
 */
export function parseFeltParam(field: string, value: unknown): bigint {
  let n: bigint;
  if (typeof value === 'string' && HEX.test(value)) n = BigInt(value);
  else if (typeof value === 'string' && DEC.test(value)) n = BigInt(value);
  else if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) n = BigInt(value);
  else {
    throw new InvalidParamsError(
      field,
      `expected a field element as a 0x-hex string, a decimal string or a safe integer, got ${describe(value)}`,
    );
  }
  if (n >= FIELD_PRIME)
    throw new InvalidParamsError(field, `${value} is out of range; expected 0 <= ${field} < P (2^251 + 17·2^192 + 1)`);
  return n;
}

/** Canonical output form of a field element for a dapp: 0x-prefixed lower-case hex. */
export function feltToHex(n: bigint): `0x${string}` {
  return `0x${n.toString(16)}`;
}
