import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromTagged, fromTaggedJson, TaggedJsonError, toTagged, toTaggedJson } from '../../../src/codec/tagged-json.js';
import { createOpDispatcher } from '../../../extension/background/op-dispatch.js';
import {
  decodeResult,
  errorPayload,
  isOpRequest,
  opRequest,
  type OpReply,
} from '../../../extension/shared/op-envelope.js';
import { EXTENSION_ID, EXTENSION_ORIGIN, extensionPage } from '../../helpers/extension-sender.js';

/**
 * Issue 14, the one channel between pages and the service worker: the envelope, the codec both
 * ways, and the one sender policy, run through the worker's dispatcher with a fake op table.
 */
const ID = EXTENSION_ID;
const ORIGIN = EXTENSION_ORIGIN;
const page = extensionPage;

function harness() {
  const calls: Array<[string, unknown]> = [];
  const touched: string[] = [];
  const ops = {
    status: async () => (calls.push(['status', null]), { unlocked: true }),
    sites: async () => [],
    exitStatus: async () => (calls.push(['exitStatus', null]), { positionId: 7n }),
    verifierBatches: async (args: { before?: bigint; limit: number }) => (
      calls.push(['verifierBatches', args]),
      { older: args.before === undefined ? null : args.before - 1n, big: -(2n ** 255n) }
    ),
    unlock: async () => {
      throw Object.assign(new Error('wait'), { name: 'UnlockThrottledError', retryAfterMs: 1500 });
    },
    exitPlanWithdrawal: async () => {
      throw Object.assign(new RangeError('amount: "x" is out of range'), {
        name: 'ExitInputError',
        field: 'amount',
        reason: 'FORMAT',
        secret: 'never sent',
      });
    },
  };
  const dispatch = createOpDispatcher({
    ops,
    extensionId: ID,
    extensionOrigin: ORIGIN,
    beforeOp: async (op) => void touched.push(op),
  });
  const send = (sender: Record<string, unknown>, op: string, args?: unknown) => dispatch(opRequest(op, args), sender);
  return { calls, touched, send };
}

describe('op envelope and codec', () => {
  it('a request is {type: "vigil/op", op, args} with bigints tagged, and nothing else is one', () => {
    const m = opRequest('verifierBatches', { before: 12n, limit: 5 });
    expect(m).toEqual({ type: 'vigil/op', op: 'verifierBatches', args: { before: { $bigint: '12' }, limit: 5 } });
    expect(JSON.parse(JSON.stringify(m))).toEqual(m); // survives chrome.runtime's JSON
    expect(isOpRequest(m)).toBe(true);
    for (const other of [
      null,
      'vigil/op',
      { type: 'vigil/ui', op: 'status' },
      { type: 'vigil/exit', op: 'exitStatus' },
      { type: 'vigil/op' },
      { type: 'vigil/op', op: 1 },
    ])
      expect(isOpRequest(other)).toBe(false);
  });

  it('bigints survive both ways, through JSON text too (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 256n), max: 2n ** 256n }), fc.string(), (n, s) => {
        const v = { n, list: [n, { deep: n }], s, nothing: null };
        expect(fromTagged(JSON.parse(JSON.stringify(toTagged(v))))).toEqual(v);
        expect(fromTaggedJson(toTaggedJson(v))).toEqual(v);
      }),
      { numRuns: 200 },
    );
  });

  it('a malformed tagged bigint is refused by name, not passed on as an object', () => {
    expect(() => fromTaggedJson('{"amount":{"$bigint":"7x"}}')).toThrow(TaggedJsonError);
    expect(() => fromTaggedJson('{"amount":{"$bigint":"7x"}}')).toThrow(
      /amount\.\$bigint: "7x" is out of range; expected a decimal integer/,
    );
    expect(() => fromTagged({ a: { $bigint: '1'.repeat(81) } })).toThrow(TaggedJsonError);
    expect(() => fromTagged({ a: { $bigint: 5 } })).toThrow(TaggedJsonError);
    // Only a lone $bigint key is a tag: anything else is data.
    expect(fromTaggedJson('{"a":{"$bigint":"1","b":2}}')).toEqual({ a: { $bigint: '1', b: 2 } });
  });

  it('the flows and queued requests written before the move still read back (same format)', () => {
    expect(toTaggedJson({ starkKey: 5n })).toBe('{"starkKey":{"$bigint":"5"}}');
    expect(fromTagged({ payload: { amount: { $bigint: '-42' } } })).toEqual({ payload: { amount: -42n } });
  });

  it('an error reply carries name, message and the fields a page acts on, nothing else', () => {
    const e = Object.assign(new Error('no'), {
      name: 'X',
      field: 'amount',
      retryAfterMs: 10,
      reason: 'R',
      secret: 's',
      stack: 'at …',
    });
    expect(errorPayload(e)).toEqual({ name: 'X', message: 'no', field: 'amount', retryAfterMs: 10, reason: 'R' });
    expect(errorPayload('plain')).toEqual({ name: 'Error', message: 'plain' });
  });
});

describe('one sender policy for every op (issue 14)', () => {
  it('a page gets its ops, with bigint args and results intact', async () => {
    const h = harness();
    const reply = (await h.send(page('ui/dashboard.html'), 'verifierBatches', { before: 2n ** 70n, limit: 3 }))!;
    expect(reply.ok).toBe(true);
    expect(h.calls).toEqual([['verifierBatches', { before: 2n ** 70n, limit: 3 }]]);
    expect(decodeResult((reply as Extract<OpReply, { ok: true }>).result)).toEqual({
      older: 2n ** 70n - 1n,
      big: -(2n ** 255n),
    });
    expect(h.touched).toEqual(['verifierBatches']);
  });

  it('an exit op from the dashboard (or the popup) is refused by name and never runs; from the exit wizard it runs', async () => {
    const h = harness();
    for (const p of ['ui/dashboard.html', 'ui/popup.html', 'ui/approval.html']) {
      const reply = (await h.send(page(p), 'exitStatus'))!;
      expect(reply, p).toEqual({
        ok: false,
        error: { name: 'ForbiddenError', message: `op: "exitStatus" is not available to ${p}` },
      });
    }
    expect(h.calls).toEqual([]);
    expect(h.touched).toEqual([]);
    const ok = (await h.send(page('ui/exit.html'), 'exitStatus'))!;
    expect(ok).toEqual({ ok: true, result: { positionId: { $bigint: '7' } } });
  });

  it('a web origin, a content script, another extension, a missing sender.origin: no answer at all', async () => {
    const h = harness();
    const senders = [
      { id: ID, origin: 'https://evil.example', url: 'https://evil.example/ui/exit.html', tab: { id: 1 } }, // content script in a web page
      page('ui/exit.html', { origin: 'https://evil.example' }),
      page('ui/exit.html', { id: 'another-extension' }),
      { id: ID, url: `${ORIGIN}/ui/exit.html` }, // no sender.origin
    ];
    for (const s of senders) {
      expect(h.send(s, 'exitStatus'), JSON.stringify(s)).toBeNull();
      expect(h.send(s, 'status'), JSON.stringify(s)).toBeNull();
    }
    expect(h.calls).toEqual([]);
  });

  it('the offscreen document (it parses untrusted RPC data) and other extension resources: every op refused, none runs', async () => {
    const h = harness();
    for (const p of ['offscreen/offscreen.html', 'manifest.json', 'ui/unknown.html']) {
      for (const op of ['status', 'sites', 'exitStatus', 'unlock', 'verifierBatches']) {
        expect(await h.send(page(p), op, { limit: 1 }), `${p} ${op}`).toMatchObject({
          ok: false,
          error: { name: 'ForbiddenError' },
        });
      }
    }
    expect(h.calls).toEqual([]);
    expect(h.touched).toEqual([]);
  });

  it('an unknown op, or a name that is not an op name, is refused; an inherited property is not an op', async () => {
    const h = harness();
    for (const op of ['noSuchOp', 'constructor', '__proto__', 'toString', '', 'x'.repeat(100)]) {
      const reply = (await h.send(page('ui/exit.html'), op))!;
      expect(reply.ok, op).toBe(false);
      expect((reply as Extract<OpReply, { ok: false }>).error.name, op).toBe('ForbiddenError');
    }
    expect(h.calls).toEqual([]);
  });

  it('args must be an object; a bad tagged bigint in args is an error reply, not a crash', async () => {
    const h = harness();
    const bad = await createOpDispatcher({
      ops: { status: async () => null },
      extensionId: ID,
      extensionOrigin: ORIGIN,
    })({ type: 'vigil/op', op: 'status', args: [1] }, page('ui/popup.html'));
    expect(bad).toEqual({ ok: false, error: { name: 'TypeError', message: 'args: expected an object, got an array' } });
    // No args at all: the op gets an empty object.
    expect((await h.send(page('ui/dashboard.html'), 'status'))?.ok).toBe(true);
    const r = await createOpDispatcher({ ops: { status: async () => null }, extensionId: ID, extensionOrigin: ORIGIN })(
      { type: 'vigil/op', op: 'status', args: { a: { $bigint: 'x' } } },
      page('ui/popup.html'),
    );
    expect(r).toMatchObject({ ok: false, error: { name: 'TaggedJsonError' } });
  });

  it('errors keep their name and the fields a page acts on (unlock throttling, the refused field)', async () => {
    const h = harness();
    expect(await h.send(page('ui/popup.html'), 'unlock', { password: 'x' })).toEqual({
      ok: false,
      error: { name: 'UnlockThrottledError', message: 'wait', retryAfterMs: 1500 },
    });
    expect(await h.send(page('ui/exit.html'), 'exitPlanWithdrawal', { amount: 'x' })).toEqual({
      ok: false,
      error: { name: 'ExitInputError', message: 'amount: "x" is out of range', field: 'amount', reason: 'FORMAT' },
    });
  });
});
