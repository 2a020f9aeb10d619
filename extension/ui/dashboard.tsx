import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Shell } from './shell.js';
import { call } from './api.js';
import { ErrorLine } from './components.js';

type Site = { origin: string; connectedAt: number; starkKey: string };

/** Connected sites (list and revoke) and, later, positions and verification status. */
function Dashboard() {
  const [sites, setSites] = useState<Site[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = () => call<Site[]>('sites').then(setSites, (e: Error) => setError(e.message));
  useEffect(() => void refresh(), []);
  return (
    <Shell title="Vigil dashboard">
      <h2>Connected sites</h2>
      {sites === null ? <p class="muted">Loading…</p> : sites.length === 0 ? <p class="muted" data-testid="no-sites">No site is connected.</p> : (
        <ul data-testid="sites">
          {sites.map((s) => (
            <li data-origin={s.origin}>
              <code>{s.origin}</code> <span class="muted">since {new Date(s.connectedAt).toLocaleString()}</span>{' '}
              <button data-testid="revoke" onClick={() => void call('revokeSite', { origin: s.origin }).then(refresh, (e: Error) => setError(e.message))}>Revoke</button>
            </li>
          ))}
        </ul>
      )}
      <ErrorLine error={error} />
      <p class="muted">Positions, margin and verification status appear here once the verifier follows an exchange.</p>
    </Shell>
  );
}
render(<Dashboard />, document.getElementById('app')!);
