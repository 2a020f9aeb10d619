import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Shell } from './shell.js';
import { call } from './api.js';
import { ErrorLine } from './components.js';
import { VerifierPanel } from './verifier-panel.js';
import type { LockStatus } from './api.js';

type Site = { origin: string; connectedAt: number; starkKey: string };

/** The verifier (issue 9) and the connected sites (list and revoke). */
function Dashboard() {
  const [sites, setSites] = useState<Site[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [starkKey, setStarkKey] = useState<string | undefined>(undefined);
  useEffect(() => void call<LockStatus>('status').then((s) => setStarkKey(s.account?.starkKey), () => undefined), []);
  const refresh = () => call<Site[]>('sites').then(setSites, (e: Error) => setError(e.message));
  useEffect(() => void refresh(), []);
  return (
    <Shell title="Vigil dashboard">
      <VerifierPanel {...(starkKey ? { starkKey } : {})} />
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
    </Shell>
  );
}
render(<Dashboard />, document.getElementById('app')!);
