/**
 * Which exchange to follow, by name: dYdX v3 on Ethereum mainnet, the Vigil devnet (when Vigil was
 * handed one), or a custom deployment typed field by field — each field checked by the service
 * worker (src/l1/deployment-presets.ts), an error naming the field, the value and the form.
 */
import { useState } from 'preact/hooks';
import type { CustomDeploymentFields, DeploymentPresetId } from '../../../src/index.js';
import { ErrorLine } from '../components.js';
import { saveSyncFields } from './save.js';
import type { SettingsView } from './settings-panel.js';

const CUSTOM_LABELS: Record<keyof CustomDeploymentFields, string> = {
  name: 'Name',
  chainId: 'Chain id',
  starkPerpetual: 'StarkPerpetual (proxy) address',
  perpetualEscapeVerifier: 'Escape verifier address',
  memoryPageFactRegistry: 'Memory-page fact registry address',
  gpsStatementVerifiers: 'GPS statement verifier addresses (comma separated, in deployment order)',
  factAdapters: 'Fact adapter addresses (comma separated)',
  collateralToken: 'Collateral (USDC) token address',
  collateralAssetType: 'Collateral asset type',
  programHash: 'StarkEx program hash',
  firstBlock: 'First block to scan',
};

export function DeploymentForm({ view, onSaved }: { view: SettingsView; onSaved: () => void }) {
  const [choice, setChoice] = useState<DeploymentPresetId>(view.selected);
  const [custom, setCustom] = useState<CustomDeploymentFields>(view.custom);
  const [error, setError] = useState<string | null>(null);
  const save = () =>
    saveSyncFields(choice === 'custom' ? { custom } : { preset: choice }).then(
      () => {
        setError(null);
        onSaved();
      },
      (e: Error) => setError(e.message),
    );
  return (
    <fieldset data-testid="deployment-form">
      <legend>Exchange deployment</legend>
      <label>
        Deployment
        <select
          data-testid="deployment-preset"
          value={choice}
          onChange={(e) => setChoice((e.target as HTMLSelectElement).value as DeploymentPresetId)}
        >
          {view.presets.map((p) => (
            <option value={p.id}>{p.name}</option>
          ))}
        </select>
      </label>
      {view.deploymentName ? (
        <p class="muted" data-testid="deployment-followed">
          Following: {view.deploymentName}
        </p>
      ) : null}
      {choice === 'custom'
        ? (Object.keys(CUSTOM_LABELS) as (keyof CustomDeploymentFields)[]).map((k) => (
            <label>
              {CUSTOM_LABELS[k]}
              <input
                data-testid={`custom-${k}`}
                value={custom[k]}
                onInput={(e) => setCustom({ ...custom, [k]: (e.target as HTMLInputElement).value })}
              />
            </label>
          ))
        : null}
      <p class="muted">Another deployment starts its verification from its first block.</p>
      <button type="button" data-testid="save-deployment" onClick={() => void save()}>
        Save and follow
      </button>
      <ErrorLine error={error} />
    </fieldset>
  );
}
