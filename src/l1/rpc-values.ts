import { formatValue } from '../errors.js';
import { L1DataError } from './errors.js';

/*
 * Checks for the values inside RPC answers, at the edge where they are parsed: an answer of the
 * wrong shape (a number for a hex quantity, non-hex, odd length, a missing field) throws
 * `L1DataError` naming the field, the value and what was allowed, never a raw TypeError or
 * SyntaxError from `BigInt` or a string method.
 */

const QUANTITY = /^0x[0-9a-fA-F]{1,64}$/;

/** A JSON-RPC quantity ("0x" + 1–64 hex digits) no larger than `max`. */
export function hexQuantity(field: string, v: unknown, max: bigint = (1n << 256n) - 1n): bigint {
  if (typeof v !== 'string' || !QUANTITY.test(v))
    throw new L1DataError(
      field,
      `${formatValue(v)} is not a hex quantity; expected "0x" and 1 to 64 hex digits, at most ${max}`,
    );
  const n = BigInt(v);
  if (n > max) throw new L1DataError(field, `${formatValue(v)} is out of range; expected 0 <= ${field} <= ${max}`);
  return n;
}

/** Hex bytes ("0x" + an even number of hex digits), of exactly `bytes` bytes when given. */
export function hexBytes(field: string, v: unknown, bytes?: number): `0x${string}` {
  const ok =
    typeof v === 'string' && /^0x(?:[0-9a-fA-F]{2})*$/.test(v) && (bytes === undefined || v.length === 2 + 2 * bytes);
  if (!ok)
    throw new L1DataError(
      field,
      `${formatValue(v)} is not ${bytes === undefined ? 'hex bytes' : `${bytes} bytes of hex`}; expected "0x" and ${bytes === undefined ? 'an even number of' : 2 * bytes} hex digits`,
    );
  return v as `0x${string}`;
}

/** A plain JSON object (not null, not an array). */
export function jsonObject(field: string, v: unknown): Record<string, unknown> {
  if (!v || typeof v !== 'object' || Array.isArray(v))
    throw new L1DataError(field, `${formatValue(v)} is not an object`);
  return v as Record<string, unknown>;
}

/** Largest block number and log index accepted from an RPC (far above any chain's). */
export const MAX_BLOCK_NUMBER = (1n << 64n) - 1n;
export const MAX_LOG_INDEX = BigInt(Number.MAX_SAFE_INTEGER);

/** One `eth_getLogs` entry: the fields any reader uses, checked (extra fields are kept as they are). */
export function checkRpcLog(field: string, v: unknown): void {
  const l = jsonObject(field, v);
  hexBytes(`${field}.address`, l.address, 20);
  if (!Array.isArray(l.topics) || l.topics.length > 4)
    throw new L1DataError(`${field}.topics`, `${formatValue(l.topics)} is not a list of at most 4 topics`);
  l.topics.forEach((t, i) => hexBytes(`${field}.topics[${i}]`, t, 32));
  hexBytes(`${field}.data`, l.data);
  hexQuantity(`${field}.blockNumber`, l.blockNumber, MAX_BLOCK_NUMBER);
  hexQuantity(`${field}.logIndex`, l.logIndex, MAX_LOG_INDEX);
  hexBytes(`${field}.transactionHash`, l.transactionHash, 32);
  if (l.removed !== undefined && l.removed !== null && typeof l.removed !== 'boolean')
    throw new L1DataError(`${field}.removed`, `${formatValue(l.removed)} is not a boolean`);
}
