import { toTaggedJson } from '../../../src/codec/tagged-json.js';
import { call } from '../api.js';

/** Saves one form's fields only: the service worker keeps the others (patchSyncSettings). */
export function saveSyncFields(fields: Record<string, unknown>): Promise<null> {
  return call('syncConfigure', { settings: toTaggedJson(fields) });
}
