import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Shell } from './shell.js';
import { call, type LockStatus } from './api.js';
import { AccountView, AutoLockSetting, ErrorLine, shown, UnlockForm } from './components.js';
import { Onboarding } from './onboarding.js';
import { RestoreFromPhrase } from './restore.js';

/** The popup: onboarding without a vault, the password when locked, the account when unlocked. */
function Popup() {
  const [status, setStatus] = useState<LockStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [restoring, setRestoring] = useState(false);
  const refresh = () => call('status').then(...shown(setStatus, setError));
  useEffect(() => {
    void refresh();
    // Auto-lock can happen while the popup is open.
    const t = setInterval(() => void refresh(), 1000);
    return () => clearInterval(t);
  }, []);

  if (!status)
    return (
      <Shell title="Vigil">
        <p class="muted">Connecting to Vigil…</p>
        <ErrorLine error={error} />
      </Shell>
    );
  if (!status.hasVault)
    return (
      <Shell title="Welcome to Vigil">
        <Onboarding onDone={() => void refresh()} />
      </Shell>
    );
  if (!status.unlocked && restoring) {
    return (
      <Shell title="Vigil is locked">
        <RestoreFromPhrase
          account={status.account}
          onCancel={() => setRestoring(false)}
          onDone={() => {
            setRestoring(false);
            void refresh();
          }}
        />
      </Shell>
    );
  }
  if (!status.unlocked) {
    return (
      <Shell title="Vigil is locked">
        <div data-testid="locked">
          {status.account ? <p class="muted">Stark key {status.account.starkKey.slice(0, 10)}…</p> : null}
          <UnlockForm
            onUnlock={async (password) => {
              await call('unlock', { password });
              await refresh();
            }}
          />
          <p>
            <button type="button" class="link" data-testid="forgot-password" onClick={() => setRestoring(true)}>
              Forgot password? Restore from your recovery phrase
            </button>
          </p>
        </div>
      </Shell>
    );
  }
  return (
    <Shell title="Vigil">
      <div data-testid="unlocked">
        {status.account ? <AccountView account={status.account} /> : null}
        <AutoLockSetting ms={status.autoLockMs} onSaved={() => void refresh()} />
        <p>
          <button data-testid="lock" onClick={() => void call('lock').then(refresh)}>
            Lock
          </button>{' '}
          <a href="./dashboard.html" target="_blank" rel="noopener">
            Connected sites and dashboard
          </a>
          <a href="./exit.html" target="_blank" rel="noopener" data-testid="exit-link">
            Exit page
          </a>
        </p>
      </div>
    </Shell>
  );
}

render(<Popup />, document.getElementById('app')!);
