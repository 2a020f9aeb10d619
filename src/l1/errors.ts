import { VigilError, type VigilErrorOptions } from '../errors.js';

/** Every configured RPC failed (after retries) for one request: the dashboard's "RPC unreachable" state. */
export class RpcUnreachableError extends VigilError {
  override name = 'RpcUnreachableError';
  readonly method: string;
  constructor(method: string, attempts: number, options: VigilErrorOptions = {}) {
    super(`RPC unreachable: ${method} failed after ${attempts} attempt(s)`, options);
    this.method = method;
  }
}

/** Two RPCs answered the same request (same block) differently: one of them lies (issue 9). */
export class RpcDisagreementError extends VigilError {
  override name = 'RpcDisagreementError';
  readonly method: string;
  readonly urls: readonly string[];
  constructor(method: string, urls: readonly string[], details?: string, options: VigilErrorOptions = {}) {
    super(`RPCs disagree on ${method}: ${urls.join(' vs ')}`, {
      ...options,
      ...(details !== undefined ? { details } : {}),
    });
    this.method = method;
    this.urls = urls;
  }
}

/** An RPC answer that is not what the request asked for (wrong contract, wrong function, bad shape). */
export class L1DataError extends VigilError {
  override name = 'L1DataError';
  readonly field: string;
  constructor(field: string, message: string, options: VigilErrorOptions = {}) {
    super(`${field}: ${message}`, options);
    this.field = field;
  }
}
