import { checkHex } from '../checks.js';
import { hexToBytes } from '@noble/hashes/utils.js';
import type { SignWarning } from './typed-data-approval.js';
import { UNPRINTABLE, decodeUtf8 } from './display-text.js';
import { keyDerivationRefusal, personalSignKeyDerivation } from './key-derivation-guard.js';

export { decodeUtf8 } from './display-text.js';

/**
 * What a personal_sign request shows (security review): the message as text when it is printable
 * UTF-8, else hex; 32 bytes (or text that is 32 bytes of hex) look like a hash, which is blind
 * signing: the user cannot know what it authorises. A message whose signature derives Vigil's
 * stark key (signing-risk.md A1.1 step 2, the legacy "dYdX STARK Key" text) carries `refusal`:
 * it is never queued nor signed.
 */
export type PersonalMessageApproval = {
  encoding: 'utf8' | 'hex';
  text: string;
  bytes: number;
  warnings: SignWarning[];
  refusal?: string;
};

export function decodePersonalMessage(
  data: `0x${string}`,
  ctx: { chainId: number } = { chainId: 1 },
): PersonalMessageApproval {
  checkHex('data', data);
  const bytes = hexToBytes(data.slice(2));
  const text = bytes.length ? decodeUtf8(bytes) : undefined;
  const printable = text !== undefined && !UNPRINTABLE.test(text);
  const warnings: SignWarning[] = [];
  if (bytes.length === 32 || (printable && /^(0x)?[0-9a-fA-F]{64}$/.test(text.trim()))) {
    warnings.push({
      code: 'blind-signing',
      message:
        'This message is 32 bytes that look like a hash: you cannot see what you would be signing (blind signing). Sign only if you know where it comes from.',
    });
  }
  const derives = personalSignKeyDerivation(data, ctx);
  const refusal = derives ? { refusal: keyDerivationRefusal(derives) } : {};
  return printable
    ? { encoding: 'utf8', text, bytes: bytes.length, warnings, ...refusal }
    : { encoding: 'hex', text: data.toLowerCase(), bytes: bytes.length, warnings, ...refusal };
}
