import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RangeCheckError } from '../../../src/errors.js';
import {
  backoffDelay,
  blockRanges,
  canonicalJson,
  MultiRpc,
  RpcDisagreementError,
  RpcUnreachableError,
  withRetry,
} from '../../../src/l1/index.js';

describe('blockRanges (bounded eth_getLogs ranges)', () => {
  it('covers [from, to] exactly, in order, with no range longer than maxRange', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10_000n }),
        fc.bigInt({ min: -5n, max: 5_000n }),
        fc.bigInt({ min: 1n, max: 700n }),
        (from, len, max) => {
          const to = from + len;
          const ranges = blockRanges(from, to, max);
          if (to < from) {
            expect(ranges).toEqual([]);
            return;
          }
          expect(ranges[0]![0]).toBe(from);
          expect(ranges.at(-1)![1]).toBe(to);
          ranges.forEach(([a, b], i) => {
            expect(b - a + 1n <= max && a <= b).toBe(true);
            if (i > 0) expect(a).toBe(ranges[i - 1]![1] + 1n);
          });
        },
      ),
      { numRuns: 200 },
    );
  });
  it('rejects a non-positive range size or a negative start', () => {
    expect(() => blockRanges(0n, 10n, 0n)).toThrow(RangeCheckError);
    expect(() => blockRanges(-1n, 10n, 5n)).toThrow(RangeCheckError);
  });
});

describe('withRetry (backoff)', () => {
  it('retries with doubling, capped delays and returns the first success', async () => {
    const slept: number[] = [];
    let calls = 0;
    const v = await withRetry(
      async () => {
        if (++calls < 4) throw new Error(`fail ${calls}`);
        return 'ok';
      },
      { attempts: 5, baseDelayMs: 100, maxDelayMs: 300, sleep: async (ms) => void slept.push(ms) },
    );
    expect([v, calls, slept]).toEqual(['ok', 4, [100, 200, 300]]);
    expect([1, 2, 3, 4, 10].map((n) => backoffDelay(n, 250, 8000))).toEqual([250, 500, 1000, 2000, 8000]);
  });
  it('gives up after `attempts` and lets the caller wrap the last error; does not retry non-retryable errors', async () => {
    let calls = 0;
    const fail = async () => {
      calls++;
      throw new Error('down');
    };
    await expect(
      withRetry(
        fail,
        { attempts: 3, sleep: async () => {} },
        (e, n) => new RpcUnreachableError('eth_call', n, { cause: e }),
      ),
    ).rejects.toBeInstanceOf(RpcUnreachableError);
    expect(calls).toBe(3);
    calls = 0;
    await expect(withRetry(fail, { attempts: 3, sleep: async () => {}, retryable: () => false })).rejects.toThrow(
      'down',
    );
    expect(calls).toBe(1);
    await expect(withRetry(fail, { attempts: 0 })).rejects.toBeInstanceOf(RangeCheckError);
  });
});

const endpoint = (url: string, answer: (method: string) => unknown) => ({
  url,
  request: async ({ method }: { method: string }) => {
    const a = answer(method);
    if (a instanceof Error) throw a;
    return a;
  },
});

describe('MultiRpc (several RPCs compared)', () => {
  const noWait = { attempts: 2, sleep: async () => {} };
  it('returns the common answer; equal up to key order and hex case', async () => {
    const rpc = new MultiRpc(
      [endpoint('a', () => ({ x: '0xAB', y: [1] })), endpoint('b', () => ({ y: [1], x: '0xab' }))],
      noWait,
    );
    expect(await rpc.request('eth_getLogs')).toEqual({ x: '0xAB', y: [1] });
    expect(canonicalJson({ b: 1, a: '0xFF' })).toBe(canonicalJson({ a: '0xff', b: 1 }));
  });
  it('compares only the selected fields: extra provider fields do not disagree, a changed used field does', async () => {
    const rpc = new MultiRpc(
      [endpoint('a', () => ({ input: '0x01', yParity: '0x0' })), endpoint('b', () => ({ input: '0x01' }))],
      noWait,
    );
    const select = (t: unknown) => ({ input: (t as { input: string }).input });
    expect(await rpc.request('eth_getTransactionByHash', [], select)).toEqual({ input: '0x01', yParity: '0x0' });
    await expect(rpc.request('eth_getTransactionByHash')).rejects.toBeInstanceOf(RpcDisagreementError);
    const lying = new MultiRpc(
      [endpoint('a', () => ({ input: '0x01' })), endpoint('b', () => ({ input: '0x02' }))],
      noWait,
    );
    await expect(lying.request('eth_getTransactionByHash', [], select)).rejects.toBeInstanceOf(RpcDisagreementError);
  });
  it('throws RpcDisagreementError naming both URLs when answers differ', async () => {
    const rpc = new MultiRpc([endpoint('https://a', () => ['0x01']), endpoint('https://b', () => ['0x02'])], noWait);
    const err = await rpc.request('eth_getLogs', [{}]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RpcDisagreementError);
    expect((err as RpcDisagreementError).urls).toEqual(['https://a', 'https://b']);
  });
  it('uses the endpoints that answer; unreachable only when none does', async () => {
    const down = endpoint('down', () => new Error('ECONNREFUSED'));
    expect(await new MultiRpc([down, endpoint('up', () => '0x5')], noWait).request('eth_getStorageAt')).toBe('0x5');
    await expect(new MultiRpc([down], noWait).request('eth_getStorageAt')).rejects.toBeInstanceOf(RpcUnreachableError);
  });
  it('takes the lowest head for eth_blockNumber', async () => {
    const rpc = new MultiRpc([endpoint('a', () => '0x10'), endpoint('b', () => '0x0f')], noWait);
    expect(await rpc.blockNumber()).toBe(15n);
  });
  it('needs at least one endpoint', () => {
    expect(() => new MultiRpc([])).toThrow(RangeCheckError);
  });
});
