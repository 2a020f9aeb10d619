/**
 * Serves dapp requests in the service worker. The caller is described by what the browser says
 * about the sender; nothing in the request can claim an origin (DESIGN.md §4).
 */
import { parseRpcRequest, type RpcRequest } from '../../src/rpc/request.js';
import { toRpcErrorPayload, UnsupportedMethodError } from '../../src/rpc/errors.js';
import { parsePingParams } from '../../src/rpc/ping.js';
import { feltToHex } from '../../src/rpc/felt-param.js';
import type { DappResponse } from '../shared/messages.js';
import { callOffscreen } from './offscreen-client.js';

export type Caller = { origin: string; tabId: number; frameId: number };

type Handler = (request: RpcRequest, caller: Caller) => Promise<unknown>;

const handlers: Record<string, Handler> = {
  vigil_ping: async (request) => {
    const [a, b] = parsePingParams(request.params);
    return callOffscreen({ target: 'offscreen', type: 'pedersen', a: feltToHex(a), b: feltToHex(b) });
  },
};

export async function handleDappRequest(raw: unknown, caller: Caller): Promise<DappResponse> {
  try {
    const request = parseRpcRequest(raw);
    const handler = Object.hasOwn(handlers, request.method) ? handlers[request.method] : undefined;
    if (!handler) throw new UnsupportedMethodError(request.method);
    return { result: await handler(request, caller) };
  } catch (err) {
    return { error: toRpcErrorPayload(err) };
  }
}
