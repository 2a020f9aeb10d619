import { useState } from 'preact/hooks';
import { call } from '../api.js';
import { ErrorLine } from '../components.js';

/**
 * Which position the page shows (issue 17): one of the verified positions of the wallet's stark
 * key, or a typed id. The service worker checks the id (an integer, 0 <= id < 2^64) and refuses
 * it naming the field, the text and the range; the page then shows that position.
 */
export function PositionPicker({
  shown,
  own,
  onPicked,
}: {
  shown: bigint | null;
  own: bigint[];
  onPicked: () => void;
}) {
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | null>(null);
  const pick = (positionId: string) =>
    call('exitSelectPosition', { positionId }).then(
      () => {
        setError(null);
        onPicked();
      },
      (e: Error) => setError(e.message),
    );
  return (
    <section data-testid="position-picker">
      <label>
        Position{' '}
        <select
          data-testid="position-select"
          value={shown !== null && own.includes(shown) ? String(shown) : ''}
          onChange={(e) => void pick((e.target as HTMLSelectElement).value)}
        >
          <option value="">
            {own.length ? 'your stark key’s first position' : 'no position of your stark key in the verified tree yet'}
          </option>
          {own.map((id) => (
            <option value={String(id)}>{String(id)} (your stark key, in the verified tree)</option>
          ))}
        </select>
      </label>{' '}
      <label>
        or position id{' '}
        <input
          data-testid="position-id"
          inputMode="numeric"
          value={typed}
          onInput={(e) => setTyped((e.target as HTMLInputElement).value)}
        />
      </label>{' '}
      <button type="button" data-testid="position-show" onClick={() => void pick(typed)}>
        Show
      </button>
      <ErrorLine error={error} />
    </section>
  );
}
