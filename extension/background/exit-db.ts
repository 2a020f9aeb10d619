/**
 * The exit wizard's IndexedDB (issue 10; DESIGN.md §4): every exit flow, saved after each change
 * (before anything else is sent), so a browser restart resumes at the step it left, and the exit
 * settings (position, risk configuration, adverse-move margin). Bigints are stored as they are.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { ExitInputError, checkExitFeeCap, checkExitFlow, checkRiskParams } from '../../src/index.js';
import type { ExitFeeCap, ExitFlow, RiskParams } from '../../src/index.js';

export type ExitSettings = {
  /** The position to exit; found by stark key in the verified store when absent. */
  positionId?: bigint;
  /** Vigil's risk configuration for the deployment's markets (signing-risk.md B1.1). */
  riskParams: RiskParams;
  adverseMoveBps?: bigint;
  /** Max fee per gas (wei) and gas-limit cap for exit transactions; DEFAULT_EXIT_FEE_CAP when absent. */
  feeCap?: ExitFeeCap;
};

/** Checks settings before they are stored: an error names the field, the value and the allowed range. */
export function checkExitSettings(s: ExitSettings): ExitSettings {
  if (
    s.positionId !== undefined &&
    (typeof s.positionId !== 'bigint' || s.positionId < 0n || s.positionId >= 1n << 64n)
  )
    throw new ExitInputError('positionId', s.positionId, '0 <= positionId < 2^64');
  if (
    s.adverseMoveBps !== undefined &&
    (typeof s.adverseMoveBps !== 'bigint' || s.adverseMoveBps < 0n || s.adverseMoveBps > 10_000n)
  )
    throw new ExitInputError('adverseMoveBps', s.adverseMoveBps, '0 <= adverseMoveBps <= 10000 (basis points)');
  if (!s.riskParams || !Array.isArray(s.riskParams.assets))
    throw new ExitInputError('riskParams', s.riskParams, 'an object with an assets array');
  // Every entry too: asset id, factor range, duplicates (an empty list means "the deployment's preset").
  checkRiskParams('riskParams', s.riskParams);
  return s.feeCap === undefined ? s : { ...s, feeCap: checkExitFeeCap(s.feeCap) };
}

interface ExitDB extends DBSchema {
  flows: { key: string; value: ExitFlow };
  settings: { key: 'active'; value: ExitSettings };
  /**
   * Version 2 (issue 16): the escape proof a flow was started with (an escape file or pasted
   * verifyEscape calldata, as given), by flow id; checked again against L1 whenever it is used.
   */
  escapeProofs: { key: string; value: string };
}

let dbPromise: Promise<IDBPDatabase<ExitDB>> | null = null;
function exitDb(): Promise<IDBPDatabase<ExitDB>> {
  dbPromise ??= openDB<ExitDB>('vigil-exit', 2, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        db.createObjectStore('flows', { keyPath: 'id' });
        db.createObjectStore('settings');
      }
      if (oldVersion < 2) db.createObjectStore('escapeProofs');
    },
  });
  return dbPromise;
}

/** Saves a flow and the escape proof it was started with, in one transaction. */
export async function saveFlowWithEscapeProof(flow: ExitFlow, proof: string): Promise<void> {
  const tx = (await exitDb()).transaction(['flows', 'escapeProofs'], 'readwrite');
  await Promise.all([tx.objectStore('flows').put(flow), tx.objectStore('escapeProofs').put(proof, flow.id), tx.done]);
}
export async function getEscapeProof(flowId: string): Promise<string | undefined> {
  return (await exitDb()).get('escapeProofs', flowId);
}

export async function saveFlow(flow: ExitFlow): Promise<void> {
  await (await exitDb()).put('flows', flow);
}
export async function getFlow(id: string): Promise<ExitFlow | undefined> {
  const f = await (await exitDb()).get('flows', id);
  return f === undefined ? undefined : checkExitFlow(f);
}
export async function allFlows(): Promise<ExitFlow[]> {
  return (await (await exitDb()).getAll('flows')).map(checkExitFlow);
}
export async function getExitSettings(): Promise<ExitSettings> {
  return (await (await exitDb()).get('settings', 'active')) ?? { riskParams: { assets: [] } };
}
export async function putExitSettings(s: ExitSettings): Promise<void> {
  await (await exitDb()).put('settings', s, 'active');
}
