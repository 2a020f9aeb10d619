/**
 * The onboarding tab the service worker opens once, on install (issue 17 item 7): the popup's
 * onboarding in a full tab, where a phrase can be written down calmly and the tab does not close
 * when focus moves. It may only create the first vault (src/wallet/sender-policy.ts).
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { call, type LockStatus } from './api.js';
import { AccountView, ErrorLine, shown } from './components.js';
import { Onboarding } from './onboarding.js';
import { Shell } from './shell.js';

function OnboardingTab() {
  const [status, setStatus] = useState<LockStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = () => call('status').then(...shown(setStatus, setError));
  useEffect(() => void refresh(), []);

  if (!status)
    return (
      <Shell title="Welcome to Vigil">
        <p class="muted">Connecting to Vigil…</p>
        <ErrorLine error={error} />
      </Shell>
    );
  if (!status.hasVault)
    return (
      <Shell title="Welcome to Vigil">
        <div data-testid="onboarding-tab">
          <Onboarding onDone={() => void refresh()} />
        </div>
      </Shell>
    );
  return (
    <Shell title="Vigil is ready">
      <div data-testid="onboarding-done">
        {status.account ? <AccountView account={status.account} /> : null}
        <p>Your wallet is set up. Open Vigil from the browser toolbar (the V icon); you can close this tab.</p>
      </div>
    </Shell>
  );
}

render(<OnboardingTab />, document.getElementById('app')!);
