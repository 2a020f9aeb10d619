/**
 * Every operation Vigil's pages may ask of the service worker, in ONE table (issue 14): the
 * wallet's, the verifier's and the exit wizard's. Each is an async function of one object with
 * typed parameters and result (viem style); pages call them through ui/api.ts `call`, typed
 * against `Ops` end to end. Which page may call which op: src/wallet/sender-policy.ts.
 */
import type { PolicyOp } from '../../../src/index.js';
import { exitOps } from './exit.js';
import { settingsOps } from './settings.js';
import { glanceOps } from './glance.js';
import { snapshotStreamOps } from './snapshot-stream.js';
import { verifierOps } from './verifier.js';
import { walletOps } from './wallet.js';

export const ops = {
  ...walletOps,
  ...glanceOps,
  ...verifierOps,
  ...snapshotStreamOps,
  ...settingsOps,
  ...exitOps,
};
export type Ops = typeof ops;
export type OpName = keyof Ops;

// The sender policy's allowlist and this table name the same ops: an op no page may call, or a
// listed name with no op behind it, fails the typecheck here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const opsMatchPolicy: Same<OpName, PolicyOp> = true;
void opsMatchPolicy;

/**
 * Ops that count as the user's activity for the auto-lock (they move its deadline when unlocked).
 * Reading and polling do not: a dashboard left open must not keep the wallet unlocked. unlock and
 * createVault start the session themselves; exitSend touches it when it signs.
 */
export const ACTIVITY_OPS: ReadonlySet<OpName> = new Set<OpName>([
  'lock',
  'setAutoLock',
  'approve',
  'reject',
  'rejectAll',
  'blockSite',
  'revokeSite',
  'syncConfigure',
  'riskConfigure',
  'syncResume',
  'syncImportSnapshot',
  'snapshotStreamBegin',
]);
