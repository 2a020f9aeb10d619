/**
 * The settings page's operations (issue 17 "settings as forms"): everything the forms show, in one
 * read, already in the form's words (minutes, fractions, preset names); testing one RPC; saving the
 * risk parameters. The verifier's own settings are saved by syncConfigure (ops/verifier.ts), one
 * form's fields at a time; the lock time by setAutoLock (ops/wallet.ts).
 */
import {
  customFieldsOf,
  deploymentPresets,
  effectiveRiskParams,
  presetIdOf,
  riskFormRows,
  riskParamsFromForm,
} from '../../../src/index.js';
import type {
  CustomDeploymentFields,
  DeploymentPreset,
  DeploymentPresetId,
  RiskFormRow,
  RiskParamsSource,
  SyncSettings,
} from '../../../src/index.js';
import { getSyncSettings } from '../../shared/sync-db.js';
import { announce } from '../changes.js';
import { checkExitSettings, getExitSettings, putExitSettings } from '../exit-db.js';
import { autoLockMs } from '../session.js';
import { probeRpc } from '../rpc-probe.js';
import { knownDevnet } from '../sync-coordinator.js';

export type SettingsView = {
  /** What the verifier follows, as stored (null: nothing yet). */
  sync: Pick<
    SyncSettings,
    'rpcUrls' | 'rpcRates' | 'watchedStarkKeys' | 'maxBatchAgeSeconds' | 'forcedRequestAlarmShare'
  > | null;
  /** The deployments offered, without their data (the select's options). */
  presets: Pick<DeploymentPreset, 'id' | 'name'>[];
  selected: DeploymentPresetId;
  /** The custom form's fields, prefilled from the followed deployment. */
  custom: CustomDeploymentFields;
  deploymentName: string | null;
  /** The followed deployment's markets: its preset factor and the user's, as fractions. */
  risk: RiskFormRow[];
  riskSource: RiskParamsSource;
  autoLockMinutes: number;
};

export const settingsOps = {
  async settingsView(): Promise<SettingsView> {
    const [s, devnet, exit, lockMs] = await Promise.all([
      getSyncSettings(),
      knownDevnet(),
      getExitSettings(),
      autoLockMs(),
    ]);
    const presets = deploymentPresets(devnet?.deployment);
    const followed = s?.deployment;
    return {
      sync: s
        ? {
            rpcUrls: s.rpcUrls,
            ...(s.rpcRates ? { rpcRates: s.rpcRates } : {}),
            ...(s.watchedStarkKeys ? { watchedStarkKeys: s.watchedStarkKeys } : {}),
            ...(s.maxBatchAgeSeconds !== undefined ? { maxBatchAgeSeconds: s.maxBatchAgeSeconds } : {}),
            ...(s.forcedRequestAlarmShare !== undefined ? { forcedRequestAlarmShare: s.forcedRequestAlarmShare } : {}),
          }
        : null,
      presets: presets.map(({ id, name }) => ({ id, name })),
      selected: presetIdOf(followed),
      custom: customFieldsOf(followed ?? presets[0]!.deployment!),
      deploymentName: followed?.name ?? null,
      risk: riskFormRows(exit.riskParams, followed),
      riskSource: effectiveRiskParams(exit.riskParams, followed).source,
      autoLockMinutes: lockMs / 60_000,
    };
  },
  /** eth_chainId and eth_blockNumber on one URL, as typed (not saved). */
  async rpcTest(args: { url: string }): Promise<{ chainId: number; head: bigint }> {
    return probeRpc(args.url);
  },
  /**
   * The risk form's values by market name (empty or the preset's value: follow the preset). Saved
   * as the user's risk configuration, the one approval and exit lay over the preset
   * (effectiveRiskParams); the exit's other settings are kept.
   */
  async riskConfigure(args: { values: Record<string, string> }): Promise<null> {
    if (!args.values || typeof args.values !== 'object')
      throw new TypeError('values: expected { "ETH-USD": "0.03", … }');
    const [exit, s] = await Promise.all([getExitSettings(), getSyncSettings()]);
    const riskParams = riskParamsFromForm(args.values, exit.riskParams, s?.deployment);
    await putExitSettings(checkExitSettings({ ...exit, riskParams }));
    announce('settings');
    return null;
  },
};
