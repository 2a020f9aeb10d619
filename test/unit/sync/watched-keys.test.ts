import { describe, expect, it } from 'vitest';
import { DYDX_V3_MAINNET, RangeCheckError, watchedStarkKeysWith, type SyncSettings } from '../../helpers/core.js';

// Issue 17 item 4: the wallet's own stark keys are always watched for forced-request deadlines,
// beside the keys the user pasted into Settings; they come with each run, not from stored settings.
describe('watchedStarkKeysWith', () => {
  const settings = (watched?: bigint[]): SyncSettings =>
    ({
      deployment: DYDX_V3_MAINNET,
      rpcUrls: ['http://127.0.0.1:8545'],
      ...(watched ? { watchedStarkKeys: watched } : {}),
    }) as SyncSettings;

  it("watches the wallet's key with no key in settings", () => {
    expect(watchedStarkKeysWith(settings(), ['0x0abc'])).toEqual([0xabcn]);
  });

  it("keeps the user's keys and adds the wallet's, each once", () => {
    expect(watchedStarkKeysWith(settings([5n, 0xabcn]), ['0xABC', '0x7'])).toEqual([5n, 0xabcn, 7n]);
    expect(watchedStarkKeysWith(settings([5n]), [])).toEqual([5n]);
  });

  it('refuses a malformed or out-of-range wallet key, naming it', () => {
    expect(() => watchedStarkKeysWith(settings(), ['abc'])).toThrow(/walletStarkKeys\[0\]/);
    expect(() => watchedStarkKeysWith(settings(), ['0x0'])).toThrow(RangeCheckError);
    expect(() => watchedStarkKeysWith(settings(), [`0x${'f'.repeat(64)}`])).toThrow(/walletStarkKeys\[0\]/);
  });
});
