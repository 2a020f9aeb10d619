/**
 * The verifier on the dashboard (issue 9): verified up to batch N and block B, a progress bar
 * while syncing, the batches with their verdicts, the user's own position checked against the
 * latest root, the alarms, snapshots and settings. Reads the verifier's IndexedDB directly
 * (it survives the service worker) and asks the service worker to act.
 */
import { useEffect, useState } from 'preact/hooks';
import type { BatchVerdict, SyncAlarm, SyncCheckpoint } from '../../src/sync/types.js';
import type { Position } from '../../src/state/position.js';
import { PositionTree } from '../../src/tree/position-tree.js';
import { getSyncSettings, getSyncStatus, IdbSyncStore, type SyncSettings, type SyncStatus } from '../shared/sync-db.js';
import { fromTaggedJson, toTaggedJson } from '../shared/tagged-json.js';
import { call } from './api.js';
import { ErrorLine } from './components.js';

type View = { status: SyncStatus; settings?: SyncSettings; checkpoint?: SyncCheckpoint; verdicts: BatchVerdict[]; alarms: SyncAlarm[] };
type OwnPosition = { positionId: bigint; position: Position; verified: boolean; root: bigint };
const hex = (v: bigint) => `0x${v.toString(16)}`;
const short = (s: string) => (s.length > 18 ? `${s.slice(0, 10)}…${s.slice(-6)}` : s);

async function load(): Promise<View> {
  const store = new IdbSyncStore();
  const [status, settings, checkpoint, verdicts, alarms] = await Promise.all([getSyncStatus(), getSyncSettings(), store.checkpoint(), store.verdicts(), store.alarms()]);
  return { status, verdicts, alarms, ...(settings ? { settings } : {}), ...(checkpoint ? { checkpoint } : {}) };
}

/** The user's positions, each with a Merkle path checked against word 0 of the last verified state. */
async function ownPositions(keys: bigint[], cp: SyncCheckpoint | undefined): Promise<OwnPosition[]> {
  if (!keys.length || !cp?.sharedState) return [];
  const store = new IdbSyncStore();
  const tree = await PositionTree.create(store);
  const root = cp.sharedState[0]!;
  const mine = (await store.allPositions()).filter(([, p]) => keys.includes(p.starkKey));
  return Promise.all(mine.map(async ([positionId, position]) => ({ positionId, position, root, verified: (await tree.merklePath(positionId)).root === root })));
}

function Progress({ status }: { status: SyncStatus }) {
  if (status.progress) return <p>Rebuilding the tree: <progress data-testid="sync-progress" max={status.progress.total} value={status.progress.done} /> {status.progress.done}/{status.progress.total}</p>;
  if (status.head === undefined || status.scannedTo === undefined || status.firstBlock === undefined) return null;
  const total = Number(status.head - status.firstBlock + 1n);
  const done = Math.max(0, Math.min(total, Number(status.scannedTo - status.firstBlock + 1n)));
  return <p>Blocks read: <progress data-testid="sync-progress" max={total} value={done} /> {done}/{total}</p>;
}

function Alarms({ alarms: all }: { alarms: SyncAlarm[] }) {
  const history = all.filter((a) => a.severity === 'info');
  const alarms = all.filter((a) => a.severity !== 'info');
  const historyList = history.length ? (
    <details data-testid="alarm-history">
      <summary>History: {history.length} event(s) recorded, not raised</summary>
      <ul>
        {history.map((a) => (
          <li data-testid="alarm" data-kind={a.kind} data-severity={a.severity}>{a.message}</li>
        ))}
      </ul>
    </details>
  ) : null;
  if (!alarms.length) return historyList;
  const sorted = [...alarms].sort((a, b) => (a.severity === b.severity ? b.raisedAt - a.raisedAt : a.severity === 'critical' ? -1 : 1));
  return (
    <section role="alert" data-testid="alarm-banner" class="alarm-banner">
      <strong>{alarms.some((a) => a.severity === 'critical') ? 'Alarm: do not trust this exchange until you have checked.' : 'Warnings'}</strong>
      <ul>
        {sorted.map((a) => (
          <li data-testid="alarm" data-kind={a.kind} data-severity={a.severity} class={a.severity === 'critical' ? 'error' : 'warning'}>
            {a.message}
          </li>
        ))}
      </ul>
      {historyList}
    </section>
  );
}

function Batches({ verdicts }: { verdicts: BatchVerdict[] }) {
  if (!verdicts.length) return <p class="muted">No batch verified yet.</p>;
  return (
    <table data-testid="batches" class="batches">
      <thead>
        <tr><th>Seq</th><th>Batch</th><th>Block</th><th>Verdict</th><th>Positions</th><th>Root</th></tr>
      </thead>
      <tbody>
        {[...verdicts].reverse().map((v) => {
          const failed = v.checks.find((c) => !c.ok);
          return (
            <tr data-testid="batch-row" data-seq={String(v.sequenceNumber)} data-status={v.status} class={v.status === 'failed' ? 'error' : ''}>
              <td>{String(v.sequenceNumber)}</td>
              <td>{String(v.batchId)}</td>
              <td>{String(v.blockNumber)}</td>
              <td title={failed?.detail ?? v.checks.map((c) => c.check).join(', ')}>{v.status === 'verified'
                  ? v.rootCheckedAt !== undefined && v.rootCheckedAt !== v.sequenceNumber
                    ? `✓ checks passed; root reproduced at batch seq ${v.rootCheckedAt}`
                    : '✓ verified'
                  : v.status === 'pending-root'
                    ? '… checks passed; root at the next checkpoint'
                    : `✗ ${v.failure} (${failed?.check})`}</td>
              <td>{v.positionsChanged}</td>
              <td><code>{v.committedRoot !== undefined ? short(hex(v.committedRoot)) : '—'}</code></td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Settings({ settings, onSaved }: { settings?: SyncSettings; onSaved: () => void }) {
  const [rpc, setRpc] = useState(settings?.rpcUrls.map((u, i) => (settings.rpcRates?.[i] !== undefined ? `${u} ${settings.rpcRates[i]}` : u)).join('\n') ?? '');
  const current = settings ? (settings.deployment.id === 'dydx-mainnet' ? 'dydx-mainnet' : toTaggedJson({ deployment: settings.deployment, ...(settings.initialSharedState ? { initialSharedState: settings.initialSharedState } : {}) })) : 'dydx-mainnet';
  const [deployment, setDeployment] = useState(current);
  const [keys, setKeys] = useState((settings?.watchedStarkKeys ?? []).map(hex).join('\n'));
  const [staleHours, setStaleHours] = useState(String(Number(settings?.maxBatchAgeSeconds ?? 86_400n) / 3600));
  const [share, setShare] = useState(String(Math.round((settings?.forcedRequestAlarmShare ?? 0.5) * 100)));
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    try {
      // One RPC per line: its URL, then optionally its rate in requests per second.
      // Anything else is sent as it is, for the service worker to name what is wrong.
      const lines = rpc
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .map((l) => l.split(/\s+/))
        .map((t) => (t.length === 2 ? t : [t.join(' ')]));
      const rpcUrls = lines.map((l) => l[0]!);
      const rpcRates = lines.map((l) => (l[1] === undefined ? null : Number.isFinite(Number(l[1])) ? Number(l[1]) : l[1]));
      // An RPC that sends no CORS headers is reachable once the user grants its host (loopback is not asked).
      const remote = rpcUrls.filter((u) => /^https?:\/\//.test(u) && !/^https?:\/\/(127\.|localhost|\[::1\])/.test(u)).map((u) => `${new URL(u).origin}/*`);
      if (remote.length && !(await chrome.permissions.request({ origins: remote }).catch(() => false))) {
        setError(`Without access to ${remote.join(', ')} Vigil can reach only RPCs that send CORS headers; saved anyway.`);
      }
      const base = deployment.trim() === 'dydx-mainnet' || deployment.trim() === '' ? { preset: 'dydx-mainnet' } : fromTaggedJson<object>(deployment);
      const body = {
        ...base,
        rpcUrls,
        ...(rpcRates.some((r) => r !== null) ? { rpcRates } : {}),
        watchedStarkKeys: keys.split(/\s+/).filter(Boolean),
        maxBatchAgeSeconds: Math.round(Number(staleHours) * 3600),
        forcedRequestAlarmShare: Number(share) / 100,
      };
      await call('syncConfigure', { settings: toTaggedJson(body) }).then(onSaved, (e: Error) => setError(e.message));
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <details>
      <summary data-testid="settings">Settings</summary>
      <label>RPC URLs, one per line, each optionally followed by its rate limit in requests per second (with several RPCs, their answers are compared)<textarea data-testid="rpc-urls" value={rpc} onInput={(e) => setRpc((e.target as HTMLTextAreaElement).value)} /></label>
      <label>Deployment: "dydx-mainnet" or a JSON object {'{ devnet: … }'}<textarea data-testid="deployment" value={deployment} onInput={(e) => setDeployment((e.target as HTMLTextAreaElement).value)} /></label>
      <label>Your Stark keys to watch (forced requests, positions; one per line)<textarea data-testid="watched-keys" value={keys} onInput={(e) => setKeys((e.target as HTMLTextAreaElement).value)} /></label>
      <label>Alarm when no batch came for (hours)<input data-testid="stale-hours" value={staleHours} onInput={(e) => setStaleHours((e.target as HTMLInputElement).value)} /></label>
      <label>Alarm when your forced request is pending for (% of the freeze grace period)<input data-testid="forced-share" value={share} onInput={(e) => setShare((e.target as HTMLInputElement).value)} /></label>
      <button data-testid="save-settings" onClick={() => void save()}>Save and follow</button>
      <ErrorLine error={error} />
    </details>
  );
}

export function VerifierPanel(props: { starkKey?: string }) {
  const [view, setView] = useState<View | null>(null);
  const [own, setOwn] = useState<OwnPosition[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = () => load().then(setView, (e: Error) => setError(e.message));
  useEffect(() => {
    void refresh();
    const t = setInterval(() => void refresh(), 1000);
    return () => clearInterval(t);
  }, []);
  const cpKey = view?.checkpoint ? `${view.checkpoint.sequenceNumber}:${view.checkpoint.scannedTo}` : '';
  useEffect(() => {
    const keys = [...(view?.settings?.watchedStarkKeys ?? []), ...(props.starkKey ? [BigInt(props.starkKey)] : [])];
    void ownPositions(keys, view?.checkpoint).then(setOwn, () => setOwn([]));
  }, [cpKey, props.starkKey]);

  if (!view) return <p class="muted">Loading the verifier…</p>;
  const { status, checkpoint: cp, verdicts } = view;
  const verified = verdicts.filter((v) => v.status === 'verified');
  const importFile = (file: File | undefined) => {
    if (!file) return;
    setMessage('Verifying the snapshot…');
    void file.text().then((text) => call<{ sequenceNumber: string; positions: number }>('syncImportSnapshot', { text })).then(
      (r) => setMessage(`Snapshot accepted: ${r.positions} positions at sequence ${r.sequenceNumber}, root matches the anchor.`),
      (e: Error) => setMessage(`Snapshot rejected: ${e.message}`),
    );
  };
  const exportFile = () =>
    call<string>('syncExportSnapshot').then((text) => {
      const a = document.createElement('a');
      a.href = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
      a.download = `vigil-snapshot-${view.settings?.deployment.id ?? 'exchange'}-${cp?.sequenceNumber ?? 0}.json`;
      a.click();
    }, (e: Error) => setError(e.message));

  return (
    <section data-testid="verifier">
      <h2>Verifier {view.settings ? <span class="muted">— {view.settings.deployment.name}</span> : null}</h2>
      <Alarms alarms={view.alarms} />
      {!view.settings ? <p data-testid="not-configured">No exchange is followed yet: open Settings.</p> : (
        <>
          <p>
            Status: <strong data-testid="sync-phase">{status.phase}</strong>
            {status.message ? <span class="muted"> — {status.message}</span> : null}
            {status.host ? <span class="muted"> (runs in the <span data-testid="sync-host">{status.host === 'worker' ? 'sync worker' : 'service worker'}</span>)</span> : null}
          </p>
          <p data-testid="verified-upto">
            Verified up to batch <strong data-testid="verified-batch">{cp && cp.sequenceNumber > 0n ? String(cp.batchId) : '—'}</strong> (sequence{' '}
            <span data-testid="verified-seq">{cp ? String(cp.sequenceNumber) : '0'}</span>) and block <strong data-testid="verified-block">{cp ? String(cp.scannedTo) : '—'}</strong>
            {cp?.halted ? <span class="error" data-testid="halted"> — halted at sequence {String(cp.halted.sequenceNumber)} ({cp.halted.failure})</span> : null}
          </p>
          <Progress status={status} />
          <button data-testid="sync-now" onClick={() => void call('syncNow').then(refresh)}>Sync now</button>
          {cp?.halted ? <button data-testid="sync-resume" onClick={() => void call('syncResume').then(refresh)}>Retry the failed batch</button> : null}
          <h3>Your positions</h3>
          {own.length === 0 ? <p class="muted" data-testid="no-own-position">No position of yours in the verified state.</p> : (
            <ul>
              {own.map((o) => (
                <li data-testid="own-position" data-position={String(o.positionId)} data-verified={String(o.verified)}>
                  Position {String(o.positionId)}: collateral {String(o.position.collateral)}, {o.position.assets.length} asset(s) —{' '}
                  {o.verified ? `✓ Merkle path checked against root ${short(hex(o.root))}` : '✗ does not match the verified root'}
                </li>
              ))}
            </ul>
          )}
          <h3>Batches <span class="muted">({verified.length} verified{verdicts.length > verified.length ? `, ${verdicts.length - verified.length} failed` : ''})</span></h3>
          <Batches verdicts={verdicts} />
          <h3>Snapshot</h3>
          <button data-testid="snapshot-export" disabled={!cp?.sharedState} onClick={() => void exportFile()}>Export verified positions</button>
          <label>Import a snapshot (checked against the on-chain anchor)<input type="file" accept="application/json" data-testid="snapshot-file" onChange={(e) => importFile((e.target as HTMLInputElement).files?.[0])} /></label>
          {message ? <p data-testid="snapshot-result">{message}</p> : null}
        </>
      )}
      <Settings settings={view.settings} onSaved={() => void refresh()} />
      <ErrorLine error={error} />
    </section>
  );
}
