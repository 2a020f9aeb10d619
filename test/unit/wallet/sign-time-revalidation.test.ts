import { beforeAll, describe, expect, it } from 'vitest';
import { recoverTypedDataAddress, stringToHex } from 'viem';
import { dydxStarkKeyPersonalMessage, dydxStarkKeyTypedData } from '../../../src/keys/dydx-onboarding.js';
import { UnauthorizedError } from '../../../src/rpc/errors.js';
import { walletAccountOf, walletKeysFromSecret, type PendingRequest } from '../../../src/wallet/index.js';
import { approvalView, produceResult } from '../../../extension/background/signing.js';

// Issue 13: what a site may not have signed is refused again when the user approves, whatever got
// stored (a request queued before the allowlist, a tampered store). Outside the extension there
// is no IndexedDB: walletChainId() falls back to chain 1, as the service worker does without settings.

const SECRET = {
  kind: 'mnemonic',
  mnemonic: 'test test test test test test test test test test test junk',
  starkDerivation: 'dydx',
  chainId: 1,
} as const;
const ORIGIN = 'https://trade.dydx.exchange';

const stored = (kind: 'personalSign' | 'signTypedData', payload: unknown, origin = ORIGIN): PendingRequest => ({
  id: 'r1',
  origin,
  route: { tabId: 1, frameId: 0, pageRequestId: 'p1' },
  method: kind === 'personalSign' ? 'personal_sign' : 'eth_signTypedData_v4',
  kind,
  payload,
  createdAt: 0,
  expiresAt: Number.MAX_SAFE_INTEGER,
});

describe('sign-time revalidation (extension/background/signing.ts)', () => {
  let keys: Awaited<ReturnType<typeof walletKeysFromSecret>>;
  let acct: ReturnType<typeof walletAccountOf>;
  beforeAll(async () => {
    keys = await walletKeysFromSecret(SECRET);
    acct = walletAccountOf(keys, SECRET);
  });
  const apiKey = { ...dydxStarkKeyTypedData(1), message: { action: 'dYdX Onboarding', onlySignOn: ORIGIN } };

  const refused: [string, PendingRequest][] = [
    ['stored "dYdX STARK Key" typed data', stored('signTypedData', { typedData: dydxStarkKeyTypedData(1) })],
    ['stored legacy personal_sign text', stored('personalSign', { data: stringToHex(dydxStarkKeyPersonalMessage(1)) })],
    [
      'stored Permit-like unknown typed data',
      stored('signTypedData', {
        typedData: {
          types: { Mail: [{ name: 'note', type: 'string' }] },
          domain: { name: 'x', chainId: 1 },
          primaryType: 'Mail',
          message: { note: 'hi' },
        },
      }),
    ],
    [
      'the API-key action stored for another origin than onlySignOn',
      stored('signTypedData', { typedData: apiKey }, 'https://evil.example'),
    ],
  ];
  for (const [what, r] of refused) {
    it(`${what}: not signed (4100), and the approval page shows an error instead of a Sign button`, async () => {
      await expect(produceResult(r, keys, acct)).rejects.toBeInstanceOf(UnauthorizedError);
      const view = await approvalView(r);
      expect(view.error).toEqual(expect.stringContaining('Refused'));
    });
  }

  it('the API-key action for its origin is signed by the wallet key, titled plainly', async () => {
    const r = stored('signTypedData', { typedData: apiKey });
    const signature = (await produceResult(r, keys, acct)) as `0x${string}`;
    expect(await recoverTypedDataAddress({ ...(apiKey as any), signature })).toBe(keys.address);
    const view = await approvalView(r);
    expect(view.title).toBe('dYdX API key');
    expect((view.typedData as { grant: string }).grant).toContain(
      `gives ${ORIGIN} your dYdX API key credentials; it cannot move funds`,
    );
  });
});
