import { RangeCheckError } from '../errors.js';
import { checkArray, checkBigint, checkInteger, checkObject, checkOneOf, checkString } from '../checks.js';
import { ExitFlowFormatError } from './errors.js';
import type { ExitFlow, ExitStep } from './flow.js';

/*
 * Persisting an exit flow (DESIGN.md §4: the state of an exit flow lives in storage and resumes).
 * IndexedDB clones bigints as they are; chrome.storage and files need JSON, where a bigint is
 * written as {"$bigint": "<decimal>"} so nothing else can be mistaken for one.
 */

const STEPS: readonly ExitStep[] = ['request', 'tracking', 'freeze', 'verify-escape', 'escape', 'withdraw', 'done'];

export function serializeExitFlow(flow: ExitFlow): string {
  return JSON.stringify(flow, (_k, v: unknown) => (typeof v === 'bigint' ? { $bigint: v.toString() } : v));
}

export function parseExitFlow(text: string): ExitFlow {
  let v: unknown;
  try {
    v = JSON.parse(text, (_k, x: unknown) => {
      if (x !== null && typeof x === 'object' && !Array.isArray(x)) {
        const keys = Object.keys(x);
        if (keys.length === 1 && keys[0] === '$bigint') {
          const s = (x as { $bigint: unknown }).$bigint;
          if (typeof s !== 'string' || !/^-?\d{1,80}$/.test(s)) throw new ExitFlowFormatError(`bad bigint ${String(s).slice(0, 40)}`);
          return BigInt(s);
        }
      }
      return x;
    });
  } catch (err) {
    if (err instanceof ExitFlowFormatError) throw err;
    throw new ExitFlowFormatError('exit flow: not JSON', { cause: err });
  }
  return checkExitFlow(v);
}

/**
 * Structural check of a stored flow (IndexedDB or parsed JSON). A failure is an
 * ExitFlowFormatError whose cause is the RangeCheckError naming the field, the value and the range.
 */
export function checkExitFlow(v: unknown): ExitFlow {
  try {
    const f = checkObject('exit flow', v, 'a vigil-exit-flow record');
    checkOneOf('format', f.format, ['vigil-exit-flow']);
    checkOneOf('version', f.version, [1]);
    checkString('id', f.id);
    checkString('deploymentId', f.deploymentId);
    checkInteger('chainId', f.chainId);
    checkBigint('starkKey', f.starkKey);
    checkBigint('positionId', f.positionId);
    checkOneOf('step', f.step, STEPS);
    checkObject('txs', f.txs);
    checkArray('history', f.history);
    return f as unknown as ExitFlow;
  } catch (err) {
    if (err instanceof RangeCheckError) throw new ExitFlowFormatError(`exit flow: ${err.shortMessage}`, { cause: err });
    throw err;
  }
}
