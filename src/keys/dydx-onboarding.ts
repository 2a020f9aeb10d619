import { checkInteger } from '../checks.js';
import { hashMessage, hashTypedData } from 'viem';
import type { Hex } from 'viem';

/**
 * The message dYdX v3 asks the Ethereum wallet to sign to derive the stark key (signing-risk.md
 * A1.1 step 1; v3-client `onboarding.ts`, `onboarding-action.ts`): EIP-712 "dYdX STARK Key",
 * with `onlySignOn` on mainnet only; the legacy variant personal_signs a JSON rendering.
 */
export const DYDX_STARK_KEY_ACTION = 'dYdX STARK Key';
export const DYDX_ONLY_SIGN_ON = 'https://trade.dydx.exchange';

const DOMAIN_TYPE = [
  { name: 'name', type: 'string' },
  { name: 'version', type: 'string' },
  { name: 'chainId', type: 'uint256' },
] as const;

function assertChainId(chainId: number): void {
  checkInteger('chainId', chainId, 1);
}

/** Typed data for eth_signTypedData_v4 (and viem's signTypedData). */
export function dydxStarkKeyTypedData(chainId: number) {
  assertChainId(chainId);
  const mainnet = chainId === 1;
  return {
    types: {
      EIP712Domain: DOMAIN_TYPE,
      dYdX: mainnet
        ? [
            { type: 'string', name: 'action' },
            { type: 'string', name: 'onlySignOn' },
          ]
        : [{ type: 'string', name: 'action' }],
    },
    domain: { name: 'dYdX', version: '1.0', chainId },
    primaryType: 'dYdX',
    message: mainnet
      ? { action: DYDX_STARK_KEY_ACTION, onlySignOn: DYDX_ONLY_SIGN_ON }
      : { action: DYDX_STARK_KEY_ACTION },
  } as const;
}

/** The legacy personal_sign text: JSON of domain fields then message fields, 2-space indent (A1.1 step 2). */
export function dydxStarkKeyPersonalMessage(chainId: number): string {
  assertChainId(chainId);
  const body: Record<string, unknown> = { name: 'dYdX', version: '1.0', chainId, action: DYDX_STARK_KEY_ACTION };
  if (chainId === 1) body.onlySignOn = DYDX_ONLY_SIGN_ON;
  return JSON.stringify(body, null, 2);
}

/** The 32-byte digest the wallet signs (EIP-712, or EIP-191 for the legacy text): for checking who signed. */
export function dydxStarkKeySigningDigest(chainId: number, opts: { legacy?: boolean } = {}): Hex {
  if (opts.legacy) return hashMessage(dydxStarkKeyPersonalMessage(chainId));
  const td = dydxStarkKeyTypedData(chainId);
  // viem derives the EIP712Domain type from the domain's fields (no verifyingContract here).
  return hashTypedData({ types: { dYdX: td.types.dYdX }, domain: td.domain, primaryType: 'dYdX', message: td.message });
}
