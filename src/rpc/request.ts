import { formatValue } from '../errors.js';
import { InvalidParamsError } from './errors.js';

/** An EIP-1193 request after shape validation. */
export type RpcRequest = {
  method: string;
  params: readonly unknown[] | Record<string, unknown> | undefined;
};

const METHOD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/**
 * Validates the argument of `provider.request(args)` (EIP-1193 §"request"). Runs in the page (for
 * an immediate error) and again in the service worker, which never trusts what a page sent.
 */
export function parseRpcRequest(args: unknown): RpcRequest {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) {
    throw new InvalidParamsError('args', `expected an object { method, params }, got ${describe(args)}`);
  }
  const { method, params } = args as { method?: unknown; params?: unknown };
  if (typeof method !== 'string') throw new InvalidParamsError('method', `expected a string, got ${describe(method)}`);
  if (!METHOD_NAME.test(method)) {
    throw new InvalidParamsError(
      'method',
      `expected a method name of 1 to 64 letters, digits or '_', got ${JSON.stringify(method.slice(0, 80))}`,
    );
  }
  if (params !== undefined && (typeof params !== 'object' || params === null)) {
    throw new InvalidParamsError('params', `expected an array or an object, got ${describe(params)}`);
  }
  return { method, params: params as RpcRequest['params'] };
}

/** Short type description for error messages; never echoes large values back. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === 'string')
    return value.length > 40 ? `a string of length ${value.length}` : `the string ${formatValue(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  return typeof value;
}
