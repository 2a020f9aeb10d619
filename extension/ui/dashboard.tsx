import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Shell } from './shell.js';
import { call, type LockStatus, type OpResult } from './api.js';
import { useChanges } from './changes.js';
import { ErrorLine } from './components.js';
import { SettingsPanel } from './settings/settings-panel.js';
import { VerifierPanel } from './verifier-panel.js';

/** The wallet as the service worker reports it: none, locked or unlocked, and its stark key. */
function WalletLine({ status }: { status: LockStatus | null }) {
  if (!status) return null;
  const state = !status.hasVault ? 'none' : status.unlocked ? 'unlocked' : 'locked';
  return (
    <p data-testid="wallet-state" data-state={state}>
      Wallet:{' '}
      {state === 'none' ? (
        'none yet — create or import one from Vigil’s toolbar button.'
      ) : (
        <>
          {state === 'unlocked' ? 'unlocked' : 'locked'}
          {status.account ? (
            <>
              , Stark key <code data-testid="wallet-stark-key">{status.account.starkKey}</code>
            </>
          ) : null}
        </>
      )}
    </p>
  );
}

/**
 * The wallet, the verifier (issue 9), the connected sites (list and revoke) and the settings. The
 * wallet and the sites are read again whenever the service worker says they changed (issue 17
 * defect 6: they were read once, at load).
 */
function Dashboard() {
  const [sites, setSites] = useState<OpResult<'sites'> | null>(null);
  const [status, setStatus] = useState<LockStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = () => call('sites').then(setSites, (e: Error) => setError(e.message));
  const refreshWallet = () => call('status').then(setStatus, (e: Error) => setError(e.message));
  useEffect(() => {
    void refresh();
    void refreshWallet();
  }, []);
  useChanges(['sites', 'wallet'], (topic) => void (topic === 'sites' ? refresh() : refreshWallet()));
  return (
    <Shell title="Vigil dashboard">
      <WalletLine status={status} />
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
      <SettingsPanel onSaved={() => undefined} />
      <ErrorLine error={error} />
    </Shell>
  );
}
render(<Dashboard />, document.getElementById('app')!);
