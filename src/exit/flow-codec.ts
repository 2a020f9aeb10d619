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
