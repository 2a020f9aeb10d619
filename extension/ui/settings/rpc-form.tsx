/**
 * The RPC endpoints: one row per URL with its optional rate (requests per second) and a Test
 * button that asks the service worker for the endpoint's chain id and head block.
 */
import { useState } from 'preact/hooks';
import { call } from '../api.js';
import { ErrorLine } from '../components.js';
import { saveSyncFields } from './save.js';
import type { SettingsView } from './settings-panel.js';

type Row = { url: string; rate: string; test?: string; testFailed?: boolean };

/**
 * An RPC that sends no CORS headers is reachable with host access to it. Vigil holds host access
 * to every http(s) site while its site access is not restricted (its content scripts' match
 * patterns, granted at install; verifier-devnet e2e: with them removed the sync read nothing); the
 * explicit grant asked for here keeps that host reachable when the user restricts site access.
 * Loopback is not asked. Returns the hosts not granted, or none. Asked on Test and on save (both
 * clicks, which the browser requires for the prompt).
 */
async function hostsRefused(urls: string[]): Promise<string[]> {
  const remote = urls
    .filter((u) => /^https?:\/\/\S+$/.test(u) && !/^https?:\/\/(127\.|localhost|\[::1\])/.test(u))
    .map((u) => `${new URL(u).origin}/*`);
  if (!remote.length || (await chrome.permissions.request({ origins: remote }).catch(() => false))) return [];
  return remote;
}

export function RpcForm({ view, onSaved }: { view: SettingsView; onSaved: () => void }) {
  const initial: Row[] = (view.sync?.rpcUrls ?? ['']).map((url, i) => ({
    url,
    rate: view.sync?.rpcRates?.[i] !== undefined ? String(view.sync.rpcRates[i]) : '',
  }));
  const [rows, setRows] = useState<Row[]>(initial);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const edit = (i: number, patch: Partial<Row>) =>
    setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const test = (i: number) => {
    edit(i, { test: 'Testing…', testFailed: false });
    const url = rows[i]!.url.trim();
    void hostsRefused([url])
      .then(() => call('rpcTest', { url }))
      .then(
        (r) => edit(i, { test: `chain id ${r.chainId}, head block ${r.head}`, testFailed: false }),
        (e: Error) => edit(i, { test: e.message, testFailed: true }),
      );
  };
  const save = async () => {
    const urls = rows.map((r) => r.url.trim()).filter(Boolean);
    const kept = rows.filter((r) => r.url.trim());
    // A rate is sent as typed (a number when it reads as one) for the service worker to check.
    const rates = kept.map((r) =>
      r.rate.trim() === '' ? null : Number.isFinite(Number(r.rate)) ? Number(r.rate) : r.rate,
    );
    try {
      const refused = await hostsRefused(urls);
      setNotice(
        refused.length
          ? `Not granted: ${refused.join(', ')}. If you restrict Vigil's site access, it reaches there only an RPC that sends CORS headers; saved anyway.`
          : null,
      );
      await saveSyncFields({
        // Nothing followed yet: the deployment the settings show selected (dYdX v3 mainnet).
        ...(view.sync ? {} : { preset: view.selected }),
        rpcUrls: urls,
        ...(rates.some((r) => r !== null) ? { rpcRates: rates } : {}),
      });
      setError(null);
      onSaved();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <fieldset data-testid="rpc-form">
      <legend>Ethereum RPC endpoints (with several, their answers are compared)</legend>
      {rows.map((r, i) => (
        <div class="rpc-row" data-testid="rpc-row">
          <input
            data-testid="rpc-url"
            placeholder="https://…"
            aria-label={`RPC URL ${i + 1}`}
            value={r.url}
            onInput={(e) => edit(i, { url: (e.target as HTMLInputElement).value, test: undefined })}
          />
          <input
            data-testid="rpc-rate"
            class="rate"
            placeholder="req/s"
            aria-label={`Rate limit of RPC ${i + 1}, requests per second (empty: none)`}
            value={r.rate}
            onInput={(e) => edit(i, { rate: (e.target as HTMLInputElement).value })}
          />
          <button type="button" data-testid="rpc-test" onClick={() => test(i)}>
            Test
          </button>
          <button
            type="button"
            data-testid="rpc-remove"
            disabled={rows.length === 1}
            onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))}
          >
            Remove
          </button>
          {r.test ? (
            <p data-testid="rpc-test-result" class={r.testFailed ? 'error' : 'muted'}>
              {r.testFailed ? `✗ ${r.test}` : r.test}
            </p>
          ) : null}
        </div>
      ))}
      <button type="button" data-testid="rpc-add" onClick={() => setRows((rs) => [...rs, { url: '', rate: '' }])}>
        Add an RPC
      </button>
      <button type="button" data-testid="save-rpc" onClick={() => void save()}>
        Save RPCs
      </button>
      {notice ? <p class="warning">{notice}</p> : null}
      <ErrorLine error={error} />
    </fieldset>
  );
}
