import { fromTaggedJson, TaggedJsonError, toTaggedJson } from '../codec/tagged-json.js';
import { formatValue, RangeCheckError } from '../errors.js';
import { checkArray, checkBigint, checkInteger, checkObject, checkOneOf, checkString } from '../checks.js';
import { ExitFlowFormatError } from './errors.js';
import type { ExitFlow, ExitStep } from './flow.js';

/*
 * Persisting an exit flow (DESIGN.md §4: the state of an exit flow lives in storage and resumes).
 * IndexedDB clones bigints as they are; chrome.storage and files need JSON: the one tagged-JSON
 * codec (src/codec/tagged-json.ts), {"$bigint": "<decimal>"}, the format flows were always written in.
 */

const STEPS: readonly ExitStep[] = ['request', 'tracking', 'freeze', 'verify-escape', 'escape', 'withdraw', 'done'];

export function serializeExitFlow(flow: ExitFlow): string {
  return toTaggedJson(flow);
}

export function parseExitFlow(text: string): ExitFlow {
  let v: unknown;
  try {
    v = fromTaggedJson(text);
  } catch (err) {
    if (err instanceof TaggedJsonError)
      throw new ExitFlowFormatError(`bad bigint ${formatValue(err.value)}`, { cause: err });
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
