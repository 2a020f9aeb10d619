import { fromTaggedJson, TaggedJsonError, toTaggedJson } from '../codec/tagged-json.js';
import { formatValue } from '../errors.js';
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
    if (err instanceof TaggedJsonError) throw new ExitFlowFormatError(`bad bigint ${formatValue(err.value)}`, { cause: err });
    throw new ExitFlowFormatError('exit flow: not JSON', { cause: err });
  }
  return checkExitFlow(v);
}

/** Structural check of a stored flow (IndexedDB or parsed JSON). */
export function checkExitFlow(v: unknown): ExitFlow {
  const f = v as Partial<ExitFlow> | null;
  if (f === null || typeof f !== 'object' || f.format !== 'vigil-exit-flow') throw new ExitFlowFormatError('exit flow: not a vigil-exit-flow record');
  if (f.version !== 1) throw new ExitFlowFormatError(`exit flow: unsupported version ${String(f.version)}`);
  if (typeof f.id !== 'string' || typeof f.deploymentId !== 'string' || typeof f.chainId !== 'number') throw new ExitFlowFormatError('exit flow: id, deploymentId or chainId missing');
  if (typeof f.starkKey !== 'bigint' || typeof f.positionId !== 'bigint') throw new ExitFlowFormatError('exit flow: starkKey and positionId must be bigints');
  if (!STEPS.includes(f.step as ExitStep)) throw new ExitFlowFormatError(`exit flow: unknown step ${String(f.step)}`);
  if (f.txs === null || typeof f.txs !== 'object' || !Array.isArray(f.history)) throw new ExitFlowFormatError('exit flow: txs or history missing');
  return f as ExitFlow;
}
