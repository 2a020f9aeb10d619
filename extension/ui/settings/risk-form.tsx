/**
 * The markets' risk parameters: the maintenance margin fraction the deployment ships with and the
 * user's own, per market. An empty field follows the preset. Approval and exit use the user's
 * value where there is one (src/risk/presets.ts effectiveRiskParams).
 */
import { useState } from 'preact/hooks';
import { call } from '../api.js';
import { ErrorLine } from '../components.js';
import type { SettingsView } from './settings-panel.js';

const SOURCE: Record<SettingsView['riskSource'], string> = {
  user: 'your values',
  preset: "the deployment's preset",
  'user+preset': "your values, the deployment's preset for the other markets",
  none: 'none configured (margin figures are not shown)',
};

export function RiskForm({ view, onSaved }: { view: SettingsView; onSaved: () => void }) {
  const [values, setValues] = useState<Record<string, string>>(
    Object.fromEntries(view.risk.map((r) => [r.market, r.mine ?? ''])),
  );
  const [error, setError] = useState<string | null>(null);
  const save = () =>
    call('riskConfigure', { values }).then(
      () => {
        setError(null);
        onSaved();
      },
      (e: Error) => setError(e.message),
    );
  return (
    <fieldset data-testid="risk-form">
      <legend>Risk parameters (maintenance margin fraction per market)</legend>
      <p class="muted" data-testid="risk-source">
        In use: {SOURCE[view.riskSource]}
      </p>
      {view.risk.length === 0 ? (
        <p class="muted">This deployment ships no market risk parameters.</p>
      ) : (
        <table class="batches">
          <thead>
            <tr>
              <th>Market</th>
              <th>Preset</th>
              <th>Yours (empty: the preset)</th>
            </tr>
          </thead>
          <tbody>
            {view.risk.map((r) => (
              <tr data-testid="risk-row" data-market={r.market}>
                <td>{r.market}</td>
                <td data-testid="risk-preset">{r.preset ?? '—'}</td>
                <td>
                  <input
                    data-testid="risk-mine"
                    aria-label={`${r.market} maintenance margin fraction`}
                    placeholder={r.preset ?? ''}
                    value={values[r.market] ?? ''}
                    onInput={(e) => setValues({ ...values, [r.market]: (e.target as HTMLInputElement).value })}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <button type="button" data-testid="save-risk" onClick={() => void save()}>
        Save risk parameters
      </button>
      <ErrorLine error={error} />
    </fieldset>
  );
}
