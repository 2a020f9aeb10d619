import { describe, expect, it } from 'vitest';
import {
  SPAM_BLOCK_MS,
  SPAM_REJECTIONS,
  SPAM_WINDOW_MS,
  WalletInputError,
  blockOrigin,
  checkSiteOrigin,
  isOriginBlocked,
  recordRejection,
  shouldOfferBlock,
  type OriginRejections,
} from '../../../src/wallet/index.js';

describe('site origins', () => {
  it('accepts exactly the browser serialisation of http(s) origins', () => {
    for (const o of [
      'http://127.0.0.1:5173',
      'https://trade.dydx.exchange',
      'http://[::1]:8080',
      'https://a-b.example',
    ])
      expect(checkSiteOrigin(o)).toBe(o);
    for (const o of [
      'https://trade.dydx.exchange/',
      'https://Trade.dydx.exchange',
      'chrome-extension://abc',
      'null',
      'file:///x',
      'https://x.com:0',
      'javascript:alert(1)',
      42,
    ]) {
      expect(() => checkSiteOrigin(o)).toThrow(WalletInputError);
    }
  });
});

describe('spam brake', () => {
  const origin = 'http://127.0.0.1:1';
  it(`offers a block after ${SPAM_REJECTIONS} rejections within ${SPAM_WINDOW_MS / 1000} s, not when they are spread out`, () => {
    let r: OriginRejections | undefined;
    for (let i = 0; i < SPAM_REJECTIONS - 1; i++) r = recordRejection(r, origin, 1_000 + i);
    expect(shouldOfferBlock(r, 1_010)).toBe(false);
    r = recordRejection(r, origin, 1_020);
    expect(shouldOfferBlock(r, 1_030)).toBe(true);
    // A minute later the old rejections no longer count.
    expect(shouldOfferBlock(r, 1_000 + SPAM_WINDOW_MS + 30)).toBe(false);
    let spread: OriginRejections | undefined;
    for (let i = 0; i < 5; i++) spread = recordRejection(spread, origin, i * SPAM_WINDOW_MS);
    expect(shouldOfferBlock(spread, 4 * SPAM_WINDOW_MS)).toBe(false);
  });
  it('a block lasts ten minutes', () => {
    const b = blockOrigin(undefined, origin, 5_000);
    expect(SPAM_BLOCK_MS).toBe(600_000);
    expect(isOriginBlocked(b, 5_000 + SPAM_BLOCK_MS - 1)).toBe(true);
    expect(isOriginBlocked(b, 5_000 + SPAM_BLOCK_MS)).toBe(false);
    expect(isOriginBlocked(undefined, 0)).toBe(false);
    // Rejections recorded during a block keep the block.
    expect(recordRejection(b, origin, 6_000).blockedUntil).toBe(b.blockedUntil);
  });
});
