import { hashMessage, hashTypedData, type Hex } from 'viem';
import { hexToBytes } from '@noble/hashes/utils.js';
import { DYDX_ONLY_SIGN_ON, DYDX_STARK_KEY_ACTION } from '../keys/dydx-onboarding.js';
import { decodeUtf8 } from './display-text.js';

/**
 * No web page may obtain a signature that derives a key Vigil holds (issue 13, critical).
 *
 * signing-risk.md A1.1: the dYdX stark private key is keccak256(ethSignature ‖ typeByte) >> 5 of
 * the Ethereum key's signature of the "dYdX STARK Key" message, as EIP-712 typed data (step 1) or,
 * legacy, as personal_sign of its JSON rendering (step 2). Whoever gets that signature gets the
 * stark key, i.e. the user's funds on the exchange. Vigil derives it itself (accounts.ts) and gives
 * pages only the public key (`stark_account`).
 *
 * Two independent rules, both applied to every request from a page:
 *  1. the action string "dYdX STARK Key" anywhere in the request (any string of the typed data, the
 *     personal_sign text decoded as UTF-8 or byte by byte), case, width, whitespace and punctuation
 *     folded;
 *  2. defence in depth: the digest the wallet would sign equals one Vigil derives keys from, for
 *     every chain dYdX used (A1.1 step 1: 1 mainnet, 3 Ropsten, 5 Goerli, 11155111 Sepolia) and
 *     the wallet's chain, with and without `onlySignOn`, EIP-712 and legacy personal_sign.
 */

/** Chains the dYdX clients derived stark keys on (signing-risk.md A1.1 step 1). */
export const DYDX_KEY_CHAIN_IDS: readonly number[] = [1, 3, 5, 11155111];

/** Why a request was refused: the field that matched, its value (shortened) and the rule. */
export type KeyDerivationMatch = { field: string; value: string; rule: 'action-string' | 'digest' };

const FOLDED_ACTION = fold(DYDX_STARK_KEY_ACTION); // "dydxstarkkey"

/** NFKC (fullwidth and compatibility forms → ASCII), lower case, letters and digits only. */
function fold(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/** True when the text contains "dYdX STARK Key" in any case, width, spacing or punctuation. */
export function mentionsStarkKeyAction(text: string): boolean {
  return fold(text).includes(FOLDED_ACTION);
}

const short = (s: string) => (s.length > 80 ? `${s.slice(0, 77)}...` : s);

/** Every string (values and keys) of a JSON-like value, depth-first, with its path. */
function findActionIn(value: unknown, path: string, depth = 0): KeyDerivationMatch | undefined {
  if (depth > 64) return undefined;
  if (typeof value === 'string')
    return mentionsStarkKeyAction(value) ? { field: path, value: short(value), rule: 'action-string' } : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const m = findActionIn(value[i], `${path}[${i}]`, depth + 1);
      if (m) return m;
    }
    return undefined;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      if (mentionsStarkKeyAction(k)) return { field: `${path}.${short(k)}`, value: short(k), rule: 'action-string' };
      const m = findActionIn(v, `${path}.${k}`, depth + 1);
      if (m) return m;
    }
  }
  return undefined;
}

type Variant = { chainId: number; onlySignOn: boolean };

function starkKeyTypedData({ chainId, onlySignOn }: Variant) {
  // A1.1 step 1: EIP712Domain(string name,string version,uint256 chainId), dYdX(string action[,string onlySignOn]).
  return {
    domain: { name: 'dYdX', version: '1.0', chainId },
    types: {
      dYdX: onlySignOn
        ? [
            { name: 'action', type: 'string' },
            { name: 'onlySignOn', type: 'string' },
          ]
        : [{ name: 'action', type: 'string' }],
    },
    primaryType: 'dYdX',
    message: onlySignOn
      ? { action: DYDX_STARK_KEY_ACTION, onlySignOn: DYDX_ONLY_SIGN_ON }
      : { action: DYDX_STARK_KEY_ACTION },
  } as const;
}

function starkKeyLegacyText({ chainId, onlySignOn }: Variant): string {
  // A1.1 step 2: JSON.stringify({ name, version, chainId, action[, onlySignOn] }, null, 2).
  const body: Record<string, unknown> = { name: 'dYdX', version: '1.0', chainId, action: DYDX_STARK_KEY_ACTION };
  if (onlySignOn) body.onlySignOn = DYDX_ONLY_SIGN_ON;
  return JSON.stringify(body, null, 2);
}

const digestCache = new Map<number, Hex[]>();

/**
 * The digests a signature of which derives a dYdX stark key on `chainId`: EIP-712 and legacy
 * EIP-191, each with and without `onlySignOn` (mainnet clients sent it, testnet ones did not).
 */
export function starkKeyDerivationDigests(chainId: number): readonly Hex[] {
  let digests = digestCache.get(chainId);
  if (!digests) {
    digests = [];
    for (const onlySignOn of [true, false]) {
      digests.push(hashTypedData(starkKeyTypedData({ chainId, onlySignOn })));
      digests.push(hashMessage(starkKeyLegacyText({ chainId, onlySignOn })));
    }
    digestCache.set(chainId, digests);
  }
  return digests;
}

/** The chains checked: those dYdX used and the wallet's own. */
function chainsFor(walletChainId: number): number[] {
  const ids = new Set(DYDX_KEY_CHAIN_IDS);
  if (Number.isSafeInteger(walletChainId) && walletChainId > 0) ids.add(walletChainId);
  return [...ids];
}

/** True when `digest` is one a signature of which derives a dYdX stark key (dYdX chains and the wallet's). */
export function isStarkKeyDerivationDigest(digest: Hex, walletChainId: number): boolean {
  const d = digest.toLowerCase();
  return chainsFor(walletChainId).some((id) => starkKeyDerivationDigests(id).includes(d as Hex));
}

/** Which part of an eth_signTypedData_v4 request (raw, parsed or not) would derive a stark key. */
export function typedDataKeyDerivation(raw: unknown, ctx: { chainId: number }): KeyDerivationMatch | undefined {
  let data = raw;
  if (typeof raw === 'string') {
    try {
      data = JSON.parse(raw);
    } catch {
      // Not JSON: the text itself is all there is to look at.
      return mentionsStarkKeyAction(raw) ? { field: 'typedData', value: short(raw), rule: 'action-string' } : undefined;
    }
  }
  // The digest first: the exact messages are named by what makes them dangerous.
  let digest: Hex | undefined;
  try {
    digest = hashTypedData(data as Parameters<typeof hashTypedData>[0]);
  } catch {
    digest = undefined; // not hashable: nothing could be signed from it, but the text is still checked
  }
  if (digest && isStarkKeyDerivationDigest(digest, ctx.chainId))
    return { field: 'typedData', value: digest, rule: 'digest' };
  const byAction = findActionIn(data, 'typedData');
  return byAction ? { ...byAction, field: byAction.field.replace(/^typedData\./, '') } : undefined;
}

/** Which part of a personal_sign request (0x-hex bytes) would derive a stark key. */
export function personalSignKeyDerivation(data: Hex, ctx: { chainId: number }): KeyDerivationMatch | undefined {
  if (!/^0x([0-9a-fA-F]{2})*$/.test(data)) return undefined;
  const bytes = hexToBytes(data.slice(2));
  const utf8 = decodeUtf8(bytes);
  // Byte by byte too (Latin-1): the ASCII action string is found even inside invalid UTF-8.
  let latin1 = '';
  for (const b of bytes) latin1 += String.fromCharCode(b);
  const digest = hashMessage({ raw: data });
  // The message itself being such a digest is blind signing of the key message: refused as well.
  if (
    isStarkKeyDerivationDigest(digest, ctx.chainId) ||
    (bytes.length === 32 && isStarkKeyDerivationDigest(data, ctx.chainId))
  ) {
    return { field: 'params[0]', value: short(data.toLowerCase()), rule: 'digest' };
  }
  for (const text of utf8 === undefined ? [latin1] : [utf8, latin1]) {
    if (mentionsStarkKeyAction(text)) return { field: 'params[0]', value: short(text), rule: 'action-string' };
  }
  // The legacy text is JSON: its escapes (\t, \u0053…) are decoded before matching.
  if (utf8 !== undefined && /^\s*[[{"]/.test(utf8)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(utf8);
    } catch {
      return undefined;
    }
    const m = findActionIn(parsed, 'params[0]');
    if (m) return m;
  }
  return undefined;
}

/** The refusal a page receives (as EIP-1193 4100): what matched, why, and what to use instead. */
export function keyDerivationRefusal(m: KeyDerivationMatch): string {
  const what =
    m.rule === 'action-string'
      ? `${m.field} = ${JSON.stringify(m.value)} contains the "${DYDX_STARK_KEY_ACTION}" action`
      : `${m.field} (${m.value}) is, or hashes to, the digest of the "${DYDX_STARK_KEY_ACTION}" message`;
  return `Refused: ${what}. A signature of that message derives your dYdX STARK private key (signing-risk.md A1.1), so Vigil never signs it for any site. Allowed instead: stark_account, which returns your public stark key.`;
}
