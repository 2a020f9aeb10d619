import { RangeCheckError, formatValue, TypeCheckError } from '../errors.js';

/** Synthetic asset ids are below 2^120 (PERPETUAL_ASSET_ID_UPPER_BOUND, l1-data-tree.md §1.5). */
export const ASSET_ID_BOUND = 1n << 120n;
const ASSET_ID_BYTES = 15;

/**
 * ASCII text → felt: its character codes as big-endian bytes, left-aligned in `bytes` bytes (right-
 * padded with zero bytes), as StarkEx encodes names in asset ids (§3.3) and oracle prices, e.g.
 * ("ETH-9", 15) → 0x4554482d3900000000000000000000. Callers check which characters they allow.
 */
export function asciiToFelt(text: string, bytes: number): bigint {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII is 0x00–0x7f, control characters included.
  if (typeof text !== 'string' || text.length > bytes || !/^[\x00-\x7f]*$/.test(text))
    throw new RangeCheckError('ASCII text', text, `a string of at most ${bytes} ASCII characters`);
  let felt = 0n;
  for (let i = 0; i < bytes; i++) felt = (felt << 8n) | BigInt(i < text.length ? text.charCodeAt(i) : 0);
  return felt;
}

/**
 * Text → numeric asset id: the ASCII name right-padded with zero bytes to 15 bytes
 * (l1-data-tree.md §3.3), e.g. `BTC-10` → 0x4254432d3130000000000000000000.
 */
export function assetIdFromText(text: string): bigint {
  if (typeof text !== 'string') throw new TypeCheckError('asset id text', text, 'string');
  if (text.length === 0 || text.length > ASSET_ID_BYTES) {
    throw new RangeCheckError(
      'asset id text length',
      text.length,
      `1 <= length <= ${ASSET_ID_BYTES} (${JSON.stringify(text)})`,
    );
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x21 || c > 0x7e) {
      throw new RangeCheckError(`asset id text character ${i}`, text, 'printable ASCII without spaces (0x21..0x7e)');
    }
  }
  return asciiToFelt(text, ASSET_ID_BYTES);
}

/**
 * Numeric asset id → text, the inverse of `assetIdFromText`. Rejects ids that are not such a
 * name (a zero byte inside the name, non-printable bytes, ≥ 2^120) instead of guessing.
 */
export function assetIdToText(id: bigint): string {
  if (typeof id !== 'bigint') throw new TypeCheckError('asset id', id, 'bigint');
  if (id <= 0n || id >= ASSET_ID_BOUND) throw new RangeCheckError('asset id', id, '0 < asset id < 2^120');
  const bytes: number[] = [];
  for (let i = ASSET_ID_BYTES - 1; i >= 0; i--) bytes.push(Number((id >> BigInt(8 * i)) & 0xffn));
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  const name = bytes.slice(0, end);
  if (name.some((c) => c < 0x21 || c > 0x7e)) {
    throw new RangeCheckError('asset id', id, 'printable ASCII right-padded with zero bytes to 15 bytes');
  }
  return String.fromCharCode(...name);
}

/** The asset id as its name when it is one, else the number. */
export function assetLabel(id: bigint): string {
  try {
    return `${assetIdToText(id)} (${formatValue(id)})`;
  } catch {
    return formatValue(id);
  }
}
