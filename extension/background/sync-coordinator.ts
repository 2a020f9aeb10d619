/**
 * The sync coordinator (issue 9; DESIGN.md §3 background/): a `chrome.alarms` alarm wakes the
 * service worker every few minutes and starts one sync run; the run resumes from the IndexedDB
 * checkpoint, so a worker stopped mid-sync loses nothing (the next alarm or `syncNow` finishes
 * it). New alarms become notifications. The pages' operations on the verifier are in ops/verifier.ts.
 */
import {
  checkObject,
  checkString,
  fromTaggedJson,
  patchSyncSettings,
  sameDeployment,
  toTaggedJson,
} from '../../src/index.js';
import type { KnownDevnet, SyncAlarm } from '../../src/index.js';
import { getSyncSettings, putSyncSettings, putSyncStatus } from '../shared/sync-db.js';
import type { SyncHostMessage, SyncHostReply } from '../verifier/sync-messages.js';
import { refreshAlarmBadge } from './alarm-badge.js';
import { ensureOffscreen } from './offscreen-client.js';
import { announce } from './changes.js';
import { account as walletAccount } from './session.js';

export const SYNC_ALARM = 'vigil-sync';
const DEFAULT_PERIOD_MINUTES = 1;

/** A 16×16 red square: notifications need an icon, and the extension ships none yet. */
const ALARM_ICON =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAIAAACQkWg2AAAAFklEQVR4nGM4oaFBEmIY1TCqYfhqAAB8MxgQ+Pjr0gAAAABJRU5ErkJggg==';

export function notify(alarms: SyncAlarm[]): void {
  refreshAlarmBadge();
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
      // The wallet's own key is always watched for forced-request deadlines (issue 17 item 4).
      const account = await walletAccount();
      const reply = await viaHost({
        target: 'offscreen-sync',
        type: 'run',
        walletStarkKeys: account ? [account.starkKey] : [],
      });
      if (!reply.ok) throw hostError(reply);
    })
    .catch((err: unknown) => putSyncStatus({ phase: 'error', message: (err as Error).message }))
    .finally(() => {
      syncing = null;
      announce('sync');
      refreshAlarmBadge();
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

const KNOWN_DEVNET = 'vigilKnownDevnet';

/** The devnet Vigil was last handed (npm start), offered again as the "devnet" preset; tagged JSON in storage.local. */
export async function knownDevnet(): Promise<KnownDevnet | undefined> {
  const text = (await chrome.storage.local.get(KNOWN_DEVNET))[KNOWN_DEVNET] as string | undefined;
  return text === undefined ? undefined : fromTaggedJson<KnownDevnet>(text);
}

/**
 * Saves what one settings form sent (`settings`: tagged JSON of only its fields, or whole settings
 * from npm start and the tests); every other stored setting is kept (src/sync/settings.ts
 * patchSyncSettings, where every field is checked).
 */
export async function configureSync(args: Record<string, unknown>): Promise<null> {
  const patch = checkObject(
    'settings',
    fromTaggedJson(checkString('settings', args.settings, { expected: 'tagged JSON' })),
    'a settings object',
  );
  const old = await getSyncSettings();
  const next = patchSyncSettings(old, patch, await knownDevnet());
  if (next.deployment.id === 'devnet') {
    const known: KnownDevnet = { deployment: next.deployment };
    if (next.initialSharedState) known.initialSharedState = next.initialSharedState;
    await chrome.storage.local.set({ [KNOWN_DEVNET]: toTaggedJson(known) });
  }
  // Another deployment (or the first): its data stores start empty.
  const reset = !old || !sameDeployment(old.deployment, next.deployment);
  await putSyncSettings(next, reset);
  if (reset) refreshAlarmBadge(); // another deployment's alarms are gone
  await chrome.alarms.clear(SYNC_ALARM);
  await ensureSyncAlarm();
  announce('settings');
  void runSync();
  return null;
}
