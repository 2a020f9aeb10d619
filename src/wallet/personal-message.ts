import { hexToBytes } from '@noble/hashes/utils.js';
import type { SignWarning } from './typed-data-approval.js';

/**
 * What a personal_sign request shows (security review): the message as text when it is printable
 * UTF-8, else hex; 32 bytes (or text that is 32 bytes of hex) look like a hash, which is blind
 * signing: the user cannot know what it authorises.
 */
export type PersonalMessageApproval = { encoding: 'utf8' | 'hex'; text: string; bytes: number; warnings: SignWarning[] };

/** Strict UTF-8 (no overlongs, no surrogates, nothing past U+10FFFF); undefined when not valid. */
function decodeUtf8(b: Uint8Array): string | undefined {
  let out = '';
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    const n = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0 || i + n > b.length - 1) return undefined;
    let cp = n === 0 ? c : c & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const cc = b[i + k]!;
      if ((cc & 0xc0) !== 0x80) return undefined;
      cp = (cp << 6) | (cc & 0x3f);
    }
    const min = [0, 0x80, 0x800, 0x10000][n]!;
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
    out += String.fromCodePoint(cp);
    i += n + 1;
  }
  return out;
}

// Control characters other than tab/newline, and bidi overrides that reorder what is displayed.
const UNPRINTABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufeff]/u;

export function decodePersonalMessage(data: `0x${string}`): PersonalMessageApproval {
  if (!/^0x([0-9a-fA-F]{2})*$/.test(data)) throw new TypeError('data: expected 0x-hex bytes');
  const bytes = hexToBytes(data.slice(2));
  const text = bytes.length ? decodeUtf8(bytes) : undefined;
  const printable = text !== undefined && !UNPRINTABLE.test(text);
  const warnings: SignWarning[] = [];
  if (bytes.length === 32 || (printable && /^(0x)?[0-9a-fA-F]{64}$/.test(text.trim()))) {
    warnings.push({ code: 'blind-signing', message: 'This message is 32 bytes that look like a hash: you cannot see what you would be signing (blind signing). Sign only if you know where it comes from.' });
  }
  return printable ? { encoding: 'utf8', text, bytes: bytes.length, warnings } : { encoding: 'hex', text: data.toLowerCase(), bytes: bytes.length, warnings };
}
