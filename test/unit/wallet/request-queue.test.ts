import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  activeRequests,
  expiredRequests,
  fromJsonSafe,
  toJsonSafe,
  type PendingRequest,
} from '../../../src/wallet/index.js';

const req = (id: string, createdAt: number, expiresAt: number): PendingRequest => ({
  id,
  origin: 'http://127.0.0.1:1',
  route: { tabId: 1, frameId: 0, pageRequestId: `p-${id}` },
  method: 'stark_signOrder',
  kind: 'signOrder',
  payload: {},
  createdAt,
  expiresAt,
});

describe('approval queue', () => {
  it('shows live requests oldest first and separates the expired ones', () => {
    const all = [req('c', 30, 100), req('a', 10, 100), req('b', 20, 50), req('d', 10, 100)];
    expect(activeRequests(all, 60).map((r) => r.id)).toEqual(['a', 'd', 'c']);
    expect(expiredRequests(all, 60).map((r) => r.id)).toEqual(['b']);
    expect(activeRequests(all, 100)).toEqual([]);
  });
  it('toJsonSafe/fromJsonSafe round-trip bigints through JSON (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 252n }), fc.boolean(), fc.string(), (n, b, s) => {
        const v = { message: { amount: n, flag: b, nested: [n, { x: n }] }, label: s };
        const safe = toJsonSafe(v);
        expect(JSON.parse(JSON.stringify(safe))).toEqual(safe);
        expect(fromJsonSafe(safe)).toEqual(v);
      }),
      { numRuns: 100 },
    );
  });
});
