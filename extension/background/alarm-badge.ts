/**
 * The toolbar badge (issue 17, "Exchange health"): the number of the verifier's critical alarms
 * the user has not acknowledged. Set again whenever alarms may have changed — a sync run's alarms,
 * the end of a run, an acknowledgement, new settings, a snapshot import — and when the service
 * worker starts. The count is read from the store, never kept here.
 */
import { alarmBadgeText } from '../../src/index.js';
import { IdbSyncStore } from '../shared/sync-db.js';

const BADGE_RED = '#b00020';

export async function updateAlarmBadge(): Promise<string> {
  const text = alarmBadgeText(await new IdbSyncStore().unacknowledgedCritical());
  await chrome.action.setBadgeText({ text });
  if (text) await chrome.action.setBadgeBackgroundColor({ color: BADGE_RED });
  return text;
}

/** For callers that must not fail because the badge could not be set (a closed database). */
export const refreshAlarmBadge = (): void => void updateAlarmBadge().catch(() => undefined);
