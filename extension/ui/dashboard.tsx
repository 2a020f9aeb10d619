import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Shell } from './shell.js';
import { call, type OpResult } from './api.js';
import { ErrorLine } from './components.js';
import { VerifierPanel } from './verifier-panel.js';

/** The verifier (issue 9) and the connected sites (list and revoke). */
function Dashboard() {
  const [sites, setSites] = useState<OpResult<'sites'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = () => call('sites').then(setSites, (e: Error) => setError(e.message));
  useEffect(() => void refresh(), []);
  return (
    <Shell title="Vigil dashboard">
      <VerifierPanel />
      <h2>Connected sites</h2>
      {sites === null ? (
        <p class="muted">Loading…</p>
      ) : sites.length === 0 ? (
        <p class="muted" data-testid="no-sites">
          No site is connected.
        </p>
      ) : (
        <ul data-testid="sites">
          {sites.map((s) => (
            <li data-origin={s.origin}>
              <code>{s.origin}</code> <span class="muted">since {new Date(s.connectedAt).toLocaleString()}</span>{' '}
              <button
                data-testid="revoke"
                onClick={() =>
                  void call('revokeSite', { origin: s.origin }).then(refresh, (e: Error) => setError(e.message))
                }
              >
                Revoke
              </button>
            </li>
          ))}
        </ul>
      )}
      <ErrorLine error={error} />
    </Shell>
  );
}
render(<Dashboard />, document.getElementById('app')!);
