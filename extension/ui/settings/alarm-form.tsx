/** What the verifier watches: the user's extra stark keys and the two alarm thresholds. */
import { useState } from 'preact/hooks';
import { ErrorLine } from '../components.js';
import { saveSyncFields } from './save.js';
import type { SettingsView } from './settings-panel.js';

const hex = (v: bigint) => `0x${v.toString(16)}`;

export function AlarmForm({ view, onSaved }: { view: SettingsView; onSaved: () => void }) {
  const s = view.sync;
  const [keys, setKeys] = useState((s?.watchedStarkKeys ?? []).map(hex).join('\n'));
  const [staleHours, setStaleHours] = useState(String(Number(s?.maxBatchAgeSeconds ?? 86_400n) / 3600));
  const [share, setShare] = useState(String(Math.round((s?.forcedRequestAlarmShare ?? 0.5) * 100)));
  const [error, setError] = useState<string | null>(null);
  const save = () =>
    saveSyncFields({
      watchedStarkKeys: keys.split(/\s+/).filter(Boolean),
      maxBatchAgeSeconds: Math.round(Number(staleHours) * 3600),
      forcedRequestAlarmShare: Number(share) / 100,
    }).then(
      () => {
        setError(null);
        onSaved();
      },
      (e: Error) => setError(e.message),
    );
  return (
    <fieldset data-testid="alarm-form">
      <legend>Watching and alarms</legend>
      <label>
        Other Stark keys to watch (forced requests, positions; one per line — the wallet's own key is always watched)
        <textarea
          data-testid="watched-keys"
          value={keys}
          onInput={(e) => setKeys((e.target as HTMLTextAreaElement).value)}
        />
      </label>
      <label>
        Alarm when no batch came for (hours)
        <input
          data-testid="stale-hours"
          value={staleHours}
          onInput={(e) => setStaleHours((e.target as HTMLInputElement).value)}
        />
      </label>
      <label>
        Alarm when your forced request is pending for (% of the freeze grace period)
        <input
          data-testid="forced-share"
          value={share}
          onInput={(e) => setShare((e.target as HTMLInputElement).value)}
        />
      </label>
      <button type="button" data-testid="save-alarms" disabled={!s} onClick={() => void save()}>
        Save
      </button>
      <ErrorLine error={error} />
    </fieldset>
  );
}
