/**
 * The settings (issue 17 "settings as forms"), each form saving only its own fields (the service
 * worker keeps every other setting: src/sync/settings.ts patchSyncSettings). What they show comes
 * in one read (ops/settings.ts settingsView), read again whenever a setting changed anywhere.
 */
import { useEffect, useState } from 'preact/hooks';
import { toTaggedJson } from '../../../src/codec/tagged-json.js';
import { call, type OpResult } from '../api.js';
import { useChanges } from '../changes.js';
import { ErrorLine } from '../components.js';
import { AlarmForm } from './alarm-form.js';
import { DeploymentForm } from './deployment-form.js';
import { LockTimeForm } from './lock-time-form.js';
import { RiskForm } from './risk-form.js';
import { RpcForm } from './rpc-form.js';

export type SettingsView = OpResult<'settingsView'>;

const keyOf = (...parts: unknown[]) => toTaggedJson(parts);

export function SettingsPanel({ onSaved }: { onSaved: () => void }) {
  const [view, setView] = useState<SettingsView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () =>
    call('settingsView').then(
      (v) => {
        setView(v);
        setError(null);
      },
      (e: Error) => setError(e.message),
    );
  useEffect(() => void load(), []);
  useChanges(['settings'], () => void load());
  const saved = () => {
    onSaved();
    void load();
  };
  return (
    <details data-testid="settings-panel">
      <summary data-testid="settings">Settings</summary>
      {view ? (
        <>
          {/* Each form is keyed by what it shows: a new read refills a form only when its own values changed. */}
          <RpcForm key={keyOf(view.sync?.rpcUrls, view.sync?.rpcRates)} view={view} onSaved={saved} />
          <DeploymentForm key={keyOf(view.selected, view.deploymentName, view.presets)} view={view} onSaved={saved} />
          <AlarmForm
            key={keyOf(view.sync?.watchedStarkKeys, view.sync?.maxBatchAgeSeconds, view.sync?.forcedRequestAlarmShare)}
            view={view}
            onSaved={saved}
          />
          <RiskForm key={keyOf(view.risk)} view={view} onSaved={saved} />
          <LockTimeForm key={keyOf(view.autoLockMinutes)} minutes={view.autoLockMinutes} onSaved={saved} />
        </>
      ) : (
        <p class="muted">Loading the settings…</p>
      )}
      <ErrorLine error={error} />
    </details>
  );
}
