/** The wallet's lock time after inactivity, in minutes (the service worker checks the range). */
import { useState } from 'preact/hooks';
import { call } from '../api.js';
import { ErrorLine } from '../components.js';

export function LockTimeForm(props: { minutes: number; onSaved: () => void }) {
  const [minutes, setMinutes] = useState(String(props.minutes));
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      data-testid="lock-form"
      onSubmit={(e) => {
        e.preventDefault();
        call('setAutoLock', { minutes }).then(
          () => {
            setError(null);
            props.onSaved();
          },
          (err: Error) => setError(err.message),
        );
      }}
    >
      <label>
        Lock the wallet after inactivity (minutes)
        <input
          data-testid="auto-lock-minutes"
          inputMode="decimal"
          value={minutes}
          onInput={(e) => setMinutes((e.target as HTMLInputElement).value)}
        />
      </label>
      <button type="submit" data-testid="save-auto-lock" aria-label="Save the auto-lock time">
        Save
      </button>
      <ErrorLine error={error} />
    </form>
  );
}
