import { describe, expect, it } from 'vitest';
import { InvalidParamsError, toRpcErrorPayload } from '../../../src/rpc/index.js';

/** Security review: what a page can learn from an error Vigil did not raise itself. */
describe('toRpcErrorPayload', () => {
  const key = `0x${'3c'.repeat(32)}`;
  it("a foreign error's message (which may hold anything, a key included) never reaches the page", () => {
    const payload = toRpcErrorPayload(new TypeError(`invalid private key ${key} (${BigInt(key)})`));
    expect(payload).toEqual({ code: -32603, message: 'Internal error (TypeError) in Vigil.' });
    expect(JSON.stringify(payload)).not.toContain('3c3c');
    expect(toRpcErrorPayload(key)).toEqual({ code: -32603, message: 'Internal error (Error) in Vigil.' });
  });
  it("Vigil's own errors keep their message (they name the field, never a secret)", () => {
    expect(toRpcErrorPayload(new InvalidParamsError('params[0]', 'expected an object'))).toMatchObject({
      code: -32602,
      message: 'Invalid params: params[0]: expected an object',
    });
  });
});
