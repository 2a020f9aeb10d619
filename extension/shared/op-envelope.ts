/**
 * The one channel between Vigil's pages and the service worker (issue 14): a request
 * `{type: 'vigil/op', op, args}`, a reply `{ok: true, result} | {ok: false, error}`. `args` and
 * `result` are tagged JSON values (src/codec/tagged-json.ts): chrome.runtime messaging serialises
 * with JSON and throws on a bigint, so bigints travel as {"$bigint": "<decimal>"} both ways. Pure
 * (no chrome): the page side (ui/api.ts), the worker side (background/op-dispatch.ts) and the unit
 * tests share it.
 */
import { fromTagged, toTagged } from '../../src/codec/tagged-json.js';

export const OP_MESSAGE = 'vigil/op';

/** A page → service worker request. `args` is the op's one object parameter, tagged. */
export type OpRequest = { type: typeof OP_MESSAGE; op: string; args?: unknown };

/**
 * What a refused or failed op answers: the error's class name and message, plus the fields a page
 * acts on — `field` (which input is wrong), `retryAfterMs` (unlock throttling), `reason` (an exit
 * refusal's reason code).
 */
export type OpErrorPayload = { name: string; message: string; field?: string; retryAfterMs?: number; reason?: string };
export type OpReply = { ok: true; result: unknown } | { ok: false; error: OpErrorPayload };

/** Op names are short identifiers; anything else is not a request of ours. */
const OP_NAME = /^[A-Za-z][A-Za-z0-9]{0,39}$/;

export function isOpRequest(m: unknown): m is OpRequest {
  return (
    typeof m === 'object' &&
    m !== null &&
    (m as { type?: unknown }).type === OP_MESSAGE &&
    typeof (m as { op?: unknown }).op === 'string'
  );
}

export function isOpName(op: string): boolean {
  return OP_NAME.test(op);
}

export function opRequest(op: string, args: unknown): OpRequest {
  return { type: OP_MESSAGE, op, args: toTagged(args ?? {}) };
}

export const encodeResult = (v: unknown): unknown => toTagged(v ?? null) ?? null;
export const decodeArgs = <T>(v: unknown): T => fromTagged<T>(v ?? {});
export const decodeResult = <T>(v: unknown): T => fromTagged<T>(v);

/** The reply for a thrown error; only the listed fields, and only when they have the right type. */
export function errorPayload(err: unknown): OpErrorPayload {
  const e = (err ?? {}) as {
    name?: unknown;
    message?: unknown;
    field?: unknown;
    retryAfterMs?: unknown;
    reason?: unknown;
  };
  return {
    name: typeof e.name === 'string' ? e.name : 'Error',
    message: typeof e.message === 'string' ? e.message : String(err),
    ...(typeof e.field === 'string' ? { field: e.field } : {}),
    ...(typeof e.retryAfterMs === 'number' ? { retryAfterMs: e.retryAfterMs } : {}),
    ...(typeof e.reason === 'string' ? { reason: e.reason } : {}),
  };
}
