/**
 * The sync coordinator (issue 9; DESIGN.md §3 background/): a `chrome.alarms` alarm wakes the
 * service worker every few minutes and starts one sync run; the run resumes from the IndexedDB
 * checkpoint, so a worker stopped mid-sync loses nothing (the next alarm or `syncNow` finishes
 * it). New alarms become notifications. The pages' operations on the verifier are in ops/verifier.ts.
 */
import { DYDX_V3_MAINNET, devnetDeployment, fromTaggedJson } from '../../src/index.js';
import type { StarkExDeployment, SyncAlarm } from '../../src/index.js';
import { getSyncSettings, putSyncSettings, putSyncStatus, type SyncSettings } from '../shared/sync-db.js';
import type { SyncHostMessage, SyncHostReply } from '../verifier/sync-messages.js';
import { ensureOffscreen } from './offscreen-client.js';

export const SYNC_ALARM = 'vigil-sync';
const DEFAULT_PERIOD_MINUTES = 1;

/** A 16×16 red square: notifications need an icon, and the extension ships none yet. */
const ALARM_ICON =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAIAAACQkWg2AAAAFklEQVR4nGM4oaFBEmIY1TCqYfhqAAB8MxgQ+Pjr0gAAAABJRU5ErkJggg==';

export function notify(alarms: SyncAlarm[]): void {
  for (const a of alarms) {
    if (a.severity === 'info') continue; // history and handled reorgs: on the dashboard only
    // Without the notifications permission the dashboard banner still shows every alarm.
    chrome.notifications?.create(
      `vigil-${a.id}`,
      {
        type: 'basic',
        iconUrl: ALARM_ICON,
        title: a.severity === 'critical' ? 'Vigil: exchange alarm' : 'Vigil: warning',
        message: a.message.slice(0, 300),
        priority: a.severity === 'critical' ? 2 : 0,
      },
      () => void chrome.runtime.lastError,
    );
  }
}

/**
 * Asks the sync worker in the offscreen document (verifier/sync-host.ts): the one place sync runs
 * and snapshot imports happen, one job at a time. The service worker never runs them itself: if
 * the document cannot be created or its host does not answer, that is an error for the user to
 * see, not a reason to hash the tree here.
 */
export async function viaHost(message: SyncHostMessage): Promise<SyncHostReply> {
  const notStarted = (why: string) =>
    Object.assign(new Error(`the verifier's offscreen document did not start: ${why}`), { name: 'VerifierHostError' });
  let reply: unknown;
  try {
    await ensureOffscreen();
    reply = await chrome.runtime.sendMessage(message);
  } catch (err) {
    throw notStarted((err as Error).message ?? String(err));
  }
  if (!reply || typeof reply !== 'object' || !('ok' in reply)) throw notStarted('its sync host did not answer');
  return reply as SyncHostReply;
}

/** The host's error reply as an Error with the worker's name and message. */
export const hostError = (reply: Extract<SyncHostReply, { ok: false }>) =>
  Object.assign(new Error(reply.error.message), { name: reply.error.name });

let syncing: Promise<void> | null = null;
/** Hands a run to the verifier's host unless one is being handed; errors land in the status. */
export function runSync(): Promise<void> {
  // Nothing configured: no offscreen document, no work.
  syncing ??= getSyncSettings()
    .then(async (settings) => {
      if (!settings) return;
      const reply = await viaHost({ target: 'offscreen-sync', type: 'run' });
      if (!reply.ok) throw hostError(reply);
    })
    .catch((err: unknown) => putSyncStatus({ phase: 'error', message: (err as Error).message }))
    .finally(() => {
      syncing = null;
    });
  return syncing;
}

export async function ensureSyncAlarm(): Promise<void> {
  const settings = await getSyncSettings();
  if (!settings) return;
  const existing = await chrome.alarms.get(SYNC_ALARM);
  const period = Math.max(0.5, settings.periodMinutes ?? DEFAULT_PERIOD_MINUTES);
  if (!existing || existing.periodInMinutes !== period)
    await chrome.alarms.create(SYNC_ALARM, { periodInMinutes: period, delayInMinutes: period });
}

const isHttpUrl = (u: unknown) => typeof u === 'string' && /^https?:\/\/[^\s]+$/.test(u);

/** Accepts settings as tagged JSON (bigints survive messaging); `preset` picks a known deployment. */
export function parseSettings(args: Record<string, unknown>): SyncSettings {
  const raw = typeof args.settings === 'string' ? fromTaggedJson<Record<string, unknown>>(args.settings) : {};
  const rpcUrls = raw.rpcUrls;
  if (!Array.isArray(rpcUrls) || rpcUrls.length === 0 || !rpcUrls.every(isHttpUrl))
    throw new TypeError('rpcUrls: expected one or more http(s) URLs');
  let deployment: StarkExDeployment;
  if (raw.preset === 'dydx-mainnet') deployment = { ...DYDX_V3_MAINNET };
  else if (raw.devnet && typeof raw.devnet === 'object')
    deployment = devnetDeployment(raw.devnet as Parameters<typeof devnetDeployment>[0]);
  else if (raw.deployment && typeof raw.deployment === 'object') deployment = raw.deployment as StarkExDeployment;
  else throw new TypeError('settings: expected preset "dydx-mainnet", devnet or deployment');
  if (!/^0x[0-9a-fA-F]{40}$/.test(deployment.starkPerpetual))
    throw new TypeError('deployment.starkPerpetual: expected an address');
  const out: SyncSettings = {
    deployment: {
      ...deployment,
      firstBlock: big('deployment.firstBlock', deployment.firstBlock),
      programHash: big('deployment.programHash', deployment.programHash),
    },
    rpcUrls: rpcUrls as string[],
  };
  if (raw.rpcRates !== undefined) {
    // Requests per second per RPC, in the order of rpcUrls; null: no budget of Vigil's own.
    if (!Array.isArray(raw.rpcRates) || raw.rpcRates.length !== rpcUrls.length)
      throw new TypeError(
        `rpcRates: expected one entry per RPC URL (${rpcUrls.length}), got ${JSON.stringify(raw.rpcRates)}`,
      );
    out.rpcRates = raw.rpcRates.map((r, i) => {
      if (r === null) return undefined;
      if (typeof r !== 'number' || !(r >= 0.1 && r <= 1000))
        throw new TypeError(
          `rpcRates[${i}]: ${JSON.stringify(r)} is out of range; expected requests per second from 0.1 to 1000, or null`,
        );
      return r;
    });
  }
  if (raw.initialSharedState)
    out.initialSharedState = raw.initialSharedState as NonNullable<SyncSettings['initialSharedState']>;
  for (const k of [
    'initialBatchId',
    'maxBlockRange',
    'pageLookbackBlocks',
    'maxBatchAgeSeconds',
    'confirmations',
  ] as const)
    if (raw[k] !== undefined) out[k] = big(k, raw[k]);
  if (raw.watchedStarkKeys !== undefined) {
    if (!Array.isArray(raw.watchedStarkKeys)) throw new TypeError('watchedStarkKeys: expected an array of Stark keys');
    out.watchedStarkKeys = raw.watchedStarkKeys.map((v, i) => big(`watchedStarkKeys[${i}]`, v));
  }
  for (const k of ['forcedRequestAlarmShare', 'periodMinutes'] as const) {
    const v = raw[k];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !(v > 0) || (k === 'forcedRequestAlarmShare' && v > 1))
      throw new TypeError(`${k}: expected a positive number${k === 'forcedRequestAlarmShare' ? ' ≤ 1' : ''}`);
    out[k] = v;
  }
  return out;
}

/** Settings typed in by hand carry numbers or strings where the engine needs bigints. */
function big(field: string, v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if ((typeof v === 'number' && Number.isSafeInteger(v)) || (typeof v === 'string' && /^(0x[0-9a-fA-F]+|\d+)$/.test(v)))
    return BigInt(v);
  throw new TypeError(
    `${field}: expected an integer (number, decimal or 0x-hex string), got ${JSON.stringify(String(v))}`,
  );
}

export async function configureSync(args: Record<string, unknown>): Promise<null> {
  const parsed = parseSettings(args);
  const old = await getSyncSettings();
  const sameChain =
    old &&
    old.deployment.id === parsed.deployment.id &&
    old.deployment.starkPerpetual.toLowerCase() === parsed.deployment.starkPerpetual.toLowerCase() &&
    old.deployment.chainId === parsed.deployment.chainId;
  // Saving one form never drops a setting it does not show (issue 15): same deployment, merged.
  const settings: SyncSettings = sameChain ? { ...old, ...parsed } : parsed;
  if (sameChain && parsed.rpcRates === undefined && old.rpcUrls.join() !== parsed.rpcUrls.join())
    delete settings.rpcRates;
  await putSyncSettings(settings, !sameChain);
  await chrome.alarms.clear(SYNC_ALARM);
  await ensureSyncAlarm();
  void runSync();
  return null;
}
