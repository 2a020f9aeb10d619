/**
 * Text a signing request shows the user (personal_sign messages, typed-data strings): strictly
 * decoded, and with the characters that hide or reorder what is displayed made visible
 * (security review, issue 8; issue 13 for typed data).
 */

/** Strict UTF-8 (no overlongs, no surrogates, nothing past U+10FFFF); undefined when not valid. */
export function decodeUtf8(b: Uint8Array): string | undefined {
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

// Control characters other than tab/newline; bidi embeddings, overrides, isolates and marks that
// reorder what is displayed (U+061C, U+200E/F, U+202A–E, U+2066–9); zero-width space, line and
// paragraph separators and the BOM, which hide text. (ZWJ/ZWNJ stay: emoji and scripts need them.)
const UNPRINTABLE_SOURCE =
  '[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\u061c\\u200b\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069\\ufeff]';
export const UNPRINTABLE = new RegExp(UNPRINTABLE_SOURCE, 'u');
const UNPRINTABLE_ALL = new RegExp(UNPRINTABLE_SOURCE, 'gu');

/** The text with each unprintable character replaced by a visible `\u{…}` escape. */
export function escapeUnprintable(s: string): string {
  return s.replace(UNPRINTABLE_ALL, (c) => `\\u{${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}}`);
}
