import { InvalidParamsError } from './errors.js';
import { parseFeltParam } from './felt-param.js';
import { describe } from './request.js';

/**
 * `vigil_ping(a, b)`: a health check that exercises every context (page → content script → service
 * worker → offscreen document → worker) and returns Pedersen(a, b), so a dapp or a test can check
 * the answer independently.
 */
export function parsePingParams(params: unknown): [a: bigint, b: bigint] {
  if (!Array.isArray(params)) throw new InvalidParamsError('params', `expected [a, b], got ${describe(params)}`);
  if (params.length !== 2)
    throw new InvalidParamsError('params', `expected exactly 2 elements [a, b], got ${params.length}`);
  return [parseFeltParam('params[0]', params[0]), parseFeltParam('params[1]', params[1])];
}
