import { VigilError, type VigilErrorOptions } from '../errors.js';

/**
 * Errors a dapp sees through `request()`: one class per EIP-1193 / JSON-RPC code (the viem
 * `errors/rpc.ts` pattern, wallet-practice.md §6.3). The code is static so callers can map a
 * received `{ code }` back to its class.
 */
export class ProviderRpcError extends VigilError {
  override name = 'ProviderRpcError';
  static readonly code: number = -32603;
  readonly code: number;
  readonly data: unknown;
  constructor(code: number, message: string, options: VigilErrorOptions & { data?: unknown } = {}) {
    super(message, options);
    this.code = code;
    this.data = options.data;
  }
}

/** 4001: the user rejected the request. */
export class UserRejectedRequestError extends ProviderRpcError {
  override name = 'UserRejectedRequestError';
  static override readonly code = 4001;
  constructor(message = 'User rejected the request.') {
    super(4001, message);
  }
}

/** 4100: the origin may not call this method (not connected, or not allowed). */
export class UnauthorizedError extends ProviderRpcError {
  override name = 'UnauthorizedError';
  static override readonly code = 4100;
  constructor(message = 'The requested method and/or account has not been authorized by the user.') {
    super(4100, message);
  }
}

/** 4200: Vigil does not support the method. */
export class UnsupportedMethodError extends ProviderRpcError {
  override name = 'UnsupportedMethodError';
  static override readonly code = 4200;
  readonly method: string;
  constructor(method: string) {
    super(4200, `Unsupported method: ${JSON.stringify(method)} is not a method Vigil provides.`);
    this.method = method;
  }
}

/** 4900: the provider lost its connection to the extension (e.g. the extension was reloaded). */
export class DisconnectedError extends ProviderRpcError {
  override name = 'DisconnectedError';
  static override readonly code = 4900;
  constructor(message = 'Vigil is disconnected: reload the page.', options: VigilErrorOptions = {}) {
    super(4900, message, options);
  }
}

/** -32602: a parameter is missing or malformed. The message names the field. */
export class InvalidParamsError extends ProviderRpcError {
  override name = 'InvalidParamsError';
  static override readonly code = -32602;
  readonly field: string;
  constructor(field: string, message: string, options: VigilErrorOptions = {}) {
    super(-32602, `Invalid params: ${field}: ${message}`, options);
    this.field = field;
  }
}

/** -32603: something failed inside Vigil; the message says what, never a secret. */
export class InternalRpcError extends ProviderRpcError {
  override name = 'InternalRpcError';
  static override readonly code = -32603;
  constructor(message: string, options: VigilErrorOptions = {}) {
    super(-32603, message, options);
  }
}

/** -32005 (EIP-1474 "limit exceeded"): the site sent requests faster than Vigil serves them; data.retryAfterMs says when to try again. */
export class LimitExceededError extends ProviderRpcError {
  override name = 'LimitExceededError';
  static override readonly code = -32005;
  constructor(message: string, retryAfterMs: number) {
    super(-32005, message, { data: { retryAfterMs } });
  }
}

/** The plain-data error object that crosses context boundaries (JSON-safe). */
export type RpcErrorPayload = { code: number; message: string; data?: unknown };

/** Converts anything thrown while serving a request into the payload a dapp receives. */
export function toRpcErrorPayload(err: unknown): RpcErrorPayload {
  if (err instanceof ProviderRpcError) {
    return err.data === undefined
      ? { code: err.code, message: err.shortMessage }
      : { code: err.code, message: err.shortMessage, data: err.data };
  }
  if (err instanceof VigilError) return { code: InternalRpcError.code, message: err.shortMessage };
  // A foreign error's message is not ours to forward: a library could put anything in it (a key
  // it was handed, a path). The page learns its kind only (DESIGN.md §4: public data only).
  const name = err instanceof Error && /^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(err.name) ? err.name : 'Error';
  return { code: InternalRpcError.code, message: `Internal error (${name}) in Vigil.` };
}
