import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { keccakUint, MASK_250, uintToBytes } from '../crypto/keccak.js';
import { ConditionError, ExpirationError, FeeError } from './errors.js';
import { ethAddressField } from './fields.js';
import { parseHumanDecimal, decimalToQuantums } from './decimal.js';
import { HOUR_MS, amountField } from './message-fields.js';
import { TypeCheckError } from '../errors.js';
import { checkString } from '../checks.js';

/**
 * dYdX v3 helpers (signing-risk.md A3.5–A3.6, A2.3; starkex-lib `helpers/misc.ts`,
 * `helpers/assets.ts`, `lib/util.ts`).
 */

/** Orders are signed 7 days past the API expiration so they stay valid until settled (A2.1). */
export const STARK_ORDER_SIGNATURE_EXPIRATION_BUFFER_HOURS = 168n;

/** nonce = uint(SHA-256(UTF-8 clientId)) mod 2^32 (A3.6). */
export function nonceFromClientId(clientId: string): bigint {
  checkString('clientId', clientId);
  return BigInt(`0x${bytesToHex(sha256(utf8ToBytes(clientId)))}`) % (1n << 32n);
}

// ISO 8601 as the dYdX API writes it (Date#toISOString) plus explicit offsets; at most ms precision,
// so the hour rounding below never depends on truncated sub-millisecond digits.
const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?(Z|([+-])(\d{2}):(\d{2}))$/;
const ISO_RANGE =
  'an ISO 8601 UTC timestamp such as "2021-02-24T16:00:00.407Z" (valid date, at most millisecond precision, not before 1970)';

/** Strictly parses an ISO 8601 timestamp to Unix milliseconds (Date.parse accepts Feb 30; this does not). */
export function isoTimestampToMs(iso: unknown, field = 'isoTimestamp'): number {
  if (typeof iso !== 'string') throw new TypeCheckError(field, iso, 'an ISO 8601 string');
  const m = ISO_RE.exec(iso);
  if (!m) throw new ExpirationError(field, iso, ISO_RANGE);
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const ms = Number((m[7] ?? '0').padEnd(3, '0'));
  const offsetMin = m[9] ? (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11])) : 0;
  const utc = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const back = new Date(utc);
  const valid =
    back.getUTCFullYear() === y &&
    back.getUTCMonth() === mo - 1 &&
    back.getUTCDate() === d &&
    back.getUTCHours() === h &&
    back.getUTCMinutes() === mi &&
    back.getUTCSeconds() === s &&
    (!m[9] || (Number(m[10]) <= 23 && Number(m[11]) <= 59));
  const result = utc - offsetMin * 60_000;
  if (!valid || result < 0) throw new ExpirationError(field, iso, ISO_RANGE);
  return result;
}

/** ceil(ms / 1 h): hours since the epoch, rounded up (A3.6). */
export function isoTimestampToEpochHours(iso: unknown, field = 'isoTimestamp'): bigint {
  const ms = BigInt(isoTimestampToMs(iso, field));
  const hour = BigInt(HOUR_MS);
  return (ms + hour - 1n) / hour;
}

/** floor(ms / 1 s) (oracle timestamps, A3.6). */
export function isoTimestampToEpochSeconds(iso: unknown, field = 'isoTimestamp'): bigint {
  return BigInt(isoTimestampToMs(iso, field)) / 1000n;
}

/**
 * Max fee of an order: ceil(trunc6(limitFee) × amountCollateral) (A3.5). limitFee is a fraction
 * (0.001 = 0.1%) and must lie in [0, 1].
 */
export function limitFeeToQuantums(limitFee: unknown, quantumsAmountCollateral: bigint): bigint {
  const collateral = amountField('quantumsAmountCollateral', quantumsAmountCollateral);
  const fee = parseHumanDecimal(limitFee, 'limitFee');
  if (fee.coefficient > 10n ** BigInt(fee.scale))
    throw new FeeError('limitFee', limitFee, '0 <= limitFee <= 1 (a fraction: 0.001 is 0.1%)');
  const millionths = decimalToQuantums('limitFee', limitFee, fee, 6, 'down'); // truncate to 6 places
  return (millionths * collateral + 999_999n) / 1_000_000n;
}

/** condition = keccak256(factRegistryAddress (20 bytes) ‖ fact (32 bytes)) & (2^250 − 1) (A2.3). */
export function factToCondition(factRegistryAddress: string, fact: string | bigint): bigint {
  const registry = ethAddressField('factRegistryAddress', factRegistryAddress);
  let factValue: bigint;
  if (typeof fact === 'bigint') factValue = fact;
  else if (typeof fact === 'string' && /^(0x)?[0-9a-fA-F]{1,64}$/.test(fact))
    factValue = BigInt(fact.startsWith('0x') ? fact : `0x${fact}`);
  else if (typeof fact === 'string')
    throw new ConditionError('fact', fact, 'a bytes32 hex string (up to 64 hex digits, 0x optional)');
  else throw new TypeCheckError('fact', fact, 'hex string or bigint');
  if (factValue < 0n || factValue >= 1n << 256n) throw new ConditionError('fact', fact, '0 <= fact < 2^256');
  return keccakUint(uintToBytes(registry, 20), hexToBytes(factValue.toString(16).padStart(64, '0'))) & MASK_250;
}
